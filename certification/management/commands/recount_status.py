"""Rebuilds the status counters from the registrations and dossiers (or only compares them).

Run it after rows were written straight to the tables: the national generator, a restore.
"""

from django.core.management.base import BaseCommand, CommandError

from certification.models import StatusCount


class Command(BaseCommand):
    help = "Rebuilds the status counters from the registrations and dossiers."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the counters with a fresh count; fail if they differ.",
        )

    def handle(self, *args, check=False, **options):
        if check:
            fresh, held = StatusCount.objects.counted(), StatusCount.objects.held()
            wrong = sorted(
                key for key in fresh.keys() | held.keys() if fresh.get(key, 0) != held.get(key, 0)
            )
            for key in wrong[:20]:
                where = " ".join(str(part) for part in key)
                self.stdout.write(f"{where}: counted {fresh.get(key, 0)}, held {held.get(key, 0)}")
            if wrong:
                raise CommandError(f"{len(wrong)} status counters differ from a fresh count.")
            self.stdout.write(f"{len(fresh)} status counters match a fresh count.")
            return
        rows = StatusCount.objects.recount()
        self.stdout.write(f"{rows} status counters rebuilt.")
