"""The URL × role scene (tests/permissions/scene.py) for this folder."""

from tests.decision_scene import cycle124, decider, issued, ward  # noqa: F401 (fixtures by name)
from tests.permissions.scene import scene  # noqa: F401 (a fixture)
