"""Settings come from the environment, with safe refusals in production."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.db import connection

from tests.production import STRONG_KEY, start_django


def test_production_refuses_to_start_without_secret_key():
    result = start_django(DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY must be set when DEBUG is off" in result.stderr


def test_production_starts_with_a_secret_key():
    result = start_django(DEBUG="0", SECRET_KEY=STRONG_KEY)
    assert (result.returncode, result.stdout.strip()) == (0, "ready")


def test_defaults_are_vietnamese_in_ho_chi_minh_time():
    assert (settings.LANGUAGE_CODE, settings.TIME_ZONE) == ("vi", "Asia/Ho_Chi_Minh")


def test_dates_are_shown_day_month_year():
    import datetime

    from django.utils import translation
    from django.utils.formats import date_format

    with translation.override("vi"):
        assert date_format(datetime.date(2026, 3, 31), "SHORT_DATE_FORMAT") == "31/03/2026"
        assert date_format(datetime.date(2026, 3, 31)) == "31/03/2026"


@pytest.mark.postgres
@pytest.mark.django_db
def test_area_subtree_query_uses_the_path_index_on_postgres():
    from units.models import Area

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = (
            Area.objects.filter(path__startswith="0001").only("pk").query.sql_with_params()
        )
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "units_area_path" in plan
    assert "Seq Scan" not in plan


def test_manage_py_works_for_a_developer_without_any_environment():
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}}
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert (result.returncode, result.stdout.strip()) == (
        0,
        "System check identified no issues (0 silenced).",
    )
