"""Celery wiring: the app reads its settings from Django (CELERY_* names)."""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antt_portal.settings")

app = Celery("antt_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def _ensure_filesystem_broker_folders():
    """The file-system broker and result backend need their folders to exist before first use."""
    from django.conf import settings

    for folder in getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}).values():
        if isinstance(folder, str):
            Path(folder).mkdir(parents=True, exist_ok=True)
    backend = getattr(settings, "CELERY_RESULT_BACKEND", "")
    if backend.startswith("file://"):
        Path(backend.removeprefix("file://")).mkdir(parents=True, exist_ok=True)
    Path(settings.CELERY_BEAT_SCHEDULE_FILENAME).parent.mkdir(parents=True, exist_ok=True)


@app.on_after_configure.connect
def _prepare_broker(sender, **kwargs):
    _ensure_filesystem_broker_folders()


@app.task(name="antt_portal.ping")
def ping() -> str:
    """Proves a worker is consuming the queue: returns "pong"."""
    return "pong"
