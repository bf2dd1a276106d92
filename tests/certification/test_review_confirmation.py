"""Issue 11, defect 3: recommending takes a confirmation and a comment, a failing readiness check
an explicit override with its reason, and reviewers keep their own opinions ("ý kiến thẩm định").

Read in Vietnamese (the default language): the messages are what a reviewer sees.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from certification.models import AssessmentTransition, CriterionReturn, ReviewOpinion
from certification.services import assessment as services
from tests.certification.review_scene import (
    khom_dossier,
    messages_of,
    review_url,
    status_of,
    text_of,
    today,
)
from units.models import Role
from units.services import grant_role

# The pages read the clock: it is set to a fixed moment (tests/conftest.py `clock`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

COMMENT = "Khóm làm tốt công tác hòa giải ở cơ sở."


def transitions_of(assessment) -> list[tuple[str, str]]:
    return list(
        AssessmentTransition.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("action", "reason")
    )


def test_recommending_without_the_confirmation_changes_nothing_and_keeps_the_comment(
    client, world, review_cycle
):
    assessment = khom_dossier(world, review_cycle)
    before = transitions_of(assessment)
    client.force_login(world.users.reviewer_phuong)

    response = client.post(
        review_url(assessment, "approve"), {"seen_status": "submitted", "comment": COMMENT}
    )

    assert response.status_code == 400
    assert (status_of(assessment), transitions_of(assessment)) == ("submitted", before)
    form = text_of(response, "approve-form")
    assert "Hãy đánh dấu ô xác nhận: chưa có gì được thực hiện." in form
    assert COMMENT in response.content.decode()
    assert "Tôi xác nhận đề nghị công nhận đơn vị này." in form


def test_recommending_with_the_confirmation_records_the_comment_in_the_audit_row(
    client, world, review_cycle
):
    assessment = khom_dossier(world, review_cycle)
    client.force_login(world.users.reviewer_phuong)

    response = client.post(
        review_url(assessment, "approve"),
        {"seen_status": "submitted", "comment": COMMENT, "confirm": "on"},
        follow=True,
    )

    assert messages_of(response) == ["Đã đề nghị công nhận đơn vị."]
    assert status_of(assessment) == "recommended"
    last = AssessmentTransition.objects.filter(assessment=assessment).latest("pk")
    assert (last.action, last.reason, last.by) == (
        "recommended",
        COMMENT,
        world.users.reviewer_phuong,
    )


def test_a_failing_readiness_check_needs_the_override(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle, complete=False)
    before = transitions_of(assessment)
    client.force_login(world.users.reviewer_phuong)
    page = client.get(review_url(assessment))
    assert "Vẫn đề nghị dù hồ sơ chưa đạt kiểm tra" in text_of(page, "approve-form")

    response = client.post(
        review_url(assessment, "approve"),
        {"seen_status": "submitted", "comment": COMMENT, "confirm": "on"},
    )

    assert response.status_code == 400
    assert (status_of(assessment), transitions_of(assessment)) == ("submitted", before)
    assert (
        "Hồ sơ chưa đạt kiểm tra: hãy đánh dấu ô này và ghi lý do nếu vẫn đề nghị công nhận."
        in text_of(response, "approve-form")
    )
    assert COMMENT in response.content.decode()


def test_an_override_without_a_reason_is_refused(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle, complete=False)
    before = transitions_of(assessment)
    client.force_login(world.users.reviewer_phuong)

    response = client.post(
        review_url(assessment, "approve"),
        {"seen_status": "submitted", "confirm": "on", "override": "on", "override_reason": "  "},
    )

    assert response.status_code == 400
    assert (status_of(assessment), transitions_of(assessment)) == ("submitted", before)
    assert "Hãy ghi lý do vẫn đề nghị công nhận dù hồ sơ chưa đạt kiểm tra." in text_of(
        response, "approve-form"
    )


def test_an_override_with_its_reason_recommends_and_records_both(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle, complete=False)
    client.force_login(world.users.reviewer_phuong)

    client.post(
        review_url(assessment, "approve"),
        {
            "seen_status": "submitted",
            "comment": COMMENT,
            "confirm": "on",
            "override": "on",
            "override_reason": "Biên bản họp đã nộp bản giấy.",
        },
    )

    assert status_of(assessment) == "recommended"
    last = AssessmentTransition.objects.filter(assessment=assessment).latest("pk")
    assert last.reason == (
        f"{COMMENT}\nĐề nghị công nhận dù hồ sơ chưa đạt kiểm tra: Biên bản họp đã nộp bản giấy."
    )


def test_the_service_refuses_a_failing_dossier_without_an_override_reason(world, review_cycle):
    assessment = khom_dossier(world, review_cycle, complete=False)

    with pytest.raises(ValidationError) as refused:
        services.approve_assessment(
            assessment, by=world.users.reviewer_phuong, now=timezone.now(), today=today()
        )

    assert list(refused.value.message_dict) == ["override_reason"]
    assert status_of(assessment) == "submitted"


# --- the reviewers' own opinions ------------------------------------------------------------


def _opinion_data(assessment, dossier: str, per_criterion: dict[int, str]) -> dict:
    data = {"opinion-dossier": dossier}
    for answer in assessment.answers.select_related("criterion"):
        data[f"opinion-criterion_{answer.criterion_id}"] = per_criterion.get(
            answer.criterion.number, ""
        )
    return data


def test_opinions_are_saved_with_who_and_when_and_shown_on_the_review_page(
    client, world, review_cycle
):
    assessment = khom_dossier(world, review_cycle)
    client.force_login(world.users.reviewer_phuong)

    response = client.post(
        review_url(assessment, "opinions"),
        _opinion_data(
            assessment, "Hồ sơ đầy đủ, số liệu khớp.", {2: "Cần thêm biên bản hòa giải."}
        ),
        follow=True,
    )

    assert messages_of(response) == ["Đã lưu ý kiến thẩm định của bạn."]
    rows = list(
        ReviewOpinion.objects.filter(assessment=assessment).values_list(
            "criterion__number", "text", "by__username", "round"
        )
    )
    assert sorted(rows, key=lambda row: row[0] or 0) == [
        (None, "Hồ sơ đầy đủ, số liệu khớp.", "ca.traVinh", 1),
        (2, "Cần thêm biên bản hòa giải.", "ca.traVinh", 1),
    ]
    assert "Hồ sơ đầy đủ, số liệu khớp." in text_of(response, "dossier-opinion")
    assert "Cần thêm biên bản hòa giải." in text_of(response, "criterion-2")
    # Saving the same again writes nothing new.
    client.post(
        review_url(assessment, "opinions"),
        _opinion_data(
            assessment, "Hồ sơ đầy đủ, số liệu khớp.", {2: "Cần thêm biên bản hòa giải."}
        ),
    )
    assert ReviewOpinion.objects.filter(assessment=assessment).count() == 2


def test_opinions_reach_the_decision_maker_and_the_unit_of_a_returned_dossier(
    client, world, review_cycle
):
    assessment = khom_dossier(world, review_cycle)
    criterion = assessment.answers.select_related("criterion").get(criterion__number=2).criterion
    services.save_opinions(
        assessment,
        opinions={None: "Ý kiến chung của tổ thẩm định.", criterion.pk: "Thiếu số liệu tổ 5."},
        by=world.users.reviewer_phuong,
        now=timezone.now(),
    )
    decider = world.users.nobody
    grant_role(decider, Role.DECISION_MAKER, area=world.phuong_1, by=None)
    client.force_login(decider)
    assert "Ý kiến chung của tổ thẩm định." in text_of(
        client.get(review_url(assessment)), "dossier-opinion"
    )

    services.send_back_criteria(
        assessment,
        reasons={criterion.pk: "Bổ sung số liệu."},
        by=world.users.reviewer_phuong,
        now=timezone.now(),
    )
    client.force_login(world.users.rep_khom)
    page = client.get(reverse("certification:unit-dossier", args=[world.khom_1.pk]))

    shown = text_of(page, "review-opinions")
    assert "Ý kiến chung của tổ thẩm định." in shown
    assert "Thiếu số liệu tổ 5." in shown
    assert CriterionReturn.objects.filter(assessment=assessment).count() == 1


def test_someone_who_may_not_review_cannot_write_opinions(client, world, review_cycle):
    assessment = khom_dossier(world, review_cycle)
    client.force_login(world.users.rep_khom)

    response = client.post(review_url(assessment, "opinions"), {"opinion-dossier": "Tự khen."})

    assert response.status_code == 404
    assert not ReviewOpinion.objects.filter(assessment=assessment).exists()
