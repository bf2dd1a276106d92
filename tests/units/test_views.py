import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import UnitFactory
from units.models import Unit

pytestmark = pytest.mark.django_db

UNIT_LIST = reverse("units:unit-list")


def _listed_codes(response):
    return sorted(unit.code for unit in response.context["object_list"])


# --- access ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["units:unit-list", "password_change"])
def test_pages_redirect_anonymous_users_to_login(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_unit_detail_redirects_anonymous_users_to_login(client, world):
    response = client.get(world.khom_1.get_absolute_url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url_name", ["login", "password_reset", "password_reset_done"])
def test_login_and_password_reset_pages_are_open_and_vietnamese(client, url_name):
    response = client.get(reverse(url_name))
    assert response.status_code == 200
    assert response["Content-Language"] == "vi"


def test_login_page_logs_a_user_in_with_the_right_password(client, world):
    response = client.post(
        reverse("login"), {"username": "ca.tinh", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_login_page_refuses_a_wrong_password_in_vietnamese(client, world):
    response = client.post(reverse("login"), {"username": "ca.tinh", "password": "sai"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_login_is_locked_after_repeated_failures(client, world, settings):
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("login"), {"username": "ca.tinh", "password": "sai"})
    response = client.post(
        reverse("login"), {"username": "ca.tinh", "password": "mat-khau-thu-nghiem"}
    )
    assert response.status_code == 429
    assert "Đăng nhập sai quá nhiều lần" in response.content.decode()


def test_password_reset_sends_a_vietnamese_mail_with_a_working_link(client, world):
    user = world.users.rep_khom
    client.post(reverse("password_reset"), {"email": user.email})
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [user.email]
    link = next(line for line in mail.outbox[0].body.splitlines() if "/accounts/reset/" in line)
    response = client.get(link.strip(), follow=True)
    assert "new_password1" in response.content.decode()


def test_password_change_keeps_the_user_logged_in(client, world):
    user = world.users.rep_khom
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "mat-khau-thu-nghiem",
            "new_password1": "Ap-Phu-Hoa-2026!",
            "new_password2": "Ap-Phu-Hoa-2026!",
        },
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password("Ap-Phu-Hoa-2026!")


# --- home --------------------------------------------------------------------------------------


def test_home_shows_a_reviewer_the_units_of_their_area_by_type(client, world):
    client.force_login(world.users.reviewer_province)
    response = client.get(reverse("home"))
    (section,) = response.context["sections"]
    assert section["total"] == 4
    assert dict(section["counts"]) == {
        "khu dân cư": 2,
        "đơn vị cấp xã": 0,
        "cơ quan": 1,
        "doanh nghiệp": 1,
        "cơ sở giáo dục": 0,
    }
    assert "Tỉnh Vĩnh Long" in response.content.decode()


def test_home_shows_a_unit_representative_their_unit(client, world):
    client.force_login(world.users.rep_khom)
    response = client.get(reverse("home"))
    body = response.content.decode()
    assert world.khom_1.get_absolute_url() in body
    assert "Tỉnh Bến Tre" not in body


def test_home_tells_a_user_without_roles_what_to_do(client, world):
    client.force_login(world.users.nobody)
    response = client.get(reverse("home"))
    assert 'id="no-roles"' in response.content.decode()
    assert response.context["overall_total"] == 0


# --- unit list ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("user_name", "expected_units"),
    [
        ("reviewer_phuong", ["CQ-001", "KDC-001"]),
        ("decider_xa2", ["DN-001", "KDC-002"]),
        ("observer_ben_tre", ["KDC-003"]),
        ("rep_khom", ["KDC-001"]),
        ("nobody", []),
    ],
)
def test_unit_list_shows_each_role_only_its_scope(client, world, user_name, expected_units):
    client.force_login(getattr(world.users, user_name))
    response = client.get(UNIT_LIST)
    assert _listed_codes(response) == expected_units


@pytest.mark.parametrize(
    ("user_name", "unit_name", "status"),
    [
        ("reviewer_phuong", "khom_1", 200),
        ("reviewer_phuong", "ap_2", 404),
        ("decider_xa2", "agency", 404),
        ("observer_ben_tre", "khom_1", 404),
        ("observer_ben_tre", "ap_3", 200),
        ("rep_khom", "khom_1", 200),
        ("rep_khom", "ap_2", 404),
        ("nobody", "khom_1", 404),
        ("administrator", "ap_3", 200),
    ],
)
def test_unit_detail_is_404_outside_the_jurisdiction(client, world, user_name, unit_name, status):
    client.force_login(getattr(world.users, user_name))
    unit = getattr(world, unit_name)
    response = client.get(unit.get_absolute_url())
    assert response.status_code == status
    if status == 200:
        assert unit.name in response.content.decode()


def test_unit_list_filters_by_type_search_and_area_subtree(client, world):
    client.force_login(world.users.reviewer_province)
    assert _listed_codes(client.get(UNIT_LIST, {"unit_type": "agency"})) == ["CQ-001"]
    assert _listed_codes(client.get(UNIT_LIST, {"q": "phú hòa"})) == ["KDC-002"]
    assert _listed_codes(client.get(UNIT_LIST, {"q": "dn-001"})) == ["DN-001"]
    assert _listed_codes(client.get(UNIT_LIST, {"area": world.phuong_1.pk})) == [
        "CQ-001",
        "KDC-001",
    ]


def test_unit_list_refuses_an_area_outside_the_jurisdiction(client, world):
    client.force_login(world.users.reviewer_phuong)
    response = client.get(UNIT_LIST, {"area": world.ben_tre.pk})
    assert _listed_codes(response) == []
    assert "area" in response.context["filter"].form.errors
    assert "Một số bộ lọc không hợp lệ" in response.content.decode()


def _filter_form(html: str) -> str:
    start = html.index('id="unit-filter"')
    return html[start : html.index("</form>", start)]


def test_unit_list_filter_shows_the_chosen_options(client, world):
    client.force_login(world.users.reviewer_province)
    response = client.get(UNIT_LIST, {"unit_type": "agency", "area": world.phuong_1.pk})
    form = _filter_form(response.content.decode())
    # type, area, and "All" of the status not chosen
    assert re.findall(r'<option value="([^"]*)" selected>', form) == [
        "agency",
        str(world.phuong_1.pk),
        "",
    ]
    assert f'<option value="{world.xa_2.pk}">— {world.xa_2.name}</option>' in form


def test_unit_list_marks_an_invalid_filter_on_its_field(client, world):
    client.force_login(world.users.reviewer_phuong)
    form = _filter_form(client.get(UNIT_LIST, {"area": world.ben_tre.pk}).content.decode())
    assert (
        '<select name="area" class="form-select" id="id_area" aria-invalid="true" '
        'aria-describedby="id_area_error">'
    ) in form
    assert '<div id="id_area_error"><div class="invalid-feedback d-block">' in form
    assert '<select name="unit_type" class="form-select" id="id_unit_type">' in form


@pytest.mark.postgres
def test_unit_list_reads_the_area_choices_without_a_server_side_cursor(client, world):
    client.force_login(world.users.reviewer_province)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(UNIT_LIST)
    assert f'<option value="{world.phuong_1.pk}">' in response.content.decode()
    assert [query["sql"] for query in captured if query["sql"].startswith("DECLARE")] == []


def test_unit_list_filters_active_and_inactive_units(client, world):
    import datetime

    Unit.objects.filter(pk=world.ap_2.pk).update(active_to=datetime.date(2020, 1, 1))
    client.force_login(world.users.reviewer_province)
    assert _listed_codes(client.get(UNIT_LIST, {"active": "no"})) == ["KDC-002"]
    assert _listed_codes(client.get(UNIT_LIST, {"active": "yes"})) == [
        "CQ-001",
        "DN-001",
        "KDC-001",
    ]


def test_unit_list_paginates_fifty_per_page(client, world):
    UnitFactory.create_batch(60, area=world.xa_2)
    client.force_login(world.users.decider_xa2)
    first = client.get(UNIT_LIST)
    second = client.get(UNIT_LIST, {"page": 2})
    assert len(first.context["object_list"]) == 50
    assert len(second.context["object_list"]) == 12
    assert first.context["paginator"].count == 62


@pytest.mark.parametrize("unit_count", [1, 50])
def test_unit_list_query_count_does_not_grow_with_units(
    client, world, unit_count, django_assert_num_queries
):
    UnitFactory.create_batch(unit_count - 1, area=world.xa_3)  # Bến Tre already has one unit
    client.force_login(world.users.observer_ben_tre)
    # session, user, roles, area choices of the filter, count, page of units with their areas
    with django_assert_num_queries(6):
        response = client.get(UNIT_LIST)
    assert len(response.context["object_list"]) == unit_count


def test_unit_detail_shows_the_area_history_after_a_merge(client, world):
    import datetime

    from units.services import merge_area

    merge_area(world.phuong_1, world.xa_2, on=datetime.date(2025, 7, 1), reason="Sáp nhập", by=None)
    client.force_login(world.users.reviewer_province)
    body = client.get(world.khom_1.get_absolute_url()).content.decode()
    assert "01/07/2025" in body
    assert "Phường Trà Vinh → Xã Càng Long" in body


def test_pages_stay_vietnamese_for_an_english_browser(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    assert response["Content-Language"] == "vi"
    assert "Đăng nhập" in response.content.decode()


def test_language_switch_turns_the_portal_english(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    response = client.get(reverse("login"))
    assert response["Content-Language"] == "en"
    assert "Forgotten your password?" in response.content.decode()
