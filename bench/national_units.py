"""National-scale figures for the units registry: generate, then time the hot queries.

    DEBUG=1 .venv/bin/python bench/national_units.py            # 250,000 units, SQLite in var/
    DEBUG=1 DATABASE_URL=postgres://postgres@127.0.0.1:5432/antt_bench \
        .venv/bin/python bench/national_units.py --units 250000

It builds 34 provinces, 3,321 communes and the given number of units (a fresh database each run:
the SQLite file is recreated; a PostgreSQL database must exist and is emptied), then prints the
time of the queries every page depends on: a subtree count, a reviewer's first page of units,
the jurisdiction filter for a unit representative, and the unit list page through the test client
with its number of queries. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def _setup(database_file: Path) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antt_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    if "DATABASE_URL" not in os.environ:
        database_file.parent.mkdir(parents=True, exist_ok=True)
        database_file.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database_file}"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)


def _generate(unit_count: int, *, provinces: int = 34, communes: int = 3321) -> dict:
    from units.models import Area, AreaKind, AreaLevel, ManagingLevel, Unit, UnitType

    step = Area._get_path  # treebeard's path builder: path = parent path + a fixed-width step
    areas = [
        Area(
            path=step(None, 1, p + 1),
            depth=1,
            numchild=0,
            code=f"P{p:02d}",
            name=f"Tỉnh {p}",
            level=AreaLevel.PROVINCE,
            kind=AreaKind.TINH,
        )
        for p in range(provinces)
    ]
    per_province = [
        communes // provinces + (1 if p < communes % provinces else 0) for p in range(provinces)
    ]
    for p, count in enumerate(per_province):
        areas[p].numchild = count
        for c in range(count):
            areas.append(
                Area(
                    path=step(areas[p].path, 2, c + 1),
                    depth=2,
                    numchild=0,
                    code=f"C{p:02d}{c:04d}",
                    name=f"Xã {p}-{c}",
                    level=AreaLevel.COMMUNE,
                    kind=AreaKind.XA,
                )
            )
    Area.objects.bulk_create(areas, batch_size=2000)
    commune_ids = list(Area.objects.filter(depth=2).order_by("path").values_list("pk", flat=True))
    batch = []
    for n in range(unit_count):
        batch.append(
            Unit(
                code=f"U{n:07d}",
                name=f"Khu dân cư {n}",
                unit_type=UnitType.RESIDENTIAL_AREA if n % 3 else UnitType.AGENCY,
                residential_subtype="ap" if n % 3 else "",
                area_id=commune_ids[n % len(commune_ids)],
                managing_level=ManagingLevel.COMMUNE,
            )
        )
        if len(batch) == 5000:
            Unit.objects.bulk_create(batch)
            batch = []
    Unit.objects.bulk_create(batch)
    return {"provinces": provinces, "communes": len(commune_ids), "units": unit_count}


def _timed(label: str, function, repeat: int = 5) -> None:
    timings = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        timings.append((time.perf_counter() - start) * 1000)
    print(f"{label:<58} median {statistics.median(timings):8.1f} ms   (result: {result})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=250_000)
    args = parser.parse_args()

    _setup(BASE_DIR / "var" / "bench-national.sqlite3")
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from units.models import Area, Role, Unit
    from units.services import grant_role

    tracemalloc.start()
    start = time.perf_counter()
    sizes = _generate(args.units)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(
        f"database: {connection.vendor}; generated {sizes} in {time.perf_counter() - start:.1f} s, "
        f"peak Python memory {peak / 2**20:.0f} MiB"
    )

    from units.models import User

    province = Area.objects.get(code="P07")
    commune = Area.objects.get(code="C070003")
    reviewer = User.objects.create_user("bench.reviewer", password="x")
    grant_role(reviewer, Role.REVIEWER, area=province, by=None)
    representative = User.objects.create_user("bench.rep", password="x")
    grant_role(representative, Role.UNIT_REPRESENTATIVE, unit=Unit.objects.first(), by=None)

    _timed(
        "count of units under one province (within)", lambda: Unit.objects.within(province).count()
    )
    _timed(
        "count of units under one commune (within)", lambda: Unit.objects.within(commune).count()
    )
    _timed(
        "reviewer: first page of 50 visible units, with areas",
        lambda: len(list(Unit.objects.visible_to(reviewer).select_related("area")[:50])),
    )
    _timed(
        "representative: visible units",
        lambda: len(list(Unit.objects.visible_to(representative))),
    )
    client = Client()
    client.force_login(reviewer)

    def unit_list_page():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/units/", {"active": "yes"})
        assert response.status_code == 200, response.status_code
        return f"{len(queries)} queries"

    _timed("unit list page (reviewer of a province, active filter)", unit_list_page)


if __name__ == "__main__":
    main()
