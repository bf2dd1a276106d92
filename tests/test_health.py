"""The health endpoint: database, broker and worker, each reported; 503 when one is down."""

import json
from unittest import mock

import pytest
from django.db import OperationalError

pytestmark = pytest.mark.django_db


def _report(client):
    response = client.get("/health/")
    return response.status_code, json.loads(response.content)


def test_health_is_200_when_database_broker_and_a_worker_answer(client):
    with mock.patch(
        "antt_portal.health.app.control.inspect",
        return_value=mock.Mock(ping=mock.Mock(return_value={"celery@web1": {"ok": "pong"}})),
    ):
        status, report = _report(client)
    assert (status, report) == (
        200,
        {"database": "ok", "broker": "ok", "worker": "ok: 1 worker(s)", "status": "healthy"},
    )


def test_health_is_503_and_names_the_missing_worker(client):
    with mock.patch(
        "antt_portal.health.app.control.inspect",
        return_value=mock.Mock(ping=mock.Mock(return_value=None)),
    ):
        status, report = _report(client)
    assert status == 503
    assert report["worker"] == "down: RuntimeError: no worker answered the ping"
    assert (report["database"], report["broker"], report["status"]) == ("ok", "ok", "unhealthy")


def test_health_is_503_when_the_database_is_down(client):
    def refused():
        raise OperationalError("connection refused")

    with mock.patch.dict(
        "antt_portal.health.CHECKS", {"database": refused, "worker": lambda: "ok: 1 worker(s)"}
    ):
        status, report = _report(client)
    assert status == 503
    assert report == {
        "database": "down: OperationalError: connection refused",
        "broker": "ok",
        "worker": "ok: 1 worker(s)",
        "status": "unhealthy",
    }
