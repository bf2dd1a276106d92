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
import uuid

import pytest
import redis
from django.db.models import Count

from antt_portal.celery import app
from certification import tasks
from certification.models import (
    MailStatus,
    Notification,
    OutgoingMail,
    Registration,
    RegistrationDocument,
    Reminder,
    ReminderStatus,
)
from tests.factories import UnitFactory, UserFactory
from tests.reminders.conftest import REGISTRATION_CLOSES, days
from tests.reminders.processes import (
    BASE_DIR,
    CeleryProcess,
    PrivateRedis,
    database_url,
    wait_until,
)
from tests.reminders.smtp_sink import SmtpSink, free_port
from units.models import Role
from units.services import grant_role

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TODAY = REGISTRATION_CLOSES - days(7)


@pytest.fixture
def queue():
    name = f"test-reminders-{uuid.uuid4().hex[:10]}"
    yield name
    # Leave the shared Redis as it was: the queue, its exchange and kombu's bindings.
    client = redis.Redis.from_url(app.conf.broker_url)
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)


@pytest.fixture
def processes(transactional_db, tmp_path, queue):
    """Starts Celery processes for the test and stops them all before the database is flushed."""
    started: list[CeleryProcess] = []

    def start(env, *, kind="worker", wait_ready=True):
        process = CeleryProcess(tmp_path, queue=queue, env=env, kind=kind)
        started.append(process.start(wait_ready=wait_ready))
        return process

    yield start
    for process in started:
        process.stop()
    for process in started:
        print(f"--- {process.name} ---\n{process.log()}")


@pytest.fixture
def units_with_representatives(world, cycle, rules):
    """`make(n)`: n residential areas without a registration, each with a representative."""

    def make(count):
        rules.make()
        emails = []
        for n in range(count):
            unit = UnitFactory(code=f"KDC-W{n:03d}", name=f"Khóm {n + 10}", area=world.phuong_1)
            user = UserFactory(username=f"kdc.w{n:03d}")
            grant_role(user, Role.UNIT_REPRESENTATIVE, unit=unit, by=None)
            emails.append(user.email)
        # The world's own Khóm 1 has a representative too.
        return sorted([*emails, world.users.rep_khom.email])

    return make


def _settled(expected: int):
    sent = OutgoingMail.objects.filter(status=MailStatus.SENT).count()
    unsent = OutgoingMail.objects.exclude(status=MailStatus.SENT).count()
    return sent == expected and unsent == 0


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
        wait_until(lambda: _settled(len(expected)), timeout=30, message="outbox settled")
        time.sleep(1)  # a duplicate, were there one, would arrive now

    assert sink.recipients() == expected
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == len(expected)
    assert list(Reminder.objects.values("user").annotate(n=Count("pk")).filter(n__gt=1)) == []


def test_worker_killed_mid_sweep_then_restarted_sends_every_message_exactly_once(
    processes, queue, units_with_representatives
):
    expected = units_with_representatives(12)
    env = {"REMINDER_CLAIM_EXPIRY_SECONDS": "2", "OUTBOX_REQUEUE_AFTER_SECONDS": "2"}
    with SmtpSink(hold_attempt=5) as sink:
        env["EMAIL_URL"] = sink.url
        first = processes(env)
        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        assert sink.holding.wait(timeout=60), first.log()

        first.kill()  # while it waits for the SMTP server to accept the 5th message
        at_kill = (len(sink.messages), OutgoingMail.objects.filter(status="sending").count())
        processes(env)
        time.sleep(2.5)  # the dead worker's claim expires
        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        wait_until(lambda: _settled(len(expected)), timeout=60, message="outbox settled")
        time.sleep(1)

    assert at_kill == (4, 1)
    assert sink.recipients() == expected
    retaken = OutgoingMail.objects.get(attempts=2)
    assert (retaken.status, retaken.sent_at is not None) == (MailStatus.SENT, True)


def test_refused_smtp_is_retried_with_backoff_until_delivered(
    processes, queue, units_with_representatives
):
    expected = units_with_representatives(0)
    with SmtpSink(refuse_first=2) as sink:
        processes({"EMAIL_URL": sink.url, "REMINDER_RETRY_BACKOFF_SECONDS": "1"})
        started = time.monotonic()

        tasks.sweep_reminders.apply_async(args=[TODAY.isoformat()], queue=queue)
        wait_until(lambda: _settled(1), timeout=30, message="delivered")
        elapsed = time.monotonic() - started

    outgoing = OutgoingMail.objects.get()
    assert (outgoing.status, outgoing.attempts) == (MailStatus.SENT, 3)
    assert "attempt 2: SMTPDataError" in outgoing.last_error
    assert (sink.attempts, sink.recipients()) == (3, expected)
    # Backoff: 1 s after the first refusal, 2 s after the second (each plus a second of margin).
    assert elapsed >= 5


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
