"""The reminders with the real broker and real worker processes (Redis and PostgreSQL).

Marked `redis` and `postgres`: they skip without those services and must pass in CI, where
REQUIRE_SERVICES=1. The workers share the test's PostgreSQL database (a subprocess cannot open
SQLite's in-memory test database) and mail a local SMTP server, the one thing stood in for.
"""

import datetime
import subprocess
import sys
import textwrap
import time

import pytest
from django.db.models import Count

from certification import tasks
from certification.models import (
    AttemptOutcome,
    MailStatus,
    Notification,
    OutgoingMail,
    Registration,
    RegistrationDocument,
    Reminder,
    ReminderStatus,
)
from tests.reminders.calendar import REGISTRATION_CLOSES, days
from tests.reminders.processes import (
    BASE_DIR,
    PrivateRedis,
    database_url,
    outbox_settled,
    wait_until,
)
from tests.reminders.smtp_sink import SmtpSink, free_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TODAY = REGISTRATION_CLOSES - days(7)


def test_sweep_run_twice_on_two_workers_sends_one_message_per_due_target(
    processes, queue, units_with_representatives
):
    expected = units_with_representatives(24)
    with SmtpSink() as sink:
        env = {"EMAIL_URL": sink.url}
        processes(env)
        processes(env)

        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        wait_until(lambda: len(sink.messages) >= len(expected), timeout=60, message="mails")
        wait_until(lambda: outbox_settled(len(expected)), timeout=30, message="outbox settled")
        time.sleep(1)  # a duplicate, were there one, would arrive now

    assert sink.recipients() == expected
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == len(expected)
    assert list(Reminder.objects.values("user").annotate(n=Count("pk")).filter(n__gt=1)) == []


def test_refused_smtp_is_retried_with_backoff_until_delivered(
    processes, queue, units_with_representatives
):
    expected = units_with_representatives(0)
    with SmtpSink(refuse_first=2) as sink:
        # A failed attempt goes back to the outbox; the drain (beat) publishes it once its
        # backoff is over. Both shortened here: this test is about the backoff, not recovery.
        env = {
            "EMAIL_URL": sink.url,
            "REMINDER_RETRY_BACKOFF_SECONDS": "1",
            "OUTBOX_DRAIN_SECONDS": "1",
        }
        processes(env)
        processes(env, kind="beat", wait_ready=False)
        started = time.monotonic()

        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        wait_until(lambda: outbox_settled(1), timeout=30, message="delivered")
        elapsed = time.monotonic() - started

    outgoing = OutgoingMail.objects.get()
    assert (outgoing.status, outgoing.attempts) == (MailStatus.SENT, 3)
    assert "attempt 2: SMTPDataError" in outgoing.last_error
    assert list(outgoing.attempt_log.values_list("outcome", flat=True)) == [
        AttemptOutcome.FAILED,
        AttemptOutcome.FAILED,
        AttemptOutcome.SENT,
    ]
    assert (sink.attempts, sink.recipients()) == (3, expected)
    # Backoff: 1 s after the first refusal, 2 s after the second.
    assert elapsed >= 3


# The web side of a submission, in its own process so that it sees the stopped broker: the
# registration service notifies the reviewer in charge inside its transaction.
SUBMIT = textwrap.dedent(
    """
    import datetime, time
    import django
    django.setup()
    from django.utils import timezone
    from certification.models import Registration
    from certification.services.registration import submit_registration

    started = time.monotonic()
    registration = submit_registration(
        Registration.objects.get(pk={pk}),
        by=None,
        now=timezone.now(),
        today=datetime.date(2026, 2, 15),
    )
    print(registration.status, registration.receipt_code, round(time.monotonic() - started, 1))
    """
)


def _draft_ready_to_submit(cycle, world) -> Registration:
    registration = Registration.objects.create(
        cycle=cycle,
        unit=world.khom_1,
        area=world.khom_1.area,
        registered_on=datetime.date(2026, 2, 10),
        signer_name="Ngô Văn Hải",
        commitment="Khóm 1 đăng ký phấn đấu.",
        households_resident=120,
        households_registered=120,
    )
    RegistrationDocument.objects.create(
        registration=registration,
        kind="party_resolution",
        file="registrations/test.pdf",
        original_name="nghi-quyet.pdf",
        content_type="application/pdf",
        size=10,
        document_date=datetime.date(2026, 1, 20),
    )
    return registration


def test_submission_with_redis_down_succeeds_and_is_notified_once_redis_is_back(
    processes, world, cycle, tmp_path
):
    registration = _draft_ready_to_submit(cycle, world)
    redis = PrivateRedis(free_port()).start()
    try:
        with SmtpSink() as sink:
            env = {
                "CELERY_BROKER_URL": redis.url,
                "CELERY_RESULT_BACKEND": redis.url,
                "EMAIL_URL": sink.url,
                "OUTBOX_DRAIN_SECONDS": "1",
            }
            processes(env)
            processes(env, kind="beat", wait_ready=False)
            redis.stop()

            submitted = subprocess.run(
                [sys.executable, "-c", SUBMIT.format(pk=registration.pk)],
                cwd=BASE_DIR,
                env={
                    **processes_env(env),
                    "DJANGO_SETTINGS_MODULE": "antt_portal.settings",
                },
                capture_output=True,
                text=True,
                timeout=60,
            )
            outgoing = OutgoingMail.objects.get()
            while_down = (outgoing.status, outgoing.queued_at, len(sink.messages))
            redis.start()
            wait_until(lambda: sink.messages, timeout=45, message="notification after restart")
    finally:
        redis.stop()

    assert submitted.returncode == 0, submitted.stderr[-3000:]
    status, receipt, seconds = submitted.stdout.split()
    assert (status, receipt) == ("submitted", "DK2026-86-000001")
    assert float(seconds) < 3  # the submission did not wait on the broker
    assert while_down == (MailStatus.PENDING, None, 0)
    notification = Notification.objects.get()
    assert (notification.user, notification.event) == (
        world.users.reviewer_phuong,
        "registration_submitted",
    )
    assert [(to, subject) for to, subject, _text in sink.messages] == [
        ("ca.traVinh@example.vn", f"[ANTT] {notification.subject}")
    ]
    outgoing.refresh_from_db()
    assert (outgoing.event, outgoing.status) == ("registration_submitted", MailStatus.SENT)


def processes_env(env: dict) -> dict:
    import os

    from django.conf import settings

    return {
        **os.environ,
        "DEBUG": "1",
        "VAR_DIR": str(settings.VAR_DIR),
        "DATABASE_URL": database_url(),
        **env,
    }
