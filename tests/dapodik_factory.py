"""Test helper: build Dapodik "Daftar Peserta Didik" exports (.xlsx and .csv) in memory.

The layout copies the real export: title/metadata rows, a blank row, then a two-row header
where student columns are merged vertically and the parents' groups (Data Ayah, Data Ibu,
Data Wali) are merged horizontally over their sub-headers, which include a parent "NIK".

Student dicts use the parser's field names (name, nipd, nisn, gender, birth_place,
birth_date, nik, kk, class, kelurahan); a key that is absent gets a realistic default and a
key set to None leaves the cell empty. Values are written as given, so an int NIK becomes a
number cell and a date becomes an Excel date. Any other key is taken as a raw column header.
"""
from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime

import openpyxl

TITLE_ROWS = [
    "Daftar Peserta Didik",
    "SMAN 1 Cilegon",
    "Kecamatan Kec. Cilegon, Kota Cilegon, Prov. Banten",
    "Tanggal Unduh: 2025-01-15 08:12:45",
    "Pengunduh: operator@sman1cilegon.sch.id",
]
HEADER_ROW = len(TITLE_ROWS) + 2  # after one blank row; the sub-header row follows
FIRST_DATA_ROW = HEADER_ROW + 2

GROUP_SUBHEADERS = ["Nama", "Tahun Lahir", "Jenjang Pendidikan", "Pekerjaan", "Penghasilan",
                    "NIK"]
GROUPS = ["Data Ayah", "Data Ibu", "Data Wali"]

# (header text as Dapodik writes it, field name or None). Line breaks are deliberate.
COLUMNS = [
    ("No", None), ("Nama", "name"), ("NIPD", "nipd"), ("JK", "gender"), ("NISN", "nisn"),
    ("Tempat Lahir", "birth_place"), ("Tanggal\nLahir", "birth_date"), ("NIK", "nik"),
    ("Agama", None), ("Alamat", None), ("RT", None), ("RW", None), ("Dusun", None),
    ("Kelurahan", "kelurahan"), ("Kecamatan", None), ("Kode Pos", None),
    ("Jenis Tinggal", None), ("Alat Transportasi", None), ("Telepon", None), ("HP", None),
    ("E-Mail", None), ("SKHUN", None), ("Penerima KPS", None), ("No. KPS", None),
    "Data Ayah", "Data Ibu", "Data Wali",
    ("Rombel\nSaat Ini", "class"), ("No Peserta Ujian\nNasional", None),
    ("No Seri Ijazah", None), ("Penerima KIP", None), ("Nomor KIP", None),
    ("Nama di KIP", None), ("Nomor KKS", None), ("No Registrasi Akta Lahir", None),
    ("Bank", None), ("Nomor Rekening Bank", None), ("Rekening Atas Nama", None),
    ("Layak PIP (usulan dari sekolah)", None), ("Kebutuhan Khusus", None),
    ("Sekolah Asal", None), ("Anak ke-berapa", None), ("No KK", "kk"),
    ("Berat Badan", None), ("Tinggi Badan", None), ("Jml. Saudara\nKandung", None),
    ("Jarak Rumah\nke Sekolah (KM)", None),
]

# Sensitive values the parser must never return; tests search the output for them.
PARENT_NIKS = {"Data Ayah": "3672011207750003", "Data Ibu": "3672015508780002",
               "Data Wali": "3604011010700001"}
SENSITIVE = {"Penghasilan": "Rp. 2,000,000 - Rp. 4,999,999", "Nomor KIP": "KIP7788990011",
             "Bank": "BRI", "Nomor Rekening Bank": "0123456789012345",
             "Rekening Atas Nama": "SITI AMINAH", "Nomor KKS": "KKS5566778899"}


def student(i: int = 1, **fields) -> dict:
    """A valid Cilegon student (born 2008), `i` varying NIK, NISN and NIPD."""
    base = {
        "name": f"Siswa Contoh {i}", "nipd": f"2324{i:04d}", "nisn": f"008{i:07d}",
        "gender": "L", "birth_place": "Cilegon", "birth_date": date(2008, 1, 15),
        "nik": f"367201150108{i:04d}", "kk": f"367201200115{i:04d}", "class": "XI IPA 1",
        "kelurahan": "Bagendung",
    }
    base.update(fields)
    return base


def _defaults(i: int, header: str) -> object:
    simple = {"No": i, "Agama": "Islam", "Alamat": "Jl. Sudirman No. 1", "RT": "1",
              "RW": "2", "Kecamatan": "Kec. Cilegon", "Kode Pos": "42411",
              "Penerima KPS": "Tidak", "Penerima KIP": "Ya", "HP": "081234567890"}
    return simple.get(header, SENSITIVE.get(header))


def dapodik_matrix(students, *, extra_bad_rows=(), seed=None, drop=(), rename=None,
                   blank_rows_before=(), header_cells=None) -> list[list]:
    """The sheet as a list of rows (None = empty cell), before writing it anywhere.

    extra_bad_rows: more student dicts, appended after one blank row (keys as above).
    seed: shuffle the columns (groups move as a block). drop: headers to leave out, spelt
    exactly as in COLUMNS (e.g. "Tanggal\nLahir"). rename: {header: new header text}.
    header_cells: a function that may rewrite the header row list.
    blank_rows_before: 0-based student indexes that get a blank row before them.
    """
    rename = rename or {}
    columns = [c for c in COLUMNS if (c if isinstance(c, str) else c[0]) not in drop]
    if seed is not None:
        random.Random(seed).shuffle(columns)
    header, sub, keys = [], [], []
    for col in columns:
        if isinstance(col, str):  # a parents' group: one merged header over six columns
            header += [col] + [None] * (len(GROUP_SUBHEADERS) - 1)
            sub += GROUP_SUBHEADERS
            keys += [(col, s) for s in GROUP_SUBHEADERS]
        else:
            header.append(rename.get(col[0], col[0]))
            sub.append(None)
            keys.append(col)
    if header_cells:
        header = header_cells(header)
    rows: list[list] = [[t] for t in TITLE_ROWS] + [[], header, sub]
    everyone = list(students) + ([None] + list(extra_bad_rows) if extra_bad_rows else [])
    number = 0
    for idx, person in enumerate(everyone):
        if person is None or idx in blank_rows_before:
            rows.append([])
        if person is None:
            continue
        number += 1
        rows.append([_value(person, number, key) for key in keys])
    return rows


def _value(person: dict, number: int, key) -> object:
    if key[0] in GROUPS:
        group, sub = key
        parent = {"Nama": f"ORANG TUA {number}", "Tahun Lahir": 1975,
                  "Jenjang Pendidikan": "SMA / sederajat", "Pekerjaan": "Karyawan Swasta",
                  "Penghasilan": SENSITIVE["Penghasilan"], "NIK": PARENT_NIKS[group]}
        return parent[sub]
    header, field = key
    if field is not None:
        return person.get(field)
    return person.get(header, _defaults(number, header))


def make_dapodik_xlsx(students, *, extra_bad_rows=(), sheet_title="Daftar Peserta Didik",
                      leading_sheets=0, **layout) -> bytes:
    """An .xlsx export with merged header cells; see dapodik_matrix for the options."""
    rows = dapodik_matrix(students, extra_bad_rows=extra_bad_rows, **layout)
    book = openpyxl.Workbook()
    sheet = book.active
    for n in range(leading_sheets):  # e.g. an instructions sheet before the roster
        other = book.create_sheet(f"Petunjuk {n + 1}", 0)
        other["A1"] = "Petunjuk pengisian"
    sheet.title = sheet_title
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = sheet.cell(r, c, value)
                if isinstance(value, (date, datetime)):
                    cell.number_format = "DD-MM-YYYY"
    header, sub = rows[HEADER_ROW - 1], rows[HEADER_ROW]
    for c, top in enumerate(header, start=1):
        if top is None:
            continue
        if sub[c - 1] is None:  # a student column spans both header rows
            sheet.merge_cells(start_row=HEADER_ROW, end_row=HEADER_ROW + 1,
                              start_column=c, end_column=c)
        else:  # a parents' group spans its sub-headers
            width = 1
            while c + width <= len(header) and header[c + width - 1] is None:
                width += 1
            sheet.merge_cells(start_row=HEADER_ROW, end_row=HEADER_ROW,
                              start_column=c, end_column=c + width - 1)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def make_dapodik_csv(students, *, delimiter=";", bom=False, date_format="%d/%m/%Y",
                     extra_bad_rows=(), **layout) -> bytes:
    """The same sheet saved as CSV (merged cells keep their value in the first cell only)."""
    rows = dapodik_matrix(students, extra_bad_rows=extra_bad_rows, **layout)
    width = max(len(r) for r in rows)
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        cells = [v.strftime(date_format) if isinstance(v, date) else v for v in row]
        writer.writerow(cells + [None] * (width - len(cells)))
    return ("\ufeff" if bom else "").encode() + text.getvalue().encode("utf-8")
