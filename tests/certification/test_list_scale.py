"""The list pages at national scale by design: constant queries, bounded counts, scoped defaults.

Each list is asked for with 1 and with 20 rows; the number of queries must not move. Rows are
written straight with the ORM and then counted again (`recount`) for the status counters, as the
national generator does (these are read paths; the workflow has its own tests).
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentStatus,
    Registration,
    RegistrationStatus,
    StatusCount,
)
from certification.services.cycles import create_cycle
from tests.factories import UnitFactory, published_criteria_set
from units import pagination
from units.models import Unit
from units.pagination import BoundedPaginator

THIS_YEAR = timezone.localdate().year


@pytest.fixture
def cycles(world):
    criteria_set = published_criteria_set()
    return {
        year: create_cycle(year=year, province=None, criteria_set=criteria_set, by=None)
        for year in (THIS_YEAR - 1, THIS_YEAR)
    }


def dossiers(world, cycle, count, awaiting_level="commune"):
    """`count` submitted dossiers of residential areas under Phường Trà Vinh."""
    units = [world.khom_1, *UnitFactory.create_batch(count - 1, area=world.phuong_1)]
    calendar = cycle.calendars.get(unit_type=world.khom_1.unit_type)
    made = []
    for unit in units:
        registration = Registration.objects.create(
            cycle=cycle, unit=unit, area=unit.area, status=RegistrationStatus.ACKNOWLEDGED
        )
        made.append(
            Assessment.objects.create(
                registration=registration,
                cycle=cycle,
                unit=unit,
                area=unit.area,
                status=AssessmentStatus.SUBMITTED,
                awaiting_level=awaiting_level,
                submitted_at=timezone.now(),
                review_due_on=calendar.review_due_on,
            )
        )
    # Written straight to the tables, as the national generator does: count them again.
    StatusCount.objects.recount()
    return made


PAGES = {
    # name: (url, user attribute on world.users, queries)
    # session, user, roles, current year, its cycles (filter), paginator count, its cycles
    # (counters), counts (per status, overdue; no "waiting" for an administrator), area
    # choices, page
    "dossier queue": ("certification:dossier-queue", "administrator", 11),
    # session, user, roles, current year, its cycles, area choices, count, page
    "registrations": ("certification:registration-list", "administrator", 8),
    # session, user, filter choices (cycle years), count, page: no count of the whole table
    "admin dossiers": ("admin:certification_assessment_changelist", "administrator", 5),
    "admin registrations": ("admin:certification_registration_changelist", "administrator", 5),
}


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("page", sorted(PAGES))
def test_list_queries_do_not_grow_with_rows(
    client, world, cycles, page, count, django_assert_num_queries
):
    dossiers(world, cycles[THIS_YEAR], count)
    url, user, queries = PAGES[page]
    administrator = getattr(world.users, user)
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url))
    assert response.status_code == 200
    rows = response.context["cl"].result_list if "cl" in response.context else None
    rows = rows if rows is not None else response.context["object_list"]
    assert len(rows) == count


@pytest.mark.parametrize("count", [1, 20])
def test_admin_units_changelist_queries_do_not_grow(
    client, world, count, django_assert_num_queries
):
    UnitFactory.create_batch(count, area=world.xa_3, name="Ấp Tân Hòa")
    administrator = world.users.administrator
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    client.get(reverse("admin:units_unit_changelist"))  # the province filter's choices cached
    with django_assert_num_queries(5):
        response = client.get(reverse("admin:units_unit_changelist"), {"q": "tân hòa"})
    assert len(response.context["cl"].result_list) == count


def test_the_administrators_queue_starts_on_the_current_cycle(client, world, cycles):
    old = dossiers(world, cycles[THIS_YEAR - 1], 2)
    current = dossiers(world, cycles[THIS_YEAR], 1)[0]
    assert old and current
    client.force_login(world.users.administrator)

    default = client.get(reverse("certification:dossier-queue"))
    every_year = client.get(reverse("certification:dossier-queue"), {"waiting": ""})

    assert [d.pk for d in default.context["object_list"]] == [current.pk]
    assert default.context["counts"]["by_status"][1][2] == 1  # submitted, this year only
    assert default.context["counted_year"] == THIS_YEAR
    assert every_year.context["paginator"].count == 3


def test_the_administrators_registrations_start_on_the_current_cycle(client, world, cycles):
    dossiers(world, cycles[THIS_YEAR - 1], 2)
    dossiers(world, cycles[THIS_YEAR], 1)
    client.force_login(world.users.administrator)

    default = client.get(reverse("certification:registration-list"))
    last_year = client.get(reverse("certification:registration-list"), {"year": THIS_YEAR - 1})

    assert default.context["paginator"].count == 1
    assert last_year.context["paginator"].count == 2


@pytest.mark.parametrize("count", [1, 20])
def test_a_provincial_reviewers_queue_queries_do_not_grow(
    client, world, cycles, count, django_assert_num_queries
):
    dossiers(world, cycles[THIS_YEAR], count, awaiting_level="province")
    client.force_login(world.users.reviewer_province)

    # The commune reviewer's 11, and the areas under the province where it stands in for the
    # commune police, read once (the areas, the reviewers there): 13
    with django_assert_num_queries(13):
        response = client.get(reverse("certification:dossier-queue"))

    assert len(response.context["object_list"]) == count
    assert response.context["counts"]["waiting"] == count


@pytest.mark.parametrize("page", ["certification:dossier-queue", "certification:registration-list"])
def test_a_deep_page_read_by_its_keys_first_has_the_rows_of_a_plain_slice(
    client, world, cycles, page, monkeypatch
):
    dossiers(world, cycles[THIS_YEAR], 7)
    client.force_login(world.users.administrator)
    monkeypatch.setattr("certification.views.review.DossierQueueView.paginate_by", 2)
    monkeypatch.setattr("certification.views.registration.RegistrationListView.paginate_by", 2)

    def rows_of(number):
        response = client.get(reverse(page), {"page": number})
        return [row.pk for row in response.context["object_list"]]

    plain = [rows_of(number) for number in (1, 2, 3, 4)]
    monkeypatch.setattr("units.pagination.DEEP_OFFSET", 1)
    by_keys = [rows_of(number) for number in (1, 2, 3, 4)]

    assert by_keys == plain
    assert len({pk for rows in plain for pk in rows}) == 7  # every row once


def test_a_long_list_counts_and_pages_only_up_to_the_bound(client, world, cycles, monkeypatch):
    monkeypatch.setattr(BoundedPaginator, "limit", 3)
    dossiers(world, cycles[THIS_YEAR], 5)
    client.force_login(world.users.administrator)

    response = client.get(reverse("certification:dossier-queue"))

    assert response.context["paginator"].count == 3
    assert response.context["paginator"].is_bounded
    assert 'id="list-bounded"' in response.content.decode()


def test_search_finds_a_name_with_or_without_its_accents(client, world, cycles):
    dossiers(world, cycles[THIS_YEAR], 1)
    UnitFactory(area=world.xa_3, name="Tổ dân phố Phước Hậu")
    client.force_login(world.users.administrator)

    as_typed = client.get(reverse("units:unit-list"), {"q": "Phước Hậu"})
    bare = client.get(reverse("units:unit-list"), {"q": "phuoc hau"})

    assert [u.name for u in as_typed.context["object_list"]] == ["Tổ dân phố Phước Hậu"]
    assert [u.name for u in bare.context["object_list"]] == ["Tổ dân phố Phước Hậu"]


def test_the_whole_country_is_filtered_by_province_then_by_its_communes(client, world):
    client.force_login(world.users.administrator)

    first = client.get(reverse("units:unit-list"))
    in_a_commune = client.get(reverse("units:unit-list"), {"area": world.phuong_1.pk})

    offered = {area.pk for area in first.context["filter"].form.fields["area"].queryset}
    assert offered == {world.vinh_long.pk, world.ben_tre.pk}
    narrowed = {area.pk for area in in_a_commune.context["filter"].form.fields["area"].queryset}
    assert {world.phuong_1.pk, world.vinh_long.pk, world.ben_tre.pk} <= narrowed
    assert world.xa_3.pk not in narrowed  # a commune of the other province
    assert world.khom_1 in in_a_commune.context["object_list"]


def test_the_stored_review_due_date_follows_extensions_and_calendar_edits(world, cycles):
    import datetime

    from certification.models import CycleCalendar
    from certification.services.cycles import grant_extension, refresh_review_due_dates

    cycle = cycles[THIS_YEAR]
    extended, other = dossiers(world, cycle, 2)
    normal = cycle.calendars.get(unit_type=extended.unit.unit_type).review_due_on
    later = normal + datetime.timedelta(days=10)

    grant_extension(cycle, extended.unit, "review", due_on=later, reason="Lũ lụt", by=None)
    extended.refresh_from_db()
    assert extended.review_due_on == later
    CycleCalendar.objects.filter(cycle=cycle, unit_type=extended.unit.unit_type).update(
        review_due_on=normal + datetime.timedelta(days=3),
        decision_due_on=normal + datetime.timedelta(days=30),
    )
    refresh_review_due_dates(cycle)

    extended.refresh_from_db()
    other.refresh_from_db()
    assert extended.review_due_on == later  # the extension wins over the calendar
    assert other.review_due_on == normal + datetime.timedelta(days=3)


SEARCHED = {
    # name: (url, extra query, queries). The queue: session, user, roles, current year (for
    # the counters), its cycles, counts (per status, overdue), area choices, count, page, and
    # the year's cycles again; no year is chosen, so none is filtered on.
    "dossier queue": ("certification:dossier-queue", {}, 10),
    "dossier queue by unit name": ("certification:dossier-queue", {"sort": "unit"}, 10),
    # session, user, roles, area choices, the receipt code looked up, count, page
    "registrations": ("certification:registration-list", {}, 7),
    # session, user, roles, area choices, count, page
    "units": ("units:unit-list", {}, 6),
    # session, user, filter choices (cycle years), count, page
    "admin dossiers": ("admin:certification_assessment_changelist", {}, 5),
    "admin registrations": ("admin:certification_registration_changelist", {}, 5),
}


@pytest.mark.parametrize("count", [1, 20])
@pytest.mark.parametrize("page", sorted(SEARCHED))
def test_searched_list_queries_do_not_grow_with_rows(
    client, world, cycles, page, count, django_assert_num_queries
):
    made = dossiers(world, cycles[THIS_YEAR], count)
    Unit.objects.filter(pk__in=[dossier.unit_id for dossier in made]).update(name="Khóm Tìm Kiếm")
    url, query, queries = SEARCHED[page]
    administrator = world.users.administrator
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)
    with django_assert_num_queries(queries):
        response = client.get(reverse(url), {"q": "tim kiếm", **query})
    assert response.status_code == 200
    rows = response.context["cl"].result_list if "cl" in response.context else None
    rows = rows if rows is not None else response.context["object_list"]
    assert len(rows) == count


def test_a_search_counts_and_pages_only_up_to_the_smaller_search_bound(
    client, world, cycles, monkeypatch
):
    monkeypatch.setattr(pagination, "SEARCH_COUNT_LIMIT", 2)
    made = dossiers(world, cycles[THIS_YEAR], 3)
    Unit.objects.filter(pk__in=[dossier.unit_id for dossier in made]).update(name="Tổ dân phố 9")
    client.force_login(world.users.administrator)
    url = reverse("certification:dossier-queue")

    searched = client.get(url, {"q": "Tổ dân", "year": THIS_YEAR})
    listed = client.get(url, {"year": THIS_YEAR})

    assert searched.context["paginator"].count == 2
    assert 'id="list-bounded"' in searched.content.decode()
    assert 'value="Tổ dân"' in searched.content.decode()  # what was typed stays in the box
    assert listed.context["paginator"].count == 3
    assert not listed.context["paginator"].is_bounded


@pytest.mark.parametrize(("query", "ordered"), [({"sort": "due"}, True), ({"sort": "unit"}, False)])
def test_a_search_is_counted_in_the_order_its_page_is_read(client, world, cycles, query, ordered):
    dossiers(world, cycles[THIS_YEAR], 2)
    client.force_login(world.users.administrator)
    url = reverse("certification:dossier-queue")

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, {"q": "khom", "year": THIS_YEAR, **query})

    assert response.context["paginator"].counts_in_order is ordered
    counts = [q["sql"] for q in captured.captured_queries if "LIMIT 251" in q["sql"]]
    assert len(counts) == 1
    assert ("ORDER BY" in counts[0]) is ordered
