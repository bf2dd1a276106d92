"""notify(): the in-app notification and its e-mail, written with the caller's transaction; the
bell, the list, marking as read and the e-mail preference."""

import datetime
import logging

import pytest
from django.conf import settings
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from antt_portal.celery import app
from certification.models import EmailMode, MailStatus, Notification, OutgoingMail
from certification.services import notifications as notification_services
from certification.services.notifications import (
    decision_makers_in_charge,
    notify,
    reviewers_in_charge,
    users_of_unit,
)
from tests.reminders.smtp_sink import free_port

NOW = timezone.make_aware(datetime.datetime(2026, 3, 24, 7, 0))


def test_notify_writes_a_notification_and_an_outbox_row_per_user(world):
    users = [world.users.rep_khom, world.users.reviewer_phuong, world.users.rep_khom]

    notify(
        users,
        subject="Bản đăng ký bị trả lại",
        message="Thiếu nghị quyết chi bộ.",
        url="/certification/registrations/1/",
        event="registration_returned",
    )

    assert sorted(Notification.objects.values_list("user__username", "event")) == [
        ("ca.traVinh", "registration_returned"),
        ("kdc.khom1", "registration_returned"),
    ]
    outgoing = OutgoingMail.objects.get(to="kdc.khom1@example.vn")
    assert (outgoing.status, outgoing.subject) == (
        MailStatus.PENDING,
        "[ANTT] Bản đăng ký bị trả lại",
    )
    assert "http://127.0.0.1:8000/certification/registrations/1/" in outgoing.text


def test_notify_is_undone_with_the_callers_transaction(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        notify([world.users.rep_khom], subject="Thông báo", message="Nội dung", event="test")
        raise RuntimeError("the transition failed after notifying")

    assert (Notification.objects.count(), OutgoingMail.objects.count()) == (0, 0)


def test_notify_sends_the_email_after_commit(
    world, eager_celery, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify([world.users.rep_khom], subject="Thông báo", message="Nội dung", event="test")
        sent_inside = len(mail.outbox)

    outgoing = OutgoingMail.objects.get()
    assert (sent_inside, len(mail.outbox), outgoing.status) == (0, 1, MailStatus.SENT)
    assert mail.outbox[0].subject == "[ANTT] Thông báo"


def test_notify_with_the_broker_down_succeeds_and_keeps_the_email_for_the_drain(
    world, monkeypatch, django_capture_on_commit_callbacks
):
    # Nothing listens on that port: the broker is down.
    monkeypatch.setitem(app.conf, "broker_write_url", f"redis://127.0.0.1:{free_port()}/0")
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        notify([world.users.rep_khom], subject="Thông báo", message="Nội dung", event="test")

    outgoing = OutgoingMail.objects.get()
    assert (outgoing.status, outgoing.queued_at) == (MailStatus.PENDING, None)
    assert timezone.now() - started < datetime.timedelta(seconds=2)


def test_recipient_helpers_find_the_people_in_charge_of_a_unit(world):
    assert list(users_of_unit(world.khom_1)) == [world.users.rep_khom]
    assert list(reviewers_in_charge(world.khom_1, "commune")) == [world.users.reviewer_phuong]
    assert list(reviewers_in_charge(world.khom_1, "province")) == [world.users.reviewer_province]
    assert list(decision_makers_in_charge(world.ap_2)) == [world.users.decider_xa2]


def _notifications(user, count, **values):
    return Notification.objects.bulk_create(
        Notification(
            user=user, event="test", subject=f"Thông báo {n}", message="Nội dung", **values
        )
        for n in range(count)
    )


def test_notification_list_shows_only_the_users_own(client, world):
    _notifications(world.users.rep_khom, 1)
    Notification.objects.create(
        user=world.users.reviewer_phuong, event="test", subject="Của người khác", message="x"
    )
    client.force_login(world.users.rep_khom)

    response = client.get(reverse("certification:notification-list"))

    assert [n.subject for n in response.context["notifications"]] == ["Thông báo 0"]
    assert "Của người khác" not in response.content.decode()


@pytest.mark.parametrize("count", [1, 50])
def test_notification_list_query_count_does_not_grow(
    client, world, count, django_assert_max_num_queries
):
    _notifications(world.users.rep_khom, count)
    client.force_login(world.users.rep_khom)

    with django_assert_max_num_queries(9):
        response = client.get(reverse("certification:notification-list"))

    assert response.context["paginator"].count == count


def test_bell_is_on_every_page_and_costs_it_no_query(client, world):
    _notifications(world.users.rep_khom, 2)
    client.force_login(world.users.rep_khom)

    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("home"))

    page = response.content.decode()
    assert 'data-count-url="/certification/notifications/count/"' in page
    assert "/static/js/notification-bell.js" in page
    assert [q for q in queries.captured_queries if "certification_notification" in q["sql"]] == []


def test_notification_count_gives_the_users_unread_count(client, world):
    _notifications(world.users.rep_khom, 2)
    _notifications(world.users.rep_khom, 1, read_at=NOW)
    _notifications(world.users.reviewer_phuong, 4)
    client.force_login(world.users.rep_khom)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    response = client.get(reverse("certification:notification-count"))

    assert response.json() == {"unread": 2, "label": "2 unread notifications"}


def test_notification_read_marks_it_and_follows_its_link(client, world):
    (notification,) = _notifications(world.users.rep_khom, 1, url="/certification/registrations/")
    client.force_login(world.users.rep_khom)

    response = client.post(reverse("certification:notification-read", args=[notification.pk]))

    notification.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == "/certification/registrations/"
    assert notification.read_at is not None


def test_notification_read_of_another_users_notification_is_404(client, world):
    (notification,) = _notifications(world.users.reviewer_phuong, 1)
    client.force_login(world.users.rep_khom)

    response = client.post(reverse("certification:notification-read", args=[notification.pk]))

    notification.refresh_from_db()
    assert (response.status_code, notification.read_at) == (404, None)


def test_notification_read_all_marks_only_the_users_own(client, world):
    _notifications(world.users.rep_khom, 3)
    _notifications(world.users.reviewer_phuong, 1)
    client.force_login(world.users.rep_khom)

    client.post(reverse("certification:notification-read-all"))

    assert sorted(Notification.objects.unread().values_list("user__username", flat=True)) == [
        "ca.traVinh"
    ]


def test_notification_preference_chooses_the_daily_digest(client, world):
    client.force_login(world.users.rep_khom)

    response = client.post(
        reverse("certification:notification-preference"), {"email_mode": EmailMode.DIGEST}
    )

    assert response.status_code == 302
    assert world.users.rep_khom.notification_preference.email_mode == EmailMode.DIGEST


@pytest.mark.django_db(transaction=True)
def test_a_publish_that_fails_after_commit_is_logged_and_the_email_waits_for_the_drain(
    world, monkeypatch, caplog
):
    """Whatever breaks in publishing (here the broker's client library itself), the change the
    user made is committed and answered; the e-mail stays in the outbox for the drain."""

    def broken(mail_ids):
        raise AttributeError("'NoneType' object has no attribute 'Redis'")

    monkeypatch.setattr(notification_services, "publish_deliveries", broken)
    with caplog.at_level(logging.ERROR, logger="django.db.backends.base"):
        notify([world.users.rep_khom], subject="Thông báo", message="Nội dung", event="test")

    assert OutgoingMail.objects.get().status == MailStatus.PENDING
    assert "Error calling" in caplog.text and "publish_outbox_rows" in caplog.text
