import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from certification.models import (
    CycleStep,
    DocumentKind,
    ExclusionRule,
    Registration,
    RegistrationEvent,
    RegistrationStatus,
)
from certification.reports import registration_completeness
from certification.services import registration as services
from certification.services.cycles import create_cycle, grant_extension
from certification.workflows.base import InvalidTransition, NotPermitted
from tests.builders import IN_WINDOW, complete_values, pdf_file
from tests.factories import UnitFactory, published_criteria_set

pytestmark = pytest.mark.django_db
d = datetime.date
NOW = timezone.make_aware(datetime.datetime(2026, 2, 15, 9, 0))


def start(cycle, unit, *, by=None, today=IN_WINDOW, **values):
    return services.start_registration(
        cycle, unit, values=complete_values(**values), by=by, today=today
    )


def ready(cycle, unit, *, by=None):
    registration = start(cycle, unit, by=by)
    services.add_document(
        registration,
        kind=DocumentKind.PARTY_RESOLUTION,
        uploaded_file=pdf_file(),
        document_date=d(2026, 1, 20),
        by=by,
    )
    return registration


def submit(registration, *, by=None, today=IN_WINDOW):
    return services.submit_registration(registration, by=by, now=NOW, today=today)


# --- the window, duplicates, figures, exclusions ----------------------------------------------


def test_registration_after_the_window_is_refused_with_the_closing_date(world, cycle):
    with pytest.raises(ValidationError) as error:
        start(cycle, world.khom_1, today=d(2026, 4, 1))
    assert error.value.messages == ["Hạn đăng ký của năm 2026 đã kết thúc ngày 31/03/2026."]
    assert Registration.objects.count() == 0


def test_registration_before_the_window_is_refused_with_the_opening_date(world, cycle):
    with pytest.raises(ValidationError) as error:
        start(cycle, world.khom_1, today=d(2025, 12, 31))
    assert error.value.messages == ["Đăng ký năm 2026 bắt đầu từ ngày 01/01/2026."]


def test_registration_on_the_last_day_is_accepted(world, cycle):
    registration = start(cycle, world.khom_1, today=d(2026, 3, 31))
    assert registration.status == RegistrationStatus.DRAFT


def test_grace_days_extend_the_window_for_everyone(world, cycle):
    cycle.grace_days = 5
    cycle.save()
    assert start(cycle, world.khom_1, today=d(2026, 4, 5)).pk
    with pytest.raises(ValidationError) as error:
        start(cycle, world.ap_2, today=d(2026, 4, 6))
    assert error.value.messages == ["Hạn đăng ký của năm 2026 đã kết thúc ngày 05/04/2026."]


def test_extension_lets_one_unit_register_late(world, cycle):
    grant_extension(
        cycle, world.khom_1, CycleStep.REGISTRATION, due_on=d(2026, 4, 20), reason="Lũ", by=None
    )
    registration = ready(cycle, world.khom_1)
    submit(registration, today=d(2026, 4, 20))
    assert Registration.objects.get().status == RegistrationStatus.SUBMITTED
    with pytest.raises(ValidationError):
        start(cycle, world.ap_2, today=d(2026, 4, 20))


def test_second_registration_of_a_unit_for_a_cycle_is_refused(world, cycle):
    start(cycle, world.khom_1)
    with pytest.raises(ValidationError) as error:
        start(cycle, world.khom_1)
    assert error.value.messages == ["Khóm 1 đã có đăng ký năm 2026 (bản nháp)."]
    assert Registration.objects.count() == 1


def test_database_refuses_two_registrations_of_a_unit_for_a_cycle(world, cycle):
    start(cycle, world.khom_1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(cycle=cycle, unit=world.khom_1, area=world.khom_1.area)


def test_registered_households_cannot_exceed_resident_households(world, cycle):
    with pytest.raises(ValidationError) as error:
        start(cycle, world.khom_1, households_resident=100, households_registered=101)
    assert error.value.message_dict == {
        "households_registered": ["Không được lớn hơn số hộ cư trú (100)."]
    }
    assert Registration.objects.count() == 0


def test_database_refuses_more_registered_than_resident_households(world, cycle):
    registration = start(cycle, world.khom_1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=registration.pk).update(households_registered=121)


def test_excluded_unit_is_told_why_it_cannot_register(world, cycle):
    with pytest.raises(ValidationError) as error:
        start(cycle, world.enterprise)
    assert error.value.messages == [
        "Thông tư 124/2021 không áp dụng cho doanh nghiệp nhỏ và siêu nhỏ."
    ]


def test_the_same_unit_may_register_under_a_set_without_exclusions(world):
    old_rules = published_criteria_set(code="TT23-TEST", exclusion_rule=ExclusionRule.NONE)
    cycle = create_cycle(year=2020, province=world.vinh_long, criteria_set=old_rules, by=None)
    registration = start(cycle, world.enterprise, today=d(2020, 2, 1))
    assert registration.unit == world.enterprise


# --- submission and receipt codes -------------------------------------------------------------


def test_submission_lists_everything_still_missing(world, cycle):
    registration = services.start_registration(
        cycle, world.khom_1, values={}, by=None, today=IN_WINDOW
    )
    with pytest.raises(ValidationError) as error:
        submit(registration)
    assert error.value.messages == [
        "Hãy điền “ngày đăng ký”.",
        "Hãy điền “người ký”.",
        "Hãy điền “nội dung đăng ký phấn đấu”.",
        "Hãy điền “số hộ cư trú”.",
        "Hãy điền “số hộ đăng ký tham gia”.",
        "Hãy đính kèm Nghị quyết của chi bộ/đảng ủy.",
    ]
    assert Registration.objects.get().status == RegistrationStatus.DRAFT


def test_submission_gives_a_receipt_code_unique_per_registration(world, cycle):
    first = submit(ready(cycle, world.khom_1))
    second = submit(ready(cycle, world.ap_2))
    assert (first.receipt_code, second.receipt_code) == ("DK2026-86-000001", "DK2026-86-000002")
    assert first.status == RegistrationStatus.SUBMITTED
    assert first.submitted_at == NOW


def test_database_refuses_a_duplicate_receipt_code(world, cycle):
    first = submit(ready(cycle, world.khom_1))
    other = start(cycle, world.ap_2)
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.filter(pk=other.pk).update(receipt_code=first.receipt_code)


def test_returned_registration_is_fixed_and_resubmitted_with_the_same_code(world, cycle):
    reviewer = world.users.reviewer_phuong
    registration = submit(ready(cycle, world.khom_1))
    services.return_registration(registration, by=reviewer, reason="Thiếu chữ ký")
    services.save_registration(
        registration, values={"signer_title": "Trưởng khóm 1"}, by=world.users.rep_khom
    )
    # Resubmitting after the window is fine: the unit registered in time.
    resubmitted = submit(registration, today=d(2026, 5, 1))
    assert (resubmitted.status, resubmitted.receipt_code) == (
        RegistrationStatus.SUBMITTED,
        "DK2026-86-000001",
    )


def test_submitted_registration_cannot_be_changed_by_the_unit(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    with pytest.raises(InvalidTransition):
        services.save_registration(registration, values={"signer_name": "Khác"}, by=None)
    with pytest.raises(InvalidTransition):
        services.add_document(
            registration,
            kind=DocumentKind.OTHER,
            uploaded_file=pdf_file(),
            document_date=IN_WINDOW,
            by=None,
        )


# --- review -----------------------------------------------------------------------------------


def test_reviewer_acknowledges_a_submitted_registration(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    acknowledged = services.acknowledge_registration(registration, by=world.users.reviewer_phuong)
    assert acknowledged.status == RegistrationStatus.ACKNOWLEDGED


def test_acknowledging_twice_is_refused_with_a_clear_message(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    services.acknowledge_registration(registration, by=world.users.reviewer_phuong)
    with pytest.raises(InvalidTransition) as error:
        services.acknowledge_registration(registration, by=world.users.reviewer_phuong)
    assert "có thể người khác đã xử lý trước" in error.value.messages[0]


def test_province_reviewer_cannot_acknowledge_a_commune_managed_registration(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    with pytest.raises(NotPermitted):
        services.acknowledge_registration(registration, by=world.users.reviewer_province)
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.SUBMITTED
    assert list(registration.events.values_list("action", flat=True)).count("acknowledged") == 0


def test_a_draft_cannot_be_acknowledged(world, cycle):
    registration = start(cycle, world.khom_1)
    with pytest.raises(InvalidTransition):
        services.acknowledge_registration(registration, by=world.users.reviewer_phuong)


def test_reviewer_outside_the_area_cannot_act(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    with pytest.raises(PermissionError):
        services.acknowledge_registration(registration, by=world.users.observer_ben_tre)
    with pytest.raises(PermissionError):
        services.acknowledge_registration(registration, by=world.users.decider_xa2)
    assert Registration.objects.get().status == RegistrationStatus.SUBMITTED


def test_return_needs_a_reason(world, cycle):
    registration = submit(ready(cycle, world.khom_1))
    with pytest.raises(ValidationError) as error:
        services.return_registration(registration, by=world.users.reviewer_phuong, reason=" ")
    assert error.value.message_dict == {"reason": ["Hãy nêu lý do để đơn vị biết cần sửa gì."]}
    assert Registration.objects.get().status == RegistrationStatus.SUBMITTED


def test_every_step_is_recorded_with_who_and_why(world, cycle):
    rep, reviewer = world.users.rep_khom, world.users.reviewer_phuong
    registration = ready(cycle, world.khom_1, by=rep)
    submit(registration, by=rep)
    services.return_registration(registration, by=reviewer, reason="Thiếu nghị quyết")
    events = list(
        RegistrationEvent.objects.filter(registration=registration)
        .order_by("pk")
        .values_list("action", "from_status", "to_status", "by__username", "reason")
    )
    assert events == [
        ("saved", "draft", "draft", "kdc.khom1", ""),
        (
            "document_added",
            "draft",
            "draft",
            "kdc.khom1",
            "Nghị quyết của chi bộ/đảng ủy: nghi-quyet.pdf",
        ),
        ("submitted", "draft", "submitted", "kdc.khom1", ""),
        ("returned", "submitted", "returned", "ca.traVinh", "Thiếu nghị quyết"),
    ]


# --- completeness -----------------------------------------------------------------------------


def test_completeness_counts_the_communes_child_units(world, cycle):
    extra = UnitFactory(code="KDC-004", name="Khóm 4", area=world.phuong_1)
    submit(ready(cycle, world.khom_1))
    report = registration_completeness(world.phuong_1, cycle, today=IN_WINDOW)
    # The agency is managed by the province, so it is not the commune's child unit.
    assert (report.registered, report.total, report.percent) == (1, 2, 50)
    assert report.missing == [extra]
    assert report.is_complete is False


def test_completeness_leaves_out_excluded_units(world, cycle):
    report = registration_completeness(world.xa_2, cycle, today=IN_WINDOW)
    assert [unit for unit, _ in report.excluded] == [world.enterprise]
    assert (report.registered, report.total) == (0, 1)


# --- notifications ----------------------------------------------------------------------------


def test_submission_notifies_the_reviewer_in_charge_only(world, cycle):
    from certification.models import Notification

    submit(ready(cycle, world.khom_1))
    assert list(Notification.objects.values_list("user__username", "event")) == [
        ("ca.traVinh", "registration_submitted")
    ]


def test_return_notifies_the_unit_with_the_reason(world, cycle):
    from certification.models import Notification

    registration = submit(ready(cycle, world.khom_1))
    services.return_registration(registration, by=world.users.reviewer_phuong, reason="Thiếu dấu")
    notification = Notification.objects.get(event="registration_returned")
    assert notification.user == world.users.rep_khom
    assert "Thiếu dấu" in notification.message
