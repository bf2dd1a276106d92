"""Backup and restore: restored into a fresh database, every table holds the same rows, and the
uploaded files are back."""

import datetime
import json
import sqlite3
import tarfile
import uuid
from contextlib import contextmanager

import environ
import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from certification.services import registration as registration_services
from certification.services.cycles import create_cycle
from tests.builders import complete_values, pdf_file
from tests.factories import published_criteria_set
from units.backup import MANIFEST, RestoreMismatch, count_rows, restore


@pytest.fixture
def portal_with_an_upload(world, settings, tmp_path):
    """The world, a cycle and a registration with one uploaded file."""
    settings.MEDIA_ROOT = tmp_path / "media"
    cycle = create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )
    registration = registration_services.start_registration(
        cycle, world.khom_1, values=complete_values(), by=None, today=datetime.date(2026, 2, 10)
    )
    return registration_services.add_document(
        registration,
        kind="party_resolution",
        uploaded_file=pdf_file(),
        document_date=datetime.date(2026, 1, 20),
        by=None,
    )


@contextmanager
def fresh_database(tmp_path):
    """The URL of a new, empty database of the test's engine; dropped afterwards."""
    database = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    fresh = f"{database['NAME']}_restore_{uuid.uuid4().hex[:8]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{fresh}"')
    try:
        yield f"postgres://{database['USER']}@{database['HOST']}:{database['PORT']}/{fresh}"
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')


def _backup_and_restore(document, tmp_path) -> dict:
    call_command("backup_portal", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    with fresh_database(tmp_path) as url:
        call_command(
            "restore_portal",
            str(tmp_path / "backup"),
            "--database-url",
            url,
            "--media-root",
            str(tmp_path / "restored"),
        )
        restored = environ.Env.db_url_config(url)
        if manifest["engine"] == "postgresql":
            with (
                psycopg2.connect(
                    dbname=restored["NAME"],
                    host=restored["HOST"],
                    port=restored["PORT"],
                    user=restored["USER"],
                ) as database,
                database.cursor() as cursor,
            ):
                counts = count_rows(cursor, manifest["counts"])
        else:
            counts = count_rows(sqlite3.connect(restored["NAME"]).cursor(), manifest["counts"])
    assert counts == manifest["counts"]
    assert counts["certification_registrationdocument"] == 1
    assert counts["units_unit"] == 5  # the world's units
    restored_file = tmp_path / "restored" / document.file.name
    assert restored_file.read_bytes() == document.file.open("rb").read()
    return manifest


# pg_dump and SQLite's backup read only committed rows: these tests commit (transaction=True).


@pytest.mark.django_db(transaction=True)
def test_backup_restores_into_a_fresh_database(portal_with_an_upload, tmp_path):
    _backup_and_restore(portal_with_an_upload, tmp_path)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_backup_restores_a_postgres_dump_into_a_fresh_database(portal_with_an_upload, tmp_path):
    manifest = _backup_and_restore(portal_with_an_upload, tmp_path)
    assert manifest["engine"] == "postgresql"
    assert (tmp_path / "backup" / "database.dump").stat().st_size > 0


def test_restore_refuses_counts_that_differ_from_the_manifest(tmp_path):
    (tmp_path / "backup").mkdir()
    empty = sqlite3.connect(tmp_path / "backup" / "database.sqlite3")
    empty.execute("CREATE TABLE units_unit (id integer)")
    empty.commit()
    (tmp_path / "backup" / MANIFEST).write_text(
        json.dumps({"engine": "sqlite", "counts": {"units_unit": 3}})
    )
    with tarfile.open(tmp_path / "backup" / "media.tar.gz", "w:gz"):
        pass
    with pytest.raises(RestoreMismatch, match="units_unit"):
        restore(
            tmp_path / "backup",
            database={"NAME": str(tmp_path / "restored.sqlite3")},
            media_root=tmp_path / "restored",
        )
