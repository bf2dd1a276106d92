"""Celery tasks of the certification app: thin wrappers taking primitive ids, calling services."""

from __future__ import annotations

import datetime

from celery import shared_task
from django.utils import timezone

from certification.models import MailStatus
from certification.services import notifications, reminders


def _day(today: str | None) -> datetime.date:
    return datetime.date.fromisoformat(today) if today else timezone.localdate()


@shared_task(name="certification.sweep_reminders", ignore_result=True)
def sweep_reminders(today: str | None = None) -> None:
    """Daily: plans every reminder due on or before today (idempotent), fans the sending out in
    chunks of users, then drains the outbox. Running it twice sends nothing twice."""
    day = _day(today)
    reminders.plan_reminders(today=day)
    for user_ids in reminders.due_user_chunks(today=day):
        dispatch_reminders.delay(user_ids, day.isoformat())
    notifications.drain_outbox(now=timezone.now())


@shared_task(name="certification.dispatch_reminders", ignore_result=True)
def dispatch_reminders(user_ids: list[int], today: str) -> None:
    """Sends each user's due reminders once (claimed), as notifications and e-mails or a digest."""
    reminders.dispatch_to_users(user_ids, today=_day(today), now=timezone.now())


@shared_task(name="certification.deliver_mails", ignore_result=True)
def deliver_mails(mail_ids: list[int]) -> None:
    """Sends each outbox row at most once; a failed one is retried later with backoff."""
    for mail_id in mail_ids:
        if notifications.deliver_mail(mail_id, now=timezone.now()) == MailStatus.PENDING:
            notifications.schedule_retry(mail_id)


@shared_task(name="certification.drain_outbox", ignore_result=True)
def drain_outbox() -> None:
    """Every minute: publishes what a broker outage or a dead worker held back — e-mails never
    queued or lost in the queue, and reminders whose dispatch never ran. Claims prevent doubles."""
    now = timezone.now()
    today = timezone.localdate(now)
    for user_ids in reminders.due_user_chunks(
        today=today, planned_before=now - notifications.requeue_after()
    ):
        dispatch_reminders.delay(user_ids, today.isoformat())
    notifications.drain_outbox(now=now)
