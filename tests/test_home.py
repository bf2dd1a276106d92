"""Each role's home page on the demo province: what to do next, figures that match their lists,
and a number of queries that does not grow with the data."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentStatus,
    Cycle,
    Registration,
    RegistrationStatus,
    StatusCount,
)
from certification.services import decisions as decision_services
from certification.services.registration import start_registration
from tests.builders import client_for, listed, queries_of
from tests.factories import AreaFactory, UnitFactory
from units.models import Area, Unit

pytestmark = pytest.mark.django_db


def test_unit_representative_sees_next_step_results_and_certificate_not_reviewer_screens(demo):
    client = client_for("kdc.travinh.khom3")

    response = client.get("/")

    page = response.content.decode()
    home = response.context["sections"][0]["home"]
    assert home.unit.name == "Khóm 3"
    assert "Việc cần làm tiếp" in page
    assert str(home.step.text) in page
    rows = {row.year: row for row in home.history.years}
    assert rows[2025].recognised is True
    assert rows[2025].certificate is not None
    assert reverse("certification:certificate-pdf", args=[rows[2025].certificate.pk]) in page
    assert "Việc chờ bạn xử lý" not in page
    assert response.context["queue"] is None
    assert reverse("certification:dossier-queue") not in page
    assert reverse("certification:registration-list") not in page


def test_unit_representative_decision_list_shows_the_decisions_naming_their_unit(demo):
    client = client_for("kdc.travinh.khom3")

    response = client.get(reverse("certification:decision-list"))

    years = [decision.cycle.year for decision in response.context["decisions"]]
    assert 2025 in years
    assert all(decision.is_issued for decision in response.context["decisions"])
    assert "Chưa có quyết định" not in response.content.decode()


def test_unit_representative_past_the_dossier_deadline_is_told_whom_to_ask(demo):
    unit = Unit.objects.get(name="Khóm 3", area__name="Phường Trà Vinh")
    registration = Registration.objects.get(unit=unit, cycle__year=timezone.localdate().year)
    Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.ACKNOWLEDGED)
    registration.cycle.calendars.update(
        assessment_starts_on=datetime.date(2000, 1, 1),
        assessment_ends_on=datetime.date(2000, 1, 2),
        dossier_due_on=datetime.date(2000, 1, 3),
        review_due_on=datetime.date(2000, 1, 4),
        decision_due_on=datetime.date(2000, 1, 5),
    )

    response = client_for("kdc.travinh.khom3").get("/")

    step = response.context["sections"][0]["home"].step
    assert step.late is True
    assert step.due_on == datetime.date(2000, 1, 3)
    assert "Đã quá hạn nộp hồ sơ. Hãy đề nghị Công an xã gia hạn" in response.content.decode()


def test_reviewer_figures_equal_the_lists_they_link_to(demo):
    client = client_for("ca.travinh")

    queue = client.get("/").context["queue"]

    assert queue.registrations == listed(
        client, reverse("certification:registration-list") + "?waiting=1"
    )
    assert queue.dossiers == listed(client, reverse("certification:dossier-queue") + "?waiting=on")
    assert queue.overdue == listed(
        client, reverse("certification:dossier-queue") + "?waiting=on&overdue=on"
    )
    assert queue.registrations > 0
    assert queue.dossiers > 0


def test_observer_figures_equal_the_lists_they_link_to(demo):
    client = client_for("quan.sat")
    response = client.get("/")
    figures = response.context["sections"][0]["figures"]
    area = figures.area

    assert figures.units == listed(
        client, reverse("units:unit-list") + f"?area={area.pk}&active=yes"
    )
    assert figures.recommended == listed(
        client,
        reverse("certification:dossier-queue")
        + f"?area={area.pk}&year={figures.year}&status=recommended",
    )
    assert figures.units == 220
    assert figures.registered >= figures.submitted >= figures.recommended


def test_decision_maker_sees_how_many_dossiers_wait_for_their_decision(demo):
    ward = Area.objects.get(name="Phường Trà Vinh")
    dossier = (
        Assessment.objects.filter(unit__in=decision_services.units_decided_by(ward))
        .filter(status__in=[AssessmentStatus.SUBMITTED, AssessmentStatus.APPRAISED])
        .first()
    )
    Assessment.objects.filter(pk=dossier.pk).update(status=AssessmentStatus.RECOMMENDED)
    client = client_for("ubnd.travinh")

    response = client.get("/")

    [desk] = response.context["desks"]
    assert desk.waiting == decision_services.awaiting_decision(ward).count()
    assert desk.waiting >= 1
    assert f"{desk.waiting} hồ sơ chờ quyết định." in response.content.decode()
    decisions_page = client.get(reverse("certification:decision-list")).context["waiting"]
    assert sum(sum(years.values()) for _area, years in decisions_page) == desk.waiting


def test_administrator_sees_a_registration_no_reviewer_account_covers(demo):
    unit = Unit.objects.get(name="Khu phố 2", area__name="Phường An Hội")
    today = timezone.localdate()
    orphan = start_registration(
        Cycle.objects.for_unit(unit, today.year), unit, values={}, by=None, today=today
    )
    Registration.objects.filter(pk=orphan.pk).update(status=RegistrationStatus.SUBMITTED)
    StatusCount.objects.recount()  # written straight to the table, past the workflow
    covered = Registration.objects.filter(
        status=RegistrationStatus.SUBMITTED, unit__area__name="Phường Trà Vinh"
    ).first()

    response = client_for("admin").get("/")

    desk = response.context["administrator"]
    assert orphan in desk.orphan_registrations
    assert covered is not None and covered not in desk.orphan_registrations
    assert "Khu phố 2" in response.content.decode()


def _grow(area_name: str, count: int) -> None:
    """More units in the area, each with a submitted registration."""
    area = Area.objects.get(name=area_name)
    cycle = Cycle.objects.for_area(area, timezone.localdate().year)
    today = timezone.localdate()
    for number in range(count):
        unit = UnitFactory(area=area, name=f"Khu dân cư thêm {number}")
        registration = start_registration(
            cycle, unit, values={}, by=None, today=datetime.date(today.year, 2, 1)
        )
        Registration.objects.filter(pk=registration.pk).update(status=RegistrationStatus.SUBMITTED)
    StatusCount.objects.recount()  # written straight to the table, past the workflow


@pytest.mark.parametrize(
    "username",
    ["admin", "ca.travinh", "ubnd.travinh", "quan.sat", "kdc.travinh.khom3", "xa.tieucan"],
)
def test_home_queries_do_not_grow_with_the_data(demo, username, django_assert_num_queries):
    client = client_for(username)
    small = queries_of(client, "/")
    _grow("Phường Trà Vinh", 30)

    with django_assert_num_queries(small):
        client.get("/")


def _grow_with_dates(area_name: str, count: int) -> None:
    """Units taking part from a date, units that ended, units taking part later, and units with
    submitted registrations: each kind the home page's figures read differently."""
    area = Area.objects.get(name=area_name)
    today = timezone.localdate()
    for _number in range(count):
        UnitFactory(area=area, active_from=today - datetime.timedelta(days=3))
        UnitFactory(area=area, active_to=today)
        UnitFactory(area=area, active_from=today + datetime.timedelta(days=3))
    _grow(area_name, count)


@pytest.mark.parametrize(
    "username",
    ["admin", "ca.tinh", "ca.travinh", "ubnd.travinh", "quan.sat", "kdc.travinh.khom3"],
)
def test_home_queries_are_the_same_with_1_and_20_rows_of_each_kind(
    demo, username, django_assert_num_queries
):
    client = client_for(username)
    _grow_with_dates("Phường Trà Vinh", 1)
    small = queries_of(client, "/")
    _grow_with_dates("Phường Trà Vinh", 19)

    with django_assert_num_queries(small):
        client.get("/")


def test_area_unit_figures_count_the_units_active_today_as_the_list_does(demo):
    _grow_with_dates("Phường Trà Vinh", 2)
    client = client_for("quan.sat")
    section = client.get("/").context["sections"][0]
    area = section["figures"].area

    assert section["total"] == section["figures"].units
    assert section["total"] == listed(
        client, reverse("units:unit-list") + f"?area={area.pk}&active=yes"
    )
    assert section["total"] == 220 + 2 * 2  # the demo's, and the units with dates active today


@pytest.mark.parametrize("username", ["ca.tinh", "ubnd.travinh", "quan.sat"])
def test_area_progress_queries_do_not_grow_with_the_data(demo, username, django_assert_num_queries):
    client = client_for(username)
    url = reverse("certification:area-progress-mine")
    small = queries_of(client, url)
    _grow("Phường Trà Vinh", 30)
    # A new commune with units of its own: one more row of the table, not more queries.
    ward = Area.objects.get(name="Phường Trà Vinh")
    commune = AreaFactory(parent=Area.objects.get_parent(ward), name="Xã Thêm Mới")
    UnitFactory.create_batch(5, area=commune)
    _grow("Xã Thêm Mới", 5)

    with django_assert_num_queries(small):
        assert client.get(url).status_code == 200


def test_anonymous_visitor_gets_the_landing_page_and_can_verify_a_number(demo):
    from certification.models import Certificate

    client = Client()
    certificate = Certificate.objects.in_force().order_by("-year").first()

    landing = client.get("/")
    found = client.get(reverse("public:register") + f"?q={certificate.number}")

    page = landing.content.decode()
    assert landing.status_code == 200
    assert "Xác minh giấy công nhận" in page
    assert f'href="{reverse("login")}"' in page
    assert f'action="{reverse("public:register")}"' in page
    in_force = Certificate.objects.in_force().filter(year=certificate.year).count()
    assert f"{in_force} đơn vị có giấy công nhận năm {certificate.year}." in page
    assert [c.pk for c in found.context["certificates"]] == [certificate.pk]


def test_area_progress_figures_equal_the_unit_lists_they_link_to(demo):
    client = client_for("quan.sat")

    response = client.get(reverse("certification:area-progress-mine"))

    rows = response.context["rows"]
    assert len(rows) > 10
    for row in rows[:6]:
        this_year = row["years"][0]
        assert this_year.counts.get("eligible", 0) == listed(
            client,
            reverse("units:unit-list")
            + f"?area={row['area'].pk}&unit_type={row['unit_type']}&active=yes",
        ), (row["area"].name, row["unit_type"])
    failing = [rule.area.name for rule in response.context["failing"]]
    assert "Phường Trà Vinh" in failing
    assert "Khu dân cư" in response.content.decode()


def test_area_progress_drills_down_and_refuses_units_and_other_areas(demo):
    reviewer = client_for("ca.travinh")
    ward = Area.objects.get(name="Phường Trà Vinh")
    other = Area.objects.get(name="Phường An Hội")

    drilled = reviewer.get(reverse("certification:area-progress", args=[ward.pk]))

    assert drilled.status_code == 200
    assert {row["area"] for row in drilled.context["rows"]} == {ward}
    assert reviewer.get(reverse("certification:area-progress", args=[other.pk])).status_code == 404
    unit_head = client_for("kdc.travinh.khom3")
    assert unit_head.get(reverse("certification:area-progress-mine")).status_code == 404
