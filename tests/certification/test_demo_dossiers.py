"""load_demo's dossiers: every state this year; last year's results and a commune turned down."""

from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone, translation

from certification.evaluation import FAIL, child_unit_stats, threshold_reached
from certification.models import (
    Assessment,
    AssessmentDocument,
    AssessmentSnapshot,
    AssessmentStatus,
    AssessmentTransition,
    CriterionReturn,
    YearlyResult,
)
from certification.services.assessment import criterion_views, readiness, round_changes
from units.models import User

pytestmark = pytest.mark.django_db
Status = AssessmentStatus


def load_demo(language="vi") -> str:
    out = StringIO()
    with translation.override(language):
        call_command("load_demo", stdout=out)
    return out.getvalue()


def this_year() -> int:
    return timezone.localdate().year


def dossier(name: str, *, year=None) -> Assessment:
    return Assessment.objects.get(cycle__year=year or this_year(), unit__name=name)


def counts() -> dict[str, int]:
    return {
        "dossiers": Assessment.objects.count(),
        "transitions": AssessmentTransition.objects.count(),
        "returns": CriterionReturn.objects.count(),
        "snapshots": AssessmentSnapshot.objects.count(),
        "documents": AssessmentDocument.objects.count(),
        "results": YearlyResult.objects.count(),
    }


def test_demo_dossiers_are_in_every_state(demo):

    states = dict(
        Assessment.objects.filter(cycle__year=this_year()).values_list("unit__name", "status")
    )

    assert states == {
        "Khóm 1": Status.RECOMMENDED,
        "Khóm 2": Status.SUBMITTED,
        "Khóm 4": Status.RETURNED,
        "Khóm 5": Status.NOT_RECOMMENDED,
        "Khóm 6": Status.SUBMITTED,
        "Khóm 7": Status.DRAFT,
        "Ấp An Thạnh": Status.SUBMITTED,
        "Ấp Tân Bình": Status.SUBMITTED,
        "Công ty TNHH May mặc Long Đức": Status.APPRAISED,
    }


def test_demo_returned_dossier_is_in_round_two_with_two_criteria_sent_back(demo):

    khom_4 = dossier("Khóm 4")

    assert khom_4.round == 2
    assert list(khom_4.returns.values_list("round", "criterion__number", "by__username")) == [
        (2, 1, "ca.travinh"),
        (2, 4, "ca.travinh"),
    ]
    assert khom_4.returns.get(criterion__number=1).reason == (
        "Bổ sung danh sách hộ gia đình đăng ký có chữ ký của chủ hộ."
    )


def test_demo_resubmitted_dossier_shows_what_changed(demo):

    an_thanh = dossier("Ấp An Thạnh")

    assert (an_thanh.status, an_thanh.round, an_thanh.awaiting_level) == (
        Status.SUBMITTED,
        2,
        "commune",
    )
    assert [(c["criterion"], c["field"]) for c in round_changes(an_thanh)] == [
        (4, "note"),
        (4, "figures"),
    ]


def test_demo_steps_are_recorded_with_the_reviewers(demo):

    recommended = dossier("Khóm 1")
    refused = dossier("Khóm 5")
    appraised = dossier("Công ty TNHH May mặc Long Đức")

    assert list(recommended.transitions.values_list("to_status", "by__username")) == [
        (Status.SUBMITTED, None),
        (Status.RECOMMENDED, "ca.travinh"),
    ]
    assert refused.transitions.last().reason == (
        "Trong năm xảy ra vụ cháy nghiêm trọng (điểm d khoản 4 Điều 4 Thông tư số "
        "124/2021/TT-BCA); khóm chưa đạt tiêu chuẩn."
    )
    assert (appraised.awaiting_level, appraised.transitions.last().by.username) == (
        "province",
        "admin",
    )
    latest = AssessmentTransition.objects.order_by("-at").first().at
    assert latest <= timezone.now()


def test_demo_dossiers_wait_for_the_demo_reviewers(demo):

    waiting = {
        username: sorted(
            Assessment.objects.waiting_for(User.objects.get(username=username)).values_list(
                "unit__name", flat=True
            )
        )
        for username in ("ca.travinh", "ca.canglong", "ca.tinh")
    }

    assert waiting == {
        "ca.travinh": ["Khóm 2", "Khóm 6"],
        "ca.canglong": ["Ấp An Thạnh", "Ấp Tân Bình"],
        "ca.tinh": ["Công ty TNHH May mặc Long Đức"],
    }


def test_demo_has_a_ready_and_an_incomplete_dossier_to_compare(demo):
    today = timezone.localdate()

    ready = readiness(dossier("Khóm 2"), today=today)
    incomplete = readiness(dossier("Khóm 6"), today=today)
    contradicted = criterion_views(dossier("Khóm 6"), today=today)[3]

    assert ready.passes is True
    assert incomplete.missing_documents == ["biên bản họp đánh giá"]
    assert (contradicted.criterion.number, contradicted.contradicts) == (4, True)


def test_demo_commune_misses_the_child_unit_threshold_last_year(demo):
    ward = dossier("Phường Trà Vinh", year=this_year() - 1)
    today = timezone.localdate()

    stats = child_unit_stats(ward.unit, ward.cycle, today=today)
    child_rule = next(v for v in criterion_views(ward, today=today) if v.criterion.number == 4)

    assert (stats.total, stats.registered, stats.recognised, len(stats.undecided)) == (8, 8, 5, 0)
    assert threshold_reached(stats.recognised, stats.total, 70) is False
    assert child_rule.evaluation.result == FAIL
    assert ward.status == Status.NOT_RECOMMENDED
    assert ward.transitions.last().by.username == "ca.tinh"
    assert YearlyResult.objects.get(cycle=ward.cycle, unit=ward.unit).result == "not_recognised"


def test_demo_commune_review_page_says_threshold_not_reached(demo, client):
    ward = dossier("Phường Trà Vinh", year=this_year() - 1)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(username="ca.tinh"))

    page = client.get(reverse("certification:dossier-review", args=[ward.pk])).content.decode()

    assert "5 of 8 child units recognised" in page
    assert "threshold not reached" in page


def test_demo_last_years_results_show_on_this_years_review_page(demo, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.get(username="ca.travinh"))

    response = client.get(reverse("certification:dossier-review", args=[dossier("Khóm 5").pk]))

    assert response.context["last_year"].result == "not_recognised"


def test_load_demo_second_run_creates_no_dossier_nor_transition(demo):
    first = counts()

    output = load_demo(language="en")

    assert counts() == first
    assert first == {
        "dossiers": 10,
        # In plan order: Khóm 1, 2, 4, 5, 6, 7, Ấp An Thạnh, Ấp Tân Bình, the enterprise, the ward.
        "transitions": 2 + 1 + 2 + 2 + 1 + 0 + 3 + 1 + 2 + 2,
        "returns": 3,
        "snapshots": 1 + 1 + 1 + 1 + 1 + 0 + 2 + 1 + 1 + 1,
        # Proposal, report, minutes and one piece of evidence; Khóm 6 lacks its minutes.
        "documents": 9 * 4 - 1,
        # 9 here; the decisions block adds 3 earlier years × 11 units, 5 ấp last year and
        # Khóm 1 this year (tests/decisions/test_demo.py).
        "results": 9 + 3 * 11 + 3 * 2 + 5 + 1,  # 3 × 2: the ấp absorbed into Ấp Long Hưng
    }
    assert output.splitlines()[2] == (
        "Demo dossiers: 0 created; this year's by status: draft: 1; submitted, being "
        "appraised: 4; appraised by the commune, waiting for the province: 1; returned to the "
        "unit: 1; recommended for recognition: 1; not recommended: 1."
    )
