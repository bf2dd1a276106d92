"""The units admin: changelists without N+1 queries, writes through the services, area merges."""

import datetime
import re

import pytest
from django.contrib import admin
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from tests.factories import (
    AreaFactory,
    ProvinceFactory,
    RoleAssignmentFactory,
    UnitFactory,
    UserFactory,
)
from units.models import (
    Area,
    AreaKind,
    AreaLevel,
    ManagingLevel,
    Role,
    RoleAssignment,
    Unit,
    UnitAreaChange,
    UnitCount,
    UnitSuccession,
    UnitType,
    User,
)

pytestmark = pytest.mark.django_db

MERGE_DAY = datetime.date(2025, 7, 1)
# The unit change page's inline of absorbed residential areas, with no row.
NO_SUCCESSION_ROWS = {
    "predecessor_links-TOTAL_FORMS": "0",
    "predecessor_links-INITIAL_FORMS": "0",
}
AREA_CHANGELIST = "admin:units_area_changelist"


@pytest.fixture(autouse=True)
def _english(settings):
    """Messages in English (the msgids), whatever the Vietnamese catalogue holds."""
    settings.LANGUAGE_CODE = "en"


def _fresh(instance):
    return type(instance).objects.get(pk=instance.pk)


# --- Changelists --------------------------------------------------------------------------------
# Each builder adds `count` rows to its changelist and returns the names the list must show.


def _add_areas(count, tag, admin_user):
    province = ProvinceFactory(name=f"Tỉnh {tag}")
    names = [province.name]
    target = None
    for index in range(count - 1):
        area = AreaFactory(parent=province, name=f"Xã {tag} {index}")
        names.append(area.name)
        if target is None:
            target = area
        elif index % 2:
            Area.objects.filter(pk=area.pk).update(merged_into=target)
    return names


def _add_units(count, tag, admin_user):
    area = AreaFactory(name=f"Xã của đơn vị {tag}")
    return [UnitFactory(area=area, name=f"Thôn {tag} {index}").name for index in range(count)]


def _add_users(count, tag, admin_user):
    return [UserFactory(username=f"nguoidung_{tag}_{index}").username for index in range(count)]


def _add_role_assignments(count, tag, admin_user):
    area = AreaFactory(name=f"Xã phạm vi {tag}")
    unit = UnitFactory(area=area, name=f"Thôn phạm vi {tag}")
    names = []
    for index in range(count):
        user = UserFactory(username=f"canbo_{tag}_{index}")
        if index % 2:
            RoleAssignmentFactory(user=user, role=Role.UNIT_REPRESENTATIVE, unit=unit)
        else:
            RoleAssignmentFactory(user=user, role=Role.REVIEWER, area=area)
        names.append(user.username)
    return names


def _add_unit_area_changes(count, tag, admin_user):
    old_area = AreaFactory(name=f"Xã cũ {tag}")
    new_area = AreaFactory(name=f"Xã mới {tag}")
    names = []
    for index in range(count):
        unit = UnitFactory(area=new_area, name=f"Thôn chuyển {tag} {index}")
        UnitAreaChange.objects.create(
            unit=unit,
            old_area=old_area,
            new_area=new_area,
            changed_on=MERGE_DAY,
            reason="Nghị quyết sáp nhập",
            changed_by=admin_user,
        )
        names.append(unit.name)
    return names


CHANGELISTS = {
    "area": _add_areas,
    "unit": _add_units,
    "user": _add_users,
    "roleassignment": _add_role_assignments,
    "unitareachange": _add_unit_area_changes,
}


def _get_counting_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    return response, len(queries)


@pytest.mark.parametrize("model_name", list(CHANGELISTS))
def test_changelist_query_count_is_the_same_for_1_and_30_rows(admin_client, admin_user, model_name):
    # Arrange
    url = reverse(f"admin:units_{model_name}_changelist")
    add_rows = CHANGELISTS[model_name]
    first_names = add_rows(1, "một", admin_user)
    response_for_one, queries_for_one = _get_counting_queries(admin_client, url)
    more_names = add_rows(29, "nhiều", admin_user)

    # Act
    response_for_30, queries_for_30 = _get_counting_queries(admin_client, url)

    # Assert
    assert response_for_one.status_code == 200
    assert response_for_30.status_code == 200
    assert queries_for_30 == queries_for_one
    page = response_for_30.content.decode()
    assert [name for name in first_names + more_names if name not in page] == []


def test_area_changelist_shows_the_parent_and_the_depth(admin_client):
    # Arrange
    province = ProvinceFactory(name="Tỉnh Cha")
    AreaFactory(parent=province, name="Xã Con")

    # Act
    response = admin_client.get(reverse(AREA_CHANGELIST))

    # Assert
    page = response.content.decode()
    assert "— Xã Con" in page
    assert '<td class="field-parent_name">Tỉnh Cha</td>' in page


def test_area_changelist_filters_by_province(admin_client):
    # Arrange
    province = ProvinceFactory(name="Tỉnh Lọc")
    AreaFactory(parent=province, name="Xã Trong Tỉnh")
    AreaFactory(name="Xã Ngoài Tỉnh")

    # Act
    response = admin_client.get(reverse(AREA_CHANGELIST), {"province": province.pk})

    # Assert
    shown = [area.name for area in response.context["cl"].result_list]
    assert shown == ["Tỉnh Lọc", "Xã Trong Tỉnh"]


@pytest.mark.parametrize("model_name", ["area", "unit", "unitareachange"])
def test_changelist_province_filter_loads(admin_client, model_name):
    # Arrange
    province = ProvinceFactory()

    # Act
    response = admin_client.get(
        reverse(f"admin:units_{model_name}_changelist"), {"province": province.pk}
    )

    # Assert
    assert response.status_code == 200


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:units_area_add",
        "admin:units_unit_add",
        "admin:units_user_add",
        "admin:units_roleassignment_add",
        "admin:units_area_import",
        "admin:units_unit_import",
        "admin:units_area_export",
        "admin:units_unit_export",
    ],
)
def test_admin_page_loads(admin_client, url_name):
    # Act
    response = admin_client.get(reverse(url_name))

    # Assert
    assert response.status_code == 200


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)|<style|\sstyle=|\son[a-z]+=")


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:units_area_import",
        "admin:units_unit_import",
        "admin:units_area_export",
        "admin:units_unit_export",
    ],
)
def test_import_and_export_pages_have_no_inline_script_or_style(admin_client, url_name):
    # Act
    response = admin_client.get(reverse(url_name))

    # Assert
    assert INLINE_CODE.findall(response.content.decode()) == []


def test_change_pages_load_with_history(admin_client, admin_user):
    # Arrange
    unit = UnitFactory()
    assignment = RoleAssignmentFactory(role=Role.REVIEWER, area=unit.area)
    change = UnitAreaChange.objects.create(
        unit=unit,
        old_area=AreaFactory(),
        new_area=unit.area,
        changed_on=MERGE_DAY,
        reason="Sáp nhập",
        changed_by=admin_user,
    )
    urls = [
        reverse("admin:units_area_change", args=[unit.area.pk]),
        reverse("admin:units_area_history", args=[unit.area.pk]),
        reverse("admin:units_unit_change", args=[unit.pk]),
        reverse("admin:units_unit_history", args=[unit.pk]),
        reverse("admin:units_roleassignment_change", args=[assignment.pk]),
        reverse("admin:units_user_change", args=[assignment.user.pk]),
        reverse("admin:units_unitareachange_change", args=[change.pk]),
    ]

    # Act
    statuses = [admin_client.get(url).status_code for url in urls]

    # Assert
    assert statuses == [200] * len(urls)


# --- Writes through the services ----------------------------------------------------------------


def test_area_add_places_the_area_under_its_parent(admin_client):
    # Arrange
    province = ProvinceFactory(code="P77")
    data = {
        "parent": province.pk,
        "code": "77001",
        "name": "Xã Mới Lập",
        "level": AreaLevel.COMMUNE,
        "kind": AreaKind.XA,
        "valid_from": "01/07/2025",
        "valid_to": "",
    }

    # Act
    response = admin_client.post(reverse("admin:units_area_add"), data)

    # Assert
    assert response.status_code == 302
    area = Area.objects.get(code="77001")
    assert Area.objects.get_parent(area) == province
    assert area.valid_from == MERGE_DAY
    assert _fresh(province).numchild == 1
    assert list(Area.objects.within(province).values_list("code", flat=True)) == ["P77", "77001"]
    assert area.history.count() == 1


def test_area_add_of_a_commune_without_parent_shows_an_error(admin_client):
    # Arrange
    data = {"code": "77002", "name": "Xã Mồ Côi", "level": AreaLevel.COMMUNE, "kind": AreaKind.XA}

    # Act
    response = admin_client.post(reverse("admin:units_area_add"), data)

    # Assert
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "parent": ["A commune level area needs a parent area."]
    }
    assert Area.objects.filter(code="77002").exists() is False


def test_role_assignment_add_of_administrator_makes_the_user_staff(admin_client):
    # Arrange
    user = UserFactory(username="quantri")

    # Act
    response = admin_client.post(
        reverse("admin:units_roleassignment_add"), {"user": user.pk, "role": Role.ADMINISTRATOR}
    )

    # Assert
    assert response.status_code == 302
    user = _fresh(user)
    assert (user.is_staff, user.is_superuser) == (True, True)
    assert list(user.roles.values_list("role", flat=True)) == [Role.ADMINISTRATOR]


def test_role_assignment_delete_revokes_the_administrator(admin_client):
    # Arrange
    user = UserFactory(username="cuuquantri", is_staff=True, is_superuser=True)
    assignment = RoleAssignment.objects.create(user=user, role=Role.ADMINISTRATOR)

    # Act
    response = admin_client.post(
        reverse("admin:units_roleassignment_delete", args=[assignment.pk]), {"post": "yes"}
    )

    # Assert
    assert response.status_code == 302
    user = _fresh(user)
    assert (user.is_staff, user.is_superuser, user.roles.count()) == (False, False, 0)


def test_user_change_with_role_inline_grants_through_the_service(admin_client):
    # Arrange
    user = UserFactory(username="thanhvien", phone="0901234567")
    area = AreaFactory()
    url = reverse("admin:units_user_change", args=[user.pk])
    data = {
        "username": user.username,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "email": user.email,
        "phone": "0907654321",
        "is_active": "on",
        "date_joined_0": "01/01/2025",
        "date_joined_1": "08:00",
        "roles-TOTAL_FORMS": "2",
        "roles-INITIAL_FORMS": "0",
        "roles-MIN_NUM_FORMS": "0",
        "roles-MAX_NUM_FORMS": "1000",
        "roles-0-role": Role.REVIEWER,
        "roles-0-area": area.pk,
        "roles-1-role": Role.ADMINISTRATOR,
    }

    # Act
    response = admin_client.post(url, data)

    # Assert
    assert response.status_code == 302
    user = _fresh(user)
    assert user.phone == "0907654321"
    assert sorted(user.roles.values_list("role", flat=True)) == [Role.ADMINISTRATOR, Role.REVIEWER]
    assert (user.is_staff, user.is_superuser) == (True, True)


def test_unit_change_of_area_records_the_move(admin_client, admin_user):
    # Arrange
    old_area = AreaFactory(name="Xã Cũ")
    new_area = AreaFactory(name="Xã Mới")
    unit = UnitFactory(area=old_area, name="Thôn Chuyển")
    data = {
        "code": unit.code,
        "name": unit.name,
        "unit_type": UnitType.RESIDENTIAL_AREA,
        "residential_subtype": unit.residential_subtype,
        "area": new_area.pk,
        "area_change_on": "01/07/2025",
        "area_change_reason": "Điều chỉnh địa giới",
        "managing_level": ManagingLevel.COMMUNE,
        "contact_email": unit.contact_email,
        **NO_SUCCESSION_ROWS,
    }

    # Act
    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)

    # Assert
    assert response.status_code == 302
    assert _fresh(unit).area == new_area
    change = UnitAreaChange.objects.get(unit=unit)
    assert (change.old_area, change.new_area, change.changed_on, change.reason) == (
        old_area,
        new_area,
        MERGE_DAY,
        "Điều chỉnh địa giới",
    )
    assert change.changed_by == admin_user


def test_units_added_retyped_ended_and_moved_in_the_admin_keep_the_unit_counters(admin_client):
    # Arrange
    old_area, new_area = AreaFactory(name="Xã Cũ"), AreaFactory(name="Xã Mới")
    data = {
        "code": "TH-001",
        "name": "Trường THCS Thử",
        "unit_type": UnitType.SCHOOL,
        "school_level": "lower_secondary",
        "area": old_area.pk,
        "managing_level": ManagingLevel.COMMUNE,
    }

    # Act and assert: each save through the admin leaves the counters equal to a fresh count.
    response = admin_client.post(reverse("admin:units_unit_add"), data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    unit = Unit.objects.get(code="TH-001")
    assert UnitCount.objects.get(area=old_area, unit_type=UnitType.SCHOOL).n == 1
    assert UnitCount.objects.differences() == []

    data |= {"unit_type": UnitType.AGENCY, "school_level": "", **NO_SUCCESSION_ROWS}
    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)
    assert response.status_code == 302
    assert UnitCount.objects.get(area=old_area, unit_type=UnitType.AGENCY).n == 1
    assert UnitCount.objects.differences() == []

    data |= {
        "area": new_area.pk,
        "area_change_on": "01/07/2025",
        "area_change_reason": "Điều chỉnh địa giới",
    }
    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)
    assert response.status_code == 302
    assert UnitCount.objects.get(area=new_area, unit_type=UnitType.AGENCY).n == 1
    assert UnitCount.objects.differences() == []

    data |= {"active_to": "01/01/2026"}
    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)
    assert response.status_code == 302
    assert _fresh(unit).active_to is not None
    assert UnitCount.objects.get(area=new_area, unit_type=UnitType.AGENCY).n == 0
    assert UnitCount.objects.differences() == []


def test_unit_change_of_area_without_reason_shows_an_error(admin_client):
    # Arrange
    unit = UnitFactory()
    new_area = AreaFactory()
    data = {
        "code": unit.code,
        "name": unit.name,
        "unit_type": UnitType.RESIDENTIAL_AREA,
        "residential_subtype": unit.residential_subtype,
        "area": new_area.pk,
        "area_change_on": "01/07/2025",
        "area_change_reason": " ",
        "managing_level": ManagingLevel.COMMUNE,
        **NO_SUCCESSION_ROWS,
    }

    # Act
    response = admin_client.post(reverse("admin:units_unit_change", args=[unit.pk]), data)

    # Assert
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {
        "area_change_reason": ["Give the reason for the area change."]
    }
    assert UnitAreaChange.objects.count() == 0


def test_unit_area_change_admin_is_read_only(admin_client, admin_user):
    # Arrange
    unit = UnitFactory()
    change = UnitAreaChange.objects.create(
        unit=unit,
        old_area=AreaFactory(),
        new_area=unit.area,
        changed_on=MERGE_DAY,
        reason="Sáp nhập",
        changed_by=admin_user,
    )

    # Act
    add = admin_client.get(reverse("admin:units_unitareachange_add"))
    delete = admin_client.post(
        reverse("admin:units_unitareachange_delete", args=[change.pk]), {"post": "yes"}
    )

    # Assert
    assert (add.status_code, delete.status_code) == (403, 403)
    assert UnitAreaChange.objects.count() == 1


# --- Merge action -------------------------------------------------------------------------------


@pytest.fixture
def merge_setup():
    """A province with two communes; the first has two units."""
    province = ProvinceFactory(name="Tỉnh Sáp Nhập")
    source = AreaFactory(parent=province, name="Xã Nguồn", code="51001")
    target = AreaFactory(parent=province, name="Xã Đích", code="51002")
    units = [UnitFactory(area=source, name=f"Thôn Nguồn {index}") for index in range(2)]
    return province, source, target, units


def _merge(client, sources, **form):
    data = {
        "action": "merge_into_another_area",
        "_selected_action": [area.pk for area in sources],
        "apply": "1",
        **form,
    }
    return client.post(reverse(AREA_CHANGELIST), data)


def _messages(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def test_merge_action_first_shows_the_form(admin_client, merge_setup):
    # Arrange
    _, source, _, _ = merge_setup
    data = {"action": "merge_into_another_area", "_selected_action": [source.pk]}

    # Act
    response = admin_client.post(reverse(AREA_CHANGELIST), data)

    # Assert
    assert response.status_code == 200
    assert response.templates[0].name == "admin/units/area/merge_into.html"
    assert response.context["form"].is_bound is False
    assert INLINE_CODE.findall(response.content.decode()) == []


def test_merge_action_merges_the_area_and_moves_its_units(admin_client, admin_user, merge_setup):
    # Arrange
    _, source, target, units = merge_setup

    # Act
    response = _merge(
        admin_client, [source], into=target.pk, on="2025-07-01", reason="Nghị quyết 1656"
    )

    # Assert
    assert response.status_code == 302
    source = _fresh(source)
    assert (source.merged_into, source.valid_to) == (target, MERGE_DAY)
    assert [_fresh(unit).area for unit in units] == [target, target]
    changes = UnitAreaChange.objects.order_by("unit__name")
    assert [
        (c.unit, c.old_area, c.new_area, c.changed_on, c.reason, c.changed_by) for c in changes
    ] == [(unit, source, target, MERGE_DAY, "Nghị quyết 1656", admin_user) for unit in units]
    assert _messages(response) == ["Merged 1 area into “Xã Đích”."]


def _assert_nothing_changed(source, units):
    source = _fresh(source)
    assert (source.merged_into, source.valid_to) == (None, None)
    assert [_fresh(unit).area for unit in units] == [source] * len(units)
    assert UnitAreaChange.objects.count() == 0


def test_merge_action_into_itself_shows_the_error_and_changes_nothing(admin_client, merge_setup):
    # Arrange
    _, source, _, units = merge_setup

    # Act
    response = _merge(admin_client, [source], into=source.pk, on="2025-07-01", reason="Nhầm")

    # Assert
    assert response.status_code == 200
    assert _messages(response) == [
        "Could not merge “Xã Nguồn”: An area cannot be merged into itself. Nothing was changed."
    ]
    _assert_nothing_changed(source, units)


def test_merge_action_into_a_child_shows_the_error_and_changes_nothing(admin_client):
    # Arrange
    province = ProvinceFactory(name="Tỉnh Mẹ")
    district = AreaFactory(
        parent=province, name="Huyện Cha", level=AreaLevel.DISTRICT, kind=AreaKind.HUYEN
    )
    commune = AreaFactory(parent=district, name="Xã Con")
    units = [UnitFactory(area=district)]

    # Act
    response = _merge(admin_client, [district], into=commune.pk, on="2025-07-01", reason="Nhầm")

    # Assert
    assert response.status_code == 200
    assert _messages(response) == [
        "Could not merge “Huyện Cha”: “Xã Con” lies inside “Huyện Cha”; merge into an area "
        "outside it. Nothing was changed."
    ]
    _assert_nothing_changed(district, units)
    assert Area.objects.get_parent(_fresh(commune)) == _fresh(district)


def test_merge_action_with_one_failing_area_changes_none(admin_client, merge_setup):
    # Arrange
    _, source, target, units = merge_setup

    # Act: the first merge succeeds, the second (the target into itself) fails.
    response = _merge(
        admin_client, [source, target], into=target.pk, on="2025-07-01", reason="Sáp nhập"
    )

    # Assert
    assert response.status_code == 200
    assert _messages(response) == [
        "Could not merge “Xã Đích”: An area cannot be merged into itself. Nothing was changed."
    ]
    _assert_nothing_changed(source, units)


def test_merge_action_without_reason_shows_a_form_error(admin_client, merge_setup):
    # Arrange
    _, source, target, units = merge_setup

    # Act
    response = _merge(admin_client, [source], into=target.pk, on="2025-07-01", reason="")

    # Assert
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["reason"]
    _assert_nothing_changed(source, units)


def test_merge_action_autocomplete_offers_only_areas_not_merged(admin_client, merge_setup):
    # Arrange
    _, source, target, _ = merge_setup
    Area.objects.filter(pk=source.pk).update(merged_into=target)
    params = {
        "app_label": "units",
        "model_name": "area",
        "field_name": "merged_into",
        "term": "Xã",
    }

    # Act
    response = admin_client.get(reverse("admin:autocomplete"), params)

    # Assert
    assert [result["text"] for result in response.json()["results"]] == ["Xã Đích"]


def test_user_admin_lists_users_with_phone(admin_client):
    # Arrange
    User.objects.create_user(username="codienthoai", phone="0911222333")

    # Act
    response = admin_client.get(reverse("admin:units_user_changelist"), {"q": "0911222333"})

    # Assert
    assert [user.username for user in response.context["cl"].result_list] == ["codienthoai"]
    assert Unit.objects.count() == 0


def _unit_form(unit) -> dict:
    return {
        "code": unit.code,
        "name": unit.name,
        "unit_type": UnitType.RESIDENTIAL_AREA,
        "residential_subtype": unit.residential_subtype,
        "area": unit.area.pk,
        "managing_level": ManagingLevel.COMMUNE,
        "contact_email": unit.contact_email,
    }


def _succession_row(predecessor, reason) -> dict:
    return {
        "predecessor_links-TOTAL_FORMS": "1",
        "predecessor_links-INITIAL_FORMS": "0",
        "predecessor_links-0-predecessor": predecessor.pk,
        "predecessor_links-0-merged_on": "01/07/2025",
        "predecessor_links-0-reason": reason,
    }


def test_unit_change_records_an_absorbed_residential_area(admin_client, admin_user):
    # Arrange
    area = AreaFactory(name="Xã Càng Long")
    successor = UnitFactory(area=area, name="Ấp Long Hưng")
    absorbed = UnitFactory(area=area, name="Ấp Long Hưng B")
    data = {**_unit_form(successor), **_succession_row(absorbed, "Nghị quyết sáp nhập ấp")}

    # Act
    response = admin_client.post(reverse("admin:units_unit_change", args=[successor.pk]), data)

    # Assert
    assert response.status_code == 302
    link = UnitSuccession.objects.get()
    assert (link.successor, link.predecessor, link.merged_on, link.reason, link.recorded_by) == (
        successor,
        absorbed,
        MERGE_DAY,
        "Nghị quyết sáp nhập ấp",
        admin_user,
    )
    assert _fresh(absorbed).active_to == MERGE_DAY


def test_unit_change_refuses_a_circle_in_the_lineage_and_keeps_the_input(admin_client):
    # Arrange
    area = AreaFactory(name="Xã Càng Long")
    successor = UnitFactory(area=area, name="Ấp Long Hưng")
    absorbed = UnitFactory(area=area, name="Ấp Long Hưng B")
    UnitSuccession.objects.create(
        successor=absorbed, predecessor=successor, merged_on=MERGE_DAY, reason="Sáp nhập"
    )
    data = {**_unit_form(successor), **_succession_row(absorbed, "Lý do nhập sai")}

    # Act
    response = admin_client.post(reverse("admin:units_unit_change", args=[successor.pk]), data)

    # Assert
    assert response.status_code == 200
    page = response.content.decode()
    assert "“Ấp Long Hưng” was itself merged into “Ấp Long Hưng B”" in page
    assert "Lý do nhập sai" in page
    assert UnitSuccession.objects.count() == 1


@pytest.mark.parametrize("language", ["vi", "en"])
def test_the_long_changelists_write_djangos_own_checkbox(world, language):
    unit_admin = admin.site._registry[Unit]
    with translation.override(language):
        written = unit_admin.action_checkbox(world.ap_2)
        rendered = admin.ModelAdmin.action_checkbox(unit_admin, world.ap_2)

    assert written == rendered
