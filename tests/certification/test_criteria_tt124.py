"""The published Circular 124/2021 set (version 2) against the law's own text, clause by clause.

The law is read from docs/legal/TT124-2021.md (the Ministry of Justice's codex text), so a criterion
that drifts from the law by one word fails here.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from certification.models import CriteriaSet, CriteriaSetStatus, Cycle
from certification.services.cycles import create_cycle
from tests.factories import ProvinceFactory

pytestmark = pytest.mark.django_db

LAW_FILE = Path(settings.BASE_DIR) / "docs" / "legal" / "TT124-2021.md"
ARTICLE_OF = {"residential_area": 4, "commune": 5, "agency": 6, "enterprise": 6, "school": 7}


def _law() -> dict[str, str]:
    """Clause "4.3" and point "4.3.a" of Articles 4–7, as written."""
    law, article, clause = {}, None, None
    for line in LAW_FILE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        if heading := re.match(r"^## Điều (\d+)\.", text):
            article, clause = int(heading.group(1)), None
        elif numbered := re.match(r"^(\d+)\. (.*)$", text):
            clause = numbered.group(1)
            law[f"{article}.{clause}"] = numbered.group(2)
        elif (point := re.match(r"^([a-zđ])\) (.*)$", text)) and clause:
            law[f"{article}.{clause}.{point.group(1)}"] = point.group(2)
    return law


LAW = _law()


def _published():
    return CriteriaSet.objects.get(code="TT124-2021", version=2)


def _clauses(article: int) -> list[int]:
    return sorted(int(key.split(".")[1]) for key in LAW if re.fullmatch(rf"{article}\.\d+", key))


def _points(prefix: str) -> list[str]:
    return [key.rsplit(".", 1)[1] for key in LAW if key.startswith(prefix + ".")]


def test_version_2_is_published_after_version_1():
    # Act
    criteria_set = _published()

    # Assert
    assert (criteria_set.status, criteria_set.previous_version.version) == (
        CriteriaSetStatus.PUBLISHED,
        1,
    )
    assert "được sửa đổi, bổ sung bởi Thông tư số 48/2025/TT-BCA" in criteria_set.legal_basis


@pytest.mark.parametrize(
    ("unit_type", "count"),
    [("residential_area", 5), ("commune", 4), ("agency", 5), ("enterprise", 5), ("school", 6)],
)
def test_each_unit_type_has_the_laws_criteria_numbered_as_its_clauses(unit_type, count):
    # Arrange
    article = ARTICLE_OF[unit_type]

    # Act
    numbers = list(
        _published().criteria.filter(unit_type=unit_type).values_list("number", flat=True)
    )

    # Assert
    assert numbers == _clauses(article) == list(range(1, count + 1))


@pytest.mark.parametrize("unit_type", list(ARTICLE_OF))
def test_each_criterion_text_is_its_clause_word_for_word(unit_type):
    # Arrange
    article = ARTICLE_OF[unit_type]

    # Act
    criteria = list(_published().criteria.filter(unit_type=unit_type))

    # Assert
    for criterion in criteria:
        key = f"{article}.{criterion.number}"
        expected = [LAW[key]] + [f"{p}) {LAW[f'{key}.{p}']}" for p in _points(key)]
        assert criterion.text == "\n".join(expected)


def _items(unit_type, number):
    criterion = _published().criteria.get(unit_type=unit_type, number=number)
    return criterion.parameters["item_labels"], criterion.parameters["items"]


def test_residential_clause_3_asks_the_seven_points_a_to_g_in_the_laws_words():
    # Act
    labels, items = _items("residential_area", 3)

    # Assert
    assert labels == ["a", "b", "c", "d", "đ", "e", "g"]
    assert items == [LAW[f"4.3.{label}"].rstrip(";.") for label in labels]
    assert items[2] == "Tuyên truyền, phát triển tín ngưỡng, tôn giáo trái pháp luật"


def test_residential_clause_4_has_year_on_year_figures_and_points_b_to_d_with_exceptions():
    # Act
    criterion = _published().criteria.get(unit_type="residential_area", number=4)

    # Assert
    parameters = criterion.parameters
    assert parameters["figures"] == ["crimes", "social_evils", "violations"]
    assert parameters["item_labels"] == ["b", "c", "d"]
    assert parameters["excusable"] == ["b", "d"]
    assert "trừ trường hợp bất khả kháng" in parameters["items"][0]
    assert "báo cáo ngay cấp có thẩm quyền" in parameters["items"][0]
    assert "tai nạn giao thông" not in criterion.text


def test_residential_clause_5_is_a_rating_of_the_local_force():
    # Act
    criterion = _published().criteria.get(unit_type="residential_area", number=5)

    # Assert
    assert criterion.kind == "RATING"
    assert criterion.parameters == {
        "force_rating": {"accepted": ["advanced_title", "excellent", "good", "completed"]},
        "no_discipline": "any",
    }


def test_commune_clause_2_inherits_article_4_clauses_3_and_4():
    # Act
    labels, items = _items("commune", 2)

    # Assert
    assert labels == ["3.a", "3.b", "3.c", "3.d", "3.đ", "3.e", "3.g", "4.b", "4.c", "4.d"]
    assert items == [LAW[f"4.{label}"].rstrip(";.") for label in labels]


def test_commune_clause_4_is_the_100_and_70_percent_rule_over_all_four_types():
    # Act
    criterion = _published().criteria.get(unit_type="commune", number=4)

    # Assert
    assert criterion.parameters["child_units"] == {
        "registered_min_percent": 100,
        "recognised_min_percent": 70,
        "pooling": "all",
        "types": ["residential_area", "agency", "enterprise", "school"],
    }


def test_agency_criteria_brief_staff_list_eight_points_rate_the_guard_and_the_departments():
    # Act
    criteria = {c.number: c for c in _published().criteria.filter(unit_type="agency")}

    # Assert
    assert "được phổ biến quán triệt" in criteria[1].text
    assert "ký cam kết" not in criteria[1].text
    assert criteria[1].parameters["models_min"] == 1
    assert criteria[3].parameters["item_labels"] == ["a", "b", "c", "d", "đ", "e", "g", "h"]
    assert criteria[3].parameters["items"][3] == "Đình công, lãn công trái pháp luật"
    assert "Mất cắp tài sản" not in criteria[3].text
    assert criteria[4].parameters["force_rating"]["accepted"] == [
        "advanced_title",
        "excellent",
        "good",
    ]
    assert criteria[5].parameters["departments"] == {
        "min_percent": 70,
        "units": "phòng, ban, tổ, đội",
    }


def test_school_criteria_follow_article_7_with_points_of_article_6_clause_3():
    # Act
    criteria = {c.number: c for c in _published().criteria.filter(unit_type="school")}

    # Assert
    assert "người dạy, người học được phổ biến quán triệt" in criteria[1].text
    assert "trung học cơ sở" not in criteria[1].text
    assert "Ban Đại diện cha mẹ học sinh" in criteria[2].text
    assert criteria[3].parameters["item_labels"] == ["a", "b", "c", "đ", "e", "g"]
    assert criteria[3].parameters["items"] == [
        LAW[f"6.3.{label}"].rstrip(";.") for label in ["a", "b", "c", "đ", "e", "g"]
    ]
    assert criteria[4].parameters["items"][0] == "Bạo lực học đường"
    assert criteria[6].parameters["departments"]["units"] == "khoa, phòng, ban, tổ chuyên môn"
    assert "hoàn thành nhiệm vụ được giao" not in " ".join(c.text for c in criteria.values())


def test_a_cycle_started_under_version_1_keeps_it():
    # Arrange
    version_1 = CriteriaSet.objects.get(code="TT124-2021", version=1)
    cycle = create_cycle(year=2025, province=ProvinceFactory(), criteria_set=version_1, by=None)

    # Act
    cycle = Cycle.objects.get(pk=cycle.pk)

    # Assert
    assert (
        cycle.criteria_set.version,
        cycle.criteria_set.criteria.filter(unit_type="agency").count(),
    ) == (1, 3)
