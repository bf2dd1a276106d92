"""The answers Circular 124 needs: three-valued "no event" points, ratings, models, departments."""

from types import SimpleNamespace

import pytest

from certification.evaluation import FAIL, PASS, UNKNOWN, evaluate
from certification.forms.dossier import CriterionAnswerForm
from certification.models import AssessmentAnswer, CriteriaSet, ItemAnswer
from certification.services import assessment as services
from tests.builders import ASSESSED_ON as TODAY
from tests.builders import acknowledged

pytestmark = pytest.mark.django_db


def _criterion(unit_type, number):
    return CriteriaSet.objects.get(code="TT124-2021", version=2).criteria.get(
        unit_type=unit_type, number=number
    )


def _answer(**values):
    return AssessmentAnswer(**values)


def _residential_points(**states):
    """Art. 4 cl. 4: points b, c, d are items 1, 2, 3; the figures do not rise."""
    figures = dict.fromkeys(("crimes", "social_evils", "violations"), 1)
    figures |= {f"{name}_last_year": 1 for name in ("crimes", "social_evils", "violations")}
    items = {"1": ItemAnswer.NONE, "2": ItemAnswer.NONE, "3": ItemAnswer.NONE} | states
    return figures, items


def test_no_event_point_that_did_not_occur_passes():
    # Arrange
    figures, items = _residential_points()

    # Act
    result = evaluate(
        _criterion("residential_area", 4),
        answer=_answer(figures=figures, items=items),
        registration=None,
    )

    # Assert
    assert result.result == PASS


def test_no_event_point_excused_passes_and_the_reviewer_reads_the_excuse():
    # Arrange
    figures, items = _residential_points(**{"1": ItemAnswer.EXCUSED})
    excuse = "Vụ trộm ngày 3/5 được phát hiện ngay, báo Công an phường trong ngày."

    # Act
    result = evaluate(
        _criterion("residential_area", 4),
        answer=_answer(figures=figures, items=items, excuses={"1": excuse}),
        registration=None,
    )

    # Assert
    assert result.result == PASS
    assert f"Điểm b có xảy ra, đơn vị nêu trường hợp loại trừ: {excuse}" in result.reasons


def test_no_event_point_that_occurred_fails_naming_the_laws_letter():
    # Arrange
    figures, items = _residential_points(**{"3": ItemAnswer.OCCURRED})

    # Act
    result = evaluate(
        _criterion("residential_area", 4),
        answer=_answer(figures=figures, items=items),
        registration=None,
    )

    # Assert
    assert result.result == FAIL
    assert result.reasons[0] == "Đơn vị khai có xảy ra vụ việc thuộc điểm d."


def test_an_old_boolean_answer_still_reads_as_occurred_or_not():
    # Arrange
    items = {str(n): True for n in range(1, 8)} | {"5": False}

    # Act
    result = evaluate(
        _criterion("residential_area", 3), answer=_answer(items=items), registration=None
    )

    # Assert
    assert (result.result, result.reasons) == (
        FAIL,
        ("Đơn vị khai có xảy ra vụ việc thuộc điểm đ.",),
    )


@pytest.mark.parametrize(
    ("rating", "disciplined", "expected"),
    [
        ("completed", False, PASS),
        ("not_completed", False, FAIL),
        ("good", True, FAIL),
        ("", False, UNKNOWN),
    ],
)
def test_residential_force_must_complete_its_tasks_with_nobody_disciplined(
    rating, disciplined, expected
):
    # Act
    result = evaluate(
        _criterion("residential_area", 5),
        answer=_answer(rating=rating, disciplined=disciplined),
        registration=None,
    )

    # Assert
    assert result.result == expected


@pytest.mark.parametrize(
    ("rating", "expected"),
    [("advanced_title", PASS), ("good", PASS), ("completed", FAIL), ("unrated", PASS)],
)
def test_guard_force_needs_advanced_title_or_good_where_it_is_rated(rating, expected):
    # Act
    result = evaluate(
        _criterion("agency", 4), answer=_answer(rating=rating, disciplined=False), registration=None
    )

    # Assert
    assert result.result == expected


@pytest.mark.parametrize(("rated", "expected"), [(7, PASS), (6, FAIL)])
def test_departments_rule_needs_seventy_percent_rounded_up(rated, expected):
    # Arrange
    figures = {"departments_total": 10, "departments_rated": rated}

    # Act
    result = evaluate(
        _criterion("enterprise", 5),
        answer=_answer(figures=figures, disciplined=False),
        registration=None,
    )

    # Assert
    assert result.result == expected
    assert result.reasons[0] == (
        f"{rated}/10 đầu mối trực thuộc (phòng, ban, tổ, đội) đạt danh hiệu, cần 7."
    )


@pytest.mark.parametrize(("models", "expected"), [(1, PASS), (0, FAIL), (None, UNKNOWN)])
def test_commune_needs_at_least_one_effective_model(models, expected):
    # Act
    result = evaluate(
        _criterion("commune", 1),
        answer=_answer(figures={"models_effective": models}),
        registration=None,
    )

    # Assert: the documents check fails without a registration; the models check is the last
    assert result.reasons[-1] == (
        "Chưa nhập số mô hình hoạt động hiệu quả."
        if models is None
        else f"{models} mô hình hoạt động hiệu quả (cần ít nhất 1)."
    )
    assert (expected == FAIL) == (result.reasons[-1].startswith("0 "))


@pytest.fixture
def khom_dossier_v2(world):
    from certification.services.cycles import create_cycle

    cycle = create_cycle(
        year=2026,
        province=world.vinh_long,
        criteria_set=CriteriaSet.objects.get(code="TT124-2021", version=2),
        by=None,
    )
    registration = acknowledged(cycle, world.khom_1, reviewer=world.users.reviewer_phuong)
    return services.start_assessment(registration, by=world.users.rep_khom, today=TODAY)


def _form_view(dossier, number):
    answer = dossier.answers.select_related("criterion").get(criterion__number=number)
    return SimpleNamespace(answer=answer, criterion=answer.criterion, evidence=[])


def test_form_refuses_an_excused_point_without_a_reason_nor_proof(khom_dossier_v2):
    # Arrange
    view = _form_view(khom_dossier_v2, 4)
    prefix = f"c{view.criterion.pk}-"

    # Act
    form = CriterionAnswerForm(
        {f"{prefix}answer": "met", f"{prefix}item_1": "excused", f"{prefix}excuse_1": " "},
        view=view,
        registration=None,
    )

    # Assert
    assert form.is_valid() is False
    assert form.errors["excuse_1"] == [
        "Điểm b được trả lời “đã xảy ra nhưng thuộc trường hợp loại trừ”: nêu rõ lý do (bất khả "
        "kháng, hoặc đã kịp thời phát hiện và báo cáo ngay)."
    ]
    assert form.errors["evidence"] == [
        "Đính kèm tài liệu chứng minh vụ việc thuộc điểm b là trường hợp loại trừ."
    ]


def test_form_refuses_more_departments_rated_than_there_are(world):
    # Arrange
    criterion = _criterion("agency", 5)
    view = SimpleNamespace(
        answer=AssessmentAnswer(criterion=criterion), criterion=criterion, evidence=[]
    )
    prefix = f"c{criterion.pk}-"

    # Act
    form = CriterionAnswerForm(
        {f"{prefix}fig_departments_total": "6", f"{prefix}fig_departments_rated": "7"},
        view=view,
        registration=None,
    )

    # Assert
    assert form.is_valid() is False
    assert form.errors["fig_departments_rated"] == [
        "Số đầu mối đạt danh hiệu (7) không thể nhiều hơn tổng số đầu mối (6)."
    ]


def test_excused_point_is_saved_with_its_reason_rating_and_discipline(khom_dossier_v2):
    # Arrange
    criteria = {a.criterion.number: a.criterion_id for a in khom_dossier_v2.answers.all()}

    # Act
    services.save_answers(
        khom_dossier_v2,
        answers={
            criteria[4]: {
                "items": {"1": "excused", "3": "none"},
                "excuses": {"1": "Bất khả kháng"},
            },
            criteria[5]: {"rating": "completed", "disciplined": False},
        },
        by=None,
    )

    # Assert
    rows = {a.criterion.number: a for a in khom_dossier_v2.answers.select_related("criterion")}
    assert (rows[4].items, rows[4].excuses) == (
        {"1": "excused", "3": "none"},
        {"1": "Bất khả kháng"},
    )
    assert (rows[5].rating, rows[5].disciplined) == ("completed", False)


def test_reviewer_sees_the_excuse_and_the_unit_sees_the_badge_of_a_text_to_verify(
    client, world, khom_dossier_v2
):
    # Arrange
    from django.urls import reverse

    criteria = {a.criterion.number: a.criterion for a in khom_dossier_v2.answers.all()}
    services.save_answers(
        khom_dossier_v2,
        answers={
            criteria[4].pk: {
                "items": {"1": "excused", "2": "none", "3": "none"},
                "excuses": {"1": "Bất khả kháng: lũ lớn ngày 3/10."},
            }
        },
        by=None,
    )
    type(criteria[2]).objects.filter(pk=criteria[2].pk).update(text_to_verify=True)
    client.force_login(world.users.reviewer_phuong)

    # Act
    review = client.get(reverse("certification:dossier-review", args=[khom_dossier_v2.pk]))
    client.force_login(world.users.rep_khom)
    form = client.get(reverse("certification:unit-dossier", kwargs={"unit_pk": world.khom_1.pk}))

    # Assert
    page = review.content.decode()
    assert (
        "đã xảy ra nhưng thuộc trường hợp loại trừ</strong>: Bất khả kháng: lũ lớn ngày 3/10."
        in page
    )
    assert form.content.decode().count('class="badge text-bg-warning text-to-verify"') == 1


def test_year_on_year_check_states_its_verdict_for_each_figure():
    # Arrange: crimes up by one, social evils down by two, other violations unchanged
    figures, items = _residential_points()
    figures |= {"crimes": 3, "crimes_last_year": 2, "social_evils": 0, "social_evils_last_year": 2}

    # Act
    result = evaluate(
        _criterion("residential_area", 4),
        answer=_answer(figures=figures, items=items),
        registration=None,
    )

    # Assert
    assert result.result == FAIL
    assert "tội phạm: năm nay 3, năm trước 2, tăng 1 → không đạt." in result.reasons
    assert "tệ nạn xã hội: năm nay 0, năm trước 2, giảm 2 → đạt." in result.reasons
    assert "vi phạm pháp luật khác: năm nay 1, năm trước 1, không tăng → đạt." in result.reasons
