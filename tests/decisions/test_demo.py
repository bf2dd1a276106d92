"""load_demo's decisions: paper decisions last year, one annulment, this year's ward decision."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from django.utils.translation import gettext

from certification.models import (
    Annulment,
    Certificate,
    CertificateStatus,
    Decision,
    DecisionEvent,
    YearlyResult,
)
from certification.services.decisions import verify_certificate
from certification.services.history import recognition_history
from units.models import Unit

pytestmark = pytest.mark.django_db


def load_demo() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "decisions": Decision.objects.count(),
        "certificates": Certificate.objects.count(),
        "annulments": Annulment.objects.count(),
        "events": DecisionEvent.objects.count(),
        "results": YearlyResult.objects.count(),
    }


def unit(name: str, commune: str) -> Unit:
    return Unit.objects.get(name=name, area__name=commune)


def test_demo_has_decisions_certificates_an_annulment_and_consecutive_years(demo):
    year = timezone.localdate().year

    decisions = sorted(
        Decision.objects.values_list("issuing_body", "number", "cycle__year", "status")
    )
    statuses = {
        (certificate.unit_name, certificate.year): verify_certificate(certificate).status
        for certificate in Certificate.objects.filter(
            unit__name__in=["Khóm 1", "Ấp Tân Bình", "Ấp An Thạnh"]
        )
    }
    runs = {
        name: (history.consecutive_years, history.since, history.until)
        for name, commune in (
            ("Khóm 1", "Phường Trà Vinh"),
            ("Khóm 2", "Phường Trà Vinh"),
            ("Khóm 5", "Phường Trà Vinh"),
            ("Ấp An Thạnh", "Xã Càng Long"),
            ("Ấp Tân Bình", "Xã Càng Long"),
            ("Ấp Long Hưng", "Xã Càng Long"),
        )
        for history in [recognition_history(unit(name, commune))]
    }

    assert decisions == [
        ("Ủy ban nhân dân phường Trà Vinh", "132/QĐ-UBND", year, "issued"),
        ("Ủy ban nhân dân phường Trà Vinh", "98/QĐ-UBND", year - 1, "issued"),
        ("Ủy ban nhân dân xã Càng Long", "112/QĐ-UBND", year - 1, "issued"),
    ]
    assert statuses == {
        ("Khóm 1", year): CertificateStatus.VALID,
        ("Khóm 1", year - 1): CertificateStatus.VALID,  # recognised again: still valid
        ("Ấp An Thạnh", year - 1): CertificateStatus.VALID,
        ("Ấp Tân Bình", year - 1): CertificateStatus.ANNULLED,
    }
    annulment = Annulment.objects.get()
    assert annulment.reference == (
        f"Quyết định số 09/QĐ-UBND ngày 15/01/{year} của Ủy ban nhân dân xã Càng Long"
    )
    assert runs == {
        "Khóm 1": (5, year - 4, year),
        "Khóm 2": (4, year - 4, year - 1),
        "Khóm 5": (0, None, None),
        "Ấp An Thạnh": (4, year - 4, year - 1),
        "Ấp Tân Bình": (0, None, None),  # last year's recognition was annulled
        # Formed on 1/1/2025 from Ấp Long Hưng 1 and 2: 2023 and 2024 count through them (both
        # recognised), 2022 does not (Ấp Long Hưng 2 was not recognised).
        "Ấp Long Hưng": (3, 2023, year - 1),
    }
    # This year's certificate comes from the dossier the reviewer recommended.
    khom_1 = unit("Khóm 1", "Phường Trà Vinh")
    assert Certificate.objects.get(unit=khom_1, year=year).entry.assessment.unit == khom_1


def test_load_demo_second_run_creates_no_decision(demo):
    first = counts()

    output = load_demo()

    assert counts() == first
    assert first == {
        "decisions": 3,
        # Phường Trà Vinh: 5 khóm last year, Khóm 1 this year; Xã Càng Long: 4 ấp last year.
        "certificates": 5 + 1 + 4,
        "annulments": 1,
        "events": 3 + 1 + 1,  # issued ×3, this year's also prepared, the annulment
        # Three earlier years of 11 units and of the 2 ấp absorbed into Ấp Long Hưng; last year
        # the 8 khóm and the ward (the dossiers' block) and 5 ấp; this year Khóm 1.
        "results": 3 * 11 + 3 * 2 + 9 + 5 + 1,
    }
    assert output.splitlines()[3] == gettext(
        "Demo decisions: %(decisions)d issued, %(certificates)d certificates, "
        "%(annulled)d annulled."
    ) % {"decisions": 3, "certificates": 10, "annulled": 1}
