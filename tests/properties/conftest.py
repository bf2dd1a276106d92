"""The property tests reuse the URL × role scene (a ward with every kind of object)."""

from tests.decision_scene import cycle124, decider, issued, ward  # noqa: F401 (fixtures by name)
from tests.permissions.scene import scene  # noqa: F401 (a fixture)
