"""The admin: previewing a rule's recipients, running the sweep by hand, the log and re-sending."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone, translation

from certification.models import (
    Audience,
    MailStatus,
    OutgoingMail,
    Reminder,
    ReminderRule,
    ReminderStatus,
)
from certification.services.notifications import deliver_mail
from certification.services.reminders import (
    dispatch_reminders,
    plan_reminders,
    preview_recipients,
)
from tests.factories import UserFactory
from tests.reminders.calendar import REGISTRATION_CLOSES, days
from tests.reminders.smtp_sink import SmtpSink

TODAY = REGISTRATION_CLOSES + days(1)
NOW = timezone.make_aware(datetime.datetime(2026, 4, 1, 7, 0))


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(username="sieuquantri", is_staff=True, is_superuser=True))
    return client


def test_preview_recipients_lists_who_would_be_reminded_and_why(cycle, rules, world):
    rule = rules.make(audience=Audience.SUPERVISOR)

    with translation.override("en"):
        lines, total = preview_recipients(rule, today=TODAY)

    assert total == 2
    assert [(line.user.username, line.unit_name, line.offset_days) for line in lines] == [
        ("ca.traVinh", "Khóm 1", 1),
        ("ca.tinh", "Sở Tư pháp", 1),
    ]
    assert lines[0].why == (
        "Khóm 1 has not submitted its registration. Deadline 31/03/2026, overdue by 1 day(s). "
        "Escalated: the level below is overdue."
    )
    assert Reminder.objects.count() == 0


def test_preview_recipients_leaves_out_those_already_reminded(cycle, rules, world):
    rule = rules.make(audience=Audience.SUPERVISOR)
    plan_reminders(today=TODAY, rules=[rule])
    dispatch_reminders(world.users.reviewer_phuong.pk, today=TODAY, now=NOW)

    lines, total = preview_recipients(rule, today=TODAY)

    assert (total, [line.user.username for line in lines]) == (1, ["ca.tinh"])


def test_admin_preview_action_shows_the_recipients(admin_client, cycle, rules, world, settings):
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    rule = rules.make(audience=Audience.SUPERVISOR)
    today = timezone.localdate()
    # The rule's deadline is made yesterday, so the preview (which reads the clock) finds it.
    cycle.calendars.update(
        registration_opens_on=today - days(60), registration_closes_on=today - days(1)
    )

    response = admin_client.post(
        reverse("admin:certification_reminderrule_changelist"),
        {"action": "preview", "_selected_action": [rule.pk]},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "2 recipients would be reminded." in page
    assert "Khóm 1 has not submitted its registration." in page


def test_admin_run_sweep_queues_the_sweep(admin_client, cycle, rules, world, eager_celery):
    rules.make(audience=Audience.SUPERVISOR)
    today = timezone.localdate()
    cycle.calendars.update(
        registration_opens_on=today - days(60), registration_closes_on=today - days(1)
    )
    rules_page = admin_client.get(reverse("admin:certification_reminderrule_changelist"))

    response = admin_client.post(reverse("admin:certification_reminderrule_run_sweep"))

    assert 'action="/admin/certification/reminderrule/run-sweep/"' in rules_page.content.decode()
    assert response.status_code == 302
    assert sorted(Reminder.objects.values_list("user__username", "status")) == [
        ("ca.tinh", ReminderStatus.SENT),
        ("ca.traVinh", ReminderStatus.SENT),
    ]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "ca.tinh@example.vn",
        "ca.traVinh@example.vn",
    ]


def test_admin_run_sweep_refuses_get(admin_client):
    response = admin_client.get(reverse("admin:certification_reminderrule_run_sweep"))

    assert response.status_code == 405


def test_admin_reminder_log_resend_puts_a_failed_email_back(
    admin_client, cycle, rules, world, django_capture_on_commit_callbacks
):
    rules.make(audience=Audience.SUPERVISOR)
    plan_reminders(today=TODAY)
    dispatch_reminders(world.users.reviewer_phuong.pk, today=TODAY, now=NOW)
    reminder = Reminder.objects.get(user=world.users.reviewer_phuong)
    OutgoingMail.objects.filter(pk=reminder.mail_id).update(
        status=MailStatus.FAILED, attempts=5, last_error="attempt 5: SMTPDataError 451"
    )
    log = admin_client.get(reverse("admin:certification_reminder_changelist"))

    with django_capture_on_commit_callbacks() as callbacks:
        admin_client.post(
            reverse("admin:certification_reminder_changelist"),
            {"action": "resend", "_selected_action": [reminder.pk]},
        )

    assert "attempt 5: SMTPDataError 451" in log.content.decode()
    resent = OutgoingMail.objects.get(pk=reminder.mail_id)
    assert (resent.status, resent.attempts) == (MailStatus.PENDING, 0)
    assert len(callbacks) == 1


def test_default_rules_are_loaded_and_editable(admin_client):
    rule = ReminderRule.objects.get(name="Đăng ký phấn đấu — nhắc đơn vị")

    response = admin_client.get(reverse("admin:certification_reminderrule_change", args=[rule.pk]))

    assert response.status_code == 200
    assert (rule.days_before, rule.days_after, rule.offsets) == (
        "14,7,3,1",
        "1,7",
        (
            -14,
            -7,
            -3,
            -1,
            1,
            7,
        ),
    )


def test_admin_run_sweep_needs_the_change_permission(client, cycle, rules, world, eager_celery):
    rules.make(audience=Audience.SUPERVISOR)
    today = timezone.localdate()
    cycle.calendars.update(
        registration_opens_on=today - days(60), registration_closes_on=today - days(1)
    )
    client.force_login(UserFactory(username="nhanvien", is_staff=True))

    response = client.post(reverse("admin:certification_reminderrule_run_sweep"))

    assert (response.status_code, response["Location"]) == (302, reverse("admin:index"))
    assert Reminder.objects.count() == 0


def test_admin_reminder_log_shows_every_delivery_attempt_and_its_error(
    admin_client, cycle, rules, world, settings, smtp_settings
):
    settings.REMINDER_RETRY_BACKOFF_SECONDS = 60
    rules.make(audience=Audience.SUPERVISOR)
    plan_reminders(today=TODAY)
    dispatch_reminders(world.users.reviewer_phuong.pk, today=TODAY, now=NOW)
    reminder = Reminder.objects.get(user=world.users.reviewer_phuong)
    with SmtpSink(refuse_first=2) as sink:
        smtp_settings(sink)
        deliver_mail(reminder.mail_id, now=NOW)
        deliver_mail(reminder.mail_id, now=NOW + datetime.timedelta(minutes=1))
        deliver_mail(reminder.mail_id, now=NOW + datetime.timedelta(minutes=3))

    page = admin_client.get(
        reverse("admin:certification_reminder_change", args=[reminder.pk])
    ).content.decode()
    outbox = admin_client.get(
        reverse("admin:certification_outgoingmail_change", args=[reminder.mail_id])
    ).content.decode()

    attempts = page[page.index("<table><thead><tr><th>#</th>") :]
    attempts = attempts[: attempts.index("</table>")]
    assert attempts.count("<tr><td>") == 3
    assert attempts.count("SMTPDataError") == 2
    assert attempts.count("451") == 2
    assert outbox.count("SMTPDataError") >= 2
