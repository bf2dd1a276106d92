"""The property tests reuse the URL × role scene (a ward with every kind of object)."""

from tests.permissions.conftest import (  # noqa: F401 (fixtures used by name)
    cycle124,
    decider,
    issued,
    scene,
    ward,
)
