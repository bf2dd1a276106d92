"""Issue 11, defect 2: a submission where the level in charge has no reviewer account.

In the test world Xã Càng Long has no reviewer: its hamlet Ấp Phú Hòa's registration and dossier go
to the provincial police's "waiting for me" and notifications, the administrator is alerted, and
the administrator's home lists them. Phường Trà Vinh has its reviewer: nothing changes there.
"""

import pytest
from django.utils import timezone

from certification.dashboards import administrator_desk, reviewer_queue
from certification.models import Assessment, Notification, RegistrationEvent
from certification.services import assessment as assessment_services
from certification.services import registration as registration_services
from certification.workflows.registration import registration_workflow
from tests.builders import submitted_registration
from tests.certification.review_scene import status_of, submitted, today
from tests.factories import UserFactory
from units.models import Role, Unit
from units.services import grant_role

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]


def events_of(user) -> list[str]:
    return sorted(Notification.objects.filter(user=user).values_list("event", flat=True))


def test_a_registration_where_the_commune_has_no_reviewer_goes_to_the_province(world, open_cycle):
    province, administrator = world.users.reviewer_province, world.users.administrator

    registration = submitted_registration(open_cycle, world.ap_2)

    assert events_of(province) == ["registration_submitted"]
    assert events_of(administrator) == ["orphan_submission"]
    alert = Notification.objects.get(user=administrator)
    assert alert.subject == "Chưa có tài khoản cán bộ thẩm định cho Xã Càng Long"
    # Xã Càng Long's commune-managed units, beside what the province manages itself.
    assert sorted(Unit.objects.in_charge_of(province).values_list("name", flat=True)) == [
        "Công ty TNHH Thủy sản Cửu Long",
        "Sở Tư pháp",
        "Ấp Phú Hòa",
    ]
    assert reviewer_queue(province, today()).registrations == 1
    assert RegistrationEvent.Action.ACKNOWLEDGED in registration_workflow.offered(
        registration, province
    )
    assert administrator_desk().orphan_registrations == [registration]

    acknowledged = registration_services.acknowledge_registration(registration, by=province)

    assert acknowledged.status == "acknowledged"
    assert administrator_desk().orphan_registrations == []


def test_a_registration_where_the_commune_has_a_reviewer_stays_there(world, open_cycle):
    province, administrator = world.users.reviewer_province, world.users.administrator

    registration = submitted_registration(open_cycle, world.khom_1)

    assert events_of(world.users.reviewer_phuong) == ["registration_submitted"]
    assert (events_of(province), events_of(administrator)) == ([], [])
    assert RegistrationEvent.Action.ACKNOWLEDGED not in registration_workflow.offered(
        registration, province
    )
    assert administrator_desk().orphan_registrations == []


def test_a_dossier_where_the_commune_has_no_reviewer_waits_for_the_province(world, review_cycle):
    province, administrator = world.users.reviewer_province, world.users.administrator

    dossier = submitted(review_cycle, world.ap_2, reviewer=province)

    assert list(Assessment.objects.waiting_for(province)) == [dossier]
    assert "dossier_waiting" in events_of(province)
    assert events_of(administrator).count("orphan_submission") == 2  # registration, dossier
    assert administrator_desk().orphan_dossiers == [dossier]

    assessment_services.approve_assessment(
        dossier, by=province, now=timezone.now(), today=today(), comment="Thay cấp xã."
    )

    assert status_of(dossier) == "recommended"
    assert administrator_desk().orphan_dossiers == []


def test_once_the_commune_has_a_reviewer_the_province_no_longer_stands_in(world, review_cycle):
    province = world.users.reviewer_province
    dossier = submitted(review_cycle, world.ap_2, reviewer=province)
    commune_reviewer = UserFactory(username="ca.canglong")
    grant_role(commune_reviewer, Role.REVIEWER, area=world.xa_2, by=None)

    assert list(Assessment.objects.waiting_for(province)) == []
    assert list(Assessment.objects.waiting_for(commune_reviewer)) == [dossier]
    assert list(Unit.objects.in_charge_of(province)) == [world.agency]
    assert administrator_desk().orphan_dossiers == []
