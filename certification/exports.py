"""Lists as CSV or XLSX files, written row by row so a province-wide list never sits in memory.

CSV is streamed to the browser as it is written; XLSX is written by openpyxl's write-only mode to
a temporary file, then streamed from disk (a ZIP archive cannot be streamed before it is done).
A list longer than EXPORT_BACKGROUND_ROWS is written by a Celery task into a file instead
(`write`), with its progress reported as it goes.
"""

from __future__ import annotations

import csv
import io
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.http import FileResponse, StreamingHttpResponse

FORMATS = ("csv", "xlsx")
CHUNK = 2000
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


@dataclass(frozen=True)
class Listing:
    """One exportable list: its file name, its columns and how one object becomes a line."""

    filename: str
    header: Callable[[], Sequence[str]]
    row: Callable[[object], Sequence]


class _Line:
    """A file-like object whose write returns what it was given: csv.writer feeds the stream."""

    def write(self, value: str) -> str:
        return value


def _rows(queryset, row: Callable) -> Iterable[Sequence]:
    for item in queryset.iterator(chunk_size=CHUNK):
        yield row(item)


def _xlsx(handle, header: Sequence[str], rows: Iterable[Sequence]) -> None:
    """Writes a workbook in openpyxl's write-only mode: rows go to disk, not to memory."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(name) for name in header])
    for values in rows:
        sheet.append(list(values))
    workbook.save(handle)


def export(queryset, *, header: Sequence[str], row: Callable, filename: str, fmt: str):
    """A response with the header then one line per object of the queryset."""
    if fmt == "csv":
        writer = csv.writer(_Line())

        def lines():
            yield "\ufeff"  # Excel reads UTF-8 only after a byte-order mark
            yield writer.writerow([str(name) for name in header])
            for values in _rows(queryset, row):
                yield writer.writerow(values)

        response = StreamingHttpResponse(lines(), content_type=CONTENT_TYPES["csv"])
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    _xlsx(spool, header, _rows(queryset, row))
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type=CONTENT_TYPES["xlsx"],
    )


def write(
    handle,
    queryset,
    *,
    header: Sequence[str],
    row: Callable,
    fmt: str,
    on_progress: Callable[[int], None],
) -> int:
    """Writes the file into a binary handle, calling on_progress(rows so far) every CHUNK rows;
    returns the number of rows written."""
    written = 0

    def counted():
        nonlocal written
        for values in _rows(queryset, row):
            yield values
            written += 1
            if written % CHUNK == 0:
                on_progress(written)

    if fmt == "csv":
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([str(name) for name in header])
        writer.writerows(counted())
        text.flush()
        text.detach()
    else:
        _xlsx(handle, header, counted())
    on_progress(written)
    return written
