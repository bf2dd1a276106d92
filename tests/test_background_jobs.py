"""Long work leaves the request (issue 10): an export longer than EXPORT_BACKGROUND_ROWS and a bulk
recommendation of more than BULK_APPROVE_BACKGROUND_DOSSIERS run as a background job, followed on
a page of its own; a job's page and file are its owner's alone."""

import csv
import io

import pytest
from django.conf import settings
from django.urls import reverse

from certification import tasks
from certification.models import Assessment, AssessmentStatus, BackgroundJob, JobKind, JobStatus
from tests.builders import client_for
from tests.certification import review_scene
from tests.certification.review_scene import submitted
from tests.factories import UnitFactory

# The review pages' cycle, under its name, for this module too.
review_cycle = review_scene.review_cycle


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def khom_dossier(world, cycle):
    return submitted(cycle, world.khom_1, reviewer=world.users.reviewer_phuong)


def status_of(assessment) -> str:
    return Assessment.objects.get(pk=assessment.pk).status


pytestmark = pytest.mark.django_db


def csv_rows(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_a_long_export_becomes_a_job_whose_file_only_its_owner_gets(demo, settings):
    client = client_for("ubnd.tinh")
    url = reverse("certification:unit-export", args=["csv"]) + "?unit_type=residential_area"
    on_screen = csv_rows(b"".join(client.get(url).streaming_content))
    settings.EXPORT_BACKGROUND_ROWS = 1

    response = client.get(url)

    job = BackgroundJob.objects.get(user__username="ubnd.tinh")
    assert response["Location"] == reverse("certification:job-detail", args=[job.pk])
    assert (job.kind, job.status, job.total, job.progress) == (
        JobKind.EXPORT,
        JobStatus.QUEUED,
        len(on_screen) - 1,
        0,
    )
    waiting = client.get(reverse("certification:job-detail", args=[job.pk])).content.decode()
    assert '<meta http-equiv="refresh" content="2">' in waiting

    tasks.run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.progress, job.file_name) == (JobStatus.DONE, job.total, "don-vi.csv")
    page = client.get(reverse("certification:job-detail", args=[job.pk])).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert reverse("certification:job-download", args=[job.pk]) in page
    download = client.get(reverse("certification:job-download", args=[job.pk]))
    assert csv_rows(b"".join(download.streaming_content)) == on_screen
    for stranger in ("ca.travinh", "admin"):
        other = client_for(stranger)
        assert other.get(reverse("certification:job-detail", args=[job.pk])).status_code == 404
        assert other.get(reverse("certification:job-download", args=[job.pk])).status_code == 404
        assert job.title not in other.get(reverse("certification:job-list")).content.decode()
    assert job.title in client.get(reverse("certification:job-list")).content.decode()


def test_a_job_runs_once_even_if_its_task_comes_twice(demo, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = client_for("ubnd.tinh")
    client.get(reverse("certification:result-export", args=["xlsx"]))
    job = BackgroundJob.objects.get(user__username="ubnd.tinh")
    tasks.run_job(job.pk)
    job.refresh_from_db()
    first = (job.status, job.file.name, job.finished_at)

    tasks.run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.file.name, job.finished_at) == first
    assert first[0] == JobStatus.DONE


def test_the_job_is_queued_after_commit_and_runs_in_the_worker(
    demo, settings, django_capture_on_commit_callbacks
):
    from antt_portal.celery import app

    settings.EXPORT_BACKGROUND_ROWS = 1
    app.conf.task_always_eager = True
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client_for("ubnd.tinh").get(reverse("certification:decision-export", args=["csv"]))
    finally:
        app.conf.task_always_eager = False

    job = BackgroundJob.objects.get(user__username="ubnd.tinh")
    assert (job.status, job.file_name) == (JobStatus.DONE, "quyet-dinh.csv")
    assert job.total == job.progress > 0


def test_a_bulk_recommendation_above_the_threshold_runs_as_a_job(
    english, world, review_cycle, settings
):
    settings.BULK_APPROVE_BACKGROUND_DOSSIERS = 1
    reviewer = world.users.reviewer_phuong
    ready = khom_dossier(world, review_cycle)
    incomplete = submitted(
        review_cycle,
        UnitFactory(area=world.phuong_1, name="Khóm 5"),
        reviewer=reviewer,
        complete=False,
    )
    english.force_login(reviewer)

    response = english.post(
        reverse("certification:dossier-bulk-approve"),
        {"dossiers": [ready.pk, incomplete.pk], "query": "waiting=on", "confirm": "on"},
    )

    job = BackgroundJob.objects.get(user=reviewer)
    assert response["Location"] == reverse("certification:job-detail", args=[job.pk])
    assert (job.kind, job.total, status_of(ready)) == (
        JobKind.BULK_APPROVE,
        2,
        AssessmentStatus.SUBMITTED,
    )

    tasks.run_job(job.pk)

    assert (status_of(ready), status_of(incomplete)) == (
        AssessmentStatus.RECOMMENDED,
        AssessmentStatus.SUBMITTED,
    )
    assert (
        ready.transitions.filter(to_status=AssessmentStatus.RECOMMENDED, by=reviewer).count() == 1
    )
    job.refresh_from_db()
    assert (job.status, job.progress) == (JobStatus.DONE, 2)
    page = english.get(reverse("certification:job-detail", args=[job.pk]))
    text = " ".join(page.content.decode().split())
    assert "1 dossier done" in text
    assert "Khóm 5</a>: its readiness check does not pass" in text
    english.force_login(world.users.reviewer_province)
    assert english.get(reverse("certification:job-detail", args=[job.pk])).status_code == 404


def test_a_bulk_recommendation_at_the_threshold_stays_in_the_request(
    english, world, review_cycle, settings
):
    settings.BULK_APPROVE_BACKGROUND_DOSSIERS = 1
    ready = khom_dossier(world, review_cycle)
    english.force_login(world.users.reviewer_phuong)

    response = english.post(
        reverse("certification:dossier-bulk-approve"), {"dossiers": ready.pk, "confirm": "on"}
    )

    assert response.status_code == 200
    assert not BackgroundJob.objects.exists()
    assert status_of(ready) == AssessmentStatus.RECOMMENDED


def test_a_job_whose_filter_went_bad_fails_with_a_message_and_no_file(demo, settings):
    settings.EXPORT_BACKGROUND_ROWS = 1
    client = client_for("ca.travinh")
    client.get(reverse("certification:unit-export", args=["csv"]))
    job = BackgroundJob.objects.get(user__username="ca.travinh")
    # Meanwhile the area chosen in the filter left the user's scope.
    job.params = {**job.params, "query": "area=999999"}
    job.save(update_fields=["params"])

    tasks.run_job(job.pk)

    job.refresh_from_db()
    assert (job.status, job.message, job.file.name) == (
        JobStatus.FAILED,
        "Có bộ lọc không còn hợp lệ.",
        "",
    )
    page = client.get(reverse("certification:job-detail", args=[job.pk]))
    assert "Có bộ lọc không còn hợp lệ." in page.content.decode()
    assert client.get(reverse("certification:job-download", args=[job.pk])).status_code == 404


def test_a_job_is_failed_with_a_message_when_the_broker_cannot_be_reached(
    demo, settings, django_capture_on_commit_callbacks, monkeypatch
):
    from certification.services import notifications

    monkeypatch.setattr(notifications, "publish_task", lambda name, *, args=(): False)
    settings.EXPORT_BACKGROUND_ROWS = 1

    with django_capture_on_commit_callbacks(execute=True):
        client_for("ubnd.tinh").get(reverse("certification:result-export", args=["csv"]))

    job = BackgroundJob.objects.get(user__username="ubnd.tinh")
    assert (job.status, job.message) == (
        JobStatus.FAILED,
        "Không liên lạc được với bộ xử lý chạy nền. Vui lòng thử lại sau.",
    )
