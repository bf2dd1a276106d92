"""PDF documents: the decision and the certificate, rendered from HTML templates by WeasyPrint.

Both are Vietnamese administrative documents (Decree 30/2020/NĐ-CP layout), so they are rendered
in Vietnamese whatever language the user reads the portal in. Nothing is fetched from outside:
the only image, the QR code, is an inline data URI.
"""

from __future__ import annotations

import datetime

import segno
from django.template.loader import render_to_string
from django.utils import translation

from certification.models import Annulment, Certificate, Decision
from certification.services.decisions import verification_url


def vietnamese_date(day: datetime.date) -> str:
    """ "ngày 05 tháng 01 năm 2027": days below 10 and months below 3 take a leading zero."""
    month = f"{day.month:02d}" if day.month < 3 else str(day.month)
    return f"ngày {day.day:02d} tháng {month} năm {day.year}"


def qr_data_uri(url: str) -> str:
    """A PNG QR code of the URL as a data URI (medium error correction, printable at 3 cm)."""
    return segno.make(url, error="m").png_data_uri(scale=8, border=2)


def render_pdf(template: str, context: dict) -> bytes:
    # Imported here: WeasyPrint loads Pango, which no web page but the two downloads needs.
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    with translation.override("vi"):
        html = render_to_string(template, context)
    # Only inline data: URIs; a template can never make the server fetch a URL.
    fetcher = URLFetcher(allowed_protocols={"data"}, allow_redirects=False)
    return HTML(string=html, url_fetcher=fetcher).write_pdf()


def signature_heading(title: str) -> list[str]:
    """The lines above the signer's name: "KT. CHỦ TỊCH / PHÓ CHỦ TỊCH" for a deputy."""
    title = title.strip()
    if title.lower().startswith("phó "):
        return [f"KT. {title[4:].upper()}", title.upper()]
    return [title.upper()]


def _body_lines(issuing_body: str) -> list[str]:
    """ "Ủy ban nhân dân phường Trà Vinh" → ["ỦY BAN NHÂN DÂN", "PHƯỜNG TRÀ VINH"]."""
    prefix = "Ủy ban nhân dân"
    if issuing_body.lower().startswith(prefix.lower()):
        rest = issuing_body[len(prefix) :].strip()
        return [prefix.upper(), rest.upper()] if rest else [prefix.upper()]
    return [issuing_body.upper()]


# The first legal basis of a People's Committee's decision. TO VERIFY: neither the law file
# (docs/legal/TT124-2021.md) nor ANTT.md gives the number and date of the 2025 Law on Local
# Government; 72/2025/QH15 of 16/06/2025 is taken from public reporting of the two-level reform.
LOCAL_GOVERNMENT_LAW = (
    "Luật Tổ chức chính quyền địa phương số 72/2025/QH15 ngày 16 tháng 6 năm 2025"
)


def _decision_context(decision: Decision) -> dict:
    return {
        "local_government_law": LOCAL_GOVERNMENT_LAW,
        "decision": decision,
        "body_lines": _body_lines(decision.issuing_body),
        "date_line": vietnamese_date(decision.decided_on),
        "signature_heading": signature_heading(decision.signer_title),
    }


def decision_pdf(decision: Decision) -> bytes:
    """The decision with its articles and, as an annex, the list of recognised units."""
    entries = list(decision.entries.select_related("unit"))
    recognised = [entry for entry in entries if entry.is_recognised]
    return render_pdf(
        "pdf/decision.html",
        {
            **_decision_context(decision),
            "recognised": recognised,
            "not_recognised": [entry for entry in entries if not entry.is_recognised],
        },
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The "Giấy công nhận" on A4 landscape, with a QR code of its public verification URL."""
    decision = certificate.entry.decision
    url = verification_url(certificate)
    return render_pdf(
        "pdf/certificate.html",
        {
            **_decision_context(decision),
            "certificate": certificate,
            "annulment": Annulment.objects.filter(certificate=certificate).first(),
            "verification_url": url,
            "qr": qr_data_uri(url),
        },
    )
