"""The free-text searches: accents, case, short words and codes, alike on SQLite and PostgreSQL.

Both databases compare the stored `search_name` / `search_words` columns, which the database
computes with antt_search_text (unaccent on PostgreSQL, units.search.search_text on SQLite).
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import Registration, RegistrationStatus
from certification.services.cycles import create_cycle
from tests.factories import UnitFactory, published_criteria_set
from units.models import Unit
from units.search import name_contains, search_text

pytestmark = pytest.mark.django_db

NAMES = [
    "Tổ dân phố 5",
    "Khu phố Đông Tổ",
    "Ấp Tân Hòa",
    "Ấp An Phú",
    "Xã Tân An",
    "Đội Thuế ĐỒNG THÁP",
    "Công ty Toàn Thắng",
]


@pytest.fixture
def units(world):
    return [UnitFactory(area=world.xa_3, name=name) for name in NAMES]


def found(units, typed: str) -> list[str]:
    matches = Unit.objects.filter(name_contains("search_name", typed), pk__in=[u.pk for u in units])
    return sorted(matches.values_list("name", flat=True))


def test_search_text_strips_vietnamese_accents_and_case():
    assert search_text("Đồng Tháp") == "dong thap"
    assert search_text("ẤP TÂN HÒA") == "ap tan hoa"
    assert search_text("Hoà") == search_text("Hòa") == "hoa"


@pytest.mark.parametrize("typed", ["tan hoa", "Tân Hòa", "TÂN HOÀ", "tân hoà"])
def test_a_name_is_found_with_or_without_accents_in_any_case(units, typed):
    assert found(units, typed) == ["Ấp Tân Hòa"]


def test_d_with_stroke_is_found_as_d(units):
    assert found(units, "dong thap") == ["Đội Thuế ĐỒNG THÁP"]
    assert found(units, "ĐỒNG") == ["Khu phố Đông Tổ", "Đội Thuế ĐỒNG THÁP"]


def test_three_letters_or_more_are_found_inside_words(units):
    assert found(units, "oan") == ["Công ty Toàn Thắng"]
    assert found(units, "hoa") == ["Ấp Tân Hòa"]


def test_one_or_two_letters_find_the_beginning_of_a_word(units):
    # "an" inside "Tân" is not a match; the word "An" is, wherever it stands.
    assert found(units, "an") == ["Xã Tân An", "Ấp An Phú"]
    assert found(units, "Tổ") == ["Công ty Toàn Thắng", "Khu phố Đông Tổ", "Tổ dân phố 5"]
    assert found(units, "x") == ["Xã Tân An"]


def test_the_stored_search_name_follows_a_rename_and_a_bulk_update(units):
    unit = units[0]
    unit.name = "Ấp Mới"
    unit.save()
    Unit.objects.filter(pk=units[1].pk).update(name="Thôn Cũ")

    assert found(units, "ap moi") == ["Ấp Mới"]
    assert found(units, "thon cu") == ["Thôn Cũ"]
    unit.refresh_from_db()
    assert unit.search_name == "ap moi"


def test_the_unit_list_finds_names_and_codes_and_keeps_name_order(client, world, units):
    coded = UnitFactory(area=world.xa_3, code="KDC-SEARCH-01", name="Thôn Mã Số")
    client.force_login(world.users.administrator)

    def listed(q):
        response = client.get(reverse("units:unit-list"), {"q": q})
        assert response.status_code == 200
        return [unit.name for unit in response.context["object_list"]]

    assert listed("kdc-search-01") == [coded.name]  # a code as typed in lower case
    hamlets = listed("ấp")
    assert {"Ấp An Phú", "Ấp Tân Hòa"} <= set(hamlets)
    assert hamlets == sorted(hamlets)  # in name order, as without a search


@pytest.fixture
def cycle(world):
    year = timezone.localdate().year
    return create_cycle(year=year, province=None, criteria_set=published_criteria_set(), by=None)


def test_the_registrations_are_found_by_unit_name_code_or_receipt_code(client, world, units, cycle):
    for unit in units:
        Registration.objects.create(
            cycle=cycle,
            unit=unit,
            area_id=unit.area_id,
            status=RegistrationStatus.ACKNOWLEDGED,
            receipt_code=f"{cycle.year}-{unit.pk:08d}",
        )
    client.force_login(world.users.administrator)

    def listed(q):
        response = client.get(reverse("certification:registration-list"), {"q": q})
        assert response.status_code == 200
        return sorted(r.unit.name for r in response.context["object_list"])

    assert listed("ĐÔNG TỔ") == ["Khu phố Đông Tổ"]
    assert listed(units[2].code.lower()) == ["Ấp Tân Hòa"]
    assert listed(f"{cycle.year}-{units[3].pk:08d}") == ["Ấp An Phú"]
    assert listed("an") == ["Xã Tân An", "Ấp An Phú"]


@pytest.mark.postgres
def test_postgresql_strips_accents_as_the_python_function_does(world):
    """Both databases must agree: SQLite's tests stand for PostgreSQL's unaccent."""
    letters = "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ"
    names = [letters, letters.upper(), "Tổ dân phố Phước Hậu", "Đội Thuế ĐỒNG THÁP"]
    made = [UnitFactory(area=world.xa_3, name=name) for name in names]

    rows = Unit.objects.filter(pk__in=[unit.pk for unit in made])
    stored = dict(rows.values_list("name", "search_name"))

    assert stored == {name: search_text(name) for name in names}


def test_the_unit_admin_sorts_the_matches_of_a_search_by_name_without_walking_the_name_index(
    client, world
):
    from django.db.models import OrderBy
    from django.db.models.functions import Concat

    for name in ("Ấp Phú Tây", "Ấp Phú Đông", "Ấp Phú Bắc"):
        UnitFactory(area=world.xa_3, name=name)
    administrator = world.users.administrator
    administrator.is_staff = administrator.is_superuser = True
    administrator.save()
    client.force_login(administrator)

    searched = client.get(reverse("admin:units_unit_changelist"), {"q": "ap phu"})
    plain = client.get(reverse("admin:units_unit_changelist"))

    rows = [unit.name for unit in searched.context["cl"].result_list]
    assert rows == sorted(
        rows, key=lambda name: [u.name for u in Unit.objects.order_by("name")].index(name)
    )
    assert {"Ấp Phú Tây", "Ấp Phú Đông", "Ấp Phú Bắc"} <= set(rows)
    order = searched.context["cl"].queryset.query.order_by
    assert any(isinstance(o, OrderBy) and isinstance(o.expression, Concat) for o in order)
    assert not any(isinstance(o, OrderBy) for o in plain.context["cl"].queryset.query.order_by)
