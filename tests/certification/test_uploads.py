import io
import zipfile

import openpyxl
import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from certification.uploads import check_upload, safe_file_name
from tests.certification.conftest import PDF_BYTES, PNG_BYTES


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
