"""Real Celery workers, beat and a private Redis as subprocesses, for the worker tests.

A worker must see the test's database, so these tests run on PostgreSQL (a subprocess cannot open
SQLite's in-memory test database); each test gives its worker a queue of its own, so no other
worker on the same Redis can take its tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import redis
from django.conf import settings
from django.db import connection

from certification.models import MailStatus, OutgoingMail

BASE_DIR = Path(settings.BASE_DIR)


def database_url() -> str:
    """The URL of the test database the test itself uses (test_<name>)."""
    db = connection.settings_dict
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    return f"postgres://{credentials}@{host}/{db['NAME']}"


def wait_until(condition, *, timeout: float, interval: float = 0.2, message: str = ""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"timed out after {timeout}s: {message}")


class CeleryProcess:
    """`celery worker` (or `beat`) in a subprocess with the test's database and its own queue."""

    def __init__(self, tmp_path: Path, *, queue: str, env: dict, kind: str = "worker"):
        self.kind = kind
        self.name = f"{kind}-{uuid.uuid4().hex[:6]}"
        self.log_path = tmp_path / f"{self.name}.log"
        arguments = [sys.executable, "-m", "celery", "-A", "antt_portal", kind, "--loglevel=INFO"]
        if kind == "worker":
            arguments += [
                "--pool=solo",
                "--without-mingle",
                "--without-gossip",
                "--without-heartbeat",
                "-n",
                f"{self.name}@%h",
                "-Q",
                queue,
            ]
        else:
            arguments += ["-s", str(tmp_path / f"{self.name}-schedule")]
        self.environment = {
            **os.environ,
            "DEBUG": "1",
            "VAR_DIR": str(settings.VAR_DIR),
            "DATABASE_URL": database_url(),
            "CELERY_TASK_DEFAULT_QUEUE": queue,
            **env,
        }
        self.arguments = arguments
        self.process: subprocess.Popen | None = None

    def start(self, *, wait_ready: bool = True) -> CeleryProcess:
        with open(self.log_path, "a") as log:
            self.process = subprocess.Popen(
                self.arguments,
                cwd=BASE_DIR,
                env=self.environment,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        if wait_ready and self.kind == "worker":
            wait_until(
                lambda: " ready." in self.log_path.read_text() or self.process.poll() is not None,
                timeout=60,
                message=f"{self.name} did not start",
            )
            assert self.process.poll() is None, self.log()
        return self

    def kill(self) -> None:
        """SIGKILL: the worker dies mid-task, as on a crash or an OOM kill."""
        self.process.kill()
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)

    def log(self) -> str:
        return self.log_path.read_text()[-4000:] if self.log_path.exists() else ""


class PrivateRedis:
    """A Redis of the test's own on a free port, which the test may stop and start again."""

    def __init__(self, port: int):
        self.port = port
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> PrivateRedis:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=10, message="private redis did not start")
        return self

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)

    def _answers(self) -> bool:
        try:
            return redis.Redis(port=self.port, socket_connect_timeout=0.5).ping()
        except redis.RedisError:
            return False


def outbox_settled(expected: int) -> bool:
    """Every outbox row sent, and as many as expected."""
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT).count()
    unsent = OutgoingMail.objects.exclude(status=MailStatus.SENT).count()
    return sent == expected and unsent == 0
