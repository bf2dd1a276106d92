"""Backup and restore of the portal: the database and the uploaded files, with a manifest.

A backup is a folder: `database.dump` (pg_dump's custom format) on PostgreSQL or
`database.sqlite3` (SQLite's online backup) on SQLite, `media.tar.gz` (everything under
MEDIA_ROOT) and `manifest.json` (the row count of every table, to check a restore against).
A restore loads the database into an empty database, unpacks the files and compares the counts.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"


class RestoreMismatch(Exception):
    """The restored database does not hold the rows the manifest counted."""


def _tables() -> list[str]:
    return sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if model._meta.managed and not model._meta.proxy
        }
    )


def _is_postgres(database: dict) -> bool:
    return database["ENGINE"] == "django.db.backends.postgresql"


def _pg_environment(database: dict) -> dict:
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ):
        if database.get(key):
            env[variable] = str(database[key])
    return env


def count_rows(cursor, tables) -> dict[str, int]:
    counts = {}
    for table in tables:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
        counts[table] = cursor.fetchone()[0]
    return counts


def backup(folder: Path) -> dict:
    """Writes the database, the uploaded files and the manifest into `folder`; returns it."""
    folder.mkdir(parents=True, exist_ok=True)
    database = connection.settings_dict
    if _is_postgres(database):
        subprocess.run(
            [
                "pg_dump",
                "--format=custom",
                "--no-owner",
                f"--file={folder / POSTGRES_DUMP}",
                database["NAME"],
            ],
            env=_pg_environment(database),
            check=True,
            capture_output=True,
        )
    else:
        connection.ensure_connection()
        target = sqlite3.connect(folder / SQLITE_COPY)
        with target:
            connection.connection.backup(target)
        target.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(folder / MEDIA_ARCHIVE, "w:gz") as archive:
        if media.exists():
            archive.add(media, arcname=".")
    with connection.cursor() as cursor:
        counts = count_rows(cursor, _tables())
    manifest = {
        "created_at": timezone.now().isoformat(),
        "engine": "postgresql" if _is_postgres(database) else "sqlite",
        "counts": counts,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True))
    return manifest


def restore(folder: Path, *, database: dict, media_root: Path) -> dict[str, int]:
    """Loads a backup into `database` (empty) and `media_root`; returns the restored counts.

    Raises RestoreMismatch when a table does not hold the rows the manifest counted.
    """
    manifest = json.loads((folder / MANIFEST).read_text())
    if manifest["engine"] == "postgresql":
        subprocess.run(
            [
                "pg_restore",
                "--no-owner",
                "--exit-on-error",
                f"--dbname={database['NAME']}",
                str(folder / POSTGRES_DUMP),
            ],
            env=_pg_environment(database),
            check=True,
            capture_output=True,
        )
        import psycopg2

        with (
            psycopg2.connect(
                dbname=database["NAME"],
                host=database.get("HOST") or None,
                port=database.get("PORT") or None,
                user=database.get("USER") or None,
                password=database.get("PASSWORD") or None,
            ) as restored,
            restored.cursor() as cursor,
        ):
            counts = count_rows(cursor, manifest["counts"])
    else:
        source = sqlite3.connect(folder / SQLITE_COPY)
        target = sqlite3.connect(database["NAME"])
        with target:
            source.backup(target)
        counts = count_rows(target.cursor(), manifest["counts"])
        source.close()
        target.close()
    media_root.mkdir(parents=True, exist_ok=True)
    with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
        archive.extractall(media_root, filter="data")
    wrong = {
        table: (expected, counts.get(table))
        for table, expected in manifest["counts"].items()
        if counts.get(table) != expected
    }
    if wrong:
        raise RestoreMismatch(f"rows differ from the backup (expected, restored): {wrong}")
    return counts
