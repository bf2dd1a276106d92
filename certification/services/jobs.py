"""Background jobs: a national export or a bulk recommendation, started by a request and run by
Celery, their progress written into the job's row for the user's page to read."""

from __future__ import annotations

import datetime
import tempfile
from collections.abc import Callable

from django.core.files import File
from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certification import exports
from certification.models import BackgroundJob, JobKind, JobStatus
from certification.services import notifications
from certification.services.assessment import BulkOutcome, bulk_approve
from units.models import User

RUN_JOB_TASK = "certification.run_job"


def _enqueue(job: BackgroundJob) -> None:
    """Queues the job's task once the row is committed (a worker must find it); a broker that
    cannot be reached fails the job with a message instead of leaving it waiting for ever."""

    def publish() -> None:
        if not notifications.publish_task(RUN_JOB_TASK, args=(job.pk,)):
            BackgroundJob.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
                status=JobStatus.FAILED,
                message=_("The background worker could not be reached. Try again later."),
            )

    transaction.on_commit(publish, robust=True)


# The job's file and messages are written in the language of the page that asked for it.


def start_export(
    listing: str, fmt: str, query: str, *, total: int, by: User, title: str
) -> BackgroundJob:
    """A queued export of a list as filtered by `query`; the task writes the file."""
    job = BackgroundJob.objects.create(
        user=by,
        kind=JobKind.EXPORT,
        title=title,
        total=total,
        params={"listing": listing, "fmt": fmt, "query": query, "language": get_language()},
    )
    _enqueue(job)
    return job


def start_bulk_approve(ids: list[int], *, by: User, title: str, query: str = "") -> BackgroundJob:
    """A queued bulk recommendation of the ticked dossiers (checked again, each, by the task)."""
    job = BackgroundJob.objects.create(
        user=by,
        kind=JobKind.BULK_APPROVE,
        title=title,
        total=len(ids),
        params={"ids": ids, "query": query, "language": get_language()},
    )
    _enqueue(job)
    return job


def claim(job_id: int) -> BackgroundJob | None:
    """Marks a queued job running; None when it is gone or another worker took it already."""
    taken = BackgroundJob.objects.filter(pk=job_id, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING
    )
    return BackgroundJob.objects.get(pk=job_id) if taken else None


def _progress(job: BackgroundJob) -> Callable[[int], None]:
    def report(done: int) -> None:
        job.progress = min(done, job.total)
        BackgroundJob.objects.filter(pk=job.pk).update(progress=job.progress)

    return report


def write_export(job: BackgroundJob, rows, listing: exports.Listing, *, now: datetime.datetime):
    """Writes the list's file into the job (under MEDIA_ROOT) and marks it done."""
    fmt = job.params["fmt"]
    with tempfile.TemporaryFile() as spool:
        written = exports.write(
            spool,
            rows,
            header=listing.header(),
            row=listing.row,
            fmt=fmt,
            on_progress=_progress(job),
        )
        spool.seek(0)
        job.file_name = f"{listing.filename}.{fmt}"
        job.file.save(job.file_name, File(spool), save=False)
    # Rows may have come or gone since the count; the file holds what was there when written.
    job.total = job.progress = written
    _finish(job, JobStatus.DONE, now=now)
    return job


def run_bulk_approve(
    job: BackgroundJob, dossiers, *, now: datetime.datetime, today: datetime.date
) -> BackgroundJob:
    """Approves the job's dossiers one by one (each its own audited transition), with progress."""
    report = _progress(job)

    def after_each(outcome: BulkOutcome) -> None:
        report(len(outcome.done) + len(outcome.skipped))

    outcome = bulk_approve(dossiers, by=job.user, now=now, today=today, on_each=after_each)
    job.results = [
        {"id": d.pk, "unit": d.unit.name, "done": True, "status": d.get_status_display()}
        for d in outcome.done
    ] + [
        {"id": d.pk, "unit": d.unit.name, "done": False, "why": str(why)}
        for d, why in outcome.skipped
    ]
    missing = job.total - len(job.results)
    if missing > 0:
        job.message = _("%(count)s ticked dossiers are no longer in your list.") % {
            "count": missing
        }
    job.progress = job.total
    _finish(job, JobStatus.DONE, now=now)
    return job


def fail(job: BackgroundJob, *, now: datetime.datetime, message: str) -> None:
    job.message = message
    _finish(job, JobStatus.FAILED, now=now)


def _finish(job: BackgroundJob, status: str, *, now: datetime.datetime) -> None:
    job.status = status
    job.finished_at = now
    job.save()
