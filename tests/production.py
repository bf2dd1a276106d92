"""A Django process started with production settings, to check what it refuses or warns about."""

import os
import subprocess
import sys

from django.conf import settings

STRONG_KEY = "q7V!r2m#Lz9@wP4xK8s&dE1uT6yH3bN0cJ5fG-hA_kR9vM2nX7pQ"


def start_django(**environment):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    env.update(environment)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('ready')"],
        cwd=settings.BASE_DIR,
        env={**env, "DJANGO_SETTINGS_MODULE": "antt_portal.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": STRONG_KEY,
    "SITE_URL": "https://antt.example.vn",
    "ALLOWED_HOSTS": "antt.example.vn",
}
