"""A reviewer of the Ministry's department (Art. 9.1.d and 10.4 of Circular 124): the dossiers of
the bodies the Ministry recognises, wherever they are, and nothing else."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from certification.dashboards import orphan_dossiers
from certification.models import Assessment, AssessmentStatus, ReviewLevel
from certification.services import assessment as services
from tests.certification.review_scene import submitted
from tests.factories import UnitFactory, UserFactory
from units.models import ManagingLevel, Role, RoleAssignment, Unit, UnitType
from units.services import grant_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ministry_reviewer():
    user = UserFactory(username="cuc.xdpt")
    grant_role(user, Role.MINISTRY_REVIEWER, by=None)
    return user


def _ministry_dossier(world, cycle, reviewer, *, area, name):
    body = UnitFactory(
        area=area,
        name=name,
        unit_type=UnitType.AGENCY,
        residential_subtype="",
        managing_level=ManagingLevel.MINISTRY,
    )
    return submitted(cycle, body, reviewer=reviewer, staff_total=40, staff_pledged=40)


def test_ministry_reviewer_queue_holds_the_ministry_bodies_of_every_province(
    client, world, review_cycle, ministry_reviewer
):
    # Arrange: one body in Vĩnh Long, one in Bến Tre, and a provincial body beside them.
    here = _ministry_dossier(
        world, review_cycle, ministry_reviewer, area=world.phuong_1, name="Trại giam Phước Hòa"
    )
    far = _ministry_dossier(
        world, review_cycle, ministry_reviewer, area=world.xa_3, name="Trường Cao đẳng CSND"
    )
    provincial = submitted(
        review_cycle,
        world.agency,
        reviewer=world.users.reviewer_province,
        staff_total=40,
        staff_pledged=40,
    )
    client.force_login(ministry_reviewer)

    # Act
    response = client.get(reverse("certification:dossier-queue"))

    # Assert
    rows = sorted(dossier.unit.name for dossier in response.context["object_list"])
    assert rows == ["Trường Cao đẳng CSND", "Trại giam Phước Hòa"]
    assert (here.awaiting_level, far.awaiting_level) == (ReviewLevel.MINISTRY,) * 2
    assert set(Assessment.objects.waiting_for(ministry_reviewer)) == {here, far}
    assert provincial not in set(Assessment.objects.visible_to(ministry_reviewer))
    assert set(Unit.objects.in_charge_of(ministry_reviewer)) == {here.unit, far.unit}


def test_ministry_reviewer_recommends_a_ministry_dossier_and_is_audited(
    world, review_cycle, ministry_reviewer
):
    dossier = _ministry_dossier(
        world, review_cycle, ministry_reviewer, area=world.phuong_1, name="Trại giam Phước Hòa"
    )

    services.approve_assessment(
        dossier, by=ministry_reviewer, now=timezone.now(), today=timezone.localdate()
    )

    dossier.refresh_from_db()
    assert dossier.status == AssessmentStatus.RECOMMENDED
    assert (
        dossier.transitions.filter(
            to_status=AssessmentStatus.RECOMMENDED, by=ministry_reviewer
        ).count()
        == 1
    )


def test_ministry_reviewer_gets_404_for_a_local_dossier_and_a_local_reviewer_for_theirs(
    client, world, review_cycle, ministry_reviewer
):
    ministry = _ministry_dossier(
        world, review_cycle, ministry_reviewer, area=world.phuong_1, name="Trại giam Phước Hòa"
    )
    local = submitted(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)

    client.force_login(ministry_reviewer)
    refused_local = client.get(reverse("certification:dossier-review", args=[local.pk]))
    client.force_login(world.users.reviewer_province)
    province_approves = client.post(reverse("certification:dossier-approve", args=[ministry.pk]))

    assert refused_local.status_code == 404
    assert province_approves.status_code in (302, 403, 404)
    assert Assessment.objects.get(pk=ministry.pk).status == AssessmentStatus.SUBMITTED


def test_a_ministry_dossier_is_an_orphan_until_a_ministry_reviewer_exists(world, review_cycle):
    province_reviewer = world.users.reviewer_province
    body = UnitFactory(
        area=world.phuong_1,
        unit_type=UnitType.AGENCY,
        residential_subtype="",
        managing_level=ManagingLevel.MINISTRY,
    )
    reviewer = UserFactory(username="cuc.xdpt")
    grant_role(reviewer, Role.MINISTRY_REVIEWER, by=None)
    dossier = submitted(review_cycle, body, reviewer=reviewer, staff_total=40, staff_pledged=40)
    RoleAssignment.objects.filter(role=Role.MINISTRY_REVIEWER).delete()

    orphaned = set(orphan_dossiers())
    grant_role(UserFactory(), Role.MINISTRY_REVIEWER, by=province_reviewer)

    assert (dossier in orphaned, dossier in set(orphan_dossiers())) == (True, False)


def test_a_ministry_reviewer_has_no_area_nor_unit(world):
    assignment = RoleAssignment(
        user=UserFactory(), role=Role.MINISTRY_REVIEWER, area=world.vinh_long
    )

    with pytest.raises(ValidationError) as raised:
        assignment.clean()

    assert raised.value.messages == [
        "Cán bộ thẩm định của Cục thuộc Bộ Công an không gắn với địa bàn hay đơn vị: thẩm định "
        "mọi đơn vị do Bộ Công an xét duyệt, công nhận."
    ]


def test_ministry_reviewer_home_counts_the_dossiers_waiting_at_the_ministry(
    client, world, review_cycle, ministry_reviewer
):
    _ministry_dossier(
        world, review_cycle, ministry_reviewer, area=world.phuong_1, name="Trại giam Phước Hòa"
    )
    submitted(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    client.force_login(ministry_reviewer)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    queue = response.context["queue"]
    assert (queue.dossiers, queue.registrations) == (1, 0)
