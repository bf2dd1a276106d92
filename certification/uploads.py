"""Checks on uploaded evidence: the type is read from the content, not trusted from the name."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.http import FileResponse, Http404
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

# The accepted kinds, by the MIME type that filetype reads from the file's first bytes.
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
}
ACCEPTED_NAMES = "PDF, JPEG, PNG, DOCX, XLSX"


@dataclass(frozen=True)
class CheckedUpload:
    content_type: str
    safe_name: str
    size: int


def safe_file_name(name: str, extension: str) -> str:
    """A plain name for display and download: no path, no control characters, the real extension."""
    stem = PurePath(name.replace("\\", "/")).name
    stem = unicodedata.normalize("NFC", PurePath(stem).stem).strip() or "tep"
    stem = "".join(ch for ch in stem if unicodedata.category(ch)[0] != "C")
    try:
        stem = get_valid_filename(stem)
    except SuspiciousFileOperation:
        stem = "tep"
    return f"{stem[:150]}{extension}"


def check_upload(uploaded_file) -> CheckedUpload:
    """Accepts a PDF, JPEG, PNG, DOCX or XLSX within the size limit, judged by its content."""
    limit = settings.UPLOAD_MAX_BYTES
    if uploaded_file.size > limit:
        raise ValidationError(
            _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
            % {
                "name": uploaded_file.name,
                "size": filesizeformat(uploaded_file.size),
                "limit": filesizeformat(limit),
            },
            code="too_large",
        )
    if uploaded_file.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": uploaded_file.name})
    uploaded_file.seek(0)
    if hasattr(uploaded_file, "temporary_file_path"):
        kind = filetype.guess(uploaded_file.temporary_file_path())
    else:
        # OOXML files are zip archives: filetype needs the whole file to tell DOCX from XLSX.
        kind = filetype.guess(uploaded_file.read())
    uploaded_file.seek(0)
    if kind is None or kind.mime not in ACCEPTED_TYPES:
        raise ValidationError(
            _("“%(name)s” is not a %(accepted)s file (judged by its content, not its name).")
            % {"name": uploaded_file.name, "accepted": ACCEPTED_NAMES},
            code="wrong_type",
        )
    return CheckedUpload(
        content_type=kind.mime,
        safe_name=safe_file_name(uploaded_file.name, ACCEPTED_TYPES[kind.mime]),
        size=uploaded_file.size,
    )


def check_file_count(attached: int) -> None:
    """Refuses one more file where `attached` files already reach UPLOAD_MAX_FILES."""
    limit = settings.UPLOAD_MAX_FILES
    if attached >= limit:
        raise ValidationError(
            _(
                "The file was not added: at most %(limit)s files may be attached here. "
                "Remove one first."
            )
            % {"limit": limit},
            code="too_many_files",
        )


def serve_upload(document) -> FileResponse:
    """Streams a stored upload under its sanitised name; the caller has checked the permission.

    Always as an attachment: a file a unit uploaded is never rendered by the browser inside the
    portal's origin (a crafted PDF or image cannot run there)."""
    try:
        handle = document.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )
