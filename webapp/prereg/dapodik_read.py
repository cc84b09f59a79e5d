"""Readers for Dapodik rosters: .xlsx/.csv bytes to rows, and cell values to text and dates."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import date, datetime
from typing import Any

HEADER_SCAN_ROWS = 100  # the header sits under a handful of title rows


def norm(value: Any) -> str:
    """Header key: case, line breaks, runs of spaces and dots/colons do not matter."""
    text = re.sub(r"[.:]", " ", str(value or "")).casefold()
    text = re.sub(r"\s*/\s*", "/", re.sub(r"\s+", " ", text)).strip()
    return text


def blank(value: Any) -> bool:
    """True for an empty cell or one holding only whitespace."""
    return value is None or (isinstance(value, str) and not value.strip())


def find_header(rows: list[tuple]) -> int | None:
    """Index of the header row: the one with a cell "NIPD"."""
    keys = [[norm(v) for v in r] for r in rows]
    for i, cells in enumerate(keys):
        if "nipd" in cells:
            return i
    # Fallback for hand-made files without NIPD: a row naming both Nama and NIK.
    for i, cells in enumerate(keys):
        if "nama" in cells and "nik" in cells:
            return i
    return None


class Unreadable(Exception):
    """The file's own structure is broken (raised only from inside the readers)."""


def guarded(rows: Iterator[tuple]) -> Iterator[tuple]:
    """Re-raise any failure of the underlying reader as Unreadable."""
    # Exceptions raised by the consumer are not thrown into this generator, so only
    # failures of the reader itself (openpyxl, zip, XML, csv) become "file_corrupt".
    try:
        yield from rows
    except Exception as exc:
        raise Unreadable() from exc


def first_rows(rows: Iterator[tuple], n: int) -> list[tuple]:
    """The first n rows; the source is closed afterwards."""
    out = [r for _, r in zip(range(n), rows, strict=False)]
    getattr(rows, "close", lambda: None)()
    return out


def xlsx_rows(data: bytes) -> Iterator[tuple]:
    """Rows of the first sheet that holds a roster header (else the first sheet)."""
    import openpyxl  # imported lazily: the csv path must not pay for it

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        chosen = None
        for sheet in book.worksheets:
            sheet.reset_dimensions()  # some exporters write a wrong <dimension>
            head = first_rows(sheet.iter_rows(values_only=True), HEADER_SCAN_ROWS)
            if find_header(head) is not None:
                chosen = sheet
                break
        if chosen is None and book.worksheets:
            chosen = book.worksheets[0]
        if chosen is not None:
            # Read-only sheets fill skipped rows with empty ones: enumeration = row number.
            yield from chosen.iter_rows(values_only=True)
    finally:
        book.close()


def csv_rows(text: str) -> Iterator[tuple]:
    """Rows of a CSV text whose separator (; , or tab) is sniffed from the header line."""
    lines = text.splitlines()
    header_line = next((ln for ln in lines[:HEADER_SCAN_ROWS] if "nipd" in ln.casefold()),
                       "\n".join(lines[:HEADER_SCAN_ROWS]))
    # Sniff on the header line: it holds the most separators and no free text.
    delimiter = max(";,\t", key=header_line.count)
    for record in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        yield tuple(record)


def one_line(value: Any) -> str:
    """Header or cell text on one line (line breaks inside cells become spaces)."""
    return re.sub(r"\s+", " ", str(value)).strip()


def cell(row: tuple, col: int) -> Any:
    """Value at a column; rows read from files may be shorter than the header."""
    return row[col] if col < len(row) else None


def cell_text(value: Any) -> str | None:
    """A free-text cell as a trimmed string (whole numbers lose their ".0"), or None."""
    if blank(value):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime):
        value = value.date()
    if isinstance(value, date):
        return value.isoformat()
    return one_line(value)


# Text a spreadsheet made from a number: "3.67201E+15" or "3672010101080001.0".
_NUMBERISH = re.compile(r"^\d+(?:[.,]\d+)?[eE][+-]?\d+$|^\d+\.0+$")


def id_number(value: Any) -> tuple[str | None, bool]:
    """(text, stored_as_number). Numbers are refused: past 15 digits they are rounded."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return None, True
    text = cell_text(value)
    if text is None:
        return None, False
    text = text.lstrip("'").replace(" ", "").replace("\u00a0", "")
    return (None, True) if _NUMBERISH.match(text) else (text, False)


_DMY = re.compile(r"^(\d{1,2})([-/])(\d{1,2})\2(\d{4})$")
_YMD = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


def parse_date(value: Any) -> date | None:
    """An Excel date, or text as DD-MM-YYYY, DD/MM/YYYY or YYYY-MM-DD; else None."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if not isinstance(value, str):
        return None  # a bare serial number or time: do not guess
    text = value.strip()
    if m := _DMY.match(text):
        d, mth, y = int(m[1]), int(m[3]), int(m[4])
    elif m := _YMD.match(text):
        y, mth, d = int(m[1]), int(m[2]), int(m[3])
    else:
        return None
    try:
        return date(y, mth, d)
    except ValueError:
        return None
