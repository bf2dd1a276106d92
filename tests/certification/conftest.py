"""A 2026 cycle for Vĩnh Long over the shared world (tests/world.py)."""

import datetime
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from certification.models import CycleCalendar
from certification.services.cycles import create_cycle
from tests.factories import published_criteria_set

IN_WINDOW = datetime.date(2026, 2, 15)
PDF_BYTES = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG_BYTES = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def pdf_file(name="nghi-quyet.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


@pytest.fixture
def cycle(world):
    return create_cycle(
        year=2026, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )


@pytest.fixture
def open_cycle(world):
    """This year's cycle with registration open today, for the pages that read the clock."""
    today = timezone.localdate()
    cycle = create_cycle(
        year=today.year, province=world.vinh_long, criteria_set=published_criteria_set(), by=None
    )
    CycleCalendar.objects.filter(cycle=cycle).update(
        registration_opens_on=today - datetime.timedelta(days=30),
        registration_closes_on=today + datetime.timedelta(days=30),
    )
    return cycle


def complete_values(**overrides):
    values = {
        "registered_on": datetime.date(2026, 2, 10),
        "signer_name": "Ngô Văn Hải",
        "signer_title": "Trưởng khóm",
        "commitment": "Khóm 1 đăng ký phấn đấu đạt tiêu chuẩn “An toàn về an ninh, trật tự”.",
        "households_resident": 120,
        "households_registered": 120,
    }
    values.update(overrides)
    return values


@pytest.fixture
def helpers():
    return SimpleNamespace(pdf_file=pdf_file, complete_values=complete_values)
