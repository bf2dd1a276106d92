"""The scene of the URL × role and property tests: one ward with every kind of object, and
actors in and out."""

from types import SimpleNamespace

import pytest
from django.core.files.base import ContentFile

from certification.models import (
    AssessmentDocument,
    BackgroundJob,
    JobKind,
    JobStatus,
    Notification,
    RegistrationDocument,
)
from tests.builders import prepare, quick_recommended
from tests.factories import UnitFactory, UserFactory
from units.models import Role
from units.services import grant_role


def _user(username, role, *, area=None, unit=None):
    user = UserFactory(username=username)
    grant_role(user, role, area=area, unit=unit, by=None)
    return user


@pytest.fixture
def scene(world, request):
    """Objects of Khóm 1 in Phường Trà Vinh at every stage, and who stands where.

    In scope: Khóm 1's representative, the ward's police (in charge) and People's Committee, the
    province's observer and the administrator. Out of scope: the same roles in Bến Tre.
    """
    the_ward = request.getfixturevalue("ward")
    decision = request.getfixturevalue("issued")
    ward_committee = request.getfixturevalue("decider")
    khom_3 = UnitFactory(code="KDC-K3", name="Khóm 3", area=the_ward.area)
    waiting = quick_recommended(the_ward.cycle, khom_3)
    draft = prepare(the_ward.cycle, the_ward.area, [waiting], by=ward_committee)
    registration = the_ward.dossier_khom_1.registration
    users = world.users
    actors = {
        "anonymous": None,
        "representative": users.rep_khom,
        "reviewer": users.reviewer_phuong,
        "decision_maker": ward_committee,
        "observer": _user("quansat.vinhlong", Role.OBSERVER, area=world.vinh_long),
        "administrator": users.administrator,
        "other_representative": _user("kdc.tanhung", Role.UNIT_REPRESENTATIVE, unit=world.ap_3),
        "other_reviewer": _user("ca.bentre", Role.REVIEWER, area=world.ben_tre),
        "other_decision_maker": _user("ubnd.tanthach", Role.DECISION_MAKER, area=world.xa_3),
        "other_observer": users.observer_ben_tre,
    }
    # A finished export of the ward's reviewer: its page and file are theirs alone.
    job = BackgroundJob.objects.create(
        user=users.reviewer_phuong,
        kind=JobKind.EXPORT,
        title="ho-so.csv",
        status=JobStatus.DONE,
        total=1,
        progress=1,
        file_name="ho-so.csv",
    )
    job.file.save("ho-so.csv", ContentFile(b"a,b\r\n"))
    return SimpleNamespace(
        actors=actors,
        objects={
            "unit": world.khom_1,
            "area": the_ward.area,
            "registration": registration,
            "document": RegistrationDocument.objects.filter(registration=registration).first(),
            "dossier_document": AssessmentDocument.objects.filter(
                assessment=the_ward.dossier_khom_1
            ).first(),
            "dossier": the_ward.dossier_khom_1,
            "notification": Notification.objects.create(
                user=users.rep_khom, event="test", subject="Nhắc hạn", message="Còn 3 ngày"
            ),
            "draft": draft,
            "decision": decision,
            "certificate": the_ward.dossier_khom_1.decision_entry.certificate,
            "job": job,
        },
        reviewer_at_province=users.reviewer_province,
    )
