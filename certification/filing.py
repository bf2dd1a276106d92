"""Filing in one call what a unit does over several pages: a registration started, every required
document attached and submitted; a dossier's documents attached. The demo loader and the tests'
builders (tests/builders.py) share these; the pages take the same services one step at a time."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable

from django.core.files.uploadedfile import SimpleUploadedFile

from certification.models import Assessment, Criterion, Cycle, DossierDocumentKind, Registration
from certification.models.registration import REQUIRED_DOCUMENTS
from certification.services.assessment import add_dossier_document
from certification.services.registration import (
    add_document,
    start_registration,
    submit_registration,
)
from units.models import Unit

# A document for each kind: the uploaded file and, for a registration, the date written on it.
RegistrationDocuments = Callable[[str], tuple[SimpleUploadedFile, datetime.date]]


def pdf_upload(name: str, title: str = "") -> SimpleUploadedFile:
    """A tiny valid PDF; its comment line says what it stands for."""
    label = (title or name).encode("ascii", "replace")
    content = (
        b"%PDF-1.4\n%" + label + b"\n1 0 obj<</Type/Catalog>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def file_registration(
    cycle: Cycle,
    unit: Unit,
    *,
    values: dict,
    documents: RegistrationDocuments,
    day: datetime.date,
    now: datetime.datetime,
    by,
) -> Registration:
    """Started on `day` with `values`, every document its unit type requires attached, and
    submitted at `now`: the registration as the reviewer receives it."""
    registration = start_registration(cycle, unit, values=values, by=by, today=day)
    for kind in REQUIRED_DOCUMENTS[unit.unit_type]:
        uploaded_file, document_date = documents(kind)
        add_document(
            registration,
            kind=kind,
            uploaded_file=uploaded_file,
            document_date=document_date,
            by=by,
        )
    return submit_registration(registration, by=by, now=now, today=day)


def attach_dossier_documents(
    assessment: Assessment,
    kinds: Iterable[str],
    *,
    upload_for: Callable[[str], SimpleUploadedFile],
    by,
    criterion: Criterion | None = None,
) -> None:
    """One document of each kind; evidence is attached to `criterion`."""
    for kind in kinds:
        add_dossier_document(
            assessment,
            kind=kind,
            criterion=criterion if kind == DossierDocumentKind.EVIDENCE else None,
            uploaded_file=upload_for(kind),
            by=by,
        )
