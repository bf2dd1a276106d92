"""The load_demo command: a fixed demo province, idempotent, with a demo user for every role."""

import re
from io import StringIO

import pytest
from django.core.management import call_command

from certification.demo_data import USERS
from certification.management.commands.load_demo import Command
from tests.factories import AreaFactory, ProvinceFactory, UserFactory
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitType,
    User,
)

DEMO_USERNAMES = [spec.username for spec in USERS]


def load_demo(*args) -> str:
    out = StringIO()
    call_command("load_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "areas": Area.objects.count(),
        "units": Unit.objects.count(),
        "users": User.objects.count(),
        "roles": RoleAssignment.objects.count(),
        "area_history": Area.history.count(),
        "unit_history": Unit.history.count(),
        "role_history": RoleAssignment.history.count(),
    }


def demo_province() -> Area:
    return Area.objects.get(code="86")


@pytest.mark.django_db
def test_load_demo_creates_the_known_amounts(demo):

    assert counts() == {
        "areas": 21,
        "units": 220,
        "users": 15,
        "roles": 15,
        "area_history": 21,
        "unit_history": 220,
        "role_history": 15,
    }


@pytest.mark.django_db
def test_load_demo_second_run_creates_nothing(demo):
    first = counts()
    passwords = dict(User.objects.values_list("username", "password"))

    output = load_demo()

    assert counts() == first
    assert dict(User.objects.values_list("username", "password")) == passwords
    assert "đã tạo 0 địa bàn, 0 đơn vị, 0 người dùng và 0 vai trò; đổi 0 mật khẩu" in output


@pytest.mark.django_db
def test_load_demo_keeps_existing_data_and_fills_in_the_rest(demo):
    # A unit without demo registrations (those protect their unit from deletion).
    Unit.objects.filter(code="KDC-29266-01").delete()
    User.objects.filter(username="quan.sat").delete()

    output = load_demo()

    assert "đã tạo 0 địa bàn, 1 đơn vị, 1 người dùng và 1 vai trò" in output
    assert Unit.objects.count() == 220
    assert User.objects.get(username="quan.sat").roles.get().role == Role.OBSERVER


@pytest.mark.django_db
def test_load_demo_leaves_other_areas_alone():
    other = ProvinceFactory(code="P99")
    AreaFactory(parent=other, code="99999")

    load_demo()

    assert Area.objects.within(Area.objects.get(code="P99")).count() == 2
    assert Area.objects.count() == 23


@pytest.mark.django_db
def test_province_has_twenty_communes_without_districts(demo):
    province = demo_province()

    assert (province.name, province.level, province.kind) == (
        "Tỉnh Vĩnh Long",
        AreaLevel.PROVINCE,
        AreaKind.TINH,
    )
    assert Area.objects.within(province).count() == 21
    communes = Area.objects.get_children(province)
    assert communes.count() == 20
    assert set(communes.values_list("level", flat=True)) == {AreaLevel.COMMUNE}
    assert communes.filter(kind=AreaKind.XA).count() == 12
    assert communes.filter(kind=AreaKind.PHUONG).count() == 8
    assert all(re.fullmatch(r"\d{5}", code) for code in communes.values_list("code", flat=True))
    assert communes.filter(name="Phường Trà Vinh").count() == 1


@pytest.mark.django_db
def test_communes_have_exactly_one_commune_unit_each(demo):

    for commune in Area.objects.get_children(demo_province()):
        commune_units = Unit.objects.filter(area=commune, unit_type=UnitType.COMMUNE)
        assert list(commune_units.values_list("name", "managing_level")) == [
            (commune.name, "province")
        ]


@pytest.mark.django_db
def test_communes_have_eight_residential_areas_each(demo):

    for commune in Area.objects.get_children(demo_province()):
        residential = Unit.objects.filter(area=commune, unit_type=UnitType.RESIDENTIAL_AREA)
        assert residential.count() == 8
        assert set(residential.values_list("managing_level", flat=True)) == {"commune"}
        assert residential.exclude(contact_email="").count() == 8
        assert residential.exclude(contact_phone="").count() == 8
    subtypes = set(
        Unit.objects.filter(unit_type=UnitType.RESIDENTIAL_AREA).values_list(
            "residential_subtype", flat=True
        )
    )
    assert subtypes == {"ap", "khom", "to_dan_pho", "khu_pho", "thon", "soc"}
    assert Unit.objects.filter(name="Ấp Phú Hòa", area__code="29278").count() == 1


@pytest.mark.django_db
def test_agencies_enterprises_and_schools_split_between_levels(demo):

    others = Unit.objects.filter(
        unit_type__in=[UnitType.AGENCY, UnitType.ENTERPRISE, UnitType.SCHOOL]
    )
    assert others.count() == 40
    assert others.filter(managing_level="province").count() == 20
    assert others.filter(managing_level="commune").count() == 20
    assert others.filter(unit_type=UnitType.ENTERPRISE, enterprise_size="").count() == 0
    assert others.filter(unit_type=UnitType.SCHOOL, school_level="").count() == 0
    assert others.filter(area__depth=2).count() == 40


@pytest.mark.django_db
def test_some_units_are_excluded_under_circular_124(demo):

    excluded = sorted(unit.code for unit in Unit.objects.all() if unit.circular_124_exclusion())

    assert excluded == [
        "CQ-86-007",
        "CQ-86-013",
        "DN-86-010",
        "DN-86-011",
        "DN-86-012",
        "DN-86-013",
        "TH-86-011",
        "TH-86-012",
        "TH-86-013",
        "TH-86-014",
    ]


@pytest.mark.django_db
def test_every_role_has_a_demo_user(demo):

    roles = set(RoleAssignment.objects.values_list("role", flat=True))

    assert roles == set(Role.values)


@pytest.mark.django_db
def test_demo_users_have_the_expected_scopes(demo):

    scopes = {
        assignment.user.username: (assignment.role, str(assignment.scope))
        for assignment in RoleAssignment.objects.select_related("user", "area", "unit")
    }

    assert scopes["admin"] == (Role.ADMINISTRATOR, "toàn quốc")
    assert scopes["ca.tinh"] == (Role.REVIEWER, "Tỉnh Vĩnh Long")
    assert scopes["ubnd.tinh"] == (Role.DECISION_MAKER, "Tỉnh Vĩnh Long")
    assert scopes["quan.sat"] == (Role.OBSERVER, "Tỉnh Vĩnh Long")
    assert scopes["ca.travinh"] == (Role.REVIEWER, "Phường Trà Vinh")
    assert scopes["ubnd.canglong"] == (Role.DECISION_MAKER, "Xã Càng Long")
    assert scopes["kdc.canglong.phuhoa"] == (Role.UNIT_REPRESENTATIVE, "Ấp Phú Hòa")
    assert scopes["xa.tieucan"] == (Role.UNIT_REPRESENTATIVE, "Xã Tiểu Cần")
    represented_types = set(
        RoleAssignment.objects.filter(role=Role.UNIT_REPRESENTATIVE).values_list(
            "unit__unit_type", flat=True
        )
    )
    assert represented_types == set(UnitType.values)
    assert User.objects.get(username="admin").is_superuser is True


@pytest.mark.django_db
def test_demo_usernames_are_ascii_with_dots_and_emails_example_vn(demo):

    users = User.objects.filter(username__in=DEMO_USERNAMES)

    assert users.count() == 15
    for user in users:
        assert re.fullmatch(r"[a-z]+(\.[a-z0-9]+)*", user.username)
        assert user.email == f"{user.username}@example.vn"
        assert user.first_name
        assert user.last_name


@pytest.mark.django_db
def test_demo_users_log_in_with_the_default_password(demo):

    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        assert user.check_password("antt2026") is True


@pytest.mark.django_db
def test_every_demo_user_logs_in_through_the_login_page_and_sees_a_role(demo, client):

    for username in DEMO_USERNAMES:
        client.post("/accounts/logout/")
        response = client.post(
            "/accounts/login/", {"username": username, "password": "antt2026"}, follow=True
        )
        assert response.context["user"].username == username
        home = response.context
        assert home["sections"] or home["is_administrator"], username
        assert 'id="no-roles"' not in response.content.decode()


@pytest.mark.django_db
def test_password_option_changes_every_demo_password(demo):

    output = load_demo("--password", "other-secret")

    assert "đổi 15 mật khẩu" in output
    for user in User.objects.filter(username__in=DEMO_USERNAMES):
        assert user.check_password("other-secret") is True
        assert user.check_password("antt2026") is False


@pytest.mark.django_db
def test_password_option_leaves_non_demo_users_alone():
    someone = UserFactory(username="nguoi.khac")
    before = someone.password

    load_demo("--password", "other-secret")

    assert User.objects.get(username="nguoi.khac").password == before


@pytest.mark.django_db
def test_load_demo_prints_every_username_and_the_password():
    output = load_demo("--password", "mat-khau-demo")

    for username in DEMO_USERNAMES:
        assert re.search(rf"^{re.escape(username)}\s", output, flags=re.MULTILINE)
    assert "Mật khẩu của mọi người dùng mẫu: mat-khau-demo" in output
    assert "Ấp Phú Hòa (Xã Càng Long)" in output


def test_load_demo_help_text_renders():
    help_text = Command().create_parser("manage.py", "load_demo").format_help()

    assert "Nạp một tỉnh mẫu" in help_text
    assert "(mặc định: antt2026)" in help_text
