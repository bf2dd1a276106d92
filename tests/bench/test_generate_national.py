"""The national generator at a tiny scale: its rows are ones the models and pages accept."""

import datetime

import pytest
from django.db.models import F
from django.urls import reverse

from bench.generate_national import generate
from certification.models import (
    Assessment,
    AssessmentStatus,
    Certificate,
    CycleCalendar,
    DecisionEntry,
    Registration,
    StatusCount,
)
from certification.services.decisions import verify_certificate
from tests.builders import client_for, listed
from units.models import Area, Unit, UnitCount, User

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]
YEAR = datetime.date.today().year


@pytest.fixture
def country():
    return generate(scale=0.002, answer_years=2, password="x", this_year=YEAR, analyse=False)


def test_the_country_has_its_provinces_communes_units_and_five_cycles(country):
    assert Area.objects.filter(depth=1).count() == 7
    assert Area.objects.filter(depth=2).count() == 7
    assert Unit.objects.count() == 400
    assert sorted(
        Registration.objects.order_by("cycle__year")
        .values_list("cycle__year", flat=True)
        .distinct()
    ) == list(range(YEAR - 4, YEAR + 1))
    assert country["certification_assessmentanswer"] > 0
    assert country["certification_notification"] == country["certification_reminder"] > 0
    assert country["certification_statuscount"] > 0
    assert StatusCount.objects.held() == StatusCount.objects.counted()
    assert StatusCount.objects.filter(kind="result").exists()
    assert country["units_unitcount"] > 0
    assert UnitCount.objects.differences() == []
    # Every recognised entry of a past year has its certificate, and it verifies.
    recognised = DecisionEntry.objects.filter(result="recognised")
    assert recognised.count() == Certificate.objects.count() > 0
    certificate = Certificate.objects.filter(annulment__isnull=True).order_by("-year").first()
    assert verify_certificate(certificate).status == "valid"


def test_each_dossier_stores_the_review_due_date_of_its_calendar(country):
    dossier = Assessment.objects.select_related("unit").order_by("pk").first()
    calendar = CycleCalendar.objects.get(cycle=dossier.cycle, unit_type=dossier.unit.unit_type)
    assert dossier.review_due_on == calendar.review_due_on
    assert not Assessment.objects.filter(review_due_on__isnull=True).exists()


def test_registrations_and_dossiers_store_their_units_area(country):
    for model in (Registration, Assessment):
        assert model.objects.exists()
        assert not model.objects.exclude(area=F("unit__area")).exists()


def test_the_documented_users_log_in_and_see_their_queue(client, country):
    reviewer = User.objects.get(username="ca.x00001")
    waiting = Assessment.objects.waiting_for(reviewer)
    assert waiting.exists()
    assert set(waiting.values_list("status", flat=True)) <= {
        AssessmentStatus.SUBMITTED,
        AssessmentStatus.APPRAISED,
    }
    assert reviewer.check_password("x")
    client.force_login(reviewer)
    response = client.get(reverse("certification:dossier-queue"))
    assert response.status_code == 200
    assert response.context["counts"]["waiting"] == waiting.filter(cycle__year=YEAR).count()
    client.force_login(User.objects.get(username="admin", is_staff=True))
    assert client.get(reverse("certification:dossier-queue")).status_code == 200


def test_home_figures_equal_the_lists_they_link_to_on_a_generated_province(country):
    reviewer = client_for("ca.p01")
    queue = reviewer.get("/").context["queue"]
    assert queue.registrations == listed(
        reviewer, reverse("certification:registration-list") + "?waiting=1"
    )
    assert queue.dossiers == listed(
        reviewer, reverse("certification:dossier-queue") + "?waiting=on"
    )
    assert queue.overdue == listed(
        reviewer, reverse("certification:dossier-queue") + "?waiting=on&overdue=on"
    )

    observer = client_for("qs.p01")
    figures = observer.get("/").context["sections"][0]["figures"]
    assert figures.units == listed(
        observer, reverse("units:unit-list") + f"?area={figures.area.pk}&active=yes"
    )
    assert figures.recommended == listed(
        observer,
        reverse("certification:dossier-queue")
        + f"?area={figures.area.pk}&year={figures.year}&status=recommended",
    )
    assert queue.registrations > 0 and figures.recommended > 0
