"""Production settings and the hardening of issue 14: weak keys, HTTPS, proxies, resets, files."""

import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.db import OperationalError
from django.urls import reverse

from tests.factories import UserFactory
from tests.production import PRODUCTION, start_django


@pytest.mark.parametrize(
    "weak_key",
    ["x" * 60, "short-but-random-9f8e7d", "django-insecure-" + "a1b2c3d4e5f6g7h8" * 4],
)
def test_production_refuses_a_weak_secret_key(weak_key):
    result = start_django(DEBUG="0", SECRET_KEY=weak_key)
    assert result.returncode != 0
    assert "SECRET_KEY is too weak for production" in result.stderr


def _manage(*args, **environment):
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_the_documented_production_settings():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_https_site_turns_on_redirect_and_hsts():
    script = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS, s.SESSION_COOKIE_SECURE, "
        "s.AXES_IPWARE_META_PRECEDENCE_ORDER)"
    )
    import os

    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY"}}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="antt_portal.settings")
    plain = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    proxied = subprocess.run(
        [sys.executable, "-c", script],
        env={**env, "PROXY_CLIENT_IP_HEADER": "HTTP_X_REAL_IP"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert plain.stdout.strip() == "True 31536000 True ('REMOTE_ADDR',)"
    assert proxied.stdout.strip() == "True 31536000 True ('HTTP_X_REAL_IP', 'REMOTE_ADDR')"


@pytest.mark.django_db
def test_password_reset_link_comes_from_site_url_not_the_host_header(client, settings):
    settings.SITE_URL = "https://antt.example.vn"
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(username="ca.tinh", email="ca.tinh@example.vn")

    response = client.post(
        reverse("password_reset"), {"email": "ca.tinh@example.vn"}, HTTP_HOST="evil.example"
    )

    assert response.status_code == 302
    (message,) = mail.outbox
    assert "https://antt.example.vn/accounts/reset/" in message.body
    assert "evil.example" not in message.body


@pytest.mark.django_db
def test_lockout_behind_a_proxy_counts_the_client_not_the_proxy(client, settings):
    """Five failures from one client lock that client out; another client behind the same proxy
    still logs in with the same username."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = ("HTTP_X_REAL_IP", "REMOTE_ADDR")
    UserFactory(username="ca.tinh", password="mat-khau-dung-123")
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            reverse("login"),
            {"username": "ca.tinh", "password": "sai"},
            HTTP_X_REAL_IP="203.0.113.66",
            **proxy,
        )
    attacker = client.post(
        reverse("login"),
        {"username": "ca.tinh", "password": "mat-khau-dung-123"},
        HTTP_X_REAL_IP="203.0.113.66",
        **proxy,
    )
    owner = client.post(
        reverse("login"),
        {"username": "ca.tinh", "password": "mat-khau-dung-123"},
        HTTP_X_REAL_IP="198.51.100.7",
        **proxy,
    )
    assert attacker.status_code == 429
    assert owner.status_code == 302


@pytest.mark.django_db
def test_a_write_that_finds_the_database_locked_is_told_someone_was_faster(client, world):
    """SQLite's "database is locked" is a lost race: a message and the page acted from."""
    client.force_login(world.users.rep_khom)
    page = reverse("units:unit-detail", args=[world.khom_1.pk])
    with mock.patch(
        "certification.views.notifications.notification_services.mark_read",
        side_effect=OperationalError("database is locked"),
    ):
        response = client.post(
            reverse("certification:notification-read-all"),
            HTTP_REFERER=f"http://testserver{page}",
        )
    assert response.status_code == 302
    assert response["Location"] == f"http://testserver{page}"
    follow = client.get(page)
    assert "Có người khác đã thao tác trước" in follow.content.decode()


def test_sqlite_takes_the_write_lock_when_a_transaction_begins():
    """PostgreSQL locks rows; SQLite must take its one write lock at BEGIN."""
    database = settings.DATABASES["default"]
    sqlite = database["ENGINE"] == "django.db.backends.sqlite3"
    assert database.get("OPTIONS", {}).get("transaction_mode") == ("IMMEDIATE" if sqlite else None)
