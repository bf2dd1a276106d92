"""Recommended dossiers waiting for a decision: the scene of tests/decision_scene.py."""

from tests.decision_scene import cycle124, decider, issued, ward  # noqa: F401 (fixtures by name)
