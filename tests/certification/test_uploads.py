import datetime
import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from certification.services import registration as registration_services
from certification.uploads import check_upload, safe_file_name
from tests.builders import PDF_BYTES, PNG_BYTES, complete_values, pdf_file


def _docx_bytes():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def _xlsx_bytes():
    buffer = io.BytesIO()
    openpyxl.Workbook().save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content", "content_type", "safe_name"),
    [
        ("Nghị quyết.pdf", PDF_BYTES, "application/pdf", "Nghị_quyết.pdf"),
        ("anh.PNG", PNG_BYTES, "image/png", "anh.png"),
        (
            "ke-hoach.docx",
            _docx_bytes(),
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "ke-hoach.docx",
        ),
        (
            "danh-sach.xlsx",
            _xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "danh-sach.xlsx",
        ),
        # The name lies: the content decides, and the stored name gets the real extension.
        ("scan.docx", PDF_BYTES, "application/pdf", "scan.pdf"),
    ],
)
def test_check_upload_accepts_the_five_kinds_by_content(name, content, content_type, safe_name):
    checked = check_upload(SimpleUploadedFile(name, content))
    assert (checked.content_type, checked.safe_name, checked.size) == (
        content_type,
        safe_name,
        len(content),
    )


@pytest.mark.parametrize(
    "content",
    [b"MZ\x90\x00 a Windows program", b"<html><script>alert(1)</script></html>", b"GIF89a..."],
)
def test_check_upload_refuses_other_content_whatever_its_name(content):
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("bien-ban.pdf", content))
    assert error.value.code == "wrong_type"


def test_check_upload_refuses_a_file_over_the_limit(settings):
    settings.UPLOAD_MAX_BYTES = 10
    with pytest.raises(ValidationError) as error:
        check_upload(SimpleUploadedFile("a.pdf", PDF_BYTES))
    assert error.value.code == "too_large"


def test_check_upload_refuses_an_empty_file():
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.pdf", b""))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\Hai\\Biên bản họp.pdf", "Biên_bản_họp.pdf"),
        ("a\x00b\x1fc.pdf", "abc.pdf"),
        ("...pdf", "tep.pdf"),
    ],
)
def test_safe_file_name_strips_paths_and_control_characters(name, expected):
    assert safe_file_name(name, ".pdf") == expected


def _attach_resolution(registration):
    return registration_services.add_document(
        registration,
        kind="party_resolution",
        uploaded_file=pdf_file("nghi-quyet.pdf"),
        document_date=datetime.date(2026, 1, 20),
        by=None,
    )


@pytest.mark.django_db
def test_a_registration_holds_at_most_upload_max_files(world, cycle, settings):
    """One more file than the limit is refused with the limit named; the others stay."""
    settings.UPLOAD_MAX_FILES = 2
    registration = registration_services.start_registration(
        cycle,
        world.khom_1,
        values=complete_values(),
        by=None,
        today=datetime.date(2026, 2, 10),
    )
    for _ in range(2):
        _attach_resolution(registration)
    with pytest.raises(ValidationError) as refused:
        _attach_resolution(registration)
    assert refused.value.messages == [
        "Tệp chưa được thêm: chỉ được đính kèm tối đa 2 tệp ở đây. Hãy gỡ bớt một tệp trước."
    ]
    assert registration.documents.count() == 2


@pytest.mark.django_db
def test_uploads_are_always_served_as_attachments(client, world, cycle):
    registration = registration_services.start_registration(
        cycle, world.khom_1, values=complete_values(), by=None, today=datetime.date(2026, 2, 10)
    )
    document = _attach_resolution(registration)
    client.force_login(world.users.rep_khom)
    response = client.get(reverse("certification:document-download", args=[document.pk]))
    assert response["Content-Disposition"] == 'attachment; filename="nghi-quyet.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
