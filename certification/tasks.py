"""Celery tasks of the certification app: thin wrappers taking primitive ids, calling services."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from certification.models import Assessment, JobKind
from certification.services import jobs, notifications, reminders

# The lists are filtered by their own views, as on screen (see certification.views.exports).
from certification.views import exports as list_exports

logger = logging.getLogger(__name__)


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="certification.sweep_reminders", ignore_result=True)
def sweep_reminders(today: str | None = None) -> None:
    """Daily: plans every reminder due on or before today (idempotent), fans the sending out in
    chunks of users, then drains the outbox. Running it twice sends nothing twice. A broker that
    goes down meanwhile does not fail it: what it could not publish, the drain publishes."""
    day = _day(today)
    reminders.plan_reminders(today=day)
    reminders.publish_dispatches(today=day, now=timezone.now())
    notifications.drain_outbox(now=timezone.now())


@shared_task(name=reminders.DISPATCH_REMINDERS_TASK, ignore_result=True)
def dispatch_reminders(user_ids: list[int], today: str) -> None:
    """Sends each user's due reminders once (claimed), as notifications and e-mails or a digest."""
    reminders.dispatch_to_users(user_ids, today=_day(today), now=timezone.now())


@shared_task(name=notifications.DELIVER_MAILS_TASK, ignore_result=True)
def deliver_mails(mail_ids: list[int]) -> None:
    """Sends each outbox row at most once; a failed one goes back to the outbox, and the drain
    publishes it again once its backoff is over."""
    for mail_id in mail_ids:
        notifications.deliver_mail(mail_id, now=timezone.now())


@shared_task(name="certification.drain_outbox", ignore_result=True)
def drain_outbox() -> None:
    """Every OUTBOX_DRAIN_SECONDS: publishes what a broker outage or a dead worker held back —
    e-mails never queued, retries whose backoff is over, claims whose worker died and, when the
    broker holds nothing waiting, e-mails and reminders handed out OUTBOX_REQUEUE_AFTER_SECONDS
    ago and still not taken (their task was lost). Claims prevent doubles."""
    backlog = notifications.broker_backlog()
    if backlog is None:
        return  # the broker is down: nothing can be published; the next run will
    now = timezone.now()
    idle = backlog == 0
    if idle:
        reminders.publish_dispatches(
            today=timezone.localdate(now), now=now, stale_before=now - notifications.requeue_after()
        )
    notifications.drain_outbox(now=now, requeue_lost=idle)


@shared_task(name=jobs.RUN_JOB_TASK, ignore_result=True)
def run_job(job_id: int) -> None:
    """Runs a queued background job once (claimed): writes an export's file, or approves a bulk
    recommendation's dossiers one by one, reporting progress into the job's row."""
    job = jobs.claim(job_id)
    if job is None:
        return  # gone, or already taken by another worker
    try:
        with translation.override(job.params.get("language") or settings.LANGUAGE_CODE):
            if job.kind == JobKind.EXPORT:
                listing = list_exports.LISTINGS[job.params["listing"]]
                rows = listing.rows(list_exports.request_as(job.user, job.params["query"]))
                jobs.write_export(job, rows, listing, now=timezone.now())
            else:
                dossiers = (
                    Assessment.objects.visible_to(job.user)
                    .filter(pk__in=job.params["ids"])
                    .select_related(
                        "unit__area",
                        "cycle__province",
                        "cycle__criteria_set",
                        "registration__cycle",
                    )
                    .order_by("unit__name", "pk")
                )
                jobs.run_bulk_approve(job, dossiers, now=timezone.now(), today=timezone.localdate())
    except list_exports.BadFilter:
        jobs.fail(job, now=timezone.now(), message=_("A filter is no longer valid."))
    except Exception:
        logger.exception("Background job %s failed", job_id)
        jobs.fail(
            job,
            now=timezone.now(),
            message=_("The job failed (logged). Try again later, or tell the administrator."),
        )
