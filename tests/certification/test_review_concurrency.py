"""Two reviewers approving the same dossier at once on a real PostgreSQL: exactly one wins."""

import html
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import Assessment, AssessmentStatus
from certification.services import assessment as services
from tests.builders import run_in_parallel
from tests.certification.review_scene import submitted
from tests.factories import UserFactory
from units.models import Role
from units.services import grant_role

pytestmark = [
    pytest.mark.usefixtures("clock"),
    pytest.mark.postgres,
    # The criteria sets come from a data migration, which a transactional flush would lose.
    pytest.mark.django_db(transaction=True),
]
Status = AssessmentStatus
ALERT = re.compile(r'<div class="alert alert-\w+" role="alert">(.*?)</div>')


@pytest.fixture
def two_reviewers(world):
    """The commune police of Phường Trà Vinh: the world's reviewer and a colleague."""
    colleague = UserFactory(username="ca.traVinh.2")
    grant_role(colleague, Role.REVIEWER, area=world.phuong_1, by=None)
    return [world.users.reviewer_phuong, colleague]


@pytest.fixture
def dossier(world, review_cycle):
    return submitted(review_cycle, world.khom_1, reviewer=world.users.reviewer_phuong)


def test_two_reviewers_approving_at_once_one_wins(dossier, two_reviewers):
    now, today = timezone.now(), timezone.localdate()

    outcomes = run_in_parallel(
        [
            lambda user=user: services.approve_assessment(dossier, by=user, now=now, today=today)
            for user in two_reviewers
        ]
    )

    assert sorted(type(outcome).__name__ for outcome in outcomes) == [
        "Assessment",
        "InvalidTransition",
    ]
    (lost,) = [outcome for outcome in outcomes if isinstance(outcome, Exception)]
    assert lost.messages == [
        "Trạng thái của hồ sơ đề nghị này hiện là “đề nghị công nhận”; thao tác chưa được "
        "thực hiện (có thể người khác đã xử lý trước). Hãy tải lại trang."
    ]
    assert Assessment.objects.get(pk=dossier.pk).status == Status.RECOMMENDED
    assert dossier.transitions.filter(to_status=Status.RECOMMENDED).count() == 1


def test_two_reviewers_clicking_approve_at_once_see_one_success_and_one_message(
    dossier, two_reviewers
):
    clients = []
    for user in two_reviewers:
        client = Client()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        client.force_login(user)
        clients.append(client)
    url = reverse("certification:dossier-approve", args=[dossier.pk])

    responses = run_in_parallel(
        [
            lambda client=client: client.post(
                url, {"seen_status": Status.SUBMITTED, "confirm": "on"}, follow=True
            )
            for client in clients
        ]
    )

    assert [response.status_code for response in responses] == [200, 200]
    # Read from the pages: the test client's captured context is shared between threads.
    shown = sorted(
        html.unescape(message)
        for response in responses
        for message in ALERT.findall(response.content.decode())
    )
    assert shown == [
        "The unit was recommended for recognition.",
        "This dossier is now recommended for recognition; the step was not applied "
        "(someone may have acted first). Reload the page.",
    ]
    assert dossier.transitions.filter(to_status=Status.RECOMMENDED).count() == 1
