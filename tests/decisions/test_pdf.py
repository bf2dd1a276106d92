"""The decision and certificate PDFs: Vietnamese text as typed, a QR code that opens the page."""

import datetime
import io
import unicodedata

import pytest
import zxingcpp
from PIL import Image
from pypdf import PdfReader

from certification import pdf
from certification.models import Certificate
from certification.services import decisions as services
from certification.services.decisions import verification_url
from tests.builders import DECIDED_AT as NOW
from tests.decision_scene import VIETNAMESE_NAME

pytestmark = pytest.mark.django_db


def pdf_text(content: bytes) -> str:
    """The text of every page, NFC-normalised, with line breaks read as spaces."""
    reader = PdfReader(io.BytesIO(content))
    text = " ".join(page.extract_text() for page in reader.pages)
    return unicodedata.normalize("NFC", " ".join(text.split()))


def test_decision_pdf_contains_the_units_vietnamese_name_exactly(issued):
    text = pdf_text(pdf.decision_pdf(issued))

    assert VIETNAMESE_NAME in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập - Tự do - Hạnh phúc" in text
    assert "Số: 1/QĐ-UBND" in text
    assert "Trà Vinh, ngày 20 tháng 11 năm 2026" in text
    assert "Điều 1. Công nhận 2 đơn vị" in text
    assert "Võ Thị Mai" in text
    # The annex lists the recognised units only.
    assert "Khóm 1" in text
    assert "Khóm 2" not in text


def test_certificate_pdf_carries_unit_area_year_decision_and_signer(ward, issued):
    certificate = Certificate.objects.get(unit=ward.to_7)

    content = pdf.certificate_pdf(certificate)
    text = pdf_text(content)

    assert VIETNAMESE_NAME in text
    for expected in (
        "GIẤY CÔNG NHẬN",
        "Phường Trà Vinh",
        "năm 2026",
        "Quyết định số 1/QĐ-UBND ngày 20/11/2026",
        "Võ Thị Mai",
        f"Số: {certificate.number}",
    ):
        assert expected in text
    page = PdfReader(io.BytesIO(content)).pages[0]
    width, height = float(page.mediabox.width), float(page.mediabox.height)
    assert (round(width), round(height)) == (842, 595)  # A4 landscape, in points


def test_certificate_pdf_puts_its_title_first_under_the_national_header(ward, issued):
    certificate = Certificate.objects.get(unit=ward.to_7)

    text = pdf_text(pdf.certificate_pdf(certificate))

    order = [
        text.index(phrase)
        for phrase in (
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "GIẤY CÔNG NHẬN",
            "CHỦ TỊCH ỦY BAN NHÂN DÂN PHƯỜNG TRÀ VINH",
            "công nhận",
            VIETNAMESE_NAME,
            "Đạt tiêu chuẩn “An toàn về an ninh, trật tự” năm 2026",
        )
    ]
    assert order == sorted(order)


def test_certificate_qr_code_decodes_to_the_verification_url(ward, issued, settings):
    settings.SITE_URL = "https://antt.vinhlong.gov.vn"
    certificate = Certificate.objects.get(unit=ward.to_7)

    page = PdfReader(io.BytesIO(pdf.certificate_pdf(certificate))).pages[0]
    decoded = [
        barcode.text
        for image in page.images
        for barcode in zxingcpp.read_barcodes(Image.open(io.BytesIO(image.data)))
    ]

    assert decoded == [
        f"https://antt.vinhlong.gov.vn/cong-khai/xac-minh/{certificate.token}/",
    ]
    assert decoded == [verification_url(certificate)]


def test_deputy_signs_for_the_chair():
    assert pdf.signature_heading("Phó Chủ tịch") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    assert pdf.signature_heading("Chủ tịch") == ["CHỦ TỊCH"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (datetime.date(2027, 1, 5), "ngày 05 tháng 01 năm 2027"),
        (datetime.date(2026, 11, 20), "ngày 20 tháng 11 năm 2026"),
        (datetime.date(2026, 3, 9), "ngày 09 tháng 3 năm 2026"),
    ],
)
def test_date_line_pads_days_below_ten_and_months_below_three(day, expected):
    assert pdf.vietnamese_date(day) == expected


def test_annulled_certificate_pdf_says_so(ward, issued, decider):
    certificate = Certificate.objects.get(unit=ward.to_7)
    services.annul_certificate(
        certificate,
        annulled_on=datetime.date(2026, 12, 10),
        reference="Quyết định số 7/QĐ-UBND",
        reason="Vi phạm",
        by=decider,
        now=NOW,
    )

    text = pdf_text(pdf.certificate_pdf(certificate))

    assert "ĐÃ HỦY BỎ từ ngày 10/12/2026 theo Quyết định số 7/QĐ-UBND" in text


def test_decision_pdf_cites_the_law_and_the_full_title_of_circular_124_as_amended(issued):
    # Arrange
    from certification.models import CriteriaSet, Cycle

    version_2 = CriteriaSet.objects.get(code="TT124-2021", version=2)
    Cycle.objects.filter(pk=issued.cycle_id).update(criteria_set=version_2)
    issued.refresh_from_db()

    # Act
    text = pdf_text(pdf.decision_pdf(issued))

    # Assert
    assert "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15" in text
    assert (
        "Căn cứ Thông tư số 124/2021/TT-BCA ngày 28/12/2021 của Bộ trưởng Bộ Công an quy định "
        "khu dân cư, xã, phường, thị trấn, cơ quan, doanh nghiệp, cơ sở giáo dục đạt tiêu chuẩn "
        "“An toàn về an ninh, trật tự”, được sửa đổi, bổ sung bởi Thông tư số 48/2025/TT-BCA;"
    ) in text
