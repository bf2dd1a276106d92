"""python manage.py restore_portal FOLDER --database-url postgres://… --media-root /srv/media"""

from pathlib import Path

import environ
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from units.backup import RestoreMismatch, restore


class Command(BaseCommand):
    help = (
        "Restore a backup_portal folder into an EMPTY database and a media folder, then check "
        "every table's row count against the backup's manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder", type=Path)
        parser.add_argument(
            "--database-url", required=True, help="the empty database to restore into"
        )
        parser.add_argument("--media-root", type=Path, default=Path(settings.MEDIA_ROOT))

    def handle(self, *args, folder: Path, database_url: str, media_root: Path, **options):
        database = environ.Env.db_url_config(database_url)
        try:
            counts = restore(folder, database=database, media_root=media_root)
        except RestoreMismatch as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Restored {sum(counts.values())} rows in {len(counts)} tables; counts match."
        )
