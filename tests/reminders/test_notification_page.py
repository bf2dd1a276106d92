"""The notifications page: a title, a short line and the object's link; last years archived; the
e-mail preference shows what applies; the bell outside the phone's collapsed menu."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from certification.models import EmailMode, Notification, NotificationPreference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

MESSAGE = (
    "Kính gửi Bùi Thanh Tâm,\n\n"
    "Hạn đăng ký năm 2026 của Khu phố 2 là ngày 01/01/2027 (còn 30 ngày).\n\n"
    "Xem và thực hiện tại: http://127.0.0.1:8000/certification/units/138/registration/\n"
)


def notify(user, *, created_at=None, subject="Nhắc hạn đăng ký"):
    return Notification.objects.create(
        user=user,
        event="reminder_registration",
        subject=subject,
        message=MESSAGE,
        url="/certification/units/138/registration/",
        created_at=created_at or timezone.now(),
    )


def test_summary_is_the_first_line_that_says_something():
    notification = Notification(message=MESSAGE)

    assert notification.summary == (
        "Hạn đăng ký năm 2026 của Khu phố 2 là ngày 01/01/2027 (còn 30 ngày)."
    )


def test_page_shows_title_short_line_and_opening_marks_read(client):
    user = UserFactory()
    notification = notify(user)
    client.force_login(user)

    page = client.get(reverse("certification:notification-list")).content.decode()

    assert "Nhắc hạn đăng ký" in page
    assert "còn 30 ngày" in page
    assert "http://" not in page
    assert "Kính gửi" not in page
    response = client.post(reverse("certification:notification-read", args=[notification.pk]))
    assert response.status_code == 302
    assert response["Location"] == "/certification/units/138/registration/"
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_last_years_items_are_archived_and_not_counted(client):
    user = UserFactory()
    today = timezone.localdate()
    old = notify(
        user,
        subject="Nhắc việc năm trước",
        created_at=timezone.make_aware(datetime.datetime(today.year - 1, 11, 20, 9, 0)),
    )
    notify(user, subject="Nhắc việc năm nay")
    client.force_login(user)

    current = client.get(reverse("certification:notification-list"))
    archive = client.get(reverse("certification:notification-list") + "?archive=1")
    count = client.get(reverse("certification:notification-count")).json()

    assert [n.subject for n in current.context["notifications"]] == ["Nhắc việc năm nay"]
    assert "1 thông báo của các năm trước" in current.content.decode()
    assert [n.pk for n in archive.context["notifications"]] == [old.pk]
    assert count["unread"] == 1


@pytest.mark.parametrize(
    ("saved", "checked"), [(None, EmailMode.EACH), (EmailMode.DIGEST, EmailMode.DIGEST)]
)
def test_email_preference_shows_the_option_that_applies(client, saved, checked):
    user = UserFactory()
    if saved:
        NotificationPreference.objects.create(user=user, email_mode=saved)
    client.force_login(user)

    page = client.get(reverse("certification:notification-list")).content.decode()

    assert f'value="{checked}" class="form-check-input" id' in page
    checked_inputs = [part for part in page.split("<input") if 'name="email_mode"' in part]
    assert [checked in part and "checked" in part for part in checked_inputs].count(True) == 1


def test_bell_is_outside_the_collapsed_menu(client):
    user = UserFactory()
    client.force_login(user)

    page = client.get(reverse("home")).content.decode()

    assert page.index('id="notification-bell"') < page.index('id="main-nav"')
