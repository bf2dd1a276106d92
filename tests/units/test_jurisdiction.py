import pytest

from tests.factories import AreaFactory, UnitFactory
from units.jurisdiction import jurisdiction_of
from units.models import Area, Unit

pytestmark = pytest.mark.django_db


def _codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_area_within_returns_the_whole_subtree_at_any_depth(world):
    assert _codes(Area.objects.within(world.ben_tre)) == ["28783", "829", "83"]
    assert _codes(Area.objects.within(world.vinh_long)) == ["29242", "29278", "86"]
    assert _codes(Area.objects.within(world.xa_3)) == ["28783"]


def test_unit_within_is_one_query_at_any_depth(world, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert _codes(Unit.objects.within(world.ben_tre)) == ["KDC-003"]
    with django_assert_num_queries(1):
        assert _codes(Unit.objects.within(world.vinh_long)) == [
            "CQ-001",
            "DN-001",
            "KDC-001",
            "KDC-002",
        ]


def test_subtree_of_a_deep_tree_stays_one_query(db, django_assert_num_queries):
    area = root = AreaFactory(code="R0")
    for depth in range(1, 8):
        area = AreaFactory(parent=area, code=f"R{depth}")
        UnitFactory(area=area, code=f"U{depth}")
    with django_assert_num_queries(1):
        assert len(list(Unit.objects.within(root))) == 7


@pytest.mark.parametrize(
    ("user_name", "expected_units"),
    [
        ("reviewer_phuong", ["CQ-001", "KDC-001"]),
        ("reviewer_province", ["CQ-001", "DN-001", "KDC-001", "KDC-002"]),
        ("decider_xa2", ["DN-001", "KDC-002"]),
        ("observer_ben_tre", ["KDC-003"]),
        ("rep_khom", ["KDC-001"]),
        ("administrator", ["CQ-001", "DN-001", "KDC-001", "KDC-002", "KDC-003"]),
        ("nobody", []),
    ],
)
def test_unit_visible_to_each_role_is_exactly_its_scope(world, user_name, expected_units):
    user = getattr(world.users, user_name)
    assert _codes(Unit.objects.visible_to(user)) == expected_units


@pytest.mark.parametrize(
    ("user_name", "expected_areas"),
    [
        ("reviewer_phuong", ["29242"]),
        ("reviewer_province", ["29242", "29278", "86"]),
        ("observer_ben_tre", ["28783", "829", "83"]),
        ("rep_khom", ["29242"]),
        ("nobody", []),
    ],
)
def test_area_visible_to_each_role_is_exactly_its_scope(world, user_name, expected_areas):
    user = getattr(world.users, user_name)
    assert _codes(Area.objects.visible_to(user)) == expected_areas


def test_visible_to_anonymous_user_is_empty(world):
    from django.contrib.auth.models import AnonymousUser

    assert Unit.objects.visible_to(AnonymousUser()).count() == 0


def test_visible_to_inactive_user_is_empty(world):
    user = world.users.reviewer_province
    user.is_active = False
    user.save()
    assert Unit.objects.visible_to(user).count() == 0


def test_jurisdiction_keeps_only_outermost_scope_paths(world):
    from units.models import Role
    from units.services import grant_role

    user = world.users.reviewer_phuong
    grant_role(user, Role.OBSERVER, area=world.vinh_long, by=None)
    assert jurisdiction_of(user).area_paths == (world.vinh_long.path,)


def test_jurisdiction_is_computed_once_per_user_object(world, django_assert_num_queries):
    user = world.users.reviewer_province
    # One query for the roles, then one per unit list: the roles are not read twice.
    with django_assert_num_queries(3):
        list(Unit.objects.visible_to(user))
        list(Unit.objects.visible_to(user))
    assert jurisdiction_of(user).roles == frozenset({"reviewer"})


def test_an_areas_ancestor_paths_are_itself_and_every_area_above_it_topmost_first(world):
    from units.models import Area

    commune = world.phuong_1
    paths = Area.ancestor_paths(commune.path)

    assert paths[-1] == commune.path
    assert [Area.objects.get(path=path) for path in paths] == [
        *commune.get_ancestors(),
        commune,
    ]
