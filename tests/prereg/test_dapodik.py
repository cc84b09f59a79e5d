"""Dapodik roster parsing: layout, column mapping, dates, number-stored NIKs, file errors."""
import io
import zipfile
from datetime import date, datetime

import openpyxl
import pytest
from dapodik_factory import (
    FIRST_DATA_ROW,
    HEADER_ROW,
    PARENT_NIKS,
    SENSITIVE,
    dapodik_matrix,
    make_dapodik_csv,
    make_dapodik_xlsx,
    student,
)
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.identity import MESSAGES as IDENTITY_MESSAGES
from webapp.identity import Issue, format_issue
from webapp.prereg.dapodik import FIELDS, MESSAGES, ParsedFile, parse_roster


def parse_xlsx(students, **kw):
    options = {k: kw.pop(k) for k in ("max_rows", "city_code") if k in kw}
    return parse_roster("Daftar Peserta Didik.xlsx", make_dapodik_xlsx(students, **kw),
                        **options)


def only_row(parsed: ParsedFile):
    assert parsed.file_errors == []
    [row] = parsed.rows
    return row


def codes(issues):
    return [i.code for i in issues]


def test_realistic_export_parses_every_field():
    parsed = parse_xlsx([student(1), student(2, name="Dewi  Lestari", gender="P",
                                         nik="3672015501080002", birth_date=date(2008, 1, 15),
                                         **{"class": "X-2"})])
    assert parsed.file_errors == []
    first, second = parsed.rows
    assert first.row == FIRST_DATA_ROW == 9
    assert second.row == 10
    assert first.student == {
        "name": "Siswa Contoh 1", "nipd": "23240001", "nisn": "0080000001", "gender": "L",
        "birth_place": "Cilegon", "birth_date": date(2008, 1, 15), "nik": "3672011501080001",
        "kk": "3672012001150001", "class": "XI IPA 1", "kelurahan": "Bagendung",
    }
    assert (second.student["name"], second.student["class"]) == ("Dewi Lestari", "X-2")
    assert first.errors == first.warnings == [] and first.status == "ok"


@pytest.mark.parametrize("seed", [1, 2, 3, 42])
def test_columns_are_mapped_by_name_in_any_order(seed):
    people = [student(1), student(2, gender="P", nik="3672015501080002")]
    reference = parse_xlsx(people)
    shuffled = parse_xlsx(people, seed=seed)
    assert shuffled.file_errors == []
    assert [r.student for r in shuffled.rows] == [r.student for r in reference.rows]


@pytest.mark.parametrize("rename", [
    {"Tanggal\nLahir": "TANGGAL\r\nLAHIR", "Rombel\nSaat Ini": "Rombel\n  Saat\tIni"},
    {"Tanggal\nLahir": "Tgl. Lahir", "No KK": "No. KK", "Nama": " nama "},
    {"JK": "Jenis\nKelamin", "No KK": "Nomor Kartu Keluarga", "Kelurahan": "Desa / Kelurahan"},
])
def test_header_spelling_case_and_line_breaks(rename):
    row = only_row(parse_xlsx([student(1)], rename=rename))
    assert row.student == only_row(parse_xlsx([student(1)])).student


def test_header_labels_in_messages_are_single_line():
    row = only_row(parse_xlsx([student(1, birth_date="kemarin")]))
    assert row.errors == [Issue("date_format", {"column": "Tanggal Lahir", "value": "kemarin"})]


@pytest.mark.parametrize("value, expected", [
    (date(2008, 1, 15), date(2008, 1, 15)),
    (datetime(2008, 1, 15, 0, 0), date(2008, 1, 15)),
    ("15-01-2008", date(2008, 1, 15)),
    ("15/01/2008", date(2008, 1, 15)),
    ("2008-01-15", date(2008, 1, 15)),
    (" 15-01-2008 ", date(2008, 1, 15)),
    ("5-1-2008", date(2008, 1, 5)),
    ("29/02/2008", date(2008, 2, 29)),
])
def test_excel_and_text_dates(value, expected):
    nik = f"367201{expected:%d%m%y}0001"
    row = only_row(parse_xlsx([student(1, birth_date=value, nik=nik)]))
    assert row.errors == [] and row.student["birth_date"] == expected


@pytest.mark.parametrize("value", [
    "2008/01/15", "15.01.2008", "15 Januari 2008", "01-15-2008", "31-04-2008", "29-02-2007",
    "15-01-08", "15-01/2008", "2008-1-15T00:00", 39462, 39462.0,
])
def test_bad_date_format_is_a_row_error_naming_the_column(value):
    row = only_row(parse_xlsx([student(1, birth_date=value)]))
    assert codes(row.errors) == ["date_format"]
    assert row.errors[0].params["column"] == "Tanggal Lahir"
    assert row.student["birth_date"] is None


def test_missing_birth_date_value():
    row = only_row(parse_xlsx([student(1, birth_date=None)]))
    assert row.errors == [Issue("birth_date_required", {"column": "Tanggal Lahir"})]


@pytest.mark.parametrize("field, value", [
    ("nik", 3672011501080001), ("nik", 3672011501080001.0), ("kk", 3672012001150001),
    ("kk", 3.672012001150001e15),
])
def test_nik_or_kk_stored_as_number_is_rejected_never_guessed(field, value):
    label = {"nik": "NIK", "kk": "No KK"}[field]
    row = only_row(parse_xlsx([student(1, **{field: value})]))
    assert row.errors == [Issue("number_stored_nik", {"column": label})]
    assert row.student[field] is None
    assert row.status == "error"


@pytest.mark.parametrize("text", ["3.67201E+15", "3,67201E+15", "3672011501080001.0"])
def test_number_shaped_text_in_csv_is_rejected(text):
    data = make_dapodik_csv([student(1, nik=text)])
    row = only_row(parse_roster("siswa.csv", data))
    assert row.errors == [Issue("number_stored_nik", {"column": "NIK"})]


def test_numeric_nisn_with_all_ten_digits_is_kept():
    row = only_row(parse_xlsx([student(1, nisn=1081234567)]))
    assert row.errors == [] and row.student["nisn"] == "1081234567"


def test_numeric_nisn_that_lost_leading_zeros_is_an_error():
    row = only_row(parse_xlsx([student(1, nisn=81234567)]))
    assert codes(row.errors) == ["nisn_invalid"] and row.errors[0].params["column"] == "NISN"


@pytest.mark.parametrize("drop, column", [
    ("Nama", "Nama"), ("NIK", "NIK"), ("Tanggal\nLahir", "Tanggal Lahir"), ("JK", "JK"),
])
def test_missing_required_column(drop, column):
    parsed = parse_xlsx([student(1)], drop={drop})
    assert parsed.rows == []
    assert parsed.file_errors == [Issue("column_missing", {"column": column})]


def test_every_missing_required_column_is_listed():
    parsed = parse_xlsx([student(1)], drop={"Nama", "JK"})
    assert [i.params["column"] for i in parsed.file_errors] == ["Nama", "JK"]


def test_optional_columns_may_be_missing():
    row = only_row(parse_xlsx([student(1)], drop={"No KK", "NISN", "Rombel\nSaat Ini"}))
    assert row.errors == [] and row.student["kk"] is None and row.student["class"] is None


def _empty_xlsx():
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


@pytest.mark.parametrize("name, data", [
    ("siswa.xlsx", b""), ("siswa.csv", b""), ("siswa.csv", b"  \r\n\n"),
    ("siswa.csv", b"\xef\xbb\xbf"), ("siswa.csv", b";;;\n;;;\n"), ("siswa.xlsx", _empty_xlsx()),
])
def test_empty_file(name, data):
    assert parse_roster(name, data).file_errors == [Issue("file_empty")]


@pytest.mark.parametrize("name, ext", [
    ("siswa.xls", ".xls"), ("siswa.pdf", ".pdf"), ("siswa.XLSX.exe", ".exe"),
    ("siswa", "siswa"), ("siswa.ods", ".ods"),
])
def test_wrong_file_type(name, ext):
    parsed = parse_roster(name, make_dapodik_xlsx([student(1)]))
    assert parsed.file_errors == [Issue("file_type", {"ext": ext})] and parsed.rows == []


def test_extension_is_case_insensitive():
    assert only_row(parse_roster("SISWA.XLSX", make_dapodik_xlsx([student(1)]))).errors == []


def _zip_of(files):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, text in files.items():
            archive.writestr(name, text)
    return out.getvalue()


@pytest.mark.parametrize("data", [
    b"this is not a spreadsheet",
    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100,          # old .xls renamed
    _zip_of({"word/document.xml": "<w/>"}),                      # a .docx renamed
    make_dapodik_xlsx([student(1)])[:2000],                      # truncated upload
])
def test_corrupt_xlsx(data):
    assert parse_roster("siswa.xlsx", data).file_errors == [Issue("file_corrupt")]


def test_damaged_sheet_xml_is_corrupt():
    good = zipfile.ZipFile(io.BytesIO(make_dapodik_xlsx([student(1)])))
    files = {n: good.read(n) for n in good.namelist()}
    files["xl/worksheets/sheet1.xml"] = files["xl/worksheets/sheet1.xml"][:500]
    assert parse_roster("siswa.xlsx", _zip_of(files)).file_errors == [Issue("file_corrupt")]


def test_header_missing():
    book = openpyxl.Workbook()
    book.active.append(["Daftar Peserta Didik"])
    book.active.append(["Nomor", "Nama Siswa", "Tgl"])
    book.active.append([1, "Budi", "01-01-2008"])
    out = io.BytesIO()
    book.save(out)
    assert parse_roster("x.xlsx", out.getvalue()).file_errors == [Issue("header_missing")]


def test_too_many_rows():
    people = [student(i) for i in range(1, 4)]
    parsed = parse_xlsx(people, max_rows=2)
    assert parsed.file_errors == [Issue("file_too_many_rows", {"max": 2})]
    assert parsed.rows == []
    assert len(parse_xlsx(people, max_rows=3).rows) == 3


@pytest.mark.parametrize("delimiter, bom", [(";", False), (";", True), (",", False),
                                             (",", True), ("\t", False)])
def test_csv_with_sniffed_delimiter(delimiter, bom):
    people = [student(1), student(2, gender="P", nik="3672015501080002",
                                  birth_place="Serang, Banten")]
    parsed = parse_roster("siswa.csv", make_dapodik_csv(people, delimiter=delimiter, bom=bom))
    assert parsed.file_errors == []
    assert [r.student for r in parsed.rows] == [r.student for r in parse_xlsx(people).rows]
    assert [r.row for r in parsed.rows] == [9, 10]


@pytest.mark.parametrize("date_format", ["%d/%m/%Y", "%d-%m-%Y", "%Y-%m-%d"])
def test_csv_text_dates(date_format):
    row = only_row(parse_roster("s.csv", make_dapodik_csv([student(1)],
                                                          date_format=date_format)))
    assert row.errors == [] and row.student["birth_date"] == date(2008, 1, 15)


def test_csv_in_a_legacy_encoding_is_refused():
    data = make_dapodik_csv([student(1, name="Zoë")]).decode().encode("cp1252")
    assert parse_roster("siswa.csv", data).file_errors == [Issue("file_encoding")]


def test_csv_with_a_single_header_row_and_no_title():
    text = "Nama,NIPD,JK,Tanggal Lahir,NIK,No KK\nBudi,123,L,15-01-2008,3672011501080001,\n"
    row = only_row(parse_roster("s.csv", text.encode()))
    assert row.row == 2 and row.errors == [] and row.student["nik"] == "3672011501080001"


def test_parents_data_and_sensitive_columns_never_reach_the_output():
    people = [student(i) for i in range(1, 4)]
    for parsed in (parse_xlsx(people), parse_xlsx(people, seed=7),
                   parse_roster("s.csv", make_dapodik_csv(people))):
        dump = repr(parsed)
        for secret in [*PARENT_NIKS.values(), *SENSITIVE.values(), "ORANG TUA"]:
            assert secret not in dump
        assert all(set(r.student) == set(FIELDS) for r in parsed.rows)
        assert [r.student["nik"] for r in parsed.rows] == [f"36720115010800{i:02d}"
                                                           for i in (1, 2, 3)]


@pytest.mark.parametrize("seed", range(10))
def test_parent_nik_left_of_the_student_nik_is_not_mistaken(seed):
    header = dapodik_matrix([student(1)], seed=seed)[HEADER_ROW - 1]
    row = only_row(parse_xlsx([student(1)], seed=seed))
    assert row.student["nik"] == "3672011501080001"
    assert header.count("NIK") == 1  # the parents' NIKs sit in the sub-header row


def test_shuffles_above_really_put_a_parent_group_first():
    groups_first = [
        min(h.index(g) for g in ("Data Ayah", "Data Ibu", "Data Wali")) < h.index("NIK")
        for h in (dapodik_matrix([student(1)], seed=s)[HEADER_ROW - 1] for s in range(10))
    ]
    assert any(groups_first) and not all(groups_first)


def test_blank_rows_are_skipped_and_row_numbers_follow_the_sheet():
    people = [student(1), student(2), student(3)]
    parsed = parse_xlsx(people, blank_rows_before={1, 2},
                        extra_bad_rows=[student(4, nik="123")])
    assert [r.row for r in parsed.rows] == [9, 11, 13, 15]
    assert [r.status for r in parsed.rows] == ["ok", "ok", "ok", "error"]
    assert parsed.rows[-1].errors == [Issue("nik_length", {"length": 3, "column": "NIK"})]


def test_rows_with_only_spaces_count_as_blank():
    text = "Nama;NIPD;JK;Tanggal Lahir;NIK\n ; ;  ; ;\nBudi;1;L;15-01-2008;3672011501080001\n"
    row = only_row(parse_roster("s.csv", text.encode()))
    assert row.row == 3


@pytest.mark.parametrize("fields, errors, warnings", [
    ({"name": None}, ["name_required"], []),
    ({"name": "   "}, ["name_required"], []),
    ({"gender": "X"}, ["gender_invalid"], []),
    ({"gender": None}, ["gender_invalid"], []),
    ({"gender": "p"}, [], ["nik_gender_mismatch"]),
    ({"gender": "Laki-laki"}, [], []),
    ({"nik": None}, ["nik_required"], []),
    ({"nik": "3672013201080001"}, ["nik_day"], []),
    ({"nik": "1072011501080001"}, ["nik_province"], ["nik_other_city"]),
    ({"nik": "'3672011501080001"}, [], []),             # Excel text prefix in a csv
    ({"nik": "3604011501080001"}, [], ["nik_other_city"]),
    ({"nik": "3672012001150001"}, [], ["nik_birthdate_mismatch", "nik_equals_kk"]),
    ({"kk": "3672014101150001"}, ["kk_date"], []),
    ({"nisn": "12345"}, ["nisn_invalid"], []),
    ({"birth_date": date(2008, 1, 16)}, [], ["nik_birthdate_mismatch"]),
])
def test_row_validation(fields, errors, warnings):
    row = only_row(parse_xlsx([student(1, **fields)]))
    assert codes(row.errors) == errors
    assert codes(row.warnings) == warnings
    assert all("column" in i.params for i in row.errors + row.warnings)


def test_city_code_is_passed_through():
    row = only_row(parse_xlsx([student(1, nik="3604011501080001")], city_code="3604"))
    assert row.warnings == []


def test_duplicate_nik_in_one_file():
    parsed = parse_xlsx([student(1), student(2, nik="3672011501080001")])
    assert parsed.rows[0].errors == []
    assert parsed.rows[1].errors == [Issue("nik_duplicate_in_file", {"first_row": 9})]


def test_roster_on_a_later_sheet_is_found():
    row = only_row(parse_xlsx([student(1)], leading_sheets=2))
    assert row.student["nik"] == "3672011501080001"


def test_every_dapodik_code_has_a_message_in_both_languages():
    parsed_codes = {
        "file_type", "file_empty", "file_corrupt", "file_encoding", "header_missing",
        "column_missing", "file_too_many_rows", "number_stored_nik", "date_format",
        "birth_date_required", "gender_invalid", "name_required", "nik_duplicate_in_file",
    }
    assert set(MESSAGES) == parsed_codes
    assert not set(MESSAGES) & set(IDENTITY_MESSAGES)
    params = {"ext": ".pdf", "column": "NIK", "max": 5000, "value": "x", "first_row": 9}
    for code in MESSAGES:
        for lang in ("id", "en"):
            text = format_issue(Issue(code, params), lang, MESSAGES)
            assert text and "{" not in text


def test_header_without_students_is_an_empty_file():
    assert parse_xlsx([]).file_errors == [Issue("file_empty")]
    assert parse_roster("s.csv", b"Nama;NIPD;JK;Tanggal Lahir;NIK\n;;;;\n").file_errors == [
        Issue("file_empty")]


def test_dapodik_modules_import_no_web_framework():
    import ast
    import sys
    from pathlib import Path

    import webapp.prereg.dapodik as module

    allowed = {"openpyxl", "webapp"}
    for path in Path(module.__file__).parent.glob("dapodik*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                names = [a.name for a in node.names] if isinstance(node, ast.Import) else [
                    node.module or ""]
                for name in names:
                    top = name.split(".")[0]
                    assert top in sys.stdlib_module_names or top in allowed, (path, name)
                    assert not name.startswith("webapp.") or name in {
                        "webapp.identity", "webapp.catalogue", "webapp.prereg.dapodik_read"}, (path, name)


@settings(max_examples=60, deadline=None)
@given(data=st.binary(max_size=400), ext=st.sampled_from(["x.csv", "x.xlsx"]))
def test_any_bytes_give_a_result_never_an_exception(data, ext):
    parsed = parse_roster(ext, data)
    assert isinstance(parsed, ParsedFile)
    assert parsed.file_errors or parsed.rows


@settings(max_examples=40, deadline=None)
@given(st.lists(st.sampled_from([None, "", " ", "L", "P", "15-01-2008", "x;y", "\n", '"',
                                 "3672011501080001", 3672011501080001, 1.5, date(2008, 1, 15)]),
                min_size=1, max_size=12))
def test_arbitrary_cell_values_in_a_real_layout_never_crash(cells):
    people = [student(1, name=cells[0], gender=cells[-1], nik=cells[len(cells) // 2],
                      birth_date=cells[1 % len(cells)])]
    parsed = parse_xlsx(people)
    assert parsed.file_errors or all(r.row == 9 for r in parsed.rows)
