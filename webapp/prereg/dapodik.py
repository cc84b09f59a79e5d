"""Pure parser for a school's Dapodik "Daftar Peserta Didik" export (.xlsx or .csv)."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from webapp.catalogue import N_
from webapp.identity import Issue, check_kk, check_nik, check_nisn
from webapp.prereg.dapodik_read import (
    HEADER_SCAN_ROWS,
    Unreadable,
    blank,
    cell,
    cell_text,
    csv_rows,
    find_header,
    guarded,
    id_number,
    norm,
    one_line,
    parse_date,
    xlsx_rows,
)

__all__ = ["ParsedFile", "ParsedRow", "parse_roster", "MESSAGES", "REQUIRED", "HEADER_NAMES"]

# Only these student fields ever leave the parser (data minimisation, UU PDP): normalised
# header text -> field. Parents' NIK, income, KIP, KPS and bank columns are never read.
HEADER_NAMES = {
    "nama": "name", "nama peserta didik": "name", "nama lengkap": "name",
    "nipd": "nipd",
    "nisn": "nisn",
    "jk": "gender", "l/p": "gender", "jenis kelamin": "gender",
    "tempat lahir": "birth_place",
    "tanggal lahir": "birth_date", "tgl lahir": "birth_date",
    "nik": "nik", "nik peserta didik": "nik",
    "no kk": "kk", "nomor kk": "kk", "no kartu keluarga": "kk",
    "nomor kartu keluarga": "kk",
    "rombel saat ini": "class", "rombel": "class", "kelas": "class",
    "kelurahan": "kelurahan", "desa/kelurahan": "kelurahan", "kelurahan/desa": "kelurahan",
}
FIELDS = ("name", "nipd", "nisn", "gender", "birth_place", "birth_date", "nik", "kk",
          "class", "kelurahan")
# Required field -> the column name users see in messages.
REQUIRED = {"name": "Nama", "nik": "NIK", "birth_date": "Tanggal Lahir", "gender": "JK"}
GROUPS = {"data ayah", "data ibu", "data wali"}

MESSAGES = {
    "file_type": N_("Jenis berkas tidak didukung ({ext}); unggah .xlsx atau .csv dari Dapodik."),
    "file_empty": N_("Berkas kosong."),
    "file_corrupt": N_("Berkas tidak dapat dibaca; simpan ulang sebagai .xlsx lalu unggah lagi."),
    "file_encoding": N_("Berkas CSV harus berformat UTF-8 (di Excel: Simpan Sebagai > CSV UTF-8)."),
    "header_missing": N_("Baris judul kolom (berisi NIPD) tidak ditemukan."),
    "column_missing": N_("Kolom wajib \"{column}\" tidak ada."),
    "file_too_many_rows": N_("Terlalu banyak baris: paling banyak {max} siswa per berkas."),
    "number_stored_nik": N_(
        "Kolom {column} tersimpan sebagai angka sehingga digit bisa hilang; ubah format kolom menjadi Teks "
        "lalu ketik ulang."
    ),
    "date_format": N_("Kolom {column}: tanggal \"{value}\" tidak dikenali (pakai DD-MM-YYYY)."),
    "birth_date_required": N_("Kolom {column} wajib diisi."),
    "gender_invalid": N_("Kolom {column} harus L atau P (terisi \"{value}\")."),
    "name_required": N_("Nama wajib diisi."),
    "nik_duplicate_in_file": N_("NIK sama dengan baris {first_row}."),
}


@dataclass
class ParsedRow:
    """One student row: the picked fields plus its problems."""

    row: int
    student: dict[str, Any]
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def status(self) -> str:
        """'error', 'warning' or 'ok', as the import endpoint reports it."""
        return "error" if self.errors else "warning" if self.warnings else "ok"


@dataclass
class ParsedFile:
    """Parsed rows, or file-level errors (then rows is empty)."""

    rows: list[ParsedRow] = field(default_factory=list)
    file_errors: list[Issue] = field(default_factory=list)


def _map_columns(header: tuple, sub: tuple | None) -> dict[str, tuple[int, str]]:
    """Field -> (column index, header text), top-level columns only.

    A header cell with a sub-header below it opens a merged group (Data Ayah, ...); blank
    header cells after it belong to that group. Group columns are never mapped, which is
    how the parents' "NIK" sub-headers stay out.
    """
    mapping: dict[str, tuple[int, str]] = {}
    for col, top in enumerate(header):
        if blank(top) or (sub is not None and not blank(cell(sub, col))):
            continue
        name = HEADER_NAMES.get(norm(top))
        if name and name not in mapping:  # first column of a name wins
            mapping[name] = (col, one_line(top))
    return mapping


_GENDERS = {"l": "L", "p": "P", "laki-laki": "L", "laki laki": "L", "perempuan": "P"}


def _with_column(issues: Iterable[Issue], column: str) -> list[Issue]:
    """Copy identity issues, adding the column name so the user knows where to look."""
    return [Issue(i.code, {**i.params, "column": column}) for i in issues]


def _parse_row(number: int, raw: tuple, cols: dict, city_code: str | None,
               known_regions) -> ParsedRow:
    """Pick the student fields from one raw row and validate them."""
    values = {f: cell(raw, c) for f, (c, _) in cols.items()}
    label = {f: h for f, (_, h) in cols.items()}
    student: dict[str, Any] = dict.fromkeys(FIELDS)
    out = ParsedRow(number, student)
    for f in ("name", "nipd", "birth_place", "class", "kelurahan"):
        student[f] = cell_text(values.get(f))
    if not student["name"]:
        out.errors.append(Issue("name_required", {"column": label["name"]}))

    gender = cell_text(values.get("gender"))
    student["gender"] = _GENDERS.get((gender or "").casefold())
    if student["gender"] is None:
        out.errors.append(Issue("gender_invalid",
                                {"column": label["gender"], "value": gender or ""}))

    raw_date = values.get("birth_date")
    if blank(raw_date):
        out.errors.append(Issue("birth_date_required", {"column": label["birth_date"]}))
    else:
        student["birth_date"] = parse_date(raw_date)
        if student["birth_date"] is None:
            out.errors.append(Issue("date_format", {"column": label["birth_date"],
                                                    "value": cell_text(raw_date) or ""}))

    as_number = {}
    for f in ("nik", "kk"):
        if f in cols:
            student[f], as_number[f] = id_number(values[f])
            if as_number[f]:
                out.errors.append(Issue("number_stored_nik", {"column": label[f]}))
    if student["kk"]:
        out.errors += _with_column(check_kk(student["kk"]).errors, label["kk"])
    if not as_number["nik"]:
        nik = check_nik(student["nik"] or "", city_code=city_code, gender=student["gender"],
                        birth_date=student["birth_date"], kk=student["kk"],
                        known_regions=known_regions)
        out.errors += _with_column(nik.errors, label["nik"])
        out.warnings += _with_column(nik.warnings, label["nik"])

    nisn, _ = id_number(values.get("nisn"))
    nisn = nisn or cell_text(values.get("nisn"))  # a numeric NISN is fine if all 10 digits remain
    student["nisn"] = nisn
    if nisn:
        out.errors += _with_column(check_nisn(nisn).errors, label["nisn"])
    return out


def parse_roster(filename: str, data: bytes, *, max_rows: int = 5000,
                 city_code: str | None = "3672", known_regions=None) -> ParsedFile:
    """Parse a Dapodik roster; nothing is stored, the caller shows the result first."""
    ext = ("." + filename.rsplit(".", 1)[-1].casefold()) if "." in filename else ""
    if ext not in (".xlsx", ".csv"):
        return ParsedFile(file_errors=[Issue("file_type", {"ext": ext or filename})])
    if not data or not data.strip():
        return ParsedFile(file_errors=[Issue("file_empty")])
    if ext == ".xlsx":
        if not zipfile.is_zipfile(io.BytesIO(data)):
            return ParsedFile(file_errors=[Issue("file_corrupt")])
        source = guarded(xlsx_rows(data))
    else:
        try:
            source = guarded(csv_rows(data.decode("utf-8-sig")))
        except UnicodeDecodeError:
            return ParsedFile(file_errors=[Issue("file_encoding")])
    try:
        return _parse_rows(source, max_rows, city_code, known_regions)
    except Unreadable:
        return ParsedFile(file_errors=[Issue("file_corrupt")])


def _parse_rows(source: Iterator[tuple], max_rows: int, city_code: str | None,
                known_regions) -> ParsedFile:
    """Locate the header, map the columns, then parse every non-blank row."""
    head = [tuple(r) for _, r in zip(range(HEADER_SCAN_ROWS), source, strict=False)]
    if all(all(blank(v) for v in r) for r in head):
        return ParsedFile(file_errors=[Issue("file_empty")])
    at = find_header(head)
    if at is None:
        return ParsedFile(file_errors=[Issue("header_missing")])
    header = head[at]
    # The sub-header row exists when the header has merged parent groups.
    has_groups = any(norm(v) in GROUPS for v in header)
    sub = (head[at + 1] if at + 1 < len(head) else ()) if has_groups else None
    cols = _map_columns(header, sub)
    missing = [Issue("column_missing", {"column": label})
               for f, label in REQUIRED.items() if f not in cols]
    if missing:
        return ParsedFile(file_errors=missing)

    first_data = at + (2 if has_groups else 1)  # 0-based index into the sheet's rows
    result = ParsedFile()
    seen: dict[str, int] = {}
    numbered = enumerate(chain(head[first_data:], source), start=first_data + 1)
    for number, raw in numbered:
        if all(blank(v) for v in raw):
            continue
        if len(result.rows) >= max_rows:
            return ParsedFile(file_errors=[Issue("file_too_many_rows", {"max": max_rows})])
        parsed = _parse_row(number, tuple(raw), cols, city_code, known_regions)
        nik = parsed.student["nik"]
        if nik and nik in seen:
            parsed.errors.append(Issue("nik_duplicate_in_file", {"first_row": seen[nik]}))
        elif nik:
            seen[nik] = number
        result.rows.append(parsed)
    if not result.rows:  # a header with no students is as useless as an empty file
        return ParsedFile(file_errors=[Issue("file_empty")])
    return result
