"""Plans a national cycle's reminders and prints the time and the peak memory.

    .venv/bin/python bench/plan_reminders.py                  # 250,000 units, SQLite in var/
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antt_bench \
        .venv/bin/python bench/plan_reminders.py --units 250000

It builds the national registry of bench/national_units.py (34 provinces, 3,321 communes, the given
number of units) in a fresh database, gives every unit a representative and every commune and
province a reviewer, opens a national cycle, and then plans, as the daily sweep does:

1. the registration reminder 7 days before the deadline: one target per unit representative;
2. the same sweep again (idempotent: nothing new);
3. the escalation the day after the deadline: one target per unit, to its reviewer in charge;
4. the paging of the users to dispatch to, in chunks.

Peak memory is the growth of the process's resident memory during each step: it stays flat as the
number of units grows, because targets are planned chunk by chunk. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import threading
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

from national_units import _generate, _setup  # noqa: E402 (bench/ is not a package)


class _PeakRss:
    """Samples the process's resident memory while a step runs (Linux /proc), so the figure is
    the real peak growth without slowing the step down as tracemalloc would."""

    def __enter__(self):
        self.baseline = self.peak = _rss()
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._done.set()
        self._thread.join()

    def _sample(self):
        while not self._done.wait(0.02):
            self.peak = max(self.peak, _rss())

    @property
    def growth_mib(self) -> float:
        return (self.peak - self.baseline) / 2**20


def _rss() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _measure(label: str, function):
    with _PeakRss() as memory:
        start = time.perf_counter()
        result = function()
        elapsed = time.perf_counter() - start
    print(
        f"{label:<58} {elapsed:7.1f} s   peak RSS +{memory.growth_mib:6.1f} MiB "
        f"(of {memory.peak / 2**20:.0f})   → {result}"
    )
    return result


def _people(batch_size: int = 5000) -> None:
    """A representative for every unit, a reviewer for every commune and province."""
    from units.models import Area, Role, RoleAssignment, Unit, User

    unit_ids = list(Unit.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(unit_ids), batch_size):
        chunk = unit_ids[start : start + batch_size]
        users = User.objects.bulk_create(
            User(username=f"rep{unit_id}", email=f"rep{unit_id}@example.vn", password="!")
            for unit_id in chunk
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(user=user, role=Role.UNIT_REPRESENTATIVE, unit_id=unit_id)
            for user, unit_id in zip(users, chunk, strict=True)
        )
    areas = list(Area.objects.values_list("pk", "code"))
    reviewers = User.objects.bulk_create(
        User(username=f"ca.{code}", email=f"ca.{code}@example.vn", password="!")
        for _pk, code in areas
    )
    RoleAssignment.objects.bulk_create(
        RoleAssignment(user=user, role=Role.REVIEWER, area_id=pk)
        for user, (pk, _code) in zip(reviewers, areas, strict=True)
    )


def _analyze() -> None:
    """PostgreSQL plans by its statistics: refresh them after bulk loads, as autovacuum would on a
    live database (a table planned while its statistics say "empty" is scanned in full)."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=250_000)
    args = parser.parse_args()

    # With DEBUG on, Django keeps every query's SQL in memory: that would be measured too.
    os.environ["DEBUG"] = "0"
    os.environ.setdefault("SECRET_KEY", "bench-only-not-a-secret")
    _setup(BASE_DIR / "var" / "bench-reminders.sqlite3")
    from django.conf import settings
    from django.db import connection

    from certification.models import (
        Audience,
        CriteriaSet,
        CriteriaSetStatus,
        CycleCalendar,
        CycleStep,
        ExclusionRule,
        Reminder,
        ReminderRule,
    )
    from certification.services.cycles import create_cycle
    from certification.services.reminders import due_user_chunks, plan_reminders
    from units.models import UnitType

    start = time.perf_counter()
    sizes = _generate(args.units)
    _people()
    print(
        f"database: {connection.vendor}; {sizes} with their people in "
        f"{time.perf_counter() - start:.1f} s; chunk size {settings.REMINDER_CHUNK_SIZE}"
    )
    # The setup flushes the database, the criteria sets loaded by migration with it.
    criteria_set = CriteriaSet.objects.create(
        code="TT124-BENCH",
        title="Thông tư 124/2021/TT-BCA",
        legal_basis="Thông tư 124/2021/TT-BCA",
        effective_from=datetime.date(2022, 2, 10),
        exclusion_rule=ExclusionRule.CIRCULAR_124,
        status=CriteriaSetStatus.PUBLISHED,
    )
    cycle = create_cycle(year=2026, province=None, criteria_set=criteria_set, by=None)
    deadline = CycleCalendar.objects.get(
        cycle=cycle, unit_type=UnitType.RESIDENTIAL_AREA
    ).registration_closes_on
    ReminderRule.objects.all().delete()
    reminder = ReminderRule.objects.create(
        name="registration → representative",
        step=CycleStep.REGISTRATION,
        audience=Audience.UNIT_REPRESENTATIVE,
    )
    escalation = ReminderRule.objects.create(
        name="registration → supervisor",
        step=CycleStep.REGISTRATION,
        audience=Audience.SUPERVISOR,
    )
    before = deadline - datetime.timedelta(days=7)
    after = deadline + datetime.timedelta(days=1)
    _analyze()

    _measure(
        "plan: 7 days before, one target per representative",
        lambda: plan_reminders(today=before, rules=[reminder]),
    )
    rows = Reminder.objects.count()
    _analyze()
    _measure(
        "plan again the same day (idempotent)",
        lambda: plan_reminders(today=before, rules=[reminder]),
    )
    assert Reminder.objects.count() == rows, "a second sweep must plan nothing new"
    _analyze()
    _measure(
        "plan: the day after, escalated to the reviewer in charge",
        lambda: plan_reminders(today=after, rules=[escalation]),
    )
    _analyze()
    _measure(
        "page the users to dispatch to (chunks of user ids)",
        lambda: sum(len(chunk) for chunk in due_user_chunks(today=after)),
    )
    print(f"reminder rows: {Reminder.objects.count()}")


if __name__ == "__main__":
    main()
