import datetime

import pytest
from django.core.exceptions import ValidationError

from certification.evaluation import FAIL, PASS, threshold_reached
from certification.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    DossierDocumentKind,
    RegistrationStatus,
    ReviewLevel,
)
from certification.services import assessment as services
from certification.services import registration as registration_services
from certification.services.cycles import create_cycle
from certification.workflows.base import InvalidTransition
from tests.builders import ASSESSED_AT as NOW
from tests.builders import ASSESSED_ON as TODAY
from tests.builders import (
    acknowledged,
    answer_all,
    commune_with_children,
    complete_dossier,
    complete_values,
    pdf_file,
)
from tests.factories import UnitFactory

pytestmark = pytest.mark.django_db
d = datetime.date
Status = AssessmentStatus


@pytest.fixture
def tt124():
    return CriteriaSet.objects.get(code="TT124-2021", version=1)


@pytest.fixture
def cycle124(world, tt124):
    """The 2026 cycle; the commune police appraise province-managed bodies first."""
    cycle = create_cycle(year=2026, province=world.vinh_long, criteria_set=tt124, by=None)
    cycle.commune_police_appraise_first = True
    cycle.save(update_fields=["commune_police_appraise_first"])
    return cycle


@pytest.fixture
def khom_dossier(world, cycle124):
    registration = acknowledged(cycle124, world.khom_1, reviewer=world.users.reviewer_phuong)
    return services.start_assessment(registration, by=world.users.rep_khom, today=TODAY)


# --- opening the dossier ----------------------------------------------------------------------


def test_dossier_needs_an_acknowledged_registration(world, cycle124):
    registration = registration_services.start_registration(
        cycle124, world.khom_1, values=complete_values(), by=None, today=d(2026, 2, 10)
    )
    with pytest.raises(ValidationError) as error:
        services.start_assessment(registration, by=None, today=TODAY)
    assert error.value.messages == ["Hồ sơ đề nghị chỉ mở khi đăng ký năm 2026 đã được tiếp nhận."]


def test_dossier_is_refused_after_its_due_date(world, cycle124):
    registration = acknowledged(cycle124, world.khom_1, reviewer=world.users.reviewer_phuong)
    with pytest.raises(ValidationError) as error:
        services.start_assessment(registration, by=None, today=d(2026, 11, 6))
    assert error.value.messages == ["Hạn nộp hồ sơ năm 2026 đã kết thúc ngày 05/11/2026."]


def test_dossier_has_one_answer_per_criterion_of_the_unit_type(khom_dossier):
    numbers = list(khom_dossier.answers.values_list("criterion__number", flat=True))
    assert numbers == [1, 2, 3, 4, 5]
    assert khom_dossier.status == Status.DRAFT


def test_dossier_copies_last_years_notes_but_not_the_answers(world, tt124, cycle124):
    last_cycle = create_cycle(year=2025, province=world.vinh_long, criteria_set=tt124, by=None)
    old_registration = registration_services.start_registration(
        last_cycle, world.khom_1, values=complete_values(), by=None, today=d(2025, 2, 10)
    )
    old_registration.status = RegistrationStatus.ACKNOWLEDGED
    old_registration.save()
    old = services.start_assessment(old_registration, by=None, today=d(2025, 11, 1))
    first = old.answers.get(criterion__number=1)
    yoy = old.answers.get(criterion__kind="YOY")
    services.save_answers(
        old,
        answers={
            first.criterion_id: {"answer": "met", "note": "Chi bộ họp ngày 15/01"},
            yoy.criterion_id: {"figures": {"crimes": 4}},
        },
        by=None,
    )

    registration = acknowledged(cycle124, world.khom_1, reviewer=world.users.reviewer_phuong)
    new = services.start_assessment(registration, by=None, today=TODAY)

    copied = new.answers.get(criterion__number=1)
    assert (copied.note, copied.note_copied, copied.answer) == ("Chi bộ họp ngày 15/01", True, "")
    assert new.answers.get(criterion__kind="YOY").figures == {"crimes_last_year": 4}


# --- automatic evaluation ---------------------------------------------------------------------


def test_threshold_rounds_the_requirement_up_as_the_official_example():
    assert threshold_reached(16, 25, 70) is False
    assert threshold_reached(17, 25, 70) is False
    assert threshold_reached(18, 25, 70) is True


def test_evaluation_reads_the_households_share_from_the_figures(world, cycle124):
    registration = acknowledged(
        cycle124,
        world.khom_1,
        reviewer=world.users.reviewer_phuong,
        households_resident=120,
        households_registered=118,
    )
    assessment = services.start_assessment(registration, by=None, today=TODAY)
    view = services.criterion_views(assessment, today=TODAY)[0]
    assert view.evaluation.result == FAIL
    assert "118 trên 120" in view.evaluation.explanation


def test_evaluation_flags_a_document_dated_after_the_first_quarter(world, cycle124):
    registration = acknowledged(cycle124, world.khom_1, reviewer=world.users.reviewer_phuong)
    registration.documents.update(document_date=d(2026, 4, 2))
    assessment = services.start_assessment(registration, by=None, today=TODAY)
    view = services.criterion_views(assessment, today=TODAY)[0]
    assert view.evaluation.result == FAIL
    assert "02/04/2026" in view.evaluation.explanation


def test_reviewer_sees_when_the_answer_contradicts_the_data(world, cycle124):
    registration = acknowledged(
        cycle124, world.khom_1, reviewer=world.users.reviewer_phuong, households_registered=100
    )
    assessment = services.start_assessment(registration, by=None, today=TODAY)
    answer_all(assessment, "met")
    view = services.criterion_views(assessment, today=TODAY)[0]
    assert (view.answer.answer, view.evaluation.result, view.contradicts) == ("met", FAIL, True)


@pytest.mark.parametrize(
    ("recognised", "expected"), [(16, FAIL), (17, FAIL), (18, PASS), (25, PASS)]
)
def test_commune_child_rule_with_the_official_worked_example(world, cycle124, recognised, expected):
    commune = commune_with_children(world, cycle124, areas=25, registered=25, recognised=recognised)
    registration = acknowledged(cycle124, commune, reviewer=world.users.reviewer_province)
    assessment = services.start_assessment(registration, by=None, today=TODAY)
    views = services.criterion_views(assessment, today=TODAY)
    child_rule = next(v for v in views if v.criterion.kind == "PCT-CHILD")
    assert child_rule.evaluation.result == expected
    assert f"{recognised} trên 25 đơn vị trực thuộc được công nhận, cần 18" in (
        child_rule.evaluation.explanation
    )


def test_commune_child_rule_needs_every_child_registered(world, cycle124):
    commune = commune_with_children(world, cycle124, areas=25, registered=24, recognised=25)
    registration = acknowledged(cycle124, commune, reviewer=world.users.reviewer_province)
    assessment = services.start_assessment(registration, by=None, today=TODAY)
    child_rule = next(
        v
        for v in services.criterion_views(assessment, today=TODAY)
        if v.criterion.kind == "PCT-CHILD"
    )
    assert child_rule.evaluation.result == FAIL
    assert "24 trên 25 đơn vị trực thuộc đã đăng ký (cần 25)" in child_rule.evaluation.explanation


def test_commune_dossier_cannot_be_recommended_while_a_child_is_undecided(world, cycle124):
    commune = commune_with_children(world, cycle124, areas=5, registered=5, recognised=5)
    undecided = UnitFactory(area=commune.area)
    registration_services.start_registration(
        cycle124, undecided, values={}, by=None, today=d(2026, 2, 1)
    )
    registration = acknowledged(cycle124, commune, reviewer=world.users.reviewer_province)
    assessment = complete_dossier(services.start_assessment(registration, by=None, today=TODAY))
    services.submit_assessment(assessment, by=None, now=NOW, today=TODAY)
    with pytest.raises(ValidationError) as error:
        services.approve_assessment(
            assessment, by=world.users.reviewer_province, now=NOW, today=TODAY
        )
    assert error.value.messages == [
        "Chưa thể đề nghị công nhận xã khi còn 1 trong 6 đơn vị trực thuộc chưa có kết quả."
    ]
    assert Assessment.objects.get(pk=assessment.pk).status == Status.SUBMITTED


# --- readiness --------------------------------------------------------------------------------


def test_readiness_lists_unanswered_missing_and_failing(khom_dossier):
    report = services.readiness(khom_dossier, today=TODAY)
    assert len(report.unanswered) == 5
    assert report.missing_documents == [
        "tờ trình đề nghị xét duyệt, công nhận",
        "báo cáo kết quả xây dựng đạt tiêu chuẩn “An toàn về an ninh, trật tự”",
        "biên bản họp đánh giá",
        "ngày họp đánh giá",
    ]
    assert report.passes is False


def test_readiness_passes_for_a_complete_dossier(khom_dossier):
    report = services.readiness(complete_dossier(khom_dossier), today=TODAY)
    assert (report.unanswered, report.missing_documents, report.failing) == ([], [], [])


def test_readiness_never_blocks_submitting(khom_dossier):
    submitted = services.submit_assessment(khom_dossier, by=None, now=NOW, today=TODAY)
    assert (submitted.status, submitted.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)


# --- transitions ------------------------------------------------------------------------------


def test_commune_reviewer_recommends_a_commune_managed_unit(world, khom_dossier):
    services.submit_assessment(complete_dossier(khom_dossier), by=None, now=NOW, today=TODAY)
    recommended = services.approve_assessment(
        khom_dossier, by=world.users.reviewer_phuong, now=NOW, today=TODAY
    )
    assert (recommended.status, recommended.awaiting_level) == (Status.RECOMMENDED, "")


def test_province_managed_unit_is_appraised_then_accepted(world, cycle124):
    registration = acknowledged(
        cycle124,
        world.agency,
        reviewer=world.users.reviewer_province,
        staff_total=40,
        staff_pledged=40,
    )
    assessment = complete_dossier(services.start_assessment(registration, by=None, today=TODAY))
    services.submit_assessment(assessment, by=None, now=NOW, today=TODAY)
    with pytest.raises(PermissionError):
        services.approve_assessment(
            assessment, by=world.users.reviewer_province, now=NOW, today=TODAY
        )

    appraised = services.approve_assessment(
        assessment, by=world.users.reviewer_phuong, now=NOW, today=TODAY
    )
    assert (appraised.status, appraised.awaiting_level) == (Status.APPRAISED, ReviewLevel.PROVINCE)
    with pytest.raises(PermissionError):
        services.approve_assessment(
            assessment, by=world.users.reviewer_phuong, now=NOW, today=TODAY
        )

    accepted = services.approve_assessment(
        assessment, by=world.users.reviewer_province, now=NOW, today=TODAY
    )
    assert accepted.status == Status.RECOMMENDED
    levels = list(accepted.transitions.values_list("to_status", "level", "by__username"))
    assert levels == [
        ("submitted", "", None),
        ("appraised", "commune", "ca.traVinh"),
        ("recommended", "province", "ca.tinh"),
    ]


def test_province_sends_a_dossier_back_down_to_the_commune(world, cycle124):
    registration = acknowledged(
        cycle124,
        world.agency,
        reviewer=world.users.reviewer_province,
        staff_total=4,
        staff_pledged=4,
    )
    assessment = complete_dossier(services.start_assessment(registration, by=None, today=TODAY))
    services.submit_assessment(assessment, by=None, now=NOW, today=TODAY)
    services.approve_assessment(assessment, by=world.users.reviewer_phuong, now=NOW, today=TODAY)
    down = services.send_down(
        assessment, by=world.users.reviewer_province, now=NOW, reason="Thiếu ý kiến công an xã"
    )
    assert (down.status, down.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)
    assert down.transitions.last().reason == "Thiếu ý kiến công an xã"


@pytest.mark.parametrize(
    "step",
    ["approve", "refuse", "send_back", "send_down", "reopen"],
)
def test_reviewer_steps_are_refused_on_a_draft(world, khom_dossier, step):
    reviewer = world.users.reviewer_phuong
    calls = {
        "approve": lambda: services.approve_assessment(
            khom_dossier, by=reviewer, now=NOW, today=TODAY
        ),
        "refuse": lambda: services.refuse_assessment(
            khom_dossier, by=reviewer, now=NOW, reason="x"
        ),
        "send_back": lambda: services.send_back_criteria(
            khom_dossier,
            reasons={khom_dossier.answers.first().criterion_id: "x"},
            by=reviewer,
            now=NOW,
        ),
        "send_down": lambda: services.send_down(khom_dossier, by=reviewer, now=NOW, reason="x"),
        "reopen": lambda: services.reopen_assessment(
            khom_dossier, by=reviewer, now=NOW, reason="x"
        ),
    }
    with pytest.raises((InvalidTransition, PermissionError)):
        calls[step]()
    assert Assessment.objects.get(pk=khom_dossier.pk).status == Status.DRAFT


def test_submitted_dossier_is_read_only_for_the_unit(khom_dossier):
    services.submit_assessment(khom_dossier, by=None, now=NOW, today=TODAY)
    criterion_id = khom_dossier.answers.first().criterion_id
    with pytest.raises(InvalidTransition):
        services.save_answers(khom_dossier, answers={criterion_id: {"answer": "met"}}, by=None)


def test_reviewer_of_another_area_cannot_act(world, khom_dossier):
    services.submit_assessment(khom_dossier, by=None, now=NOW, today=TODAY)
    for user in (world.users.decider_xa2, world.users.observer_ben_tre, world.users.rep_khom):
        with pytest.raises(PermissionError):
            services.approve_assessment(khom_dossier, by=user, now=NOW, today=TODAY)


def test_refusing_needs_a_reason(world, khom_dossier):
    services.submit_assessment(khom_dossier, by=None, now=NOW, today=TODAY)
    with pytest.raises(ValidationError):
        services.refuse_assessment(khom_dossier, by=world.users.reviewer_phuong, now=NOW, reason="")
    refused = services.refuse_assessment(
        khom_dossier, by=world.users.reviewer_phuong, now=NOW, reason="Xảy ra trọng án"
    )
    assert refused.status == Status.NOT_RECOMMENDED


def test_recommended_dossier_is_locked_until_reopened_with_a_reason(world, khom_dossier):
    reviewer = world.users.reviewer_phuong
    services.submit_assessment(complete_dossier(khom_dossier), by=None, now=NOW, today=TODAY)
    services.approve_assessment(khom_dossier, by=reviewer, now=NOW, today=TODAY)
    criterion_id = khom_dossier.answers.first().criterion_id
    with pytest.raises(InvalidTransition):
        services.save_answers(khom_dossier, answers={criterion_id: {"note": "x"}}, by=None)
    with pytest.raises(ValidationError):
        services.reopen_assessment(khom_dossier, by=reviewer, now=NOW, reason=" ")
    reopened = services.reopen_assessment(
        khom_dossier, by=reviewer, now=NOW, reason="Phát hiện sai"
    )
    assert (reopened.status, reopened.awaiting_level) == (Status.SUBMITTED, ReviewLevel.COMMUNE)


# --- rounds -----------------------------------------------------------------------------------


def test_send_back_two_criteria_opens_round_two_with_only_those_editable(world, khom_dossier):
    reviewer = world.users.reviewer_phuong
    dossier = complete_dossier(khom_dossier)
    services.submit_assessment(dossier, by=None, now=NOW, today=TODAY)
    first, second, third = [a.criterion for a in dossier.answers.order_by("criterion__number")[:3]]

    returned = services.send_back_criteria(
        dossier,
        reasons={first.pk: "Thiếu danh sách hộ ký cam kết", second.pk: "Ghi rõ kết quả"},
        by=reviewer,
        now=NOW,
    )

    assert (returned.status, returned.round) == (Status.RETURNED, 2)
    assert services.returned_criteria_ids(returned) == {first.pk, second.pk}
    with pytest.raises(ValidationError):
        services.save_answers(returned, answers={third.pk: {"note": "đổi"}}, by=None)
    services.save_answers(returned, answers={first.pk: {"note": "Đã bổ sung danh sách"}}, by=None)
    resubmitted = services.submit_assessment(returned, by=None, now=NOW, today=d(2026, 11, 20))
    assert (resubmitted.status, resubmitted.round) == (Status.SUBMITTED, 2)
    assert services.round_changes(resubmitted) == [
        {"criterion": 1, "field": "note", "before": "", "after": "Đã bổ sung danh sách"}
    ]
    assert list(resubmitted.snapshots.values_list("round", flat=True)) == [1, 2]


def test_send_back_needs_a_reason_for_each_criterion(world, khom_dossier):
    services.submit_assessment(khom_dossier, by=None, now=NOW, today=TODAY)
    criterion_id = khom_dossier.answers.first().criterion_id
    with pytest.raises(ValidationError):
        services.send_back_criteria(
            khom_dossier, reasons={criterion_id: "  "}, by=world.users.reviewer_phuong, now=NOW
        )
    assert Assessment.objects.get(pk=khom_dossier.pk).status == Status.SUBMITTED


# --- bulk -------------------------------------------------------------------------------------


def test_bulk_approve_takes_only_the_ready_dossiers(world, cycle124):
    reviewer = world.users.reviewer_phuong
    ready = complete_dossier(
        services.start_assessment(
            acknowledged(cycle124, world.khom_1, reviewer=reviewer), by=None, today=TODAY
        )
    )
    other_unit = UnitFactory(area=world.phuong_1)
    incomplete = services.start_assessment(
        acknowledged(cycle124, other_unit, reviewer=reviewer), by=None, today=TODAY
    )
    for dossier in (ready, incomplete):
        services.submit_assessment(dossier, by=None, now=NOW, today=TODAY)

    outcome = services.bulk_approve(
        Assessment.objects.order_by("pk"), by=reviewer, now=NOW, today=TODAY
    )

    assert [a.pk for a in outcome.done] == [ready.pk]
    assert [(a.pk, why) for a, why in outcome.skipped] == [
        (incomplete.pk, "hồ sơ chưa qua bước kiểm tra")
    ]
    assert (
        Assessment.objects.get(pk=ready.pk).transitions.filter(to_status="recommended").count() == 1
    )


def test_dossier_steps_notify_the_next_actor(world, cycle124):
    from certification.models import Notification

    registration = acknowledged(
        cycle124,
        world.agency,
        reviewer=world.users.reviewer_province,
        staff_total=9,
        staff_pledged=9,
    )
    assessment = complete_dossier(services.start_assessment(registration, by=None, today=TODAY))
    Notification.objects.all().delete()
    services.submit_assessment(assessment, by=None, now=NOW, today=TODAY)
    services.approve_assessment(assessment, by=world.users.reviewer_phuong, now=NOW, today=TODAY)
    services.approve_assessment(assessment, by=world.users.reviewer_province, now=NOW, today=TODAY)
    events = list(Notification.objects.order_by("pk").values_list("user__username", "event"))
    assert events == [
        ("ca.traVinh", "dossier_waiting"),
        ("ca.tinh", "dossier_waiting"),
    ]


def test_evidence_of_a_criterion_not_sent_back_cannot_change_in_round_two(world, khom_dossier):
    dossier = complete_dossier(khom_dossier)
    services.submit_assessment(dossier, by=None, now=NOW, today=TODAY)
    first, second = [a.criterion for a in dossier.answers.order_by("criterion__number")[:2]]
    services.send_back_criteria(
        dossier, reasons={first.pk: "Bổ sung"}, by=world.users.reviewer_phuong, now=NOW
    )
    with pytest.raises(ValidationError):
        services.add_dossier_document(
            dossier,
            kind=DossierDocumentKind.EVIDENCE,
            criterion=second,
            uploaded_file=pdf_file(),
            by=None,
        )
    document = services.add_dossier_document(
        dossier,
        kind=DossierDocumentKind.EVIDENCE,
        criterion=first,
        uploaded_file=pdf_file(),
        by=None,
    )
    assert document.criterion == first


def test_only_the_deciding_level_may_reopen_a_decided_dossier(world, khom_dossier):
    services.submit_assessment(complete_dossier(khom_dossier), by=None, now=NOW, today=TODAY)
    services.approve_assessment(khom_dossier, by=world.users.reviewer_phuong, now=NOW, today=TODAY)
    # Khóm 1 is decided at the commune level: the province reviews it only through the commune.
    with pytest.raises(PermissionError):
        services.reopen_assessment(
            khom_dossier, by=world.users.reviewer_province, now=NOW, reason="Xem lại"
        )
    reopened = services.reopen_assessment(
        khom_dossier, by=world.users.reviewer_phuong, now=NOW, reason="Xem lại"
    )
    assert reopened.status == Status.SUBMITTED
