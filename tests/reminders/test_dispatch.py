"""Sending planned reminders: once per item or as a digest, and the outbox's claims and retries."""

import datetime

from django.core import mail
from django.utils import timezone

from certification import tasks
from certification.models import (
    AttemptOutcome,
    Audience,
    Channel,
    EmailMode,
    MailAttempt,
    MailStatus,
    Notification,
    OutgoingMail,
    RegistrationStatus,
    Reminder,
    ReminderStatus,
)
from certification.services import notifications
from certification.services.notifications import deliver_mail, drain_outbox, set_email_mode
from certification.services.reminders import dispatch_reminders, plan_reminders
from tests.reminders.calendar import REGISTRATION_CLOSES, days
from tests.reminders.smtp_sink import SmtpSink

TODAY = REGISTRATION_CLOSES - days(7)
NOW = timezone.make_aware(datetime.datetime(2026, 3, 24, 7, 0))


def test_dispatch_reminders_writes_a_notification_and_an_email_per_reminder(
    cycle, rules, world, django_capture_on_commit_callbacks
):
    rules.make()
    plan_reminders(today=TODAY)
    user = world.users.rep_khom

    with django_capture_on_commit_callbacks() as callbacks:
        sent = dispatch_reminders(user.pk, today=TODAY, now=NOW)

    reminder = Reminder.objects.get()
    assert [row.pk for row in sent] == [reminder.pk]
    assert (reminder.status, reminder.channel, reminder.sent_at) == (
        ReminderStatus.SENT,
        Channel.EMAIL,
        NOW,
    )
    outgoing = OutgoingMail.objects.get()
    assert (outgoing.pk, outgoing.to, outgoing.status) == (
        reminder.mail_id,
        "kdc.khom1@example.vn",
        MailStatus.PENDING,
    )
    assert outgoing.subject == "[ANTT] Còn 7 ngày: hạn đăng ký phấn đấu của Khóm 1"
    assert "31/03/2026" in outgoing.text
    assert f"/certification/units/{world.khom_1.pk}/registration/" in outgoing.html
    notification = Notification.objects.get()
    assert (notification.user, notification.subject, notification.url) == (
        user,
        outgoing.subject,
        f"/certification/units/{world.khom_1.pk}/registration/",
    )
    assert len(callbacks) == 1


def test_dispatch_reminders_twice_sends_nothing_the_second_time(cycle, rules, world):
    rules.make()
    plan_reminders(today=TODAY)
    user = world.users.rep_khom

    first = dispatch_reminders(user.pk, today=TODAY, now=NOW)
    plan_reminders(today=TODAY)
    second = dispatch_reminders(user.pk, today=TODAY, now=NOW)

    assert (len(first), len(second)) == (1, 0)
    assert (OutgoingMail.objects.count(), Notification.objects.count()) == (1, 1)


def test_dispatch_reminders_digest_sends_one_email_listing_every_item(
    cycle, rules, world, second_khom
):
    rules.make(audience=Audience.SUPERVISOR)
    reviewer = world.users.reviewer_phuong
    set_email_mode(reviewer, EmailMode.DIGEST)
    today = REGISTRATION_CLOSES + days(1)
    plan_reminders(today=today)

    sent = dispatch_reminders(reviewer.pk, today=today, now=NOW)

    digest = OutgoingMail.objects.get()
    assert len(sent) == 2
    mine = Reminder.objects.filter(user=reviewer)
    assert set(mine.values_list("channel", "mail_id")) == {(Channel.DIGEST, digest.pk)}
    assert Notification.objects.filter(user=reviewer).count() == 2
    assert digest.event == "reminder_digest"
    assert "Khóm 1" in digest.text
    assert "Khóm 4" in digest.text


def test_dispatch_reminders_drops_a_reminder_when_the_unit_acted_meanwhile(
    cycle, rules, world, helpers
):
    rules.make()
    plan_reminders(today=TODAY)
    helpers.register(cycle, world.khom_1, RegistrationStatus.SUBMITTED)

    sent = dispatch_reminders(world.users.rep_khom.pk, today=TODAY, now=NOW)

    assert sent == []
    assert (Reminder.objects.count(), OutgoingMail.objects.count()) == (0, 0)


def test_dispatch_reminders_without_an_email_address_notifies_in_app_only(cycle, rules, world):
    rules.make()
    user = world.users.rep_khom
    user.email = ""
    user.save()
    plan_reminders(today=TODAY)

    dispatch_reminders(user.pk, today=TODAY, now=NOW)

    assert Reminder.objects.get().channel == Channel.IN_APP
    assert (OutgoingMail.objects.count(), Notification.objects.count()) == (0, 1)


def _outbox_row(**values) -> OutgoingMail:
    return OutgoingMail.objects.create(
        to="kdc.khom1@example.vn",
        event="test",
        subject="Nhắc hạn",
        text="Nội dung",
        **{"next_attempt_at": NOW, **values},
    )


def test_deliver_mail_sends_once_and_a_second_call_does_nothing(db):
    row = _outbox_row()

    first = deliver_mail(row.pk, now=NOW)
    second = deliver_mail(row.pk, now=NOW)

    row.refresh_from_db()
    assert (first, second) == (MailStatus.SENT, "")
    assert (row.status, row.attempts, len(mail.outbox)) == (MailStatus.SENT, 1, 1)


def test_deliver_mail_leaves_a_fresh_claim_to_its_worker(db, settings):
    settings.REMINDER_CLAIM_EXPIRY_SECONDS = 45
    row = _outbox_row(status=MailStatus.SENDING, claimed_at=NOW - datetime.timedelta(seconds=40))

    result = deliver_mail(row.pk, now=NOW)

    assert (result, len(mail.outbox)) == ("", 0)


def test_deliver_mail_takes_over_an_expired_claim_and_logs_the_lost_attempt(db, settings):
    settings.REMINDER_CLAIM_EXPIRY_SECONDS = 600
    claimed_at = NOW - datetime.timedelta(minutes=11)
    row = _outbox_row(status=MailStatus.SENDING, claimed_at=claimed_at, attempts=1)
    MailAttempt.objects.create(mail=row, number=1, started_at=claimed_at)  # its worker died

    result = deliver_mail(row.pk, now=NOW)

    assert (result, len(mail.outbox)) == (MailStatus.SENT, 1)
    assert list(row.attempt_log.values_list("number", "outcome")) == [
        (1, AttemptOutcome.LOST),
        (2, AttemptOutcome.SENT),
    ]
    assert "600 s" in row.attempt_log.get(number=1).error


def test_drain_hands_lost_rows_again_only_when_the_broker_is_idle(db, settings, monkeypatch):
    settings.OUTBOX_REQUEUE_AFTER_SECONDS = 30
    settings.REMINDER_CLAIM_EXPIRY_SECONDS = 45
    never = _outbox_row()
    lost = _outbox_row(queued_at=NOW - datetime.timedelta(seconds=31))
    recent = _outbox_row(queued_at=NOW - datetime.timedelta(seconds=29))
    dead_claim = _outbox_row(
        status=MailStatus.SENDING, claimed_at=NOW - datetime.timedelta(seconds=46), queued_at=NOW
    )
    live_claim = _outbox_row(
        status=MailStatus.SENDING, claimed_at=NOW - datetime.timedelta(seconds=44), queued_at=NOW
    )
    backing_off = _outbox_row(next_attempt_at=NOW + datetime.timedelta(seconds=5))
    handed: list[list[int]] = []
    monkeypatch.setattr(
        notifications, "publish_delivery", lambda ids: handed.append(sorted(ids)) or True
    )

    busy = drain_outbox(now=NOW)
    idle = drain_outbox(now=NOW, requeue_lost=True)

    assert (busy, idle) == (2, 3)
    assert handed == [
        sorted([never.pk, dead_claim.pk]),
        sorted([never.pk, lost.pk, dead_claim.pk]),
    ]
    assert {recent.pk, live_claim.pk, backing_off.pk}.isdisjoint(handed[1])


def test_deliver_mail_retries_a_refused_email_with_backoff_and_records_the_error(
    db, settings, smtp_settings
):
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 60
    settings.REMINDER_MAX_ATTEMPTS = 5
    row = _outbox_row()

    with SmtpSink(refuse_first=2) as sink:
        smtp_settings(sink)
        first = deliver_mail(row.pk, now=NOW)
        too_early = deliver_mail(row.pk, now=NOW + datetime.timedelta(seconds=30))
        row.refresh_from_db()
        after_first = (row.status, row.attempts, row.next_attempt_at - NOW)
        second = deliver_mail(row.pk, now=row.next_attempt_at)
        row.refresh_from_db()
        third = deliver_mail(row.pk, now=row.next_attempt_at)

    row.refresh_from_db()
    assert (first, too_early, second, third) == (
        MailStatus.PENDING,
        "",
        MailStatus.PENDING,
        MailStatus.SENT,
    )
    assert after_first[:2] == (MailStatus.PENDING, 1)
    assert datetime.timedelta(seconds=60) <= after_first[2] < datetime.timedelta(seconds=70)
    assert (row.status, row.attempts) == (MailStatus.SENT, 3)
    assert "attempt 2: SMTPDataError" in row.last_error
    assert "451" in row.last_error
    assert sink.recipients() == ["kdc.khom1@example.vn"]
    # Every attempt's error is kept, not only the last one.
    attempts = list(row.attempt_log.values_list("number", "outcome", "error"))
    assert [(number, outcome) for number, outcome, _error in attempts] == [
        (1, AttemptOutcome.FAILED),
        (2, AttemptOutcome.FAILED),
        (3, AttemptOutcome.SENT),
    ]
    assert all("SMTPDataError" in error and "451" in error for _n, _o, error in attempts[:2])
    assert attempts[2][2] == ""


def test_deliver_mail_gives_up_after_the_last_attempt(db, settings, smtp_settings):
    settings.REMINDER_MAX_ATTEMPTS = 2
    row = _outbox_row()

    with SmtpSink(refuse_first=5) as sink:
        smtp_settings(sink)
        deliver_mail(row.pk, now=NOW)
        row.refresh_from_db()
        last = deliver_mail(row.pk, now=row.next_attempt_at)
        after = deliver_mail(row.pk, now=row.next_attempt_at + datetime.timedelta(days=1))

    row.refresh_from_db()
    assert (last, after) == (MailStatus.FAILED, "")
    assert (row.status, row.attempts, sink.recipients()) == (MailStatus.FAILED, 2, [])


def test_drain_task_hands_lost_work_again_only_when_nothing_waits_in_the_broker(
    db, settings, monkeypatch
):
    settings.OUTBOX_REQUEUE_AFTER_SECONDS = 20
    now = timezone.now()
    lost = _outbox_row(queued_at=now - datetime.timedelta(seconds=60), next_attempt_at=now)
    handed: list[list[int]] = []
    monkeypatch.setattr(
        notifications, "publish_delivery", lambda ids: handed.append(sorted(ids)) or True
    )

    for backlog in (None, 3):  # the broker is down; tasks still wait in it
        monkeypatch.setattr(notifications, "broker_backlog", lambda backlog=backlog: backlog)
        tasks.drain_outbox()
    while_busy = list(handed)
    monkeypatch.setattr(notifications, "broker_backlog", lambda: 0)
    tasks.drain_outbox()

    assert (while_busy, handed) == ([], [[lost.pk]])
