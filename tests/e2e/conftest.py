"""Browser tests: the Chromium fixture of tests/e2e/chromium.py for this folder."""

from tests.e2e.chromium import browser  # noqa: F401 (a fixture)
