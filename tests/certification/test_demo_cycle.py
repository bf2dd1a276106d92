"""load_demo's cycles: this year's with registrations in every state, last year's for history."""

import datetime
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.utils import timezone

from certification.models import (
    CriteriaSet,
    Cycle,
    CycleStep,
    DeadlineExtension,
    Registration,
    RegistrationDocument,
    RegistrationEvent,
    RegistrationStatus,
)
from certification.models.registration import FILED, REQUIRED_DOCUMENTS
from certification.reports import registration_completeness
from certification.services.registration import missing_for_submission, registration_refusal
from units.models import Area, Unit

pytestmark = pytest.mark.django_db
Status = RegistrationStatus
Action = RegistrationEvent.Action


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def this_year() -> int:
    return timezone.localdate().year


def current_cycle() -> Cycle:
    return Cycle.objects.get(year=this_year(), province__code="86")


def registration_of(name: str, commune_code: str) -> Registration | None:
    return Registration.objects.filter(
        cycle=current_cycle(), unit__name=name, unit__area__code=commune_code
    ).first()


def counts() -> dict[str, int]:
    return {
        "cycles": Cycle.objects.count(),
        "registrations": Registration.objects.count(),
        "events": RegistrationEvent.objects.count(),
        "documents": RegistrationDocument.objects.count(),
        "extensions": DeadlineExtension.objects.count(),
        "extension_history": DeadlineExtension.history.count(),
    }


def test_load_demo_creates_this_years_cycle_with_the_tt124_set(demo):

    cycle = current_cycle()

    assert cycle.criteria_set.code == "TT124-2021"
    assert cycle.criteria_set.is_published is True
    assert cycle.criteria_set == (
        CriteriaSet.objects.published().filter(code="TT124-2021").order_by("-version").first()
    )
    assert cycle.calendars.count() == 5


def test_load_demo_creates_last_years_cycle_with_acknowledged_registrations(demo):

    previous = Cycle.objects.get(year=this_year() - 1, province__code="86")

    assert previous.criteria_set.code == "TT124-2021"
    statuses = set(previous.registrations.values_list("status", flat=True))
    assert statuses == {Status.ACKNOWLEDGED}
    assert previous.registrations.count() == 18


def test_current_cycle_has_registrations_in_every_status(demo):

    by_status = {
        status: Registration.objects.filter(cycle=current_cycle(), status=status).count()
        for status in Status.values
    }

    assert by_status == {
        Status.DRAFT: 1,
        Status.SUBMITTED: 7,
        Status.ACKNOWLEDGED: 9,
        Status.RETURNED: 1,
    }


def test_demo_representatives_units_are_in_their_planned_states(demo):

    assert registration_of("Khóm 3", "29242").status == Status.SUBMITTED
    assert registration_of("Ấp Phú Hòa", "29278").status == Status.RETURNED
    assert registration_of("Khu phố 2", "28756") is None
    provincial = {
        code: Registration.objects.get(cycle=current_cycle(), unit__code=code).status
        for code in ("XA-29341", "CQ-86-004", "TH-86-001", "DN-86-001")
    }
    assert provincial == {
        "XA-29341": Status.SUBMITTED,
        "CQ-86-004": Status.SUBMITTED,
        "TH-86-001": Status.SUBMITTED,
        "DN-86-001": Status.ACKNOWLEDGED,
    }


def test_returned_registration_has_a_returned_event_with_the_reason(demo):
    registration = registration_of("Ấp Phú Hòa", "29278")
    year = this_year()

    event = registration.events.get(action=Action.RETURNED)

    assert (event.from_status, event.to_status) == (Status.SUBMITTED, Status.RETURNED)
    assert event.by.username == "ca.canglong"
    assert event.reason == (
        f"Nghị quyết của chi bộ đính kèm là nghị quyết năm {year - 1}; đề nghị bổ sung nghị "
        f"quyết năm {year} của chi bộ ấp."
    )
    assert registration.documents.get(kind="party_resolution").original_name == (
        f"Nghi-quyet-chi-bo-{year - 1}.pdf"
    )


def test_steps_are_recorded_with_the_representative_and_the_reviewer(demo):
    khom3 = registration_of("Khóm 3", "29242")
    khom1 = registration_of("Khóm 1", "29242")

    assert list(khom3.events.values_list("action", "by__username")) == [
        (Action.SAVED, "kdc.travinh.khom3"),
        (Action.DOCUMENT_ADDED, "kdc.travinh.khom3"),
        (Action.SUBMITTED, "kdc.travinh.khom3"),
    ]
    assert khom1.events.get(action=Action.ACKNOWLEDGED).by.username == "ca.travinh"
    mld = Registration.objects.get(cycle=current_cycle(), unit__code="DN-86-001")
    assert mld.events.get(action=Action.ACKNOWLEDGED).by.username == "ca.tinh"
    assert mld.events.get(action=Action.SUBMITTED).by.username == "dn.maylongduc"


def test_filed_registrations_have_unique_receipt_codes(demo):

    filed = Registration.objects.filter(status__in=FILED)
    codes = list(filed.values_list("receipt_code", flat=True))

    assert filed.count() == 35
    assert None not in codes
    assert len(set(codes)) == 35
    assert Registration.objects.filter(status=Status.DRAFT, receipt_code__isnull=False).count() == 0


def test_filed_registrations_are_complete_and_dated_in_the_window(demo):
    year = this_year()

    for registration in Registration.objects.filter(cycle=current_cycle(), status__in=FILED):
        assert missing_for_submission(registration) == []
        assert (
            datetime.date(year, 2, 10) <= registration.registered_on <= datetime.date(year, 3, 20)
        )
        submitted_on = timezone.localtime(registration.submitted_at).date()
        assert submitted_on == registration.registered_on
        kinds = sorted(registration.documents.values_list("kind", flat=True))
        assert kinds == sorted(REQUIRED_DOCUMENTS[registration.unit.unit_type])


def test_documents_are_stored_pdfs_under_media_root(demo):

    documents = RegistrationDocument.objects.all()

    assert documents.count() == 45
    for document in documents:
        stored = Path(django_settings.MEDIA_ROOT) / document.file.name
        assert stored.read_bytes().startswith(b"%PDF-1.4")
        assert stored.read_bytes().rstrip().endswith(b"%%EOF")
        assert document.content_type == "application/pdf"


def test_draft_has_figures_but_no_documents(demo):

    draft = Registration.objects.get(cycle=current_cycle(), status=Status.DRAFT)

    assert draft.unit.name == "Ấp Hòa Lợi"
    assert (draft.households_resident, draft.households_registered) == (263, 249)
    assert draft.documents.count() == 0
    assert draft.receipt_code is None


def test_excluded_units_are_not_registered(demo):

    registered = Unit.objects.filter(registrations__isnull=False).distinct()

    assert [unit.code for unit in registered if unit.circular_124_exclusion()] == []


def test_some_eligible_units_are_not_registered(demo):
    cang_long = Area.objects.get(code="29278")

    report = registration_completeness(cang_long, current_cycle(), today=timezone.localdate())

    assert sorted(unit.name for unit in report.missing) == [
        "Ấp Bình Thạnh",
        "Ấp Hòa Lợi",
        "Ấp Mỹ Phước",
        "Ấp Phước An",
    ]
    assert (report.total, report.registered, report.acknowledged) == (8, 4, 2)
    assert report.is_complete is False


def test_tra_vinh_completeness_is_complete(demo):
    tra_vinh = Area.objects.get(code="29242")

    report = registration_completeness(tra_vinh, current_cycle(), today=timezone.localdate())

    assert (report.total, report.registered, report.acknowledged) == (8, 8, 6)
    assert report.percent == 100
    assert report.is_complete is True


def test_extension_lets_khu_pho_2_register_today(demo):
    unit = Unit.objects.get(name="Khu phố 2", area__code="28756")
    today = timezone.localdate()

    extension = DeadlineExtension.objects.get(cycle=current_cycle(), unit=unit)

    assert extension.step == CycleStep.REGISTRATION
    assert extension.reason == "Trưởng khu phố mới được bầu; gia hạn đăng ký."
    assert extension.granted_by.username == "ca.tinh"
    assert extension.due_on >= today + datetime.timedelta(days=30)
    assert registration_refusal(current_cycle(), unit, today=today) == ""


def test_load_demo_second_run_creates_nothing(demo):
    first = counts()

    output = load_demo()

    assert counts() == first
    assert first == {
        # This year, last year, and the decisions block's three earlier years of history.
        "cycles": 2 + 3,
        "registrations": 36,
        "events": 36 + 45 + 35 + 27 + 1,
        "documents": 45,
        "extensions": 1,
        "extension_history": 1,
    }
    assert "đã tạo 0 đăng ký" in output.splitlines()[1]


def test_load_demo_prints_the_counts_per_status(demo):
    output = demo.output

    line = output.splitlines()[1]
    for status, count in (
        (Status.DRAFT, 1),
        (Status.SUBMITTED, 7),
        (Status.ACKNOWLEDGED, 9),
        (Status.RETURNED, 1),
    ):
        assert f"{status.label}: {count}" in line
    assert str(this_year()) in line
    assert "TT124-2021" in line
    assert "đã tạo 36 đăng ký" in line


def test_load_demo_without_the_published_set_loads_no_cycle():
    CriteriaSet.objects.filter(code="TT124-2021").update(status="draft")

    output = load_demo()

    assert Cycle.objects.count() == 0
    assert "TT124-2021" in output.splitlines()[1]
