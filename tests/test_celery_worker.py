"""A real Celery worker process consumes the configured broker (file system or Redis)."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from antt_portal.celery import app, ping

BASE_DIR = Path(settings.BASE_DIR)


@pytest.fixture
def worker_queue(tmp_path):
    """Starts `celery worker` on a queue of its own, so no other worker can take its tasks."""
    queue = f"test-{uuid.uuid4().hex[:12]}"
    log_path = tmp_path / "worker.log"
    with open(log_path, "w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "antt_portal",
                "worker",
                "--pool=solo",
                "--loglevel=INFO",
                "--without-mingle",
                "--without-gossip",
                "-Q",
                queue,
            ],
            cwd=BASE_DIR,
            env={**os.environ, "VAR_DIR": str(settings.VAR_DIR)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        yield queue
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        print(log_path.read_text()[-3000:])


def test_worker_answers_ping_over_the_configured_broker(worker_queue):
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=90) == "pong"


@pytest.mark.redis
def test_worker_answers_ping_over_redis(worker_queue):
    with app.connection_for_write() as connection:
        assert connection.transport.driver_type == "redis"
    result = ping.apply_async(queue=worker_queue)
    assert result.get(timeout=90) == "pong"
