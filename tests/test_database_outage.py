"""While the database is away (a PostgreSQL restart), every page answers a plain 503 in
Vietnamese with Retry-After, never a traceback or "server error"; a real bug is still a 500."""

from unittest import mock

import pytest
from django.db import IntegrityError, InterfaceError, OperationalError
from django.test import Client
from django.urls import reverse

UNAVAILABLE = "Cổng tạm thời gián đoạn"


@pytest.fixture
def browser():
    # As a real server does: the handler's page, not the exception re-raised into the test.
    return Client(raise_request_exception=False)


def _assert_clean_503(response):
    body = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    assert UNAVAILABLE in body
    assert "chưa được lưu" in body  # what the user sent was not saved: send it again
    assert "Traceback" not in body and "connection" not in body


@pytest.mark.parametrize(
    "error",
    [
        OperationalError("server closed the connection unexpectedly"),
        OperationalError('connection to server at "127.0.0.1", port 5432 failed'),
        InterfaceError("connection already closed"),
    ],
)
def test_a_database_lost_inside_a_view_answers_503(browser, error):
    with mock.patch("certification.views.public.RegisterView.get", side_effect=error):
        response = browser.get(reverse("public:register"))
    _assert_clean_503(response)


@pytest.mark.django_db
def test_a_database_lost_before_the_view_answers_503(browser, world):
    """The login check reads the session before any view runs: that failure too is a 503."""
    browser.force_login(world.users.rep_khom)
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=OperationalError("terminating connection due to administrator command"),
    ):
        response = browser.get(reverse("home"))
    _assert_clean_503(response)


@pytest.mark.django_db
def test_a_bug_is_still_a_500_not_an_outage(browser):
    with mock.patch(
        "certification.views.public.RegisterView.get", side_effect=IntegrityError("duplicate key")
    ):
        response = browser.get(reverse("public:register"))
    assert response.status_code == 500
    assert "Lỗi máy chủ" in response.content.decode()
    assert UNAVAILABLE not in response.content.decode()
