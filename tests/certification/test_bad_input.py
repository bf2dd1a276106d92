"""Hostile input found by the hardening review (issue 14): each once gave a 500.

Every case must get a clear refusal (a 4xx page, a message or a form error) and change nothing.
"""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from certification.models import Assessment, AssessmentDocument, AssessmentStatus
from tests.certification.dossier_scene import (
    dossier_data,
    page_url,
)

# The pages read the clock: it is set to a fixed moment (tests/conftest.py `clock`).
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

HUGE = "99999999999999999999"
UNICODE_DIGIT = "²"


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


@pytest.mark.parametrize("value", [UNICODE_DIGIT, HUGE, "-1", "1e3", "٣"])
def test_public_register_refuses_a_strange_province_without_error(client, world, value):
    response = client.get(reverse("public:register"), {"province": value})
    assert response.status_code == 200
    assert response.context["form"].errors["province"]


@pytest.mark.parametrize("value", [HUGE, "3000000000", "1000001"])
def test_dossier_refuses_an_attendance_beyond_the_maximum(client, world, khom_dossier, value):
    client.force_login(world.users.rep_khom)
    response = client.post(
        page_url(world.khom_1), dossier_data(khom_dossier, meeting_attendance=value)
    )
    assert response.status_code == 400
    assert response.context["details_form"].errors["meeting_attendance"] == [
        "Con số này quá lớn: tối đa là 1000000."
    ]
    assert Assessment.objects.get(pk=khom_dossier.pk).meeting_attendance is None


@pytest.mark.parametrize("value", [HUGE, UNICODE_DIGIT, "-5", "0x10"])
def test_dossier_refuses_a_strange_document_to_remove(client, world, khom_dossier, value):
    client.force_login(world.users.rep_khom)
    response = client.post(
        page_url(world.khom_1),
        dossier_data(khom_dossier, remove_document=value, meeting_attendance="12"),
    )
    assert response.status_code == 400
    assert "Không tìm thấy tài liệu cần gỡ" in " ".join(messages_of(response))
    assert Assessment.objects.get(pk=khom_dossier.pk).meeting_attendance is None
    assert AssessmentDocument.objects.count() == 0


@pytest.mark.parametrize("value", [HUGE, "-" + HUGE, UNICODE_DIGIT, "abc"])
def test_bulk_approve_refuses_a_strange_dossier_id(client, world, khom_dossier, value):
    client.force_login(world.users.reviewer_phuong)
    response = client.post(
        reverse("certification:dossier-bulk-approve"), {"dossiers": value, "confirm": "on"}
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "Có hồ sơ đã chọn không còn trong danh sách của bạn; hãy tải lại trang."
    ]
    assert Assessment.objects.get(pk=khom_dossier.pk).status == AssessmentStatus.DRAFT


def test_decision_maker_cannot_prepare_for_a_year_beyond_range(client, world):
    client.force_login(world.users.decider_xa2)
    response = client.get(reverse("certification:decision-prepare"), {"year": HUGE})
    assert response.status_code == 404


def test_registration_list_ignores_a_huge_page_number(client, world):
    client.force_login(world.users.reviewer_province)
    response = client.get(reverse("certification:registration-list"), {"page": HUGE})
    assert response.status_code == 404


def test_dates_far_in_the_future_are_refused_on_the_dossier(client, world, khom_dossier):
    client.force_login(world.users.rep_khom)
    response = client.post(
        page_url(world.khom_1), dossier_data(khom_dossier, meeting_on="31/12/9999")
    )
    assert response.status_code == 400
    assert response.context["details_form"].errors["meeting_on"]
    assert Assessment.objects.get(pk=khom_dossier.pk).meeting_on is None


def test_today_is_accepted_on_the_dossier(client, world, khom_dossier):
    client.force_login(world.users.rep_khom)
    response = client.post(page_url(world.khom_1), dossier_data(khom_dossier))
    assert response.status_code == 302
    assert Assessment.objects.get(pk=khom_dossier.pk).meeting_on == timezone.localdate()
    assert Assessment.objects.get(pk=khom_dossier.pk).meeting_attendance == 45
