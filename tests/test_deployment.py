"""The production stack as deployed: gunicorn (deploy/gunicorn.conf.py) serving the portal with
DEBUG off, static files collected and served by WhiteNoise, and the health endpoint."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from django.conf import settings

from tests.production import PRODUCTION


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(url: str):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def test_gunicorn_serves_pages_static_files_and_health_in_production(tmp_path):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "DATABASE_URL"}}
    env.update(
        PRODUCTION,
        ALLOWED_HOSTS="127.0.0.1",
        SITE_URL="http://127.0.0.1",
        VAR_DIR=str(tmp_path),
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        CELERY_BROKER_URL="memory://",
    )
    root = Path(settings.BASE_DIR)
    subprocess.run(
        # The admin's many files only slow the compression down; the portal's pages suffice.
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0", "-i", "admin"],
        cwd=root,
        env=env,
        check=True,
        timeout=180,
    )
    manifest = json.loads((tmp_path / "static" / "staticfiles.json").read_text())["paths"]
    script = "bootstrap/js/bootstrap.bundle.min.js"
    hashed = manifest[script]
    gunicorn = Path(sys.executable).with_name("gunicorn")
    server = subprocess.Popen(
        [str(gunicorn), "antt_portal.wsgi", "--config", "deploy/gunicorn.conf.py"],
        cwd=root,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                status, _headers, _body = _get(f"{base}/accounts/login/")
                break
            except OSError:
                time.sleep(0.2)
        status, headers, body = _get(f"{base}/accounts/login/")
        assert status == 200
        assert f"/static/{hashed}" in body.decode()
        status, headers, body = _get(f"{base}/static/{hashed}")
        assert status == 200
        assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
        assert body == (tmp_path / "static" / hashed).read_bytes()
        status, _headers, body = _get(f"{base}/health/")
        report = json.loads(body)
        assert report["database"] == "ok"
        assert status == (200 if report["status"] == "healthy" else 503)
    finally:
        server.terminate()
        server.wait(timeout=30)
