"""Forms a phone can fill: date pickers, the signer pre-filled from the signed-in user, and
history rows that say who acted (or that the portal did)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from certification.models import Registration
from units.models import Unit

pytestmark = pytest.mark.django_db


def client_for(username):
    client = Client()
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return client, user


def input_tag(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group()


def test_new_registration_is_signed_by_the_user_with_a_date_picker(demo):
    client, user = client_for("kdc.anhoi.khupho2")
    unit = Unit.objects.get(name="Khu phố 2", area__name="Phường An Hội")

    page = client.get(reverse("certification:unit-registration", args=[unit.pk])).content.decode()

    assert f'value="{user.get_full_name()}"' in input_tag(page, "signer_name")
    assert 'type="date"' in input_tag(page, "registered_on")


def test_registration_takes_last_years_title_of_the_signer(demo):
    unit = Unit.objects.get(name="Khu phố 2", area__name="Phường An Hội")
    last_year = Registration.objects.filter(cycle__year__lt=timezone.localdate().year).first()
    Registration.objects.filter(pk=last_year.pk).update(unit=unit, signer_title="Trưởng khu phố")
    client, _user = client_for("kdc.anhoi.khupho2")

    page = client.get(reverse("certification:unit-registration", args=[unit.pk])).content.decode()

    assert 'value="Trưởng khu phố"' in input_tag(page, "signer_title")


def test_decision_is_prepared_with_the_user_as_signer_and_a_date_picker(demo):
    client, user = client_for("ubnd.canglong")

    response = client.get(reverse("certification:decision-prepare"))

    page = response.content.decode()
    assert response.status_code == 200
    assert f'value="{user.get_full_name()}"' in input_tag(page, "signer_name")
    assert 'value="Chủ tịch"' in input_tag(page, "signer_title")
    decided_on = input_tag(page, "decided_on")
    assert 'type="date"' in decided_on
    assert f'value="{timezone.localdate():%Y-%m-%d}"' in decided_on


def test_history_names_the_portal_when_nobody_signed_in_acted(demo):
    client, _user = client_for("ca.travinh")
    registration = Registration.objects.filter(
        unit__area__name="Phường Trà Vinh", events__by__isnull=True
    ).first()

    page = client.get(
        reverse("certification:registration-detail", args=[registration.pk])
    ).content.decode()

    assert "hệ thống (bước tự động hoặc dữ liệu nhập sẵn)" in page
    assert "bởi —" not in page
