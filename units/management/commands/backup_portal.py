"""python manage.py backup_portal /srv/backups/antt-2026-12-02 — database, files and manifest."""

from pathlib import Path

from django.core.management.base import BaseCommand

from units.backup import backup


class Command(BaseCommand):
    help = "Back up the database and the uploaded files into a folder (see docs/deployment.md)."

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)

    def handle(self, *args, folder: Path, **options):
        manifest = backup(folder)
        rows = sum(manifest["counts"].values())
        self.stdout.write(f"Backed up {rows} rows in {len(manifest['counts'])} tables to {folder}")
