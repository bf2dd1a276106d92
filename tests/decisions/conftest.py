"""Recommended dossiers waiting for a People's Committee decision, over the shared world."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.models import (
    Assessment,
    AssessmentStatus,
    CriteriaSet,
    DossierDocumentKind,
    Registration,
    RegistrationStatus,
)
from certification.services import assessment as assessment_services
from certification.services import decisions as services
from certification.services.cycles import create_cycle
from tests.certification.conftest import PDF_BYTES
from tests.certification.test_assessment import TODAY, acknowledged, complete_dossier
from tests.factories import UnitFactory, UserFactory
from units.models import Role
from units.services import grant_role

DECIDED_ON = datetime.date(2026, 11, 20)
NOW = timezone.make_aware(datetime.datetime(2026, 11, 20, 9, 0))
VIETNAMESE_NAME = "Tổ dân phố Phước Hậu Đông"
EVIDENCE_NAME = "danh-sach-ho-ky-cam-ket-to-7.pdf"
PRIVATE_NOTE = "Ông Tư ở tổ 7 từng bị nhắc nhở về tiếng ồn"


def details(**overrides):
    values = {
        "issuing_body": "Ủy ban nhân dân phường Trà Vinh",
        "place": "Trà Vinh",
        "decided_on": DECIDED_ON,
        "signer_name": "Võ Thị Mai",
        "signer_title": "Chủ tịch",
    }
    values.update(overrides)
    return values


@pytest.fixture
def cycle124(world):
    criteria_set = CriteriaSet.objects.get(code="TT124-2021", version=1)
    return create_cycle(year=2026, province=world.vinh_long, criteria_set=criteria_set, by=None)


def recommended(cycle, unit, *, reviewer, evidence_name="", note=""):
    """A dossier taken through the real workflow: registered, filed, submitted, recommended."""
    registration = acknowledged(cycle, unit, reviewer=reviewer)
    assessment = assessment_services.start_assessment(registration, by=None, today=TODAY)
    assessment = complete_dossier(assessment)
    if evidence_name or note:
        answer = assessment.answers.select_related("criterion").first()
        if note:
            assessment_services.save_answers(
                assessment, answers={answer.criterion_id: {"note": note}}, by=None
            )
        if evidence_name:
            assessment_services.add_dossier_document(
                assessment,
                kind=DossierDocumentKind.EVIDENCE,
                criterion=answer.criterion,
                uploaded_file=SimpleUploadedFile(
                    evidence_name, PDF_BYTES, content_type="application/pdf"
                ),
                by=None,
            )
    assessment_services.submit_assessment(assessment, by=None, now=NOW, today=TODAY)
    return assessment_services.approve_assessment(assessment, by=reviewer, now=NOW, today=TODAY)


def quick_recommended(cycle, unit):
    """A recommended dossier written straight to the tables, for tests that need many."""
    registration = Registration.objects.create(
        cycle=cycle, unit=unit, status=RegistrationStatus.ACKNOWLEDGED
    )
    return Assessment.objects.create(
        registration=registration, cycle=cycle, unit=unit, status=AssessmentStatus.RECOMMENDED
    )


def prepare(cycle, area, dossiers, *, by, left_out=None, **overrides):
    """A draft recognising `dossiers` and not recognising `left_out` ({dossier: reason})."""
    choices = {dossier.pk: ("recognised", "") for dossier in dossiers}
    for dossier, reason in (left_out or {}).items():
        choices[dossier.pk] = ("not_recognised", reason)
    return services.prepare_decision(
        cycle, area, details=details(**overrides), choices=choices, by=by, now=NOW
    )


@pytest.fixture
def decider(world):
    """The People's Committee of Phường Trà Vinh (the world has one for Xã Càng Long only)."""
    user = UserFactory(username="ubnd.travinh", last_name="Võ", first_name="Thị Mai")
    grant_role(user, Role.DECISION_MAKER, area=world.phuong_1, by=None)
    return user


@pytest.fixture
def ward(world, cycle124, decider):
    """Phường Trà Vinh with two recommended residential areas and one to be left out."""
    to_7 = UnitFactory(
        code="KDC-TDP7",
        name=VIETNAMESE_NAME,
        area=world.phuong_1,
        contact_email="to7.phuochau@example.vn",
        contact_phone="0294 3855 777",
    )
    khom_2 = UnitFactory(code="KDC-K2", name="Khóm 2", area=world.phuong_1)
    reviewer = world.users.reviewer_phuong
    return SimpleNamespace(
        area=world.phuong_1,
        cycle=cycle124,
        decider=decider,
        to_7=to_7,
        khom_1=world.khom_1,
        khom_2=khom_2,
        dossier_to_7=recommended(
            cycle124, to_7, reviewer=reviewer, evidence_name=EVIDENCE_NAME, note=PRIVATE_NOTE
        ),
        dossier_khom_1=recommended(cycle124, world.khom_1, reviewer=reviewer),
        dossier_khom_2=quick_recommended(cycle124, khom_2),
    )


@pytest.fixture
def issued(ward):
    """Decision 1/QĐ-UBND: Tổ dân phố Phước Hậu Đông and Khóm 1 recognised, Khóm 2 not."""
    decision = prepare(
        ward.cycle,
        ward.area,
        [ward.dossier_to_7, ward.dossier_khom_1],
        by=ward.decider,
        left_out={ward.dossier_khom_2: "Xảy ra vụ trộm cắp tài sản chưa làm rõ"},
    )
    return services.issue_decision(decision, by=ward.decider, now=NOW)
