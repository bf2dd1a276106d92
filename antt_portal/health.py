"""The health endpoint for the proxy, the process manager and monitoring (no login).

GET /health/ answers 200 when the database, the Celery broker and at least one worker answer,
503 otherwise, with a JSON body naming each part: {"database": "ok", "broker": "ok",
"worker": "down: no worker answered the ping", "status": "unhealthy"}. Each check is bounded by
a short timeout, so a dead service makes the answer slow by at most a few seconds.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from antt_portal.celery import app

TIMEOUT_SECONDS = 2


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def check_broker() -> str:
    with app.connection_for_write() as broker:
        broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)
    return "ok"


def check_worker() -> str:
    replies = app.control.inspect(timeout=TIMEOUT_SECONDS).ping() or {}
    if not replies:
        raise RuntimeError("no worker answered the ping")
    return f"ok: {len(replies)} worker(s)"


CHECKS = {"database": check_database, "broker": check_broker, "worker": check_worker}


@login_not_required
@never_cache
@require_safe
def health(request):
    """Database, broker and worker, each "ok" or "down: <reason>"; 503 if any is down."""
    report, healthy = {}, True
    for name, check in CHECKS.items():
        try:
            report[name] = check()
        except Exception as error:  # any failure of a part is what this page reports
            report[name] = f"down: {error.__class__.__name__}: {error}"[:300]
            healthy = False
    report["status"] = "healthy" if healthy else "unhealthy"
    return JsonResponse(report, status=200 if healthy else 503)
