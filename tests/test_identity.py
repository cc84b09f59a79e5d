"""Table-driven tests for the identity rules: NIK, KK, NISN, NPSN, eligibility, messages."""
import string
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from webapp.catalogue import translate
from webapp.identity import (
    MESSAGES,
    PROVINCE_CODES,
    Eligibility,
    Issue,
    add_years,
    check_kk,
    check_nik,
    check_nisn,
    check_npsn,
    eligibility,
    format_issue,
    mask_nik,
    nik_birth_date,
    nik_gender,
)


def nik(region="367201", ddmmyy="150108", serial="0001"):
    return region + ddmmyy + serial


def codes(issues):
    return [i.code for i in issues]


# --- NIK hard errors -------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    (nik(), []),
    (" " + nik() + " ", []),                        # surrounding spaces forgiven
    ("", ["nik_required"]),
    (None, ["nik_required"]),
    ("367201150108001", ["nik_length"]),            # 15 digits
    ("36720115010800011", ["nik_length"]),          # 17 digits
    ("36720115010800A1", ["nik_digits"]),           # a letter
    ("3672 0115010800 1", ["nik_digits"]),          # inner space
    ("3672-01-150108-01", ["nik_digits"]),
    ("３６７２０１１５０１０８０００１", ["nik_digits"]),  # full-width digits
    ("3.672011501E+15", ["nik_digits"]),            # spreadsheet scientific notation
], ids=repr)
def test_nik_shape(value, expected):
    assert codes(check_nik(value).errors) == expected


def test_nik_length_reports_length():
    assert check_nik("123").errors == [Issue("nik_length", {"length": 3})]


@pytest.mark.parametrize("ddmmyy, expected", [
    ("000108", ["nik_day"]),      # DD 00
    ("010108", []),
    ("310108", []),               # DD 31 in January
    ("320108", ["nik_day"]),      # DD 32
    ("400108", ["nik_day"]),      # DD 40: neither male nor female
    ("410108", []),               # DD 41 = female, 1st
    ("710108", []),               # DD 71 = female, 31st
    ("720108", ["nik_day"]),      # DD 72
    ("990108", ["nik_day"]),
    ("150008", ["nik_month"]),    # MM 00
    ("151308", ["nik_month"]),    # MM 13
    ("151208", []),
    ("001308", ["nik_day", "nik_month"]),
    ("290208", []),               # 29 Feb 2008, leap
    ("290200", []),               # 29 Feb 2000, leap (century rule)
    ("290204", []),
    ("290207", ["nik_date"]),     # 29 Feb 2007, not leap
    ("290223", ["nik_date"]),     # domain.md example
    ("690208", []),               # female, 29 Feb leap
    ("690207", ["nik_date"]),     # female, 29 Feb non-leap
    ("300208", ["nik_date"]),
    ("310225", ["nik_date"]),     # domain.md example
    ("310425", ["nik_date"]),     # 31 April
    ("710425", ["nik_date"]),     # female 31 April
    ("300425", []),
    ("310625", ["nik_date"]), ("310925", ["nik_date"]), ("311125", ["nik_date"]),
    ("311225", []),
])
def test_nik_birth_date_part(ddmmyy, expected):
    assert codes(check_nik(nik(ddmmyy=ddmmyy)).errors) == expected


@pytest.mark.parametrize("serial, expected", [
    ("0000", ["nik_serial"]), ("0001", []), ("9999", []), ("1000", []),
])
def test_nik_serial(serial, expected):
    assert codes(check_nik(nik(serial=serial)).errors) == expected


@pytest.mark.parametrize("province", ["00", "10", "20", "22", "30", "37", "50", "54", "60",
                                      "66", "70", "77", "80", "83", "90", "97", "99"])
def test_nik_unknown_province_is_an_error(province):
    result = check_nik(nik(region=province + "0101"), city_code=None)
    assert result.errors == [Issue("nik_province", {"province": province})]


@pytest.mark.parametrize("province", ["11", "19", "21", "31", "36", "51", "53", "61", "65",
                                      "71", "76", "81", "82", "91", "96"])
def test_nik_known_province_passes(province):
    assert check_nik(nik(region=province + "0101"), city_code=None).errors == []


def test_province_list_is_exactly_domain_list():
    expected = {*range(11, 20), 21, *range(31, 37), 51, 52, 53, *range(61, 66),
                *range(71, 77), 81, 82, *range(91, 97)}
    assert PROVINCE_CODES == {str(c) for c in expected}


def test_every_hard_error_at_once():
    result = check_nik("1001013213080000")
    assert codes(result.errors) == ["nik_province", "nik_day", "nik_month", "nik_serial"]


# --- NIK warnings ----------------------------------------------------------------------

@pytest.mark.parametrize("value, kwargs, expected", [
    (nik(), {}, []),
    (nik(region="360401"), {}, ["nik_other_city"]),                 # Kab. Serang NIK
    (nik(region="360401"), {"city_code": "3604"}, []),
    (nik(region="360401"), {"city_code": None}, []),
    (nik(region="369901"), {}, ["nik_region_unknown", "nik_other_city"]),
    (nik(region="367209"), {}, ["nik_region_unknown"]),             # 9th Cilegon district
    (nik(region="367299"), {}, ["nik_region_unknown"]),
    (nik(region="320101"), {}, ["nik_other_city"]),     # no table for Jawa Barat: no guess
    (nik(region="320101"), {"known_regions": {"3202"}}, ["nik_region_unknown",
                                                         "nik_other_city"]),
    (nik(region="320101"), {"known_regions": ["3201"]}, ["nik_other_city"]),
    (nik(region="360401"), {"known_regions": {"360402"}},
     ["nik_region_unknown", "nik_other_city"]),
])
def test_nik_region_warnings_never_errors(value, kwargs, expected):
    result = check_nik(value, **kwargs)
    assert result.errors == []
    assert codes(result.warnings) == expected


def test_region_warning_names_the_code():
    assert check_nik(nik(region="367209")).warnings == [
        Issue("nik_region_unknown", {"region": "367209"})]
    assert check_nik(nik(region="360401")).warnings == [
        Issue("nik_other_city", {"region": "3604", "city": "3672"})]


@pytest.mark.parametrize("ddmmyy, gender, expected", [
    ("150108", "L", []),
    ("150108", "P", ["nik_gender_mismatch"]),
    ("550108", "P", []),              # female +40
    ("550108", "p", []),              # case-insensitive
    ("550108", "L", ["nik_gender_mismatch"]),
    ("410108", "L", ["nik_gender_mismatch"]),
    ("310108", "P", ["nik_gender_mismatch"]),
    ("550108", None, []),
    ("550108", "", []),
    ("550108", "X", []),              # unknown entered gender: the form reports that
])
def test_nik_gender_mismatch(ddmmyy, gender, expected):
    result = check_nik(nik(ddmmyy=ddmmyy), gender=gender)
    assert result.errors == [] and codes(result.warnings) == expected


def test_gender_mismatch_params():
    assert check_nik(nik(ddmmyy="550108"), gender="L").warnings == [
        Issue("nik_gender_mismatch", {"nik_gender": "P", "gender": "L"})]


@pytest.mark.parametrize("ddmmyy, birth, expected", [
    ("150108", date(2008, 1, 15), []),
    ("550108", date(2008, 1, 15), []),                       # female: day - 40
    ("150108", date(1908, 1, 15), []),                       # NIK has no century
    ("150108", date(2008, 1, 16), ["nik_birthdate_mismatch"]),
    ("150108", date(2008, 2, 15), ["nik_birthdate_mismatch"]),
    ("150108", date(2009, 1, 15), ["nik_birthdate_mismatch"]),
    ("011208", date(2008, 12, 1), []),
    ("120108", date(2008, 12, 1), ["nik_birthdate_mismatch"]),  # DD/MM swapped on the form
    ("290208", date(2008, 2, 29), []),
    ("150108", None, []),
])
def test_nik_birthdate_mismatch(ddmmyy, birth, expected):
    result = check_nik(nik(ddmmyy=ddmmyy), birth_date=birth)
    assert result.errors == [] and codes(result.warnings) == expected


def test_birthdate_mismatch_params():
    [warning] = check_nik(nik(ddmmyy="150108"), birth_date=date(2008, 1, 16)).warnings
    assert warning.params == {"nik_date": "15-01-08", "birth_date": "16-01-2008"}


def test_no_date_warnings_when_the_date_is_already_an_error():
    result = check_nik(nik(ddmmyy="310425"), birth_date=date(2025, 4, 30), gender="P")
    assert codes(result.errors) == ["nik_date"] and codes(result.warnings) == [
        "nik_gender_mismatch"]


@pytest.mark.parametrize("nik_value, kk_value, expected", [
    (nik(), nik(), ["nik_equals_kk"]),                       # KK pasted into the NIK field
    (nik(), " " + nik(), ["nik_equals_kk"]),
    (nik(), "3672012001150001", []),
    (nik(), None, []),
    (nik(), "", []),
])
def test_nik_equals_kk(nik_value, kk_value, expected):
    result = check_nik(nik_value, kk=kk_value)
    assert result.errors == [] and codes(result.warnings) == expected


def test_kk_and_nik_swapped_both_ways():
    kk_number, nik_number = "3672012001150001", nik()
    # The fields swapped: the KK number still "looks like" a NIK (DD 20, MM 01) and a NIK
    # like a KK, so neither check can know; only equality is flagged, as domain.md asks.
    assert check_nik(kk_number, kk=nik_number).errors == []
    assert check_kk(nik_number).errors == []


# --- helpers -----------------------------------------------------------------------------

@pytest.mark.parametrize("value, kwargs, expected", [
    (nik(ddmmyy="150108"), {}, date(2008, 1, 15)),
    (nik(ddmmyy="550108"), {}, date(2008, 1, 15)),
    (nik(ddmmyy="290200"), {}, date(2000, 2, 29)),
    (nik(ddmmyy="150108"), {"century": 1900}, date(1908, 1, 15)),
    (nik(ddmmyy="290200"), {"century": 1900}, None),       # 1900 was no leap year
    (nik(ddmmyy="150130"), {"today": date(2025, 6, 1)}, date(1930, 1, 15)),
    (nik(ddmmyy="150125"), {"today": date(2025, 1, 15)}, date(2025, 1, 15)),
    (nik(ddmmyy="160125"), {"today": date(2025, 1, 15)}, date(1925, 1, 16)),
    (nik(ddmmyy="310425"), {}, None),
    (nik(ddmmyy="320108"), {}, None),
    ("123", {}, None),
    (None, {}, None),
])
def test_nik_birth_date(value, kwargs, expected):
    assert nik_birth_date(value, **kwargs) == expected


@pytest.mark.parametrize("value, expected", [
    (nik(ddmmyy="150108"), "L"), (nik(ddmmyy="310108"), "L"), (nik(ddmmyy="410108"), "P"),
    (nik(ddmmyy="710108"), "P"), (nik(ddmmyy="400108"), None), (nik(ddmmyy="151308"), None),
    ("36720115", None), ("", None),
])
def test_nik_gender(value, expected):
    assert nik_gender(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("3672011501080001", "3672**********01"),
    (" 3672011501080001 ", "3672**********01"),
    ("36720115010800011", "3672***********11"),
    ("1234567", "1234*67"),
    ("123456", "******"),
    ("", ""),
    (None, ""),
])
def test_mask_nik(value, expected):
    assert mask_nik(value) == expected


@pytest.mark.parametrize("value, expected", [
    ("3672012001150001", []),
    ("3672012902200001", []),               # 29 Feb 2020
    ("3672012902210001", ["kk_date"]),      # 29 Feb 2021
    ("3672013104150001", ["kk_date"]),      # 31 April
    ("3672014101150001", ["kk_date"]),      # no +40 on a KK
    ("3672010001150001", ["kk_date"]),
    ("3672011513150001", ["kk_date"]),
    ("3672012001150000", ["kk_serial"]),
    ("1072012001150001", ["kk_province"]),
    ("9972012001150001", ["kk_province"]),
    ("9972013104150000", ["kk_province", "kk_date", "kk_serial"]),
    ("367201200115001", ["kk_length"]),
    ("36720120011500011", ["kk_length"]),
    ("36720120011500O1", ["kk_digits"]),    # letter O instead of zero
    ("", ["kk_required"]),
    (None, ["kk_required"]),
])
def test_check_kk(value, expected):
    assert codes(check_kk(value).errors) == expected


@pytest.mark.parametrize("value, ok", [
    ("0081234567", True), ("1234567890", True), (" 0081234567 ", True),
    ("008123456", False), ("00812345678", False), ("00812345a7", False), ("", False),
    (None, False),
])
def test_check_nisn(value, ok):
    assert check_nisn(value).ok is ok
    assert codes(check_nisn(value).errors) == ([] if ok else ["nisn_invalid"])


@pytest.mark.parametrize("value, ok", [
    ("20600123", True), ("2060012", False), ("206001234", False), ("2060012x", False),
    ("", False),
])
def test_check_npsn(value, ok):
    assert codes(check_npsn(value).errors) == ([] if ok else ["npsn_invalid"])


# --- eligibility ---------------------------------------------------------------------------

BORN = date(2008, 6, 15)


@pytest.mark.parametrize("visit, kwargs, status, age, eligible_on", [
    (date(2024, 6, 14), {}, "under_age", 15, date(2024, 6, 15)),   # day before 16th
    (date(2024, 6, 15), {}, "record_only", 16, None),              # 16th birthday
    (date(2024, 6, 16), {}, "record_only", 16, None),
    (date(2025, 6, 14), {}, "record_only", 16, None),              # day before 17th
    (date(2025, 6, 15), {}, "record_and_print", 17, None),         # 17th birthday
    (date(2025, 6, 16), {}, "record_and_print", 17, None),
    (date(2040, 1, 1), {}, "record_and_print", 31, None),
    (date(2020, 1, 1), {}, "under_age", 11, date(2024, 6, 15)),
    (date(2024, 6, 15), {"married": True}, "record_and_print", 16, None),  # married at 16
    (date(2023, 6, 15), {"married": True}, "record_and_print", 15, None),  # the law: any age
    (date(2024, 6, 15), {"min_record_age": 17}, "under_age", 16, date(2025, 6, 15)),
    (date(2025, 6, 15), {"min_card_age": 18}, "record_only", 17, None),
])
def test_eligibility(visit, kwargs, status, age, eligible_on):
    result = eligibility(BORN, visit, **kwargs)
    assert (result.status, result.age, result.eligible_on) == (status, age, eligible_on)


@pytest.mark.parametrize("born, visit, status, eligible_on", [
    # Born 29 Feb 2008: the 16th birthday (2024) is a real 29 Feb ...
    (date(2008, 2, 29), date(2024, 2, 28), "under_age", date(2024, 2, 29)),
    (date(2008, 2, 29), date(2024, 2, 29), "record_only", None),
    # ... the 17th (2025) is not, so they turn 17 on 1 March.
    (date(2008, 2, 29), date(2025, 2, 28), "record_only", None),
    (date(2008, 2, 29), date(2025, 3, 1), "record_and_print", None),
    (date(2009, 3, 1), date(2025, 2, 28), "under_age", date(2025, 3, 1)),
])
def test_eligibility_leap_day(born, visit, status, eligible_on):
    result = eligibility(born, visit)
    assert (result.status, result.eligible_on) == (status, eligible_on)


def test_leap_day_turns_sixteen_on_first_of_march_when_not_leap():
    result = eligibility(date(2008, 2, 29), date(2025, 2, 28), min_record_age=17,
                         min_card_age=18)
    assert result == Eligibility("under_age", 16, date(2025, 3, 1), date(2026, 3, 1))


@pytest.mark.parametrize("born, years, expected", [
    (date(2008, 2, 29), 1, date(2009, 3, 1)),
    (date(2008, 2, 29), 4, date(2012, 2, 29)),
    (date(2008, 2, 29), 17, date(2025, 3, 1)),
    (date(2008, 2, 28), 17, date(2025, 2, 28)),
    (date(2008, 12, 31), 16, date(2024, 12, 31)),
])
def test_add_years(born, years, expected):
    assert add_years(born, years) == expected


def test_eligibility_issue_params():
    assert eligibility(BORN, date(2024, 1, 1)).issue == Issue(
        "under_age", {"eligible_on": "2024-06-15", "card_on": "2025-06-15"})
    assert eligibility(BORN, date(2024, 7, 1)).issue == Issue(
        "record_only", {"card_on": "2025-06-15"})
    assert eligibility(BORN, date(2025, 7, 1)).issue == Issue("record_and_print", {})


# --- messages ------------------------------------------------------------------------------

def _sample_issues():
    """One real issue for every code the module can emit."""
    found = []
    for value in ["", "12", "36720115010800A1", "1001013213080000", nik(ddmmyy="310425")]:
        found += check_nik(value).errors
    found += check_nik(nik(region="369901", ddmmyy="550108"), gender="L",
                       birth_date=date(2008, 1, 1), kk=nik(region="369901",
                                                            ddmmyy="550108")).warnings
    for value in ["", "12", "36720120011500O1", "9972013104150000"]:
        found += check_kk(value).errors
    found += check_nisn("1").errors + check_npsn("1").errors
    found += [eligibility(BORN, d).issue for d in (date(2020, 1, 1), date(2024, 7, 1),
                                                  date(2030, 1, 1))]
    return found


def test_every_emitted_code_has_both_languages_and_renders():
    issues = _sample_issues()
    assert {i.code for i in issues} == set(MESSAGES)
    for issue in issues:
        for lang in ("id", "en"):
            text = format_issue(issue, lang)
            assert text and "{" not in text, (issue, lang)


@pytest.mark.parametrize("code", sorted(MESSAGES))
def test_messages_are_translated_msgids(code):
    indonesian = MESSAGES[code]
    english = translate(indonesian, "en")
    assert indonesian.strip() and english.strip() and indonesian != english
    fields = [f for _, f, _, _ in string.Formatter().parse(indonesian) if f]
    assert "field" not in fields
    assert sorted(fields) == sorted(f for _, f, _, _ in string.Formatter().parse(english)
                                    if f)


def test_format_issue_language_and_unknown_code():
    issue = Issue("nik_length", {"length": 15})
    assert format_issue(issue) == "NIK harus 16 digit angka (terisi 15 digit)."
    assert format_issue(issue, "en") == "NIK must be 16 digits (got 15)."
    assert format_issue(Issue("no_such_code")) == "no_such_code"


# --- properties ------------------------------------------------------------------------------

@st.composite
def valid_nik(draw):
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    regency, district = draw(st.integers(0, 99)), draw(st.integers(0, 99))
    born = draw(st.dates(date(1901, 1, 1), date(2099, 12, 31)))
    gender = draw(st.sampled_from("LP"))
    serial = draw(st.integers(1, 9999))
    day = born.day + (40 if gender == "P" else 0)
    value = f"{province}{regency:02d}{district:02d}{day:02d}{born:%m%y}{serial:04d}"
    return value, born, gender


@given(valid_nik())
def test_any_nik_built_from_valid_parts_passes(case):
    value, born, gender = case
    result = check_nik(value, birth_date=born, gender=gender, city_code=None)
    assert result.errors == []
    assert "nik_gender_mismatch" not in codes(result.warnings)
    assert "nik_birthdate_mismatch" not in codes(result.warnings)
    assert nik_gender(value) == gender
    assert nik_birth_date(value, century=born.year // 100 * 100) == born
    assert mask_nik(value) == value[:4] + "*" * 10 + value[-2:]


@given(st.text(max_size=20))
def test_check_nik_never_raises(value):
    result = check_nik(value, birth_date=date(2008, 1, 1), gender="L", kk=value)
    assert isinstance(result.errors, list) and isinstance(result.warnings, list)
    if value.strip().isascii() and value.strip().isdigit() and len(value.strip()) == 16:
        assert not {"nik_length", "nik_digits", "nik_required"} & set(codes(result.errors))
    else:
        assert len(result.errors) == 1


def test_identity_modules_use_only_the_standard_library_and_the_catalogue():
    import ast
    import sys
    from pathlib import Path

    import webapp.identity

    folder = Path(webapp.identity.__file__).parent
    # The catalogue reads the .po files with babel alone (no Flask), so identity stays usable anywhere.
    for name in ("identity.py", "identity_data.py", "catalogue.py"):
        tree = ast.parse((folder / name).read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                modules = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                modules = [node.module or ""]
            else:
                continue
            for module in modules:
                top = module.split(".")[0]
                assert top in sys.stdlib_module_names or top == "babel" or module in (
                    "webapp.identity_data", "webapp.catalogue"), (name, module)
