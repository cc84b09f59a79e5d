"""Read a school list (CSV or XLSX): columns found by header name, one dict per row."""
import csv
import io
from pathlib import Path

from openpyxl import load_workbook

# Header (lower case, spaces and underscores alike) -> field.
HEADERS = {
    "npsn": "npsn",
    "nama": "name", "nama sekolah": "name", "name": "name",
    "jenjang": "level", "bentuk": "level", "bentuk pendidikan": "level", "level": "level",
    "alamat": "address", "address": "address",
    "kode kelurahan": "kelurahan_code", "kelurahan code": "kelurahan_code",
    "kode wilayah": "kelurahan_code",
}
REQUIRED = ("npsn", "name", "level", "kelurahan_code")


class SchoolFileError(Exception):
    """The file cannot be read as a school list (`code`: unreadable, missing_columns)."""

    def __init__(self, code, detail=""):
        super().__init__(f"{code}: {detail}")
        self.code, self.detail = code, detail


def _key(header):
    return " ".join(str(header or "").replace("_", " ").lower().split())


def _table(path: Path):
    if path.suffix.lower() == ".xlsx":
        sheet = load_workbook(path, read_only=True, data_only=True).worksheets[0]
        return [list(r) for r in sheet.iter_rows(values_only=True)]
    text = path.read_bytes().decode("utf-8-sig")
    dialect = csv.Sniffer().sniff(text.splitlines()[0] if text else ",", delimiters=",;\t")
    return list(csv.reader(io.StringIO(text), dialect))


def read_rows(path):
    """[(row number as a spreadsheet shows it, {field: value})] of the file's first sheet."""
    path = Path(path)
    try:
        table = _table(path)
    except Exception as exc:  # a broken file is the user's to fix: say so, do not crash
        raise SchoolFileError("unreadable", str(exc)) from exc
    if not table:
        raise SchoolFileError("missing_columns", ", ".join(REQUIRED))
    columns = {i: HEADERS[_key(h)] for i, h in enumerate(table[0]) if _key(h) in HEADERS}
    missing = [f for f in REQUIRED if f not in columns.values()]
    if missing:
        raise SchoolFileError("missing_columns", ", ".join(missing))
    rows = []
    for number, values in enumerate(table[1:], start=2):
        if not any(v not in (None, "") for v in values):
            continue
        rows.append((number, {f: values[i] if i < len(values) else None
                              for i, f in columns.items()}))
    return rows
