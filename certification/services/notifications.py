"""In-app notifications and the e-mail outbox.

`notify` writes the notification and its e-mail row in the caller's transaction and publishes the
delivery task only after commit, without waiting on the broker: when the broker is down the row
stays pending and `drain_outbox` (every OUTBOX_DRAIN_SECONDS, and at the end of each reminder
sweep) sends it once the broker is back. `deliver_mail` claims a row with a conditional UPDATE, so
two workers or a redelivered task never send it twice, and logs each attempt (MailAttempt).

Recovery is bounded by design: a claim whose worker died expires after
REMINDER_CLAIM_EXPIRY_SECONDS and is taken again; a row handed to the broker and still unclaimed
after OUTBOX_REQUEUE_AFTER_SECONDS, while the broker holds nothing waiting, was lost with its task
(a killed worker, a restarted Redis) and is handed again. A failed attempt goes back to the outbox
and the drain publishes it once its backoff is over (no ETA tasks held by the workers).
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Max, Q, QuerySet
from django.template.loader import render_to_string
from django.utils import timezone, translation
from kombu.exceptions import ChannelError, KombuError

from antt_portal.celery import app
from certification.models import (
    AttemptOutcome,
    MailAttempt,
    MailStatus,
    Notification,
    NotificationPreference,
    OutgoingMail,
)
from units.jurisdiction import acting_level, area_levels_at, level_in_charge_of
from units.models import Area, Role, Unit, User

logger = logging.getLogger(__name__)

# E-mails per delivery task: small enough for several workers to share a large sweep.
MAILS_PER_TASK = 50
DELIVER_MAILS_TASK = "certification.deliver_mails"


# --- Who -----------------------------------------------------------------------------------------


def users_of_unit(unit: Unit) -> QuerySet[User]:
    """The unit's representatives (active users only)."""
    return User.objects.filter(
        is_active=True, roles__role=Role.UNIT_REPRESENTATIVE, roles__unit=unit
    ).distinct()


def _area_role_holders(unit: Unit, role: str, levels: Iterable[str]) -> QuerySet[User]:
    return User.objects.filter(
        is_active=True,
        roles__role=role,
        roles__area__path__in=Area.ancestor_paths(unit.area.path),
        roles__area__level__in=list(levels),
    ).distinct()


def reviewers_in_charge(unit: Unit, level: str) -> QuerySet[User]:
    """Reviewers appraising the unit at a review level: its commune's police or its province's;
    those of the level above where that level has no reviewer account (they stand in)."""
    return _area_role_holders(
        unit, Role.REVIEWER, area_levels_at(acting_level(unit.area.path, level))
    )


def administrators() -> QuerySet[User]:
    """Active administrators: superusers and holders of the administrator role."""
    return User.objects.filter(
        Q(is_superuser=True) | Q(roles__role=Role.ADMINISTRATOR), is_active=True
    ).distinct()


def decision_makers_in_charge(unit: Unit) -> QuerySet[User]:
    """The People's Committee that recognises the unit: the commune's or the province's."""
    return _area_role_holders(unit, Role.DECISION_MAKER, area_levels_at(level_in_charge_of(unit)))


# --- Writing -------------------------------------------------------------------------------------


def absolute_url(url: str) -> str:
    if not url or "://" in url:
        return url
    return settings.SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def compose_mail(
    user: User, *, template: str, context: dict, event: str, now: datetime.datetime
) -> OutgoingMail:
    """An unsaved outbox row from the e-mail triplet templates/emails/<template>_*."""
    context = {"user": user, "site_url": settings.SITE_URL, **context}
    # Users have no language of their own yet: e-mails go out in the portal's default language.
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        text = render_to_string(f"emails/{template}.txt", context)
        html = render_to_string(f"emails/{template}.html", context)
    return OutgoingMail(
        user=user,
        to=user.email,
        event=event,
        subject=" ".join(subject.split())[:300],
        text=text,
        html=html,
        next_attempt_at=now,
    )


def notify(users, *, subject: str, message: str, url: str = "", event: str) -> None:
    """Records an in-app notification for each user and queues its e-mail after commit; never
    waits on the broker."""
    now = timezone.now()
    unique = {user.pk: user for user in users if user is not None and user.is_active}
    recipients = list(unique.values())
    if not recipients:
        return
    link = absolute_url(url)
    with transaction.atomic():
        Notification.objects.bulk_create(
            Notification(
                user=user, event=event, subject=subject, message=message, url=url, created_at=now
            )
            for user in recipients
        )
        context = {"subject": subject, "message": message, "link": link}
        mails = OutgoingMail.objects.bulk_create(
            compose_mail(user, template="notification", context=context, event=event, now=now)
            for user in recipients
            if user.email
        )
        publish_after_commit([mail.pk for mail in mails])


def publish_after_commit(mail_ids: list[int]) -> None:
    """Queues the delivery of these outbox rows once the surrounding transaction commits."""
    if not mail_ids:
        return

    def publish_outbox_rows() -> None:
        # A named function, not functools.partial: robust on_commit logs a failing hook by its
        # __qualname__, and a partial has none, so the logging itself raised (AttributeError)
        # and the failure reached the request the hook was meant to spare. The rows stay in
        # the outbox for the drain whatever happens here.
        publish_deliveries(mail_ids)

    transaction.on_commit(publish_outbox_rows, robust=True)


def publish_deliveries(mail_ids: list[int]) -> int:
    """Publishes the delivery of outbox rows in tasks of MAILS_PER_TASK; returns how many were
    handed to the broker (the rest wait for the drain)."""
    published = 0
    for start in range(0, len(mail_ids), MAILS_PER_TASK):
        chunk = mail_ids[start : start + MAILS_PER_TASK]
        if not publish_delivery(chunk):
            break
        published += len(chunk)
    return published


def publish_task(name: str, *, args: tuple = ()) -> bool:
    """Publishes the task registered under `name` (see certification.tasks; the services name
    their tasks instead of importing the module that imports them) without waiting on a broker
    that is down: one quick connection attempt, no retries. Returns False (and logs) when the
    broker could not be reached."""
    task = app.tasks[name]
    try:
        with app.connection_for_write(
            connect_timeout=settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS
        ) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, timeout=settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS
            )
            task.apply_async(args=args, retry=False, connection=connection)
    except (KombuError, OSError) as error:
        logger.warning("Broker unavailable, %s not queued: %s", task.name, error)
        return False
    return True


def broker_backlog() -> int | None:
    """How many tasks wait in the task queue; None when the broker cannot be reached. The drain
    re-publishes rows that look lost only when nothing waits: a row whose task is still queued
    behind a long backlog is not lost, only late."""
    try:
        with app.connection_for_write(
            connect_timeout=settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS
        ) as connection:
            connection.ensure_connection(
                max_retries=1, interval_start=0, timeout=settings.OUTBOX_PUBLISH_TIMEOUT_SECONDS
            )
            try:
                declared = connection.default_channel.queue_declare(
                    queue=app.conf.task_default_queue, passive=True
                )
            except ChannelError:  # no such queue yet: nothing waits
                return 0
            return declared.message_count
    except (KombuError, OSError) as error:
        logger.warning("Broker unavailable, backlog unknown: %s", error)
        return None


def publish_delivery(mail_ids: list[int]) -> bool:
    """Publishes the delivery of outbox rows and notes it on them; when the broker is down the
    rows stay unqueued and the next drain publishes them."""
    if not publish_task(DELIVER_MAILS_TASK, args=(mail_ids,)):
        return False
    OutgoingMail.objects.filter(pk__in=mail_ids).update(queued_at=timezone.now())
    return True


def mark_read(user: User, *, notification_id: int | None = None, now: datetime.datetime) -> int:
    """Marks one of the user's notifications (or, without an id, all of them) as read."""
    notifications = Notification.objects.for_user(user).unread()
    if notification_id is not None:
        notifications = notifications.filter(pk=notification_id)
    return notifications.update(read_at=now)


def set_email_mode(user: User, email_mode: str) -> NotificationPreference:
    """Chooses one e-mail per reminder or one daily digest for the user."""
    preference, _created = NotificationPreference.objects.update_or_create(
        user=user, defaults={"email_mode": email_mode}
    )
    return preference


# --- Delivering ----------------------------------------------------------------------------------


def claim_expiry() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.REMINDER_CLAIM_EXPIRY_SECONDS)


def retry_delay(attempts: int) -> datetime.timedelta:
    """Exponential backoff: base, 2×base, 4×base… after the 1st, 2nd, 3rd failed attempt."""
    return datetime.timedelta(seconds=settings.REMINDER_RETRY_BACKOFF_SECONDS * 2 ** (attempts - 1))


def requeue_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.OUTBOX_REQUEUE_AFTER_SECONDS)


def claim_mail(mail_id: int, *, now: datetime.datetime) -> MailAttempt | None:
    """Takes the row for one send: a conditional UPDATE that only one worker can win. Returns the
    new attempt's log row; an earlier attempt left open was its dead worker's, noted as lost."""
    with transaction.atomic():
        claimed = (
            OutgoingMail.objects.filter(pk=mail_id)
            .claimable(now, claim_expiry())
            .update(status=MailStatus.SENDING, claimed_at=now, attempts=F("attempts") + 1)
        )
        if claimed != 1:
            return None
        MailAttempt.objects.filter(mail_id=mail_id, outcome=AttemptOutcome.SENDING).update(
            outcome=AttemptOutcome.LOST,
            finished_at=now,
            error=f"no outcome within {settings.REMINDER_CLAIM_EXPIRY_SECONDS} s: "
            "the worker stopped mid-send",
        )
        # Numbered over the row's whole life: a re-send resets `attempts`, not the log.
        last = MailAttempt.objects.filter(mail_id=mail_id).aggregate(last=Max("number"))["last"]
        return MailAttempt.objects.create(mail_id=mail_id, number=(last or 0) + 1, started_at=now)


def deliver_mail(mail_id: int, *, now: datetime.datetime) -> str:
    """Sends one outbox row at most once (claimed first); a failure is recorded and the row goes
    back to the outbox, for the drain to publish once its backoff is over.

    Returns the row's status afterwards ("" when the row is gone or another worker holds it).
    """
    attempt = claim_mail(mail_id, now=now)
    if attempt is None:
        return ""
    mail = OutgoingMail.objects.get(pk=mail_id)
    message = EmailMultiAlternatives(
        subject=mail.subject, body=mail.text, from_email=settings.DEFAULT_FROM_EMAIL, to=[mail.to]
    )
    if mail.html:
        message.attach_alternative(mail.html, "text/html")
    try:
        message.send(fail_silently=False)
    except Exception as error:  # SMTP refusals and network errors alike: record, retry later
        last = mail.attempts >= settings.REMINDER_MAX_ATTEMPTS
        reason = f"{type(error).__name__}: {error}"[:2000]
        MailAttempt.objects.filter(pk=attempt.pk).update(
            outcome=AttemptOutcome.FAILED, finished_at=timezone.now(), error=reason
        )
        OutgoingMail.objects.filter(pk=mail.pk, status=MailStatus.SENDING).update(
            status=MailStatus.FAILED if last else MailStatus.PENDING,
            claimed_at=None,
            queued_at=None,
            next_attempt_at=now + retry_delay(mail.attempts),
            last_error=f"{timezone.localtime(now):%d/%m/%Y %H:%M:%S} attempt {mail.attempts}: "
            f"{reason}"[:2000],
        )
        logger.warning("E-mail %s: attempt %s failed: %s", mail.pk, mail.attempts, error)
        return MailStatus.FAILED if last else MailStatus.PENDING
    MailAttempt.objects.filter(pk=attempt.pk).update(
        outcome=AttemptOutcome.SENT, finished_at=timezone.now()
    )
    OutgoingMail.objects.filter(pk=mail.pk).update(
        status=MailStatus.SENT, sent_at=now, claimed_at=None
    )
    return MailStatus.SENT


def drain_outbox(
    *, now: datetime.datetime, requeue_lost: bool = False, chunk_size: int | None = None
) -> int:
    """Hands every due outbox row to the workers: rows never queued, expired claims, failed
    attempts whose backoff is over and, with `requeue_lost` (the broker holds nothing waiting),
    rows queued longer than OUTBOX_REQUEUE_AFTER_SECONDS ago and still unclaimed. Safe to run at
    any time and from anywhere: claims prevent doubles. Returns how many rows were handed."""
    chunk_size = chunk_size or settings.REMINDER_CHUNK_SIZE
    rows = OutgoingMail.objects.to_queue(
        now, claim_expiry(), requeue_after() if requeue_lost else None
    )
    published = 0
    last_id = 0
    while True:
        ids = list(
            rows.filter(pk__gt=last_id).order_by("pk").values_list("pk", flat=True)[:chunk_size]
        )
        if not ids:
            return published
        handed = publish_deliveries(ids)
        published += handed
        if handed < len(ids):
            return published
        last_id = ids[-1]


def resend_mails(mails: QuerySet[OutgoingMail], *, now: datetime.datetime) -> list[int]:
    """Puts failed (or stuck) e-mails back in the outbox with a fresh set of attempts."""
    ids = list(mails.exclude(status=MailStatus.SENT).values_list("pk", flat=True))
    OutgoingMail.objects.filter(pk__in=ids).update(
        status=MailStatus.PENDING,
        attempts=0,
        next_attempt_at=now,
        claimed_at=None,
        queued_at=None,
    )
    publish_after_commit(ids)
    return ids
