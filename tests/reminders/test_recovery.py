"""Recovery with the DEFAULT settings: a worker killed, or Redis restarted, in the middle of the
sweep; every due message is delivered within 5 minutes and none twice.

Real processes: a private Redis (the test stops and starts it; never the shared one), a Celery
worker, Celery beat (whose drain is what recovers) and a local SMTP server. Nothing about
recovery is shortened: the workers get only the broker, the queue and the SMTP server, so
REMINDER_CLAIM_EXPIRY_SECONDS, OUTBOX_REQUEUE_AFTER_SECONDS, OUTBOX_DRAIN_SECONDS, EMAIL_TIMEOUT
and the broker's visibility timeout are the ones in settings.py.
"""

import re
import time
from collections import Counter

import psycopg2
import pytest
from django.utils import timezone

from antt_portal.celery import app
from certification import tasks
from certification.models import (
    AttemptOutcome,
    Cycle,
    MailStatus,
    OutgoingMail,
    Reminder,
    ReminderStatus,
)
from tests.reminders.calendar import days
from tests.reminders.processes import PrivateRedis, database_url, outbox_settled, wait_until
from tests.reminders.smtp_sink import SmtpSink, free_port

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]

TARGETS = 120  # units with a representative, besides the world's Khóm 1
RECOVERY_LIMIT = 300  # seconds: "delivered within 5 minutes"
SWEEP_SUCCEEDED = re.compile(r"Task certification\.sweep_reminders\[[^]]+\] succeeded")
RECOVERY_SETTINGS = (
    "REMINDER_CLAIM_EXPIRY_SECONDS",
    "OUTBOX_REQUEUE_AFTER_SECONDS",
    "OUTBOX_DRAIN_SECONDS",
    "EMAIL_TIMEOUT",
    "BROKER_VISIBILITY_TIMEOUT_SECONDS",
)


@pytest.fixture
def private_redis():
    server = PrivateRedis(free_port()).start()
    yield server
    server.stop()


@pytest.fixture
def stack(private_redis, processes, monkeypatch):
    """`start(sink)`: beat and a worker on the private Redis, with the default recovery settings;
    returns a function starting one more worker."""
    for name in RECOVERY_SETTINGS:
        monkeypatch.delenv(name, raising=False)  # the processes inherit the environment

    def start(sink):
        env = {
            "CELERY_BROKER_URL": private_redis.url,
            "CELERY_RESULT_BACKEND": private_redis.url,
            "EMAIL_URL": sink.url,
        }
        processes(env, kind="beat", wait_ready=False)
        return processes(env), lambda: processes(env)

    return start


@pytest.fixture
def units_with_representatives(cycle, units_with_representatives):
    """As in the other worker tests, but with registration closing 7 days after the real today:
    the workers' drain re-dispatches as of the real today, so the sweep must run on it too."""
    today = timezone.localdate()
    Cycle.objects.filter(pk=cycle.pk).update(year=today.year)
    cycle.calendars.update(
        registration_opens_on=today - days(60), registration_closes_on=today + days(7)
    )
    return units_with_representatives


def _sweep(redis, queue):
    """Today's sweep, as beat starts it."""
    with app.connection_for_write(redis.url) as connection:
        tasks.sweep_reminders.apply_async(queue=queue, connection=connection)


def _delivered_once_within_the_limit(sink, expected, started):
    """Waits for every due message, then checks none came twice and the time it took."""
    wait_until(
        lambda: outbox_settled(len(expected)),
        timeout=RECOVERY_LIMIT - (time.monotonic() - started),
        interval=1,
        message="every due e-mail delivered",
    )
    time.sleep(2)  # a duplicate, were there one, would arrive now
    doubled = {to: n for to, n in Counter(to for to, _s, _t in sink.messages).items() if n > 1}
    assert doubled == {}
    assert sink.recipients() == expected
    assert Reminder.objects.filter(status=ReminderStatus.SENT).count() == len(expected)
    assert not Reminder.objects.exclude(status=ReminderStatus.SENT).exists()
    return time.monotonic() - started


def test_worker_killed_mid_send_is_recovered_by_the_claim_expiry(
    stack, queue, private_redis, units_with_representatives
):
    made = time.monotonic()
    expected = units_with_representatives(TARGETS)
    print(f"{TARGETS} targets made in {time.monotonic() - made:.1f} s")
    with SmtpSink(hold_attempt=60) as sink:
        worker, another_worker = stack(sink)
        _sweep(private_redis, queue)
        assert sink.holding.wait(timeout=60), worker.log()

        worker.kill()  # while the SMTP server has not yet accepted the 60th message
        killed = time.monotonic()
        in_flight = OutgoingMail.objects.get(status=MailStatus.SENDING)
        another_worker()
        elapsed = _delivered_once_within_the_limit(sink, expected, killed)

    print(f"recovered {elapsed:.0f} s after the kill")
    assert sink.count() == len(expected) == TARGETS + 1
    # The message in flight was retaken after the claim expired: both attempts are in its log.
    assert list(in_flight.attempt_log.values_list("number", "outcome")) == [
        (1, AttemptOutcome.LOST),
        (2, AttemptOutcome.SENT),
    ]


def test_worker_killed_mid_sweep_is_recovered_by_the_drain(
    stack, queue, private_redis, units_with_representatives
):
    made = time.monotonic()
    expected = units_with_representatives(TARGETS)
    print(f"{TARGETS} targets made in {time.monotonic() - made:.1f} s")
    with SmtpSink() as sink:
        worker, another_worker = stack(sink)
        _sweep(private_redis, queue)
        # Killed while it writes the users' notifications and e-mails, one user at a time.
        wait_until(
            lambda: Reminder.objects.filter(status=ReminderStatus.SENT).count() >= 10,
            timeout=60,
            interval=0.02,
            message="dispatch under way",
        )
        worker.kill()
        killed = time.monotonic()
        at_kill = Reminder.objects.filter(status=ReminderStatus.SENT).count()
        another_worker()
        elapsed = _delivered_once_within_the_limit(sink, expected, killed)

    print(f"killed after {at_kill} reminders, recovered {elapsed:.0f} s after the kill")
    assert 10 <= at_kill < len(expected)


def test_redis_restarted_mid_send_is_recovered_by_the_drain(
    stack, queue, private_redis, units_with_representatives
):
    made = time.monotonic()
    expected = units_with_representatives(TARGETS)
    print(f"{TARGETS} targets made in {time.monotonic() - made:.1f} s")
    with SmtpSink(delay=0.05) as sink:
        stack(sink)
        _sweep(private_redis, queue)
        wait_until(lambda: sink.count() >= 30, timeout=60, message="sending under way")

        private_redis.stop()  # the queued tasks are lost with it (no persistence)
        at_stop = sink.count()
        time.sleep(15)
        private_redis.start()
        restarted = time.monotonic()
        elapsed = _delivered_once_within_the_limit(sink, expected, restarted)

    print(f"stopped after {at_stop} e-mails, recovered {elapsed:.0f} s after the restart")
    assert at_stop < len(expected)


def test_redis_down_mid_planning_the_sweep_finishes_and_the_drain_sends_all(
    stack, queue, private_redis, units_with_representatives
):
    made = time.monotonic()
    expected = units_with_representatives(TARGETS)
    print(f"{TARGETS} targets made in {time.monotonic() - made:.1f} s")
    # Holds the sweep at its first insert into the reminder log while Redis is stopped.
    blocker = psycopg2.connect(database_url())
    try:
        with blocker.cursor() as cursor:
            cursor.execute("LOCK TABLE certification_reminder IN SHARE MODE")
        with SmtpSink() as sink:
            worker, _another_worker = stack(sink)
            _sweep(private_redis, queue)
            wait_until(lambda: _waits_on_a_lock(blocker), timeout=60, message="sweep planning")
            private_redis.stop()
            blocker.commit()  # planning goes on, with the broker down

            wait_until(
                lambda: SWEEP_SUCCEEDED.search(worker.log_path.read_text()),
                timeout=60,
                message="sweep finished",
            )
            planned_while_down = Reminder.objects.count()
            private_redis.start()
            restarted = time.monotonic()
            elapsed = _delivered_once_within_the_limit(sink, expected, restarted)
    finally:
        blocker.close()

    print(f"recovered {elapsed:.0f} s after the restart")
    assert planned_while_down == len(expected)
    assert "OperationalError" not in worker.log_path.read_text()


def _waits_on_a_lock(connection) -> bool:
    with connection.cursor() as cursor:
        # Statistics are a snapshot per transaction, and the locking one is still open.
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
            " AND query ILIKE '%certification_reminder%' AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0] > 0
