"""The reviewer's pages: the dossier queue, the review page, each step, bulk approval, admin.

The pages read the clock, set to 01/11/2026 (`clock`); the cycle's calendar is laid out around
it. They are read in English: the msgids are the stable text while the Vietnamese catalogue is
being filled.
"""

import datetime
import re

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentDocument,
    AssessmentStatus,
    CriterionReturn,
    CycleCalendar,
    ResultValue,
    ReviewLevel,
    YearlyResult,
)
from certification.services import assessment as services
from certification.services.cycles import create_cycle, refresh_review_due_dates
from tests.builders import answer_all, complete_dossier, pdf_file, queries_of
from tests.builders import commune_with_children as _commune_with_children
from tests.certification.review_scene import (
    agency_dossier,
    khom_dossier,
    messages_of,
    review_url,
    started,
    status_of,
    submitted,
    text_of,
    today,
)
from tests.factories import UnitFactory, UserFactory
from units.models import Role, UnitType
from units.services import grant_role

# The pages read the clock: it is set to a fixed moment (tests/conftest.py `clock`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]
Status = AssessmentStatus
day = datetime.timedelta(days=1)
QUEUE = "certification:dossier-queue"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def queue_rows(response) -> list[str]:
    return [dossier.unit.name for dossier in response.context["object_list"]]


# --- the queue --------------------------------------------------------------------------------


def test_queue_shows_a_reviewer_what_waits_for_them_by_default(english, world, review_cycle):
    waiting = khom_dossier(world, review_cycle)
    started(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 9"),
        reviewer=world.users.reviewer_phuong,
    )
    agency_dossier(world, review_cycle)  # waits for the commune police too
    english.force_login(world.users.reviewer_phuong)

    response = english.get(reverse(QUEUE))

    assert queue_rows(response) == ["Khóm 1", "Sở Tư pháp"]
    assert response.context["counts"]["waiting"] == 2
    assert text_of(response, f"dossier-{waiting.pk}").count("Waiting for me") == 1


def test_queue_marks_what_waits_where_the_province_stands_in(english, world, review_cycle):
    """Xã Càng Long has no reviewer: its hamlet's dossier waits for the province, Khóm 1's for
    the ward's reviewer; the badge says so row by row, as "waiting for me" filters."""
    stood_in = submitted(review_cycle, world.ap_2, reviewer=world.users.reviewer_province)
    elsewhere = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_province)

    everything = english.get(reverse(QUEUE), {"waiting": ""})
    waiting = english.get(reverse(QUEUE))

    assert text_of(everything, f"dossier-{stood_in.pk}").count("Waiting for me") == 1
    assert "Waiting for me" not in text_of(everything, f"dossier-{elsewhere.pk}")
    assert queue_rows(waiting) == ["Ấp Phú Hòa"]


def test_queue_show_all_lists_every_visible_dossier_with_counts(english, world, review_cycle):
    khom_dossier(world, review_cycle)
    started(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 9"),
        reviewer=world.users.reviewer_phuong,
    )
    english.force_login(world.users.reviewer_phuong)

    response = english.get(reverse(QUEUE), {"waiting": ""})

    assert sorted(queue_rows(response)) == ["Khóm 1", "Khóm 9"]
    assert response.context["counts"]["by_status"] == [
        ("draft", "draft", 1),
        ("submitted", "submitted, being appraised", 1),
        ("appraised", "appraised by the commune, waiting for the province", 0),
        ("returned", "returned to the unit", 0),
        ("recommended", "recommended for recognition", 0),
        ("not_recommended", "not recommended", 0),
    ]
    assert text_of(response, "dossier-count") == "2 dossiers"


def test_queue_filters_by_unit_type_status_and_area(english, world, review_cycle):
    khom_dossier(world, review_cycle)
    agency_dossier(world, review_cycle)
    submitted(review_cycle, world.ap_2, reviewer=world.users.administrator)
    english.force_login(world.users.reviewer_province)
    url = reverse(QUEUE)

    by_type = english.get(url, {"unit_type": UnitType.AGENCY})
    by_area = english.get(url, {"area": world.xa_2.pk})
    by_status = english.get(url, {"status": Status.DRAFT})
    searched = english.get(url, {"q": "KDC-002"})

    assert queue_rows(by_type) == ["Sở Tư pháp"]
    assert queue_rows(by_area) == ["Ấp Phú Hòa"]
    assert queue_rows(by_status) == []
    assert queue_rows(searched) == ["Ấp Phú Hòa"]


def test_queue_sorts_by_the_review_due_date_of_each_unit_type(english, world, review_cycle):
    khom_dossier(world, review_cycle)
    agency_dossier(world, review_cycle)
    CycleCalendar.objects.filter(cycle=review_cycle, unit_type=UnitType.AGENCY).update(
        review_due_on=today() + 12 * day
    )
    refresh_review_due_dates(review_cycle)  # what the cycle admin does after a calendar edit
    english.force_login(world.users.reviewer_province)

    earliest = english.get(reverse(QUEUE), {"waiting": "", "sort": "due"})
    latest = english.get(reverse(QUEUE), {"waiting": "", "sort": "-due"})

    assert queue_rows(earliest) == ["Sở Tư pháp", "Khóm 1"]
    assert queue_rows(latest) == ["Khóm 1", "Sở Tư pháp"]
    dues = [dossier.review_due_on for dossier in earliest.context["object_list"]]
    assert dues == [today() + 12 * day, today() + 20 * day]


def test_queue_marks_filters_and_counts_overdue_reviews(english, world, review_cycle):
    late = khom_dossier(world, review_cycle)
    agency_dossier(world, review_cycle)
    decided = submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 2"),
        reviewer=world.users.reviewer_phuong,
    )
    services.approve_assessment(
        decided, by=world.users.reviewer_phuong, now=timezone.now(), today=today()
    )
    # Residential areas were due yesterday; a decided dossier is not late any more.
    CycleCalendar.objects.filter(cycle=review_cycle, unit_type=UnitType.RESIDENTIAL_AREA).update(
        assessment_ends_on=today() - 10 * day,
        dossier_due_on=today() - 5 * day,
        review_due_on=today() - day,
    )
    refresh_review_due_dates(review_cycle)
    english.force_login(world.users.reviewer_province)

    response = english.get(reverse(QUEUE), {"overdue": "on"})

    assert queue_rows(response) == ["Khóm 1"]
    assert response.context["counts"]["overdue"] == 1
    assert "overdue" in text_of(response, f"dossier-{late.pk}")


@pytest.mark.parametrize("count", [1, 20])
def test_queue_query_count_does_not_grow_with_the_dossiers(
    client, world, review_cycle, count, django_assert_num_queries
):
    units = [world.khom_1, *UnitFactory.create_batch(count - 1, area=world.phuong_1)]
    for unit in units:
        submitted(review_cycle, unit, reviewer=world.users.reviewer_phuong, complete=False)
    client.force_login(world.users.reviewer_phuong)

    # session, user, roles, current year, paginator count, the year's cycles, counts (per
    # status, waiting, overdue), area choices, page of dossiers
    with django_assert_num_queries(11):
        response = client.get(reverse(QUEUE))

    assert len(response.context["object_list"]) == count


def test_queue_pages_keep_the_waiting_default(client, world, review_cycle, monkeypatch):
    monkeypatch.setattr("certification.views.review.DossierQueueView.paginate_by", 2)
    for unit in [world.khom_1, *UnitFactory.create_batch(2, area=world.phuong_1)]:
        submitted(review_cycle, unit, reviewer=world.users.reviewer_phuong, complete=False)
    started(review_cycle, UnitFactory(area=world.phuong_1), reviewer=world.users.reviewer_phuong)
    client.force_login(world.users.reviewer_phuong)

    first = client.get(reverse(QUEUE))
    second = client.get(reverse(QUEUE), {"page": 2})

    assert (len(first.context["object_list"]), len(second.context["object_list"])) == (2, 1)
    assert first.context["paginator"].count == 3
    assert first.context["query_without_page"] == ""


def test_observer_sees_the_queue_without_checkboxes(english, world, review_cycle):
    khom_dossier(world, review_cycle)
    observer = UserFactory(username="quansat.vinhlong")
    grant_role(observer, Role.OBSERVER, area=world.vinh_long, by=None)
    english.force_login(observer)

    response = english.get(reverse(QUEUE))

    assert queue_rows(response) == ["Khóm 1"]
    assert 'name="dossiers"' not in response.content.decode()


# --- bulk approval ----------------------------------------------------------------------------


def test_bulk_approve_recommends_the_ready_and_lists_the_skipped(english, world, review_cycle):
    reviewer = world.users.reviewer_phuong
    ready = khom_dossier(world, review_cycle)
    incomplete = submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 5"),
        reviewer=reviewer,
        complete=False,
    )
    english.force_login(reviewer)

    response = english.post(
        reverse("certification:dossier-bulk-approve"),
        {"dossiers": [ready.pk, incomplete.pk], "query": "waiting=on", **CONFIRMED},
    )

    assert response.status_code == 200
    assert text_of(response, "bulk-done") == ("1 dossier done Khóm 1 — recommended for recognition")
    assert text_of(response, "bulk-skipped") == (
        "1 dossier skipped Khóm 5: its readiness check does not pass"
    )
    assert (status_of(ready), status_of(incomplete)) == (Status.RECOMMENDED, Status.SUBMITTED)
    assert ready.transitions.filter(to_status=Status.RECOMMENDED, by=reviewer).count() == 1
    assert response.context["queue_url"] == reverse(QUEUE) + "?waiting=on"


def test_bulk_approve_skips_what_waits_for_another_level(english, world, review_cycle):
    agency = agency_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_province)

    response = english.post(
        reverse("certification:dossier-bulk-approve"), {"dossiers": agency.pk, **CONFIRMED}
    )

    assert text_of(response, "bulk-skipped") == (
        "1 dossier skipped Sở Tư pháp: it is not waiting for you"
    )
    assert status_of(agency) == Status.SUBMITTED


def test_bulk_approve_with_nothing_ticked_says_so(english, world, review_cycle):
    english.force_login(world.users.reviewer_phuong)

    response = english.post(reverse("certification:dossier-bulk-approve"), CONFIRMED, follow=True)

    assert messages_of(response) == ["Tick at least one dossier."]


def test_bulk_approve_without_the_confirmation_changes_nothing(english, world, review_cycle):
    ready = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        reverse("certification:dossier-bulk-approve"), {"dossiers": ready.pk}, follow=True
    )

    assert messages_of(response) == ["Tick the confirmation box: nothing was done."]
    assert status_of(ready) == Status.SUBMITTED


def test_bulk_approve_refuses_a_dossier_of_another_area(english, world, review_cycle):
    other = submitted(review_cycle, world.ap_2, reviewer=world.users.administrator)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        reverse("certification:dossier-bulk-approve"),
        {"dossiers": other.pk, **CONFIRMED},
        follow=True,
    )

    assert messages_of(response) == ["A ticked dossier is no longer in your list; reload the page."]
    assert status_of(other) == Status.SUBMITTED


def test_bulk_approve_is_a_404_for_an_observer(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    observer = UserFactory(username="quansat.vinhlong")
    grant_role(observer, Role.OBSERVER, area=world.vinh_long, by=None)
    client.force_login(observer)

    response = client.post(
        reverse("certification:dossier-bulk-approve"), {"dossiers": assessment.pk}
    )

    assert response.status_code == 404
    assert status_of(assessment) == Status.SUBMITTED


# --- the review page --------------------------------------------------------------------------


def test_review_page_shows_answer_result_contradiction_and_files(english, world, review_cycle):
    assessment = started(
        review_cycle,
        world.khom_1,
        reviewer=world.users.reviewer_phuong,
        households_registered=100,
    )
    assessment = complete_dossier(assessment)
    first = assessment.answers.get(criterion__number=1).criterion
    services.add_dossier_document(
        assessment,
        kind="evidence",
        criterion=first,
        uploaded_file=pdf_file("danh-sach-ho.pdf"),
        by=None,
    )
    services.submit_assessment(assessment, by=None, now=timezone.now(), today=today())
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(assessment))

    criterion = text_of(response, "criterion-1")
    assert "Unit's answer: met Automatic check: fails" in criterion
    assert "⚠ The answer contradicts the data" in criterion
    assert "100 of 120 (83%; needed 100%) → not met." in criterion
    assert "Evidence: danh-sach-ho.pdf" in criterion
    assert "contradicts" not in text_of(response, "criterion-2")
    assert text_of(response, "dossier-documents") == (
        "Proposal letter (tờ trình) nghi-quyet.pdf · 69 bytes "
        "Report nghi-quyet.pdf · 69 bytes "
        "Minutes of the assessment meeting nghi-quyet.pdf · 69 bytes"
    )
    assert "Criterion 1: Every document is present" in text_of(response, "readiness")
    assert "100 of 120 (83%; needed 100%) → not met." in text_of(response, "readiness")
    evidence = assessment.documents.get(kind="evidence")
    download = reverse("certification:dossier-document-download", args=[evidence.pk])
    assert f'href="{download}" target="_blank"' in response.content.decode()
    assert english.get(download)["Content-Disposition"] == 'attachment; filename="danh-sach-ho.pdf"'


def test_review_page_shows_meeting_and_last_years_result(english, world, review_cycle):
    tt124 = review_cycle.criteria_set
    last_cycle = create_cycle(
        year=review_cycle.year - 1, province=world.vinh_long, criteria_set=tt124, by=None
    )
    YearlyResult.objects.create(
        cycle=last_cycle,
        unit=world.khom_1,
        result=ResultValue.RECOGNISED,
        decided_on=datetime.date(review_cycle.year - 1, 11, 28),
    )
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(assessment))

    assert text_of(response, "last-year") == (
        f"Last year's result {review_cycle.year - 1}: recognised (đạt) "
        f"(28/11/{review_cycle.year - 1})"
    )
    assert "Ông Hải" in text_of(response, "meeting")
    assert "25/10/2026" in text_of(response, "meeting")


def test_review_page_of_a_draft_offers_no_step(english, world, review_cycle):
    assessment = started(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(assessment))

    assert response.status_code == 200
    assert 'id="review-actions"' not in response.content.decode()


@pytest.mark.parametrize(
    ("recognised", "expected"),
    [
        (16, "16 of 25 child units recognised, 18 needed (70%): threshold not reached"),
        (18, "18 of 25 child units recognised, 18 needed (70%): threshold reached"),
    ],
)
def test_review_page_shows_the_commune_rule(english, world, review_cycle, recognised, expected):
    commune = _commune_with_children(
        world, review_cycle, areas=25, registered=25, recognised=recognised
    )
    assessment = submitted(review_cycle, commune, reviewer=world.users.reviewer_province)
    english.force_login(world.users.reviewer_province)

    response = english.get(review_url(assessment))

    assert text_of(response, "commune-recognised") == expected
    assert text_of(response, "commune-registered") == (
        "25 of 25 child units registered, 25 needed (100%): threshold reached"
    )


def test_review_page_hides_the_commune_panel_for_other_units(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(assessment))

    assert 'id="commune-panel"' not in response.content.decode()


@pytest.mark.parametrize("count", [1, 20])
def test_review_page_query_count_does_not_grow(
    client, world, review_cycle, count, django_assert_num_queries
):
    """A commune's dossier with `count` child units, evidence files, rounds sent back and
    opinions: the same queries whatever their number."""
    commune = _commune_with_children(
        world, review_cycle, areas=count, registered=count, recognised=count
    )
    assessment = submitted(review_cycle, commune, reviewer=world.users.reviewer_province)
    criteria = [answer.criterion for answer in assessment.answers.order_by("criterion__number")]
    for number in range(count):
        AssessmentDocument.objects.create(
            assessment=assessment,
            kind="evidence",
            criterion=criteria[number % len(criteria)],
            file=f"dossiers/{number}.pdf",
            original_name=f"{number}.pdf",
            content_type="application/pdf",
            size=1,
        )
        CriterionReturn.objects.create(
            assessment=assessment,
            criterion=criteria[0],
            round=number + 1,
            reason=f"Thiếu hồ sơ {number}",
            by=world.users.reviewer_province,
            at=timezone.now(),
        )
    client.force_login(world.users.reviewer_province)
    client.get(review_url(assessment))

    # session, user, roles; the dossier, its documents; the answers, the commune's child units
    # (calendar, path, units, registrations, results), the sent-back reasons, last year's
    # answers; registration documents, opinions, last year's result, the rounds sent back; the
    # areas the reviewer stands in for (reviewer accounts, areas: read once), the next dossier
    # at each of their two levels; the history
    with django_assert_num_queries(22):
        response = client.get(review_url(assessment))

    assert response.context["commune"]["all"]["total"] == count
    assert sum(len(returns) for _, returns in response.context["returns_by_round"]) == count


def test_review_page_links_the_earliest_due_dossier_waiting_for_the_reviewer(
    english, world, review_cycle
):
    shown = khom_dossier(world, review_cycle)
    later = submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 8"),
        reviewer=world.users.reviewer_phuong,
    )
    earlier = submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 9"),
        reviewer=world.users.reviewer_phuong,
    )
    Assessment.objects.filter(pk=later.pk).update(review_due_on=today() + 9 * day)
    Assessment.objects.filter(pk=earlier.pk).update(review_due_on=today() + 3 * day)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(shown))

    assert response.context["next_waiting"] == earlier
    assert text_of(response, "next-waiting") == "Next dossier waiting for me: Khóm 9 →"


def test_review_page_links_a_dossier_the_province_stands_in_for(english, world, review_cycle):
    """Where a commune has no reviewer account, its dossiers wait for the province: the next
    dossier may be one of them."""
    shown = agency_dossier(world, review_cycle)
    Assessment.objects.filter(pk=shown.pk).update(
        status=Status.APPRAISED, awaiting_level=ReviewLevel.PROVINCE
    )
    orphan = khom_dossier(world, review_cycle)
    world.users.reviewer_phuong.roles.all().delete()
    english.force_login(world.users.reviewer_province)

    response = english.get(review_url(shown))

    assert response.context["next_waiting"] == orphan


def test_review_page_queries_do_not_depend_on_what_else_waits(client, world, review_cycle):
    """The next dossier is looked for level by level of the reviewer's roles, not of the data."""
    shown = khom_dossier(world, review_cycle)
    client.force_login(world.users.reviewer_province)
    alone = queries_of(client, review_url(shown))
    submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 9"),
        reviewer=world.users.reviewer_phuong,
    )
    agency_dossier(world, review_cycle)
    Assessment.objects.filter(unit=world.agency).update(
        status=Status.APPRAISED, awaiting_level=ReviewLevel.PROVINCE
    )
    world.users.reviewer_phuong.roles.all().delete()  # the province stands in for the commune

    assert queries_of(client, review_url(shown)) == alone


def test_review_page_links_nothing_when_nothing_else_waits(english, world, review_cycle):
    shown = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(shown))

    assert response.context["next_waiting"] is None
    assert 'id="next-waiting"' not in response.content.decode()


# --- each step through the views --------------------------------------------------------------

# The approve step's confirmation box, ticked.
CONFIRMED = {"confirm": "on"}


def test_approve_recommends_a_commune_managed_unit(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)
    page = english.get(review_url(assessment))
    assert "Recommend for recognition" in text_of(page, "approve-form")

    response = english.post(
        review_url(assessment, "approve"),
        {"seen_status": Status.SUBMITTED, **CONFIRMED},
        follow=True,
    )

    assert messages_of(response) == ["The unit was recommended for recognition."]
    assert status_of(assessment) == Status.RECOMMENDED
    assert "Submitted, being appraised → recommended for recognition" in text_of(
        response, "timeline"
    )


def test_approve_forwards_a_province_managed_unit_then_the_province_accepts(
    english, world, review_cycle
):
    assessment = agency_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)
    assert "Forward to the province" in text_of(english.get(review_url(assessment)), "approve-form")

    forwarded = english.post(review_url(assessment, "approve"), CONFIRMED, follow=True)
    english.force_login(world.users.reviewer_province)
    page = english.get(review_url(assessment))
    accepted = english.post(review_url(assessment, "approve"), CONFIRMED, follow=True)

    assert messages_of(forwarded) == ["The dossier was forwarded to the province."]
    assert "Recommend for recognition" in text_of(page, "approve-form")
    assert messages_of(accepted) == ["The unit was recommended for recognition."]
    assert list(assessment.transitions.values_list("to_status", "level")) == [
        (Status.SUBMITTED, ""),
        (Status.APPRAISED, ReviewLevel.COMMUNE),
        (Status.RECOMMENDED, ReviewLevel.PROVINCE),
    ]


def test_refuse_without_a_reason_is_a_field_error(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(review_url(assessment, "refuse"), {"refuse-reason": "  "})

    assert response.status_code == 400
    assert response.context["refuse_form"].errors == {
        "reason": ["Give the reason for not recommending the unit."]
    }
    assert status_of(assessment) == Status.SUBMITTED


def test_refuse_with_a_reason_records_it(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        review_url(assessment, "refuse"), {"refuse-reason": "Xảy ra trọng án"}, follow=True
    )

    assert messages_of(response) == ["The unit was not recommended; the reason is recorded."]
    assert status_of(assessment) == Status.NOT_RECOMMENDED
    assert assessment.transitions.last().reason == "Xảy ra trọng án"
    assert "Xảy ra trọng án" in text_of(response, "timeline")


def _send_back_data(assessment, reasons: dict[int, str], ticked=None) -> dict:
    data = {"back-seen_status": assessment.status}
    for number, reason in reasons.items():
        criterion = assessment.answers.get(criterion__number=number).criterion
        if ticked is None or number in ticked:
            data[f"back-send_{criterion.pk}"] = "on"
        data[f"back-reason_{criterion.pk}"] = reason
    return data


def test_send_back_two_criteria_opens_round_two_for_the_unit(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        review_url(assessment, "send-back"),
        _send_back_data(assessment, {1: "Thiếu danh sách hộ", 3: "Ghi rõ từng mục"}),
        follow=True,
    )

    assert messages_of(response) == ["The dossier went back to the unit for round 2."]
    returned = Assessment.objects.get(pk=assessment.pk)
    assert (returned.status, returned.round) == (Status.RETURNED, 2)
    assert sorted(returned.returns.values_list("criterion__number", "reason", "round")) == [
        (1, "Thiếu danh sách hộ", 2),
        (3, "Ghi rõ từng mục", 2),
    ]
    assert "1. Quý I" in text_of(response, "returns")
    assert "Ghi rõ từng mục" in text_of(response, "returns")
    english.force_login(world.users.rep_khom)
    unit_page = english.get(reverse("certification:unit-dossier", args=[world.khom_1.pk]))
    assert (unit_page.context["assessment"].status, unit_page.context["assessment"].round) == (
        Status.RETURNED,
        2,
    )


def test_send_back_without_a_reason_keeps_what_was_typed(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)
    data = _send_back_data(assessment, {1: "Thiếu danh sách hộ", 4: ""})

    response = english.post(review_url(assessment, "send-back"), data)

    assert response.status_code == 400
    form = response.context["send_back_form"]
    fourth = assessment.answers.get(criterion__number=4).criterion
    first = assessment.answers.get(criterion__number=1).criterion
    assert form.errors == {f"reason_{fourth.pk}": ["Give the reason for sending back criterion 4."]}
    assert form[f"reason_{first.pk}"].value() == "Thiếu danh sách hộ"
    assert "Thiếu danh sách hộ</textarea>" in response.content.decode()
    assert status_of(assessment) == Status.SUBMITTED


def test_send_back_errors_are_drawn_on_their_fields_and_above_them(english, world, review_cycle):
    # The step forms are drawn with the bootstrap5 field template, as crispy drew them: each
    # criterion's box and reason in a bordered group, a field's error under it, the form's above.
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)
    first = assessment.answers.get(criterion__number=1).criterion
    fourth = assessment.answers.get(criterion__number=4).criterion

    response = english.post(
        review_url(assessment, "send-back"),
        _send_back_data(assessment, {1: "Thiếu danh sách hộ", 4: ""}),
    )
    nothing = english.post(review_url(assessment, "send-back"), {"back-seen_status": "submitted"})

    page = _markup(response)
    assert (
        f'<div class="border rounded p-2 mb-2"><div class="mb-3">'
        f'<div id="div_id_back-send_{first.pk}" class="form-check">'
        f'<input type="checkbox" name="back-send_{first.pk}" '
        f'class="checkboxinput form-check-input" id="id_back-send_{first.pk}" checked>'
    ) in page
    reason = f"id_back-reason_{fourth.pk}"
    assert (
        f'class="textarea form-control is-invalid" aria-invalid="true" '
        f'aria-describedby="{reason}_error" id="{reason}">'
    ) in page
    assert (
        f'<div id="{reason}_error" class="invalid-feedback"><span id="error_1_{reason}">'
        "<strong>Give the reason for sending back criterion 4.</strong></span></div>"
    ) in page
    assert (
        '<div class="alert alert-block alert-danger"><ul class="m-0"><li>Tick at least one '
        "criterion to send back and give the reason for each.</li>"
    ) in _markup(nothing)


def _markup(response) -> str:
    """The page's HTML with its whitespace folded, none between tags or before a tag's end."""
    return re.sub(r" ?> ?<", "><", re.sub(r" >", ">", " ".join(response.content.decode().split())))


def test_send_back_a_reason_without_the_tick_is_an_error(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)
    data = _send_back_data(assessment, {2: "Bổ sung báo cáo"}, ticked=())

    response = english.post(review_url(assessment, "send-back"), data)

    second = assessment.answers.get(criterion__number=2).criterion
    assert response.context["send_back_form"].errors == {
        f"send_{second.pk}": ["Tick criterion 2 to send it back, or clear its reason."]
    }
    assert status_of(assessment) == Status.SUBMITTED


def test_send_back_with_nothing_ticked_is_an_error(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(review_url(assessment, "send-back"), {"back-seen_status": "submitted"})

    assert response.context["send_back_form"].non_field_errors() == [
        "Tick at least one criterion to send back and give the reason for each."
    ]


def test_review_page_shows_what_changed_after_resubmission(english, world, review_cycle):
    reviewer = world.users.reviewer_phuong
    assessment = khom_dossier(world, review_cycle)
    first = assessment.answers.get(criterion__number=1).criterion
    fourth = assessment.answers.get(criterion__number=4).criterion
    services.send_back_criteria(
        assessment,
        reasons={first.pk: "Thiếu danh sách hộ", fourth.pk: "Số liệu chưa khớp"},
        by=reviewer,
        now=timezone.now(),
    )
    services.save_answers(
        assessment,
        answers={
            first.pk: {"note": "Đã bổ sung danh sách"},
            fourth.pk: {"figures": {"crimes": 1}},
        },
        by=None,
    )
    services.submit_assessment(assessment, by=None, now=timezone.now(), today=today())
    english.force_login(reviewer)

    response = english.get(review_url(assessment))

    assert text_of(response, "round-changes") == (
        "What changed in round 2 Criterion What Before Now "
        f"1. {first.title} Note — Đã bổ sung danh sách "
        f"4. {fourth.title} Crimes 2 1"
    )
    assert "Sent back for this round: Thiếu danh sách hộ" in text_of(response, "criterion-1")


def test_send_down_returns_an_appraised_dossier_to_the_commune(english, world, review_cycle):
    assessment = agency_dossier(world, review_cycle)
    services.approve_assessment(
        assessment, by=world.users.reviewer_phuong, now=timezone.now(), today=today()
    )
    english.force_login(world.users.reviewer_province)

    missing = english.post(review_url(assessment, "send-down"), {"down-reason": ""})
    response = english.post(
        review_url(assessment, "send-down"), {"down-reason": "Thiếu ý kiến công an xã"}, follow=True
    )

    assert missing.context["send_down_form"].errors == {
        "reason": ["Give the reason for sending the dossier back."]
    }
    assert messages_of(response) == ["The dossier went back to the commune police."]
    down = Assessment.objects.get(pk=assessment.pk)
    assert (down.status, down.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)


def test_reopen_unlocks_a_recommended_dossier_with_a_reason(english, world, review_cycle):
    reviewer = world.users.reviewer_phuong
    assessment = khom_dossier(world, review_cycle)
    services.approve_assessment(assessment, by=reviewer, now=timezone.now(), today=today())
    english.force_login(reviewer)

    missing = english.post(review_url(assessment, "reopen"), {"reopen-reason": " "})
    response = english.post(
        review_url(assessment, "reopen"), {"reopen-reason": "Phát hiện sai sót"}, follow=True
    )

    assert missing.status_code == 400
    assert missing.context["reopen_form"].errors == {
        "reason": ["Give the reason for reopening the dossier."]
    }
    assert messages_of(response) == ["The dossier was reopened for review."]
    reopened = Assessment.objects.get(pk=assessment.pk)
    assert (reopened.status, reopened.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)


# --- steps refused ----------------------------------------------------------------------------


def test_approving_a_draft_is_a_404(client, world, review_cycle):
    assessment = started(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    client.force_login(world.users.reviewer_phuong)

    response = client.post(review_url(assessment, "approve"), {"seen_status": Status.DRAFT})

    assert response.status_code == 404
    assert status_of(assessment) == Status.DRAFT


def test_province_cannot_approve_at_the_commune_level(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    client.force_login(world.users.reviewer_province)

    response = client.post(review_url(assessment, "approve"), {"seen_status": Status.SUBMITTED})

    assert response.status_code == 404
    assert status_of(assessment) == Status.SUBMITTED


def test_commune_cannot_approve_at_the_province_level(client, world, review_cycle):
    assessment = agency_dossier(world, review_cycle)
    services.approve_assessment(
        assessment, by=world.users.reviewer_phuong, now=timezone.now(), today=today()
    )
    client.force_login(world.users.reviewer_phuong)

    response = client.post(review_url(assessment, "approve"), {"seen_status": Status.APPRAISED})

    assert response.status_code == 404
    assert status_of(assessment) == Status.APPRAISED


@pytest.mark.parametrize(
    ("step", "data"),
    [("reopen", {"reopen-reason": "x"}), ("send-down", {"down-reason": "x"})],
)
def test_a_step_in_the_wrong_status_is_refused_with_a_message(
    english, world, review_cycle, step, data
):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(review_url(assessment, step), data, follow=True)

    assert messages_of(response) == [
        "This dossier is now submitted, being appraised; the step was not applied "
        "(someone may have acted first). Reload the page."
    ]
    assert status_of(assessment) == Status.SUBMITTED


def test_acting_from_an_outdated_page_says_someone_acted_first(english, world, review_cycle):
    assessment = agency_dossier(world, review_cycle)
    colleague = UserFactory(username="ca.traVinh.2")
    grant_role(colleague, Role.REVIEWER, area=world.phuong_1, by=None)
    services.approve_assessment(assessment, by=colleague, now=timezone.now(), today=today())
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        review_url(assessment, "approve"), {"seen_status": Status.SUBMITTED}, follow=True
    )

    assert response.status_code == 200
    assert messages_of(response) == [
        "This dossier is now appraised by the commune, waiting for the province; the step was "
        "not applied (someone may have acted first). Reload the page."
    ]
    assert assessment.transitions.filter(to_status=Status.APPRAISED).count() == 1


def test_recommending_a_commune_with_undecided_children_is_a_message(english, world, review_cycle):
    commune = _commune_with_children(world, review_cycle, areas=3, registered=3, recognised=3)
    UnitFactory(area=commune.area)
    assessment = submitted(review_cycle, commune, reviewer=world.users.reviewer_province)
    english.force_login(world.users.reviewer_province)

    response = english.post(
        review_url(assessment, "approve"),
        {**CONFIRMED, "override": "on", "override_reason": "Checked on site."},
        follow=True,
    )

    assert messages_of(response) == [
        "The commune's dossier cannot be recommended while 1 of its 4 child units are undecided."
    ]
    assert status_of(assessment) == Status.SUBMITTED


STEPS = [
    ("approve", {}),
    ("refuse", {"refuse-reason": "x"}),
    ("send-back", {}),
    ("send-down", {"down-reason": "x"}),
    ("reopen", {"reopen-reason": "x"}),
]


@pytest.mark.parametrize(("step", "data"), STEPS)
def test_reviewer_of_another_area_gets_a_404_on_every_step(client, world, review_cycle, step, data):
    assessment = khom_dossier(world, review_cycle)
    stranger = UserFactory(username="ca.canglong")
    grant_role(stranger, Role.REVIEWER, area=world.xa_2, by=None)
    client.force_login(stranger)

    response = client.post(review_url(assessment, step), {**data, "seen_status": "draft"})

    assert response.status_code == 404
    assert status_of(assessment) == Status.SUBMITTED


def test_reviewer_of_another_area_gets_a_404_on_the_page_and_the_files(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    stranger = UserFactory(username="ca.canglong")
    grant_role(stranger, Role.REVIEWER, area=world.xa_2, by=None)
    client.force_login(stranger)
    document = assessment.documents.first()

    page = client.get(review_url(assessment))
    download = client.get(reverse("certification:dossier-document-download", args=[document.pk]))
    queue = client.get(reverse(QUEUE), {"waiting": ""})

    assert (page.status_code, download.status_code) == (404, 404)
    assert queue_rows(queue) == []


def test_steps_only_accept_post(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    client.force_login(world.users.reviewer_phuong)

    response = client.get(review_url(assessment, "approve"))

    assert response.status_code == 405


def test_unit_representative_reads_the_review_page_without_steps(english, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    english.force_login(world.users.rep_khom)

    page = english.get(review_url(assessment))
    step = english.post(review_url(assessment, "approve"), {"seen_status": Status.SUBMITTED})

    assert page.status_code == 200
    assert 'id="review-actions"' not in page.content.decode()
    assert step.status_code == 404


# --- home, admin ------------------------------------------------------------------------------


def test_home_tells_a_reviewer_how_many_dossiers_wait(english, world, review_cycle):
    khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.get(reverse("home"))

    assert text_of(response, "queue-dossiers") == "1 dossiers to appraise"


def test_admin_shows_a_dossier_with_its_whole_timeline(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    services.refuse_assessment(
        assessment, by=world.users.reviewer_phuong, now=timezone.now(), reason="Xảy ra trọng án"
    )
    admin_user = UserFactory(username="sieuquantri", is_staff=True, is_superuser=True)
    client.force_login(admin_user)

    changelist = client.get(reverse("admin:certification_assessment_changelist"))
    change = client.get(reverse("admin:certification_assessment_change", args=[assessment.pk]))
    results = client.get(reverse("admin:certification_yearlyresult_changelist"))

    assert changelist.status_code == 200
    assert "Khóm 1" in changelist.content.decode()
    assert change.status_code == 200
    page = change.content.decode()
    assert "Xảy ra trọng án" in page
    assert page.count("ca.traVinh") >= 1
    assert results.status_code == 200
    assert list(change.context["inline_admin_formsets"][0].formset.queryset) == list(
        assessment.transitions.order_by("at", "pk")
    )


def test_review_page_lists_failing_criteria_in_the_readiness_check(english, world, review_cycle):
    assessment = started(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    answer_all(assessment, "not_met")
    services.submit_assessment(assessment, by=None, now=timezone.now(), today=today())
    english.force_login(world.users.reviewer_phuong)

    response = english.get(review_url(assessment))

    assert [row["view"].answer.answer for row in response.context["criteria"]] == ["not_met"] * 5
    assert "Criterion 5: The unit answers “not met”." in text_of(response, "readiness")
