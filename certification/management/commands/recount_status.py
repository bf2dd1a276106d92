"""Rebuilds the counters from the tables (or only compares them): the status counters
(registrations, dossiers, yearly results per area) and the unit counters (units per area and type).

Run it after rows were written straight to the tables: the national generator, a restore.
"""

from django.core.management.base import BaseCommand, CommandError

from certification.models import StatusCount
from units.models import UnitCount

COUNTERS = (("status", StatusCount), ("unit", UnitCount))


class Command(BaseCommand):
    help = "Rebuilds the status and unit counters from the tables."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check",
            action="store_true",
            help="Only compare the counters with a fresh count; fail if they differ.",
        )

    def handle(self, *args, check=False, **options):
        if not check:
            for name, model in COUNTERS:
                rows = model.objects.recount()
                self.stdout.write(f"{rows} {name} counters rebuilt.")
            return
        failed = []
        for name, model in COUNTERS:
            wrong = model.objects.differences()
            for key, fresh, held in wrong[:20]:
                where = " ".join(str(part) for part in key)
                self.stdout.write(f"{name} {where}: counted {fresh}, held {held}")
            if wrong:
                failed.append(f"{len(wrong)} {name} counters differ from a fresh count.")
            else:
                self.stdout.write(f"The {name} counters match a fresh count.")
        if failed:
            raise CommandError(" ".join(failed))
