"""Lists as CSV or XLSX files, written row by row so a province-wide list never sits in memory.

CSV is streamed to the browser as it is written; XLSX is written by openpyxl's write-only mode to
a temporary file, then streamed from disk (a ZIP archive cannot be streamed before it is done).
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable, Iterable, Sequence

from django.http import FileResponse, StreamingHttpResponse

FORMATS = ("csv", "xlsx")
CHUNK = 2000


class _Line:
    """A file-like object whose write returns what it was given: csv.writer feeds the stream."""

    def write(self, value: str) -> str:
        return value


def _rows(queryset, row: Callable) -> Iterable[Sequence]:
    for item in queryset.iterator(chunk_size=CHUNK):
        yield row(item)


def export(queryset, *, header: Sequence[str], row: Callable, filename: str, fmt: str):
    """A response with the header then one line per object of the queryset."""
    if fmt == "csv":
        writer = csv.writer(_Line())

        def lines():
            yield "\ufeff"  # Excel reads UTF-8 only after a byte-order mark
            yield writer.writerow([str(name) for name in header])
            for values in _rows(queryset, row):
                yield writer.writerow(values)

        response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
        return response
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append([str(name) for name in header])
    for values in _rows(queryset, row):
        sheet.append(list(values))
    spool = tempfile.TemporaryFile()  # noqa: SIM115 (FileResponse closes it when sent)
    workbook.save(spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=f"{filename}.xlsx",
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
