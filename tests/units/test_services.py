import datetime

import pytest
from django.core.exceptions import ValidationError

from tests.factories import AreaFactory, UnitFactory, UserFactory
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    ManagingLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitAreaChange,
    UnitType,
)
from units.services import create_area, grant_role, merge_area, move_unit, revoke_role

pytestmark = pytest.mark.django_db

REFORM_DAY = datetime.date(2025, 7, 1)


def test_create_area_adds_a_child_under_its_parent(world):
    area = create_area(
        parent=world.vinh_long,
        code="29300",
        name="Xã Tiểu Cần",
        level=AreaLevel.COMMUNE,
        kind=AreaKind.XA,
        by=None,
    )
    assert Area.objects.get_parent(area) == world.vinh_long
    assert "29300" in Area.objects.within(world.vinh_long).values_list("code", flat=True)


def test_create_area_refuses_a_kind_of_another_level(world):
    with pytest.raises(ValidationError) as error:
        create_area(
            parent=world.vinh_long,
            code="29301",
            name="Xã Sai Cấp",
            level=AreaLevel.PROVINCE,
            kind=AreaKind.XA,
            by=None,
        )
    assert "kind" in error.value.message_dict
    assert not Area.objects.filter(code="29301").exists()


def test_create_area_refuses_a_duplicate_code(world):
    with pytest.raises(ValidationError) as error:
        create_area(
            parent=world.vinh_long,
            code="29242",
            name="Phường Trùng Mã",
            level=AreaLevel.COMMUNE,
            kind=AreaKind.PHUONG,
            by=None,
        )
    assert "code" in error.value.message_dict


def test_merge_area_keeps_the_unit_and_records_its_old_area(world):
    admin = world.users.administrator
    khom_pk = world.khom_1.pk

    merged = merge_area(
        world.phuong_1, world.xa_2, on=REFORM_DAY, reason="Nghị quyết 1687/NQ-UBTVQH15", by=admin
    )

    khom = Unit.objects.get(pk=khom_pk)
    assert khom.code == "KDC-001"
    assert khom.area == world.xa_2
    assert khom.area_on(datetime.date(2024, 12, 31)) == world.phuong_1
    assert khom.area_on(REFORM_DAY) == world.xa_2
    change = UnitAreaChange.objects.get(unit=khom)
    assert (change.old_area, change.new_area, change.changed_on, change.changed_by) == (
        world.phuong_1,
        world.xa_2,
        REFORM_DAY,
        admin,
    )
    assert merged.merged_into == world.xa_2
    assert merged.valid_to == REFORM_DAY
    assert Area.objects.filter(pk=world.phuong_1.pk).exists()


def test_merge_area_is_recorded_in_the_area_history_with_who_and_why(world):
    admin = world.users.administrator
    merge_area(world.phuong_1, world.xa_2, on=REFORM_DAY, reason="Sáp nhập 2025", by=admin)
    latest = Area.history.filter(id=world.phuong_1.pk).latest("history_date")
    assert (latest.history_user, latest.history_change_reason, latest.merged_into_id) == (
        admin,
        "Sáp nhập 2025",
        world.xa_2.pk,
    )


def test_merge_area_moves_child_areas_and_keeps_their_units_reachable(world):
    # The 2025 reform removed districts: Huyện Châu Thành's communes now hang under the province.
    merge_area(world.district, world.ben_tre, on=REFORM_DAY, reason="Bỏ cấp huyện", by=None)

    xa_3 = Area.objects.get(pk=world.xa_3.pk)
    assert Area.objects.get_parent(xa_3) == world.ben_tre
    assert xa_3.depth == 2
    assert list(Unit.objects.within(world.ben_tre).values_list("code", flat=True)) == ["KDC-003"]
    assert list(Unit.objects.within(Area.objects.get(pk=world.district.pk))) == []


def test_merge_area_closes_the_merged_commune_unit(world):
    commune_unit = UnitFactory(
        code="XA-29242",
        name="Phường Trà Vinh",
        unit_type=UnitType.COMMUNE,
        residential_subtype="",
        area=world.phuong_1,
        managing_level=ManagingLevel.PROVINCE,
    )
    merge_area(world.phuong_1, world.xa_2, on=REFORM_DAY, reason="Sáp nhập", by=None)
    commune_unit.refresh_from_db()
    assert (commune_unit.active_to, commune_unit.area) == (REFORM_DAY, world.xa_2)


def test_merge_area_keeps_the_scope_of_the_target_reviewer(world):
    reviewer = UserFactory(username="ca.canglong")
    grant_role(reviewer, Role.REVIEWER, area=world.xa_2, by=None)
    merge_area(world.phuong_1, world.xa_2, on=REFORM_DAY, reason="Sáp nhập", by=None)
    codes = sorted(Unit.objects.visible_to(reviewer).values_list("code", flat=True))
    assert codes == ["CQ-001", "DN-001", "KDC-001", "KDC-002"]


@pytest.mark.parametrize(
    ("source_name", "into_name", "message"),
    [
        ("phuong_1", "phuong_1", "Không thể sáp nhập một địa bàn vào chính nó."),
        ("ben_tre", "xa_3", "“Xã Tân Thạch” nằm trong “Tỉnh Bến Tre”"),
        ("vinh_long", "xa_3", "Không thể sáp nhập địa bàn cấp tỉnh vào địa bàn cấp xã."),
    ],
)
def test_merge_area_refuses_impossible_merges_and_changes_nothing(
    world, source_name, into_name, message
):
    source, into = getattr(world, source_name), getattr(world, into_name)
    paths_before = list(Area.objects.order_by("pk").values_list("path", "merged_into"))

    with pytest.raises(ValidationError) as error:
        merge_area(source, into, on=REFORM_DAY, reason="Thử", by=None)

    assert message in error.value.messages[0]
    assert list(Area.objects.order_by("pk").values_list("path", "merged_into")) == paths_before
    assert UnitAreaChange.objects.count() == 0


def test_merge_area_refuses_an_area_merged_before(world):
    merge_area(world.phuong_1, world.xa_2, on=REFORM_DAY, reason="Sáp nhập", by=None)
    other = AreaFactory(parent=world.vinh_long, code="29999")
    with pytest.raises(ValidationError) as error:
        merge_area(world.phuong_1, other, on=REFORM_DAY, reason="Lần hai", by=None)
    assert error.value.messages == [
        "“Phường Trà Vinh” đã được sáp nhập vào “Xã Càng Long” ngày 01/07/2025."
    ]


def test_merge_area_requires_a_reason(world):
    with pytest.raises(ValidationError):
        merge_area(world.phuong_1, world.xa_2, on=REFORM_DAY, reason="  ", by=None)
    assert Unit.objects.get(pk=world.khom_1.pk).area == world.phuong_1


def test_move_unit_to_the_same_area_records_nothing(world):
    move_unit(world.khom_1, world.phuong_1, on=REFORM_DAY, reason="Không đổi", by=None)
    assert UnitAreaChange.objects.count() == 0


def test_grant_role_twice_keeps_one_assignment(world):
    user = world.users.reviewer_phuong
    first = grant_role(user, Role.REVIEWER, area=world.phuong_1, by=None)
    second = grant_role(user, Role.REVIEWER, area=world.phuong_1, by=None)
    assert first.pk == second.pk
    assert RoleAssignment.objects.filter(user=user).count() == 1


def test_grant_role_refuses_an_area_role_without_area(world):
    with pytest.raises(ValidationError):
        grant_role(world.users.nobody, Role.REVIEWER, by=None)
    assert RoleAssignment.objects.filter(user=world.users.nobody).count() == 0


def test_grant_and_revoke_administrator_toggles_admin_access(world):
    user = world.users.nobody
    assignment = grant_role(user, Role.ADMINISTRATOR, by=None)
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert Unit.objects.visible_to(user).count() == 5

    revoke_role(assignment, by=world.users.administrator, reason="Chuyển công tác")
    user.refresh_from_db()
    assert (user.is_staff, user.is_superuser) == (False, False)
    assert Unit.objects.visible_to(user).count() == 0


def test_unit_circular_124_exclusion_follows_its_fields(world):
    assert world.enterprise.circular_124_exclusion() == (
        "Thông tư 124/2021 không áp dụng cho doanh nghiệp nhỏ và siêu nhỏ."
    )
    assert world.khom_1.circular_124_exclusion() == ""


def test_create_area_refuses_a_commune_without_a_parent(world):
    with pytest.raises(ValidationError) as error:
        create_area(
            parent=None,
            code="30001",
            name="Xã Mồ Côi",
            level=AreaLevel.COMMUNE,
            kind=AreaKind.XA,
            by=None,
        )
    assert list(error.value.message_dict) == ["parent"]
    assert not Area.objects.filter(code="30001").exists()


def test_create_area_refuses_a_province_under_a_commune(world):
    with pytest.raises(ValidationError) as error:
        create_area(
            parent=world.xa_2,
            code="99",
            name="Tỉnh Sai",
            level=AreaLevel.PROVINCE,
            kind=AreaKind.TINH,
            by=None,
        )
    assert error.value.message_dict["parent"] == [
        "Địa bàn cấp tỉnh không thể trực thuộc địa bàn cấp xã “Xã Càng Long”."
    ]
