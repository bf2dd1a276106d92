"""`make run` shows reminders: load_demo sends today's, and the mails land in var/mail/."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from certification.models import DeadlineExtension, Notification, Reminder
from tests.reminders.processes import BASE_DIR


@pytest.mark.django_db
def test_load_demo_sends_todays_reminders_once():
    call_command("load_demo", stdout=StringIO())
    first = Reminder.objects.count()
    output = StringIO()

    call_command("load_demo", stdout=output)

    early = Reminder.objects.get(user__username="kdc.anhoi.khupho2")
    extension = DeadlineExtension.objects.get(unit=early.unit, step="registration")
    days_left = (extension.due_on - timezone.localdate()).days
    assert (early.offset_days, early.status, early.channel) == (-days_left, "sent", "email")
    assert Notification.objects.filter(user__username="kdc.anhoi.khupho2").count() == 1
    assert Reminder.objects.count() == first
    summary = gettext(
        "Reminders: %(due)d due today, %(sent)d sent now (the bell; e-mails through the "
        "Celery worker)."
    ) % {"due": first, "sent": 0}
    assert summary in output.getvalue()


def test_default_mail_folder_is_var_mail_whatever_the_working_directory(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "EMAIL_URL"}
    env.update({"DEBUG": "1", "VAR_DIR": str(tmp_path / "var")})

    printed = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND, settings.EMAIL_FILE_PATH)",
        ],
        cwd=tmp_path,
        env={**env, "DJANGO_SETTINGS_MODULE": "antt_portal.settings", "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )

    assert printed.stdout.split() == [
        "django.core.mail.backends.filebased.EmailBackend",
        str(tmp_path / "var" / "mail"),
    ]
