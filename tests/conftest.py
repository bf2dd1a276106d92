"""Test-wide set-up: service gating (skip without a service, fail under REQUIRE_SERVICES=1)."""

import os
import shutil
import socket
from urllib.parse import urlparse

import pytest
from django.conf import settings

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"

pytest_plugins = ["tests.world", "tests.demo"]


def _postgres_problem() -> str:
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
        return "needs PostgreSQL: DATABASE_URL is not a postgres:// URL"
    return ""


def _redis_problem() -> str:
    url = settings.CELERY_BROKER_URL
    if not url.startswith("redis://"):
        return "needs Redis: CELERY_BROKER_URL is not a redis:// URL"
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2):
            return ""
    except OSError as error:
        return f"needs Redis at {parsed.hostname}:{parsed.port or 6379}: {error}"


def _browser_problem() -> str:
    missing = [name for name in ("chromium", "chromedriver") if shutil.which(name) is None]
    return f"needs a browser: {', '.join(missing)} not installed" if missing else ""


SERVICE_CHECKS = {
    "postgres": _postgres_problem,
    "redis": _redis_problem,
    "browser": _browser_problem,
}


def pytest_runtest_setup(item):
    for marker, check in SERVICE_CHECKS.items():
        if item.get_closest_marker(marker) is None:
            continue
        problem = check()
        if problem and REQUIRE_SERVICES:
            pytest.fail(f"REQUIRE_SERVICES=1 but this test {problem}", pytrace=False)
        if problem:
            pytest.skip(problem)


def pytest_sessionfinish(session, exitstatus):
    """With REQUIRE_SERVICES=1 nothing may skip: a skipped test turns the run red."""
    if not REQUIRE_SERVICES:
        return
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    skipped = len(reporter.stats.get("skipped", [])) if reporter else 0
    if skipped:
        print(f"\nREQUIRE_SERVICES=1: {skipped} test(s) skipped; failing the run.")
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Hashing with PBKDF2 costs a third of a second per user; tests need no real strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(request, settings, tmp_path):
    """No test files uploads under var/media. The demo tests keep the folder the demo filed in."""
    if "demo" not in request.fixturenames:
        settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _vietnamese_outside_requests():
    """Each test starts in the default language, whatever an earlier request switched to."""
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _mail_in_memory(settings):
    """No test writes mails to var/mail: they go to django.core.mail.outbox."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture(autouse=True)
def _data_migrations_after_flush(request):
    """A transactional test starts after a flush, which empties what data migrations loaded
    (the criteria sets, the default reminder rules): load them again when they are missing."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    from importlib import import_module

    from django.apps import apps

    from certification.models import CriteriaSet, ReminderRule

    if not CriteriaSet.objects.exists():
        import_module("certification.migrations.0002_load_criteria_sets").load_criteria_sets(
            apps, None
        )
        import_module("certification.migrations.0037_tt124_criteria_version_2").publish_version_2(
            apps, None
        )
    if not ReminderRule.objects.exists():
        import_module("certification.migrations.0005_default_reminder_rules").load(apps, None)


@pytest.fixture
def clock(time_machine):
    """The pages read the clock, so a page test sets it: to ASSESSED_AT (01/11/2026 09:00, see
    tests/builders.py), ticking from there. The dates a test writes and the dates a page computes
    then agree in any year the suite runs."""
    from tests.builders import ASSESSED_AT

    time_machine.move_to(ASSESSED_AT, tick=True)
    return ASSESSED_AT
