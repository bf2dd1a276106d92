"""Decisions through their services: numbering, results, freezing, annulment, history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _

from certification import dashboards
from certification.models import (
    Annulment,
    Assessment,
    AssessmentStatus,
    Certificate,
    CertificateStatus,
    CountedKind,
    Cycle,
    DecisionEvent,
    DecisionStatus,
    MailStatus,
    Notification,
    OutgoingMail,
    ResultValue,
    StatusCount,
    YearlyResult,
)
from certification.services import decisions as services
from certification.services.history import recognition_history
from certification.workflows.base import InvalidTransition
from tests.builders import DECIDED_AT as NOW
from tests.builders import DECIDED_ON, details, prepare, quick_recommended, yearly_results
from tests.decision_scene import VIETNAMESE_NAME
from tests.factories import AreaFactory, UnitFactory, UserFactory
from units.models import ManagingLevel, Role, UnitType
from units.services import grant_role, merge_area, move_unit

pytestmark = pytest.mark.django_db
d = datetime.date


def issue(cycle, area, dossiers, *, by, **overrides):
    decision = prepare(cycle, area, dossiers, by=by, **overrides)
    return services.issue_decision(decision, by=by, now=NOW)


# --- numbering -----------------------------------------------------------------------------------


def test_decision_number_has_the_usual_form_and_counts_per_body_and_year(world, cycle124, decider):
    khom_1, khom_2, khom_3 = (
        quick_recommended(cycle124, unit)
        for unit in (world.khom_1, *UnitFactory.create_batch(2, area=world.phuong_1))
    )
    ap_2 = quick_recommended(cycle124, world.ap_2)

    first = issue(cycle124, world.phuong_1, [khom_1], by=decider)
    second = issue(cycle124, world.phuong_1, [khom_2], by=decider)
    other_body = issue(cycle124, world.xa_2, [ap_2], by=world.users.decider_xa2)
    next_year = issue(cycle124, world.phuong_1, [khom_3], by=decider, decided_on=d(2027, 1, 5))

    assert [
        (decision.number, decision.number_year)
        for decision in (first, second, other_body, next_year)
    ] == [
        ("1/QĐ-UBND", 2026),
        ("2/QĐ-UBND", 2026),
        ("1/QĐ-UBND", 2026),
        ("1/QĐ-UBND", 2027),
    ]


def test_certificates_get_their_own_numbers_per_body_and_year(world, cycle124, decider):
    dossiers = [
        quick_recommended(cycle124, unit)
        for unit in UnitFactory.create_batch(3, area=world.phuong_1)
    ]

    issue(cycle124, world.phuong_1, dossiers[:2], by=decider)
    issue(cycle124, world.phuong_1, dossiers[2:], by=decider)

    assert sorted(Certificate.objects.values_list("number", flat=True)) == [
        "ANTT-2026-29242-0001",
        "ANTT-2026-29242-0002",
        "ANTT-2026-29242-0003",
    ]
    tokens = list(Certificate.objects.values_list("token", flat=True))
    assert len(set(tokens)) == 3
    assert all(len(token) == 32 for token in tokens)


# --- issuing -------------------------------------------------------------------------------------


def test_issuing_writes_a_result_for_every_entry_including_those_left_out(ward, issued):
    reason = "Xảy ra vụ trộm cắp tài sản chưa làm rõ"
    on_decision = {"number": "1/QĐ-UBND", "date": "20/11/2026", "reason": reason}

    results = {
        result.unit.name: (result.result, result.decided_on, result.note)
        for result in YearlyResult.objects.select_related("unit")
    }

    recognised_note = _("Decision %(number)s of %(date)s") % on_decision
    assert results == {
        VIETNAMESE_NAME: (ResultValue.RECOGNISED, DECIDED_ON, recognised_note),
        "Khóm 1": (ResultValue.RECOGNISED, DECIDED_ON, recognised_note),
        "Khóm 2": (
            ResultValue.NOT_RECOGNISED,
            DECIDED_ON,
            _("Not recognised by decision %(number)s of %(date)s: %(reason)s") % on_decision,
        ),
    }
    entry = issued.entries.get(unit=ward.khom_2)
    assert (entry.reason, entry.yearly_result.unit) == (reason, ward.khom_2)
    assert sorted(Certificate.objects.values_list("unit_name", flat=True)) == [
        "Khóm 1",
        VIETNAMESE_NAME,
    ]
    assert issued.status == DecisionStatus.ISSUED
    assert list(issued.events.values_list("action", flat=True)) == ["prepared", "issued"]


def test_issuing_notifies_each_unit_and_mails_after_commit(
    ward, decider, django_capture_on_commit_callbacks
):
    representative = UserFactory(username="kdc.to7")
    grant_role(representative, Role.UNIT_REPRESENTATIVE, unit=ward.to_7, by=None)
    decision = prepare(ward.cycle, ward.area, [ward.dossier_to_7], by=decider)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.issue_decision(decision, by=decider, now=NOW)

    notification = Notification.objects.get(event="decision_issued")
    assert (notification.user, notification.url, notification.subject) == (
        representative,
        ward.to_7.get_absolute_url(),
        _("%(unit)s is recognised for %(year)s") % {"unit": VIETNAMESE_NAME, "year": 2026},
    )
    mail = OutgoingMail.objects.get(event="decision_issued")
    assert (mail.to, mail.status) == ("kdc.to7@example.vn", MailStatus.PENDING)
    assert len(callbacks) == 1  # the delivery is published once the decision commits


def test_issued_decision_cannot_be_changed(ward, issued, decider):
    with pytest.raises(InvalidTransition):
        services.update_decision(
            issued,
            details=details(signer_name="Người Khác"),
            choices={ward.dossier_khom_1.pk: ("recognised", "")},
            by=decider,
            now=NOW,
        )
    with pytest.raises(InvalidTransition):
        services.issue_decision(issued, by=decider, now=NOW)
    with pytest.raises(InvalidTransition):
        services.discard_decision(issued, by=decider)

    issued.refresh_from_db()
    assert (issued.number, issued.signer_name, issued.entries.count()) == (
        "1/QĐ-UBND",
        "Võ Thị Mai",
        3,
    )


def test_draft_can_be_changed_and_discarded(ward, decider):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)

    services.update_decision(
        decision,
        details=details(signer_name="Nguyễn Văn Bình", signer_title="Phó Chủ tịch"),
        choices={
            ward.dossier_khom_1.pk: ("recognised", ""),
            ward.dossier_khom_2.pk: ("recognised", ""),
        },
        by=decider,
        now=NOW,
    )
    decision.refresh_from_db()
    assert (decision.signer_name, decision.entries.count()) == ("Nguyễn Văn Bình", 2)

    services.discard_decision(decision, by=decider)
    assert services.awaiting_decision(ward.area, ward.cycle).count() == 3


def test_left_out_unit_needs_a_reason(ward, decider):
    with pytest.raises(ValidationError) as error:
        prepare(ward.cycle, ward.area, [], by=decider, left_out={ward.dossier_khom_2: "  "})

    assert "Khóm 2" in error.value.messages[0]


def test_decision_takes_only_dossiers_its_body_decides(world, ward, decider):
    # The provincial agency lies in the ward but is recognised by the province.
    agency_dossier = quick_recommended(ward.cycle, world.agency)

    assert set(services.awaiting_decision(ward.area, ward.cycle)) == {
        ward.dossier_to_7,
        ward.dossier_khom_1,
        ward.dossier_khom_2,
    }
    with pytest.raises(ValidationError):
        prepare(ward.cycle, ward.area, [agency_dossier], by=decider)


def test_someone_else_cannot_prepare_or_issue(world, ward, decider):
    with pytest.raises(PermissionError):
        prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=world.users.decider_xa2)
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    with pytest.raises(PermissionError):
        services.issue_decision(decision, by=world.users.reviewer_phuong, now=NOW)


def test_issuing_refuses_a_dossier_reopened_meanwhile(ward, decider):
    decision = prepare(ward.cycle, ward.area, [ward.dossier_khom_1], by=decider)
    Assessment.objects.filter(pk=ward.dossier_khom_1.pk).update(status=AssessmentStatus.SUBMITTED)

    with pytest.raises(ValidationError) as error:
        services.issue_decision(decision, by=decider, now=NOW)

    assert "Khóm 1" in error.value.messages[0]
    decision.refresh_from_db()
    assert (decision.status, decision.number) == (DecisionStatus.DRAFT, "")


def test_certificate_keeps_the_names_of_the_decision_day(world, ward, issued):
    new_ward = AreaFactory(parent=world.vinh_long, code="29999", name="Phường Trà Vinh Mới")
    merge_area(world.phuong_1, new_ward, on=d(2027, 1, 1), reason="Nghị quyết sáp nhập", by=None)

    certificate = Certificate.objects.get(unit=ward.to_7)

    assert (certificate.unit_name, certificate.area_name) == (VIETNAMESE_NAME, "Phường Trà Vinh")
    assert certificate.unit.area == new_ward


# --- annulment and public status -----------------------------------------------------------------


def test_annulment_records_the_reference_and_the_year_becomes_not_recognised(ward, issued, decider):
    certificate = Certificate.objects.get(unit=ward.khom_1)

    services.annul_certificate(
        certificate,
        annulled_on=d(2026, 12, 10),
        reference="Quyết định số 7/QĐ-UBND ngày 10/12/2026",
        reason="Hồ sơ kê khai không trung thực",
        by=decider,
        now=NOW,
    )

    annulment = Annulment.objects.get()
    assert (annulment.certificate, annulment.annulled_on, annulment.by) == (
        certificate,
        d(2026, 12, 10),
        decider,
    )
    result = YearlyResult.objects.get(unit=ward.khom_1)
    assert (result.result, result.decided_on) == (ResultValue.NOT_RECOGNISED, d(2026, 12, 10))
    event = DecisionEvent.objects.get(action=DecisionEvent.Action.ANNULLED)
    assert (event.decision, event.certificate, event.by) == (issued, certificate, decider)
    assert "Quyết định số 7/QĐ-UBND ngày 10/12/2026" in event.reason
    assert services.verify_certificate(certificate).status == CertificateStatus.ANNULLED


def _results_counted_right() -> bool:
    """The result counters equal a fresh count (the scene's quick dossiers skip the others)."""
    fresh = StatusCount.objects.counted()
    held = StatusCount.objects.filter(kind=CountedKind.RESULT).held()
    return held == {key: n for key, n in fresh.items() if key[0] == CountedKind.RESULT}


def _recognised_figure(world, year=2026) -> int:
    return dashboards.area_figures(world.vinh_long, datetime.date(year, 12, 31), units=0).recognised


def test_result_counters_follow_the_decision_and_its_annulment(world, ward, issued, decider):
    assert _recognised_figure(world) == 2
    assert _results_counted_right()

    services.annul_certificate(
        Certificate.objects.get(unit=ward.khom_1),
        annulled_on=d(2026, 12, 10),
        reference="Quyết định số 7/QĐ-UBND ngày 10/12/2026",
        reason="Hồ sơ kê khai không trung thực",
        by=decider,
        now=NOW,
    )

    assert _recognised_figure(world) == 1
    assert _results_counted_right()
    # The unit's results move with it to another province's area.
    move_unit(ward.to_7, world.xa_3, on=d(2026, 12, 20), reason="Sửa địa bàn", by=None)
    assert _recognised_figure(world) == 0
    assert _results_counted_right()


def test_annulment_needs_a_reason_and_happens_once(ward, issued, decider):
    certificate = Certificate.objects.get(unit=ward.khom_1)
    annul = {"annulled_on": d(2026, 12, 10), "reference": "Quyết định số 7/QĐ-UBND", "by": decider}

    with pytest.raises(ValidationError):
        services.annul_certificate(certificate, reason=" ", now=NOW, **annul)
    services.annul_certificate(certificate, reason="Vi phạm", now=NOW, **annul)
    with pytest.raises(InvalidTransition):
        services.annul_certificate(certificate, reason="Vi phạm", now=NOW, **annul)

    assert Annulment.objects.count() == 1


def test_only_a_decision_maker_at_or_above_the_issuing_body_annuls(world, ward, issued):
    certificate = Certificate.objects.get(unit=ward.khom_1)

    with pytest.raises(PermissionError):
        services.annul_certificate(
            certificate,
            annulled_on=d(2026, 12, 10),
            reference="Quyết định số 7/QĐ-UBND",
            reason="Vi phạm",
            by=world.users.decider_xa2,
            now=NOW,
        )


def _recognised_again_in_2027(world, ward):
    next_cycle = Cycle.objects.create(
        year=2027, province=world.vinh_long, criteria_set=ward.cycle.criteria_set
    )
    YearlyResult.objects.create(
        cycle=next_cycle,
        unit=ward.khom_1,
        result=ResultValue.RECOGNISED,
        decided_on=d(2027, 11, 12),
    )


def test_certificate_stays_valid_for_its_year_when_recognised_again(world, ward, issued):
    # Arrange
    certificate = Certificate.objects.get(unit=ward.khom_1)
    assert services.verify_certificate(certificate).status == CertificateStatus.VALID
    _recognised_again_in_2027(world, ward)

    # Act
    verification = services.verify_certificate(certificate)

    # Assert
    assert (verification.status, verification.newer_year) == (CertificateStatus.VALID, 2027)
    assert verification.status_label == (
        "còn hiệu lực cho năm 2026; đã được công nhận lại năm 2027"
    )


def test_public_page_says_valid_for_the_year_and_recognised_again(client, world, ward, issued):
    # Arrange
    certificate = Certificate.objects.get(unit=ward.khom_1)
    _recognised_again_in_2027(world, ward)

    # Act
    response = client.get(reverse("public:verify", args=[certificate.token]))

    # Assert
    page = response.content.decode()
    assert "Còn hiệu lực cho năm 2026; đã được công nhận lại năm 2027." in page
    assert "alert-success" in page


# --- history -------------------------------------------------------------------------------------


R, N = ResultValue.RECOGNISED, ResultValue.NOT_RECOGNISED


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        ({2022: R, 2023: R, 2024: R, 2025: R}, (4, 2022, 2025)),
        ({2021: R, 2022: N, 2023: R, 2024: R, 2025: R}, (3, 2023, 2025)),
        ({2023: R, 2025: R}, (1, 2025, 2025)),  # a year without a result breaks the run
        ({2024: R, 2025: N}, (0, None, None)),
        ({}, (0, None, None)),
    ],
)
def test_consecutive_years_count_back_from_the_latest_result(world, cycle124, results, expected):
    yearly_results(world, world.khom_1, results)

    history = recognition_history(world.khom_1)

    assert (history.consecutive_years, history.since, history.until) == expected
    assert [row.year for row in history.years] == sorted(results, reverse=True)


def test_history_survives_an_area_merge(world, cycle124):
    yearly_results(world, world.khom_1, {2023: R, 2024: R, 2025: R})
    new_ward = AreaFactory(parent=world.vinh_long, code="29999", name="Phường Trà Vinh Mới")

    merge_area(world.phuong_1, new_ward, on=d(2025, 7, 1), reason="Sáp nhập 2025", by=None)
    history = recognition_history(world.khom_1)

    assert (history.consecutive_years, history.since, history.until) == (3, 2023, 2025)


def test_a_commune_is_decided_by_the_province(world, cycle124):
    commune = UnitFactory(
        code="XA-29242",
        name="Phường Trà Vinh",
        unit_type=UnitType.COMMUNE,
        residential_subtype="",
        area=world.phuong_1,
        managing_level=ManagingLevel.PROVINCE,
    )

    assert list(services.units_decided_by(world.vinh_long).order_by("code")) == [
        world.agency,
        commune,
    ]
    assert commune not in services.units_decided_by(world.phuong_1)


# --- decisions issued on paper -------------------------------------------------------------------


def test_paper_decision_is_recorded_once_and_later_numbers_follow_it(world, cycle124, decider):
    khom_2 = UnitFactory(code="KDC-K2", name="Khóm 2", area=world.phuong_1)

    def record():
        return services.record_decision(
            cycle124,
            world.phuong_1,
            number="98/QĐ-UBND",
            details=details(decided_on=d(2026, 11, 5)),
            results={
                world.khom_1: (ResultValue.RECOGNISED, ""),
                khom_2: (ResultValue.NOT_RECOGNISED, "Chưa đạt tiêu chí 1"),
            },
            by=decider,
            now=NOW,
        )

    paper = record()
    again = record()
    portal = issue(
        cycle124,
        world.phuong_1,
        [quick_recommended(cycle124, UnitFactory(area=world.phuong_1))],
        by=decider,
    )

    assert again == paper
    assert (paper.status, paper.number, paper.sequence) == (DecisionStatus.ISSUED, "98/QĐ-UBND", 98)
    assert portal.number == "99/QĐ-UBND"
    assert dict(YearlyResult.objects.values_list("unit__name", "result")) == {
        "Khóm 1": ResultValue.RECOGNISED,
        "Khóm 2": ResultValue.NOT_RECOGNISED,
        portal.entries.get().unit_name: ResultValue.RECOGNISED,
    }
    assert list(Certificate.objects.filter(entry__decision=paper).values_list("unit_name")) == [
        ("Khóm 1",)
    ]
    assert Notification.objects.filter(event="decision_issued").count() == 0


def test_a_dossier_on_an_issued_decision_cannot_be_reopened(world, ward, issued):
    from certification.models import AssessmentStatus
    from certification.services import assessment as assessment_services

    with pytest.raises(ValidationError) as error:
        assessment_services.reopen_assessment(
            ward.dossier_khom_1, by=world.users.reviewer_phuong, now=NOW, reason="Sai sót"
        )
    assert "quyết định đã ban hành" in error.value.messages[0]
    ward.dossier_khom_1.refresh_from_db()
    assert ward.dossier_khom_1.status == AssessmentStatus.RECOMMENDED
