"""Fills a PostgreSQL database with the whole country, in minutes, by COPY.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/antt_national \
        .venv/bin/python bench/generate_national.py                 # 34 provinces, 3,321 communes,
                                                                    # ~200,000 units, five cycles
    ... bench/generate_national.py --scale 0.01                    # a small country, seconds

The database named by DATABASE_URL is DROPPED and created again, migrated, then filled (the
criteria sets and default reminder rules come from the migrations). Rows are written straight
into the tables with COPY — not through the services, which would take hours — with the values
the services would have written, so every constraint holds and the pages read them as usual:

- 34 provinces and their communes; per commune its commune unit, residential areas, agencies,
  enterprises and schools (Vietnamese names, accents included, for the search);
- five national cycles (this year and the four before) with the circular's calendar;
- registrations with their audit events; dossiers with the stored review due date, per-criterion
  answers and document rows (the latest `--answer-years` cycles), transitions; the status
  counters, counted once at the end (`StatusCount.objects.recount()` and
  `UnitCount.objects.recount()`, as `recount_status`);
- for the past cycles: issued decisions (one per commune and one per province a year), yearly
  results, certificates, a few annulments; notifications and reminder logs.

Users, every one with the password given by --password (default `antt2026`):

| username | role | scope |
|---|---|---|
| `admin` | administrator | the whole country |
| `ca.p01` … `ca.p34` | reviewer | province 1 … 34 |
| `ubnd.p01` … | decision maker | province |
| `qs.p01` … | observer | province |
| `ca.x00001` … | reviewer | commune 1 … (in path order) |
| `ubnd.x00001` … | decision maker | commune |
| `dv.u0000001` … | unit representative | every 10th unit (`U0000001`, `U0000011`, …) |

Not part of the test suite; `tests/bench/test_generate_national.py` runs a tiny scale of it.
"""

from __future__ import annotations

import argparse
import datetime
import hashlib
import io
import json
import os
import sys
import time
from collections.abc import Iterable
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

PROVINCES = [
    "Thành phố Hà Nội", "Thành phố Huế", "Tỉnh Lai Châu", "Tỉnh Điện Biên", "Tỉnh Sơn La",
    "Tỉnh Lạng Sơn", "Tỉnh Quảng Ninh", "Tỉnh Thanh Hóa", "Tỉnh Nghệ An", "Tỉnh Hà Tĩnh",
    "Tỉnh Cao Bằng", "Tỉnh Tuyên Quang", "Tỉnh Lào Cai", "Tỉnh Thái Nguyên", "Tỉnh Phú Thọ",
    "Tỉnh Bắc Ninh", "Tỉnh Hưng Yên", "Thành phố Hải Phòng", "Tỉnh Ninh Bình",
    "Tỉnh Quảng Trị", "Thành phố Đà Nẵng", "Tỉnh Quảng Ngãi", "Tỉnh Gia Lai",
    "Tỉnh Khánh Hòa", "Tỉnh Lâm Đồng", "Tỉnh Đắk Lắk", "Thành phố Hồ Chí Minh",
    "Tỉnh Đồng Nai", "Tỉnh Tây Ninh", "Thành phố Cần Thơ", "Tỉnh Vĩnh Long",
    "Tỉnh Đồng Tháp", "Tỉnh Cà Mau", "Tỉnh An Giang",
]  # fmt: skip
SYLLABLES = [
    "An", "Bình", "Phú", "Hòa", "Tân", "Long", "Thạnh", "Đông", "Tây", "Nam", "Bắc", "Mỹ",
    "Hưng", "Thuận", "Phước", "Khánh", "Hải", "Sơn", "Trà", "Vĩnh", "Đức", "Cẩm", "Quảng",
    "Hiệp", "Lộc", "Thành", "Xuân", "Trung", "Ngọc", "Hương",
]  # fmt: skip
RESIDENTIAL = [
    ("to_dan_pho", "Tổ dân phố"), ("khu_pho", "Khu phố"), ("thon", "Thôn"), ("ap", "Ấp"),
    ("khom", "Khóm"), ("xom", "Xóm"), ("ban", "Bản"), ("lang", "Làng"),
]  # fmt: skip
AGENCIES = ["Trạm Y tế", "Bưu điện", "Chi cục Thuế", "Kho bạc Nhà nước", "Trung tâm Văn hóa"]
SCHOOLS = [
    ("preschool", "Trường Mầm non"), ("primary", "Trường Tiểu học"),
    ("lower_secondary", "Trường THCS"), ("upper_secondary", "Trường THPT"),
]  # fmt: skip
ENTERPRISE_SIZES = ["micro", "small", "medium"]


def _mix(*parts) -> int:
    """A stable pseudo-random number from the parts (the same data on every run)."""
    digest = hashlib.blake2b(repr(parts).encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def _place(n: int) -> str:
    return f"{SYLLABLES[n % len(SYLLABLES)]} {SYLLABLES[(n // len(SYLLABLES)) % len(SYLLABLES)]}"


# --- COPY ------------------------------------------------------------------------------------


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    value = str(value)
    if "\\" in value or "\t" in value or "\n" in value or "\r" in value:
        value = (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    return value


def _defaults_beside(model, columns: list[str]) -> dict:
    """The model's NOT NULL columns with a default that the caller does not write: COPY gets no
    database default from Django, so a field added later would otherwise break the generator."""
    defaults = {}
    for field in model._meta.concrete_fields:
        if field.column in columns or field.null or field.primary_key or field.generated:
            continue  # a generated column (a unit's search name) is the database's to write
        if field.has_default():
            defaults[field.column] = field.get_default()
        elif field.empty_strings_allowed:
            defaults[field.column] = ""  # e.g. an audit row's action: filled in after the COPY
    return defaults


class Copier:
    """Streams rows into a table with COPY, in chunks; counts what it wrote."""

    CHUNK = 50_000

    def __init__(self, connection):
        self.connection = connection
        self.counts: dict[str, int] = {}

    def copy(self, model, columns: list[str], rows: Iterable[tuple]) -> int:
        table = model._meta.db_table
        defaults = _defaults_beside(model, columns)
        columns = [*columns, *defaults]
        tail = tuple(defaults.values())
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        written, buffer = 0, io.StringIO()
        with self.connection.cursor() as cursor:
            raw = cursor.cursor
            for row in rows:
                buffer.write("\t".join(_text(value) for value in (*row, *tail)))
                buffer.write("\n")
                written += 1
                if written % self.CHUNK == 0:
                    buffer.seek(0)
                    raw.copy_expert(sql, buffer)
                    buffer = io.StringIO()
            buffer.seek(0)
            raw.copy_expert(sql, buffer)
        self.counts[table] = self.counts.get(table, 0) + written
        return written


# --- the database ----------------------------------------------------------------------------


def recreate_database(url: str) -> None:
    import environ
    import psycopg2

    config = environ.Env.db_url_config(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        raise SystemExit("generate_national needs PostgreSQL: DATABASE_URL=postgres://…")
    admin = psycopg2.connect(
        dbname="postgres",
        user=config.get("USER") or None,
        password=config.get("PASSWORD") or None,
        host=config.get("HOST") or None,
        port=config.get("PORT") or None,
    )
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{config["NAME"]}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{config["NAME"]}"')
    admin.close()


def generate(
    *, scale: float, answer_years: int, password: str, this_year: int, analyse: bool = True
) -> dict:
    """Fills the (migrated, empty) database; returns the row count per table."""
    from django.contrib.auth.hashers import make_password
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django.utils import timezone

    from certification import models as cm
    from certification.services.cycles import default_calendar
    from units import models as um

    copier = Copier(connection)
    communes_total = max(2, round(3321 * scale))
    province_total = min(34, communes_total)
    unit_total = max(communes_total * 4, round(200_000 * scale))
    now = timezone.now()
    years = list(range(this_year - 4, this_year + 1))

    with transaction.atomic():
        # Django's foreign keys are DEFERRABLE INITIALLY DEFERRED: millions of deferred checks
        # would all queue up for the COMMIT. Checked row by row instead.
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        # Areas: treebeard's materialised path, a fixed-width step per level.
        step = um.Area._get_path
        areas, communes = [], []  # communes: (id, path, name, province index)
        per_province = [
            communes_total // province_total + (p < communes_total % province_total)
            for p in range(province_total)
        ]
        next_id = 1
        province_rows = []
        for p in range(province_total):
            path = step(None, 1, p + 1)
            name = PROVINCES[p]
            kind = "thanh_pho_tw" if name.startswith("Thành phố") else "tinh"
            province_rows.append((next_id, path, name))
            areas.append(
                (next_id, path, 1, per_province[p], f"P{p + 1:02d}", name, "province", kind)
            )
            next_id += 1
        for p, count in enumerate(per_province):
            province_path = province_rows[p][1]
            for c in range(count):
                path = step(province_path, 2, c + 1)
                ward = _mix("ward", p, c) % 4 == 0
                name = f"{'Phường' if ward else 'Xã'} {_place(_mix('commune', p, c))}"
                areas.append(
                    (next_id, path, 2, 0, f"X{p + 1:02d}{c + 1:04d}", name, "commune",
                     "phuong" if ward else "xa")
                )  # fmt: skip
                communes.append((next_id, path, name, p))
                next_id += 1
        copier.copy(
            um.Area,
            ["id", "path", "depth", "numchild", "code", "name", "level", "kind"],
            areas,
        )

        # Units: per commune its commune unit, then the others spread over the communes.
        units = []  # (id, code, name, type, managing_level, commune index)
        for index, (_, _, name, _) in enumerate(communes):
            units.append((len(units) + 1, name, "commune", "province", index, "", "", ""))
        others = unit_total - len(units)
        for n in range(others):
            index = n % len(communes)
            roll = _mix("unit", n) % 100
            place = _place(_mix("place", n))
            subtype = size = level = ""
            managing = "commune"
            if roll < 75:
                subtype, label = RESIDENTIAL[_mix("sub", n) % len(RESIDENTIAL)]
                name = f"{label} {n % 37 + 1}" if roll % 2 else f"{label} {place}"
                unit_type = "residential_area"
            elif roll < 85:
                name = f"{AGENCIES[roll % len(AGENCIES)]} {place}"
                unit_type = "agency"
                managing = "province" if roll % 3 == 0 else "commune"
            elif roll < 92:
                name = f"Công ty TNHH {place} {n % 97 + 1}"
                unit_type, size = "enterprise", ENTERPRISE_SIZES[roll % 3]
                managing = "province" if roll % 3 == 0 else "commune"
            else:
                level, label = SCHOOLS[roll % len(SCHOOLS)]
                name = f"{label} {place}"
                unit_type = "school"
                managing = "province" if level == "upper_secondary" else "commune"
            units.append((len(units) + 1, name, unit_type, managing, index, subtype, size, level))
        copier.copy(
            um.Unit,
            ["id", "code", "name", "unit_type", "residential_subtype", "enterprise_size",
             "school_level", "is_armed_forces", "area_id", "managing_level", "address",
             "contact_email", "contact_phone"],
            (
                (uid, f"U{uid:07d}", name, unit_type, subtype, size, level, False,
                 communes[index][0], managing, "", "", "")
                for uid, name, unit_type, managing, index, subtype, size, level in units
            ),
        )  # fmt: skip

        # Users and their roles.
        hashed = make_password(password)
        users, roles = [], []

        def user(username, first, last, *, staff=False, email=""):
            uid = len(users) + 1
            users.append((uid, hashed, staff, username, first, last, email, staff, True, now, ""))
            return uid

        admin = user("admin", "Quản trị", "Hệ thống", staff=True, email="admin@example.vn")
        roles.append((admin, "administrator", None, None, now))
        for index, (area_id, _, name) in enumerate(province_rows, start=1):
            for prefix, role in (("ca", "reviewer"), ("ubnd", "decision_maker"),
                                 ("qs", "observer")):  # fmt: skip
                uid = user(f"{prefix}.p{index:02d}", prefix.upper(), name)
                roles.append((uid, role, area_id, None, now))
        for index, (area_id, _, name, _) in enumerate(communes, start=1):
            for prefix, role in (("ca", "reviewer"), ("ubnd", "decision_maker")):
                uid = user(f"{prefix}.x{index:05d}", prefix.upper(), name)
                roles.append((uid, role, area_id, None, now))
        representative_of = {}
        for uid_unit, *_ in units[::10]:
            uid = user(f"dv.u{uid_unit:07d}", "Đại diện", f"U{uid_unit:07d}",
                       email=f"dv.u{uid_unit:07d}@example.vn")  # fmt: skip
            representative_of[uid_unit] = uid
            roles.append((uid, "unit_representative", None, uid_unit, now))
        copier.copy(
            um.User,
            ["id", "password", "is_superuser", "username", "first_name", "last_name", "email",
             "is_staff", "is_active", "date_joined", "phone"],
            users,
        )  # fmt: skip
        copier.copy(um.RoleAssignment, ["user_id", "role", "area_id", "unit_id", "granted_at"],
                    roles)  # fmt: skip

        # Cycles and their calendars (national cycles, the current criteria set).
        criteria_set = cm.CriteriaSet.objects.get(code="TT124-2021", version=1)
        criteria = {}
        for criterion in cm.Criterion.objects.filter(criteria_set=criteria_set):
            criteria.setdefault(criterion.unit_type, []).append(criterion.pk)
        cycles, calendars = {}, {}
        calendar_rows = []
        for cycle_id, year in enumerate(years, start=1):
            cycles[year] = cycle_id
            for unit_type in um.UnitType.values:
                dates = default_calendar(year, unit_type)
                calendars[(year, unit_type)] = dates
                calendar_rows.append((cycle_id, unit_type, *dates.values()))
        copier.copy(
            cm.Cycle,
            ["id", "year", "province_id", "criteria_set_id", "grace_days", "receipt_counter",
             "created_at"],
            [(cycles[y], y, None, criteria_set.pk, 0, 0, now) for y in years],
        )  # fmt: skip
        copier.copy(
            cm.CycleCalendar,
            ["cycle_id", "unit_type", *default_calendar(this_year, "school").keys()],
            calendar_rows,
        )

        _fill_cycles(copier, units, communes, province_rows, cycles, calendars, criteria,
                     representative_of, years, answer_years, now)  # fmt: skip

        with connection.cursor() as cursor:
            models = [um.Area, um.Unit, um.User, um.RoleAssignment]
            models += [model for model in cm.__dict__.values() if hasattr(model, "_meta")]
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
        # COPY bypasses the services that keep the counters: count them once here.
        copier.counts[cm.StatusCount._meta.db_table] = cm.StatusCount.objects.recount()
        copier.counts[um.UnitCount._meta.db_table] = um.UnitCount.objects.recount()
    if analyse:  # fresh statistics and visibility map (index-only scans); outside a transaction
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return copier.counts


def _fill_cycles(copier, units, communes, province_rows, cycles, calendars, criteria,
                 representative_of, years, answer_years, now) -> None:  # fmt: skip
    from importlib import import_module

    from django.apps import apps as django_apps

    from certification import models as cm

    this_year = years[-1]
    registrations, reg_events, dossiers, answers, documents, transitions = [], [], [], [], [], []
    results, entries, certificates, decisions, counters, decision_events = [], [], [], [], [], []
    annulments = []
    reg_id = dossier_id = 0
    # (year, issuing area id) -> [dossier rows] for the decisions of the past years.
    to_decide: dict[tuple[int, int], list] = {}
    # The commune unit of each province's first commune has its dossier this year waiting for
    # the provincial police, at every scale: the pages a provincial reviewer opens (the queue,
    # a commune's dossier with its panel) then ask the same queries on a small country.
    first_communes = {}
    for index, commune in enumerate(communes):
        first_communes.setdefault(commune[3], index)
    waiting_for_province = set(first_communes.values())
    for year in years:
        current = year == this_year
        cycle_id = cycles[year]
        at = datetime.datetime(year, 3, 15, 9, tzinfo=datetime.UTC)
        for uid, name, unit_type, managing, index, *_ in units:
            shown = current and unit_type == "commune" and index in waiting_for_province
            roll = 0 if shown else _mix("reg", year, uid) % 100
            if roll >= 92:
                continue  # did not register this year
            reg_id += 1
            if current:
                status = ("acknowledged" if roll < 78 else "submitted" if roll < 86
                          else "returned" if roll < 89 else "draft")  # fmt: skip
            else:
                status = "acknowledged"
            sent = status != "draft"
            households = (
                (120 + roll, 100 + roll) if unit_type == "residential_area" else (None, None)
            )
            staff = (40, 38) if unit_type in ("agency", "enterprise") else (None, None)
            students = (600, 590) if unit_type == "school" else (None, None)
            area_id = communes[index][0]  # the unit's area, stored on its rows too
            registrations.append((
                reg_id, cycle_id, uid, area_id, status, at.date() if sent else None,
                "Nguyễn Văn A", "Trưởng ban", "Cam kết thực hiện", *households, *staff, *students,
                f"{year}-{reg_id:08d}" if status in ("acknowledged", "submitted") else None,
                at if sent else None, at, at,
            ))  # fmt: skip
            if sent:
                reg_events.append((reg_id, "submitted", "draft", "submitted", None, at, ""))
            if status == "acknowledged":
                reg_events.append(
                    (reg_id, "acknowledged", "submitted", "acknowledged", None, at, "")
                )
            if status != "acknowledged":
                continue
            # The dossier.
            roll = 30 if shown else _mix("dossier", year, uid) % 100
            if current:
                status = ("draft" if roll < 30 else "submitted" if roll < 55
                          else "appraised" if roll < 65 else "returned" if roll < 75
                          else "recommended" if roll < 95 else "not_recommended")  # fmt: skip
            else:
                status = ("recommended" if roll < 88 else "not_recommended" if roll < 95
                          else "returned")  # fmt: skip
            if status == "appraised" and managing == "commune":
                status = "submitted"  # only province-managed bodies go up a level
            if status == "submitted":
                level = "province" if unit_type == "commune" else "commune"
            else:
                level = "province" if status == "appraised" else ""
            dossier_id += 1
            submitted_at = datetime.datetime(year, 11, 1 + roll % 20, 8, tzinfo=datetime.UTC)
            submitted = status != "draft"
            decided = status in ("recommended", "not_recommended")
            due = calendars[(year, unit_type)]["review_due_on"]
            dossiers.append((
                dossier_id, reg_id, cycle_id, uid, area_id, status, 1 + (status == "returned"),
                level, "", submitted_at if submitted else None, submitted_at if decided else None,
                due, submitted_at, submitted_at,
            ))  # fmt: skip
            if submitted:
                transitions.append(
                    (dossier_id, "draft", "submitted", "", 1, None, submitted_at, "")
                )
            if status in ("appraised", "recommended", "not_recommended", "returned"):
                reason = "Thiếu biên bản họp" if status in ("returned", "not_recommended") else ""
                transitions.append(
                    (dossier_id, "submitted", status, "commune", 1, None, submitted_at, reason)
                )
            if year > this_year - answer_years:
                for criterion_id in criteria.get(unit_type, ()):
                    met = _mix("answer", dossier_id, criterion_id) % 10 != 0
                    answers.append((dossier_id, criterion_id, "met" if met else "not_met"))
                if submitted:
                    for kind in ("proposal", "report", "minutes"):
                        documents.append((
                            dossier_id, kind, None, f"dossiers/{year}/{uid}/{kind}{dossier_id}.pdf",
                            f"{kind}.pdf", "application/pdf", 48_213, None, submitted_at,
                        ))  # fmt: skip
            if not current and decided:
                commune_id = communes[index][0]
                issuer = (
                    commune_id
                    if managing == "commune" and unit_type != "commune"
                    else (province_rows[communes[index][3]][0])
                )
                to_decide.setdefault((year, issuer), []).append(
                    (dossier_id, uid, name, communes[index][2], status, commune_id)
                )
    copier.copy(
        cm.Registration,
        ["id", "cycle_id", "unit_id", "area_id", "status", "registered_on", "signer_name",
         "signer_title", "commitment", "households_resident", "households_registered",
         "staff_total", "staff_pledged", "students_total", "students_pledged", "receipt_code",
         "submitted_at", "created_at", "updated_at"],
        registrations,
    )  # fmt: skip
    copier.copy(
        cm.RegistrationEvent,
        ["registration_id", "action", "from_status", "to_status", "by_id", "at", "reason"],
        reg_events,
    )
    del registrations, reg_events
    copier.copy(
        cm.Assessment,
        ["id", "registration_id", "cycle_id", "unit_id", "area_id", "status", "round",
         "awaiting_level", "meeting_chair", "submitted_at", "decided_at", "review_due_on",
         "created_at", "updated_at", "summary"],
        ((*row, "") for row in dossiers),
    )  # fmt: skip
    del dossiers
    copier.copy(
        cm.AssessmentAnswer,
        ["assessment_id", "criterion_id", "answer", "note", "note_copied", "figures", "items",
         "updated_at"],
        ((a, c, v, "", False, {}, {}, now) for a, c, v in answers),
    )  # fmt: skip
    del answers
    copier.copy(
        cm.AssessmentDocument,
        ["assessment_id", "kind", "criterion_id", "file", "original_name", "content_type", "size",
         "uploaded_by_id", "uploaded_at"],
        documents,
    )  # fmt: skip
    copier.copy(
        cm.AssessmentTransition,
        ["assessment_id", "from_status", "to_status", "level", "round", "by_id", "at", "reason"],
        transitions,
    )
    # Decisions of the past years: one per issuing body and year, numbered from 1.
    entry_id = result_id = 0
    sequences: dict[tuple[int, int], int] = {}
    for decision_id, ((year, issuer), rows) in enumerate(sorted(to_decide.items()), start=1):
        decided_on = datetime.date(year, 12, 20)
        issued_at = datetime.datetime(year, 12, 20, 10, tzinfo=datetime.UTC)
        sequence = sequences[(year, issuer)] = sequences.get((year, issuer), 0) + 1
        decisions.append((
            decision_id, cycles[year], issuer, "Ủy ban nhân dân", "", decided_on, "Trần Văn B",
            "Chủ tịch", "issued", sequence, year, f"{sequence}/QĐ-UBND", None, None, issued_at,
            issued_at, issued_at,
        ))  # fmt: skip
        decision_events.append((decision_id, "issued", None, None, issued_at, ""))
        certificate_number = 0
        for dossier, uid, name, area_name, status, unit_area_id in rows:
            recognised = status == "recommended"
            entry_id += 1
            result_id += 1
            result = "recognised" if recognised else "not_recognised"
            reason = "" if recognised else "Không đạt tiêu chí 2"
            results.append((result_id, cycles[year], uid, result, decided_on, ""))
            entries.append((entry_id, decision_id, dossier, uid, result, reason, name, area_name,
                            result_id))  # fmt: skip
            if recognised:
                certificate_number += 1
                token = hashlib.blake2b(f"{year}/{uid}".encode(), digest_size=16).hexdigest()
                certificates.append((
                    entry_id, entry_id, uid, year, f"ANTT-{year}-{issuer}-{certificate_number:05d}",
                    token, name, area_name, decided_on, issued_at, unit_area_id,
                ))  # fmt: skip
                if _mix("annul", entry_id) % 1000 == 0:
                    annulled_on = decided_on + datetime.timedelta(days=90)
                    annulments.append(
                        (entry_id, annulled_on, "QĐ thu hồi", "Vi phạm", None, issued_at)
                    )
        counters.append((issuer, year, sequence, certificate_number))
    copier.copy(
        cm.Decision,
        ["id", "cycle_id", "issuing_area_id", "issuing_body", "place", "decided_on",
         "signer_name", "signer_title", "status", "sequence", "number_year", "number",
         "prepared_by_id", "issued_by_id", "issued_at", "created_at", "updated_at"],
        decisions,
    )  # fmt: skip
    copier.copy(cm.DecisionEvent, ["decision_id", "action", "certificate_id", "by_id", "at",
                                   "reason"], decision_events)  # fmt: skip
    # The audit rows' action, states and level, read from their data as migration 0041 does.
    import_module("certification.migrations.0041_one_audit_row_shape").fill_in(django_apps, None)
    copier.copy(cm.YearlyResult, ["id", "cycle_id", "unit_id", "result", "decided_on", "note"],
                results)  # fmt: skip
    copier.copy(
        cm.DecisionEntry,
        ["id", "decision_id", "assessment_id", "unit_id", "result", "reason", "unit_name",
         "area_name", "yearly_result_id"],
        entries,
    )  # fmt: skip
    copier.copy(
        cm.Certificate,
        ["id", "entry_id", "unit_id", "year", "number", "token", "unit_name", "area_name",
         "issued_on", "created_at", "unit_area_id"],
        certificates,
    )  # fmt: skip
    copier.copy(cm.Annulment, ["certificate_id", "annulled_on", "reference", "reason", "by_id",
                               "recorded_at"], annulments)  # fmt: skip
    copier.copy(
        cm.DecisionCounter,
        ["issuing_area_id", "year", "last_decision_number", "last_certificate_number"],
        counters,
    )
    # Notifications and the reminder log of this year's dossier step.
    rule = cm.ReminderRule.objects.get(step="dossier", audience="unit_representative")
    due_on = calendars[(this_year, "residential_area")]["dossier_due_on"]
    notifications, reminders = [], []
    for unit_id, user_id in representative_of.items():
        for offset in (14, 7):
            send_on = due_on - datetime.timedelta(days=offset)
            reminders.append((rule.pk, cycles[this_year], offset, user_id, unit_id, due_on,
                              send_on, "sent", "in_app", now, now))  # fmt: skip
            notifications.append((user_id, "reminder", f"Còn {offset} ngày: hạn nộp hồ sơ",
                                   f"Hạn nộp hồ sơ năm {this_year} là {due_on}.",
                                   "/certification/", now, None))  # fmt: skip
    copier.copy(
        cm.Reminder,
        ["rule_id", "cycle_id", "offset_days", "user_id", "unit_id", "due_on", "send_on",
         "status", "channel", "created_at", "sent_at"],
        reminders,
    )  # fmt: skip
    copier.copy(
        cm.Notification,
        ["user_id", "event", "subject", "message", "url", "created_at", "read_at"],
        notifications,
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0,
                        help="1 = the whole country (3,321 communes, ~200,000 units)")  # fmt: skip
    parser.add_argument("--answer-years", type=int, default=2,
                        help="latest cycles whose dossiers get answers and documents")  # fmt: skip
    parser.add_argument("--password", default="antt2026")
    parser.add_argument("--keep-database", action="store_true",
                        help="fill the database as it is (already migrated and empty)")  # fmt: skip
    args = parser.parse_args(argv)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "antt_portal.settings")
    os.environ.setdefault("DEBUG", "1")
    url = os.environ.get("DATABASE_URL", "")
    if not args.keep_database:
        recreate_database(url)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    start = time.perf_counter()
    if not args.keep_database:
        call_command("migrate", verbosity=0)
    migrated = time.perf_counter()
    counts = generate(
        scale=args.scale,
        answer_years=args.answer_years,
        password=args.password,
        this_year=timezone.localdate().year,
    )
    done = time.perf_counter()
    for table, count in counts.items():
        print(f"{table:<40} {count:>10,}")
    print(f"migrated in {migrated - start:.0f} s, filled in {done - migrated:.0f} s")
    return counts


if __name__ == "__main__":
    main()
