"""Identity rules (NIK, KK, NISN, NPSN, age eligibility) shared by every entry path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from webapp.catalogue import translate
from webapp.identity_data import KNOWN_REGIONS, MESSAGES, PROVINCE_CODES

__all__ = [
    "Issue", "Result", "Eligibility", "MESSAGES", "PROVINCE_CODES", "KNOWN_REGIONS",
    "check_nik", "check_kk", "check_nisn", "check_npsn", "nik_birth_date", "nik_gender",
    "mask_nik", "eligibility", "add_years", "format_issue",
]


@dataclass(frozen=True)
class Issue:
    """One problem: a stable code plus the values its message needs."""

    code: str
    params: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """Outcome of a check: errors block saving, warnings only inform."""

    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def codes(self) -> list[str]:
        return [i.code for i in self.errors + self.warnings]


def format_issue(issue: Issue, lang: str = "id", messages: Mapping | None = None) -> str:
    """Render an issue as text in 'id' or 'en' (unknown codes fall back to the code)."""
    msgid = (messages or MESSAGES).get(issue.code)
    if msgid is None:
        return issue.code
    text = translate(msgid, lang)
    try:
        return text.format(**issue.params)
    except (KeyError, IndexError):
        return text


def _as_text(value: Any) -> str:
    # Only surrounding whitespace is forgiven; callers decide about anything fancier.
    return "" if value is None else str(value).strip()


def _shape(value: str, prefix: str) -> Issue | None:
    """Presence, digits and length check shared by NIK and KK."""
    if not value:
        return Issue(f"{prefix}_required")
    if not (value.isascii() and value.isdigit()):
        return Issue(f"{prefix}_digits")
    if len(value) != 16:
        return Issue(f"{prefix}_length", {"length": len(value)})
    return None


def _real_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _nik_parts(nik: str) -> tuple[int, int, int] | None:
    """(day, month, yy) with the +40 removed, or None when the NIK is malformed."""
    nik = _as_text(nik)
    if _shape(nik, "nik") is not None:
        return None
    day, month, yy = int(nik[6:8]), int(nik[8:10]), int(nik[10:12])
    if day > 40:
        day -= 40
    if not (1 <= day <= 31 and 1 <= month <= 12):
        return None
    return day, month, yy


def nik_gender(nik: str) -> str | None:
    """'P' when DD is 41-71 (women get day + 40), 'L' when 01-31, None if unreadable."""
    nik = _as_text(nik)
    if _nik_parts(nik) is None:
        return None
    return "P" if int(nik[6:8]) > 40 else "L"


def nik_birth_date(nik: str, *, today: date | None = None, century: int | None = None):
    """Birth date coded in a NIK, or None.

    The NIK keeps only YY. Our people are students, so YY is read as 20YY unless that date
    would lie after `today` (default: date.today()), then 19YY. Pass `century` (2000 or
    1900) to force one reading, e.g. for adult walk-ins.
    """
    parts = _nik_parts(nik)
    if parts is None:
        return None
    day, month, yy = parts
    if century is not None:
        return _real_date(century + yy, month, day)
    today = today or date.today()
    found = _real_date(2000 + yy, month, day)
    if found is not None and found <= today:
        return found
    return _real_date(1900 + yy, month, day)


def mask_nik(nik: str | None) -> str:
    """Show only the first 4 and last 2 digits: 3672**********01."""
    text = _as_text(nik)
    if len(text) <= 6:
        # Too short to mask meaningfully: hide it all rather than leak most of it.
        return "*" * len(text)
    return text[:4] + "*" * (len(text) - 6) + text[-2:]


def _region_warning(nik: str, known: Mapping | set) -> Issue | None:
    # A regency is judged only if the table knows its province, a district only if the
    # table knows its regency: old or missing data must not flood users with warnings.
    regency, district = nik[:4], nik[:6]
    regencies = {c for c in known if len(c) == 4}
    districts = {c for c in known if len(c) == 6}
    if any(c[:2] == nik[:2] for c in regencies) and regency not in regencies:
        return Issue("nik_region_unknown", {"region": regency})
    if any(c[:4] == regency for c in districts) and district not in districts:
        return Issue("nik_region_unknown", {"region": district})
    return None


def check_nik(
    nik: str,
    *,
    city_code: str | None = "3672",
    birth_date: date | None = None,
    gender: str | None = None,
    kk: str | None = None,
    known_regions: Iterable[str] | None = None,
) -> Result:
    """Validate a NIK; compare it with the entered birth date, gender and KK if given.

    `city_code` None disables the other-city warning; `known_regions` adds 4-digit regency
    or 6-digit district codes to the built-in table.
    """
    result = Result()
    nik = _as_text(nik)
    shape = _shape(nik, "nik")
    if shape is not None:
        result.errors.append(shape)
        return result

    province, raw_day, month = nik[:2], int(nik[6:8]), int(nik[8:10])
    yy, serial = int(nik[10:12]), nik[12:]
    if province not in PROVINCE_CODES:
        result.errors.append(Issue("nik_province", {"province": province}))
    day_ok = 1 <= raw_day <= 31 or 41 <= raw_day <= 71
    if not day_ok:
        result.errors.append(Issue("nik_day", {"day": nik[6:8]}))
    if not 1 <= month <= 12:
        result.errors.append(Issue("nik_month", {"month": nik[8:10]}))
    day = raw_day - 40 if raw_day > 40 else raw_day
    # Validity is judged in 20YY; 2000 is a leap year, so 29 Feb is valid iff YY % 4 == 0.
    date_ok = day_ok and 1 <= month <= 12 and _real_date(2000 + yy, month, day) is not None
    if day_ok and 1 <= month <= 12 and not date_ok:
        result.errors.append(Issue("nik_date", {"date": f"{day:02d}-{month:02d}-{yy:02d}"}))
    if serial == "0000":
        result.errors.append(Issue("nik_serial"))

    if province in PROVINCE_CODES:
        known = set(KNOWN_REGIONS) | {str(c) for c in (known_regions or ())}
        region_issue = _region_warning(nik, known)
        if region_issue:
            result.warnings.append(region_issue)
    if city_code and not nik.startswith(city_code):
        result.warnings.append(Issue("nik_other_city", {"region": nik[:4], "city": city_code}))
    entered = _as_text(gender).upper()
    if day_ok and entered in ("L", "P"):
        coded = "P" if raw_day > 40 else "L"
        if coded != entered:
            result.warnings.append(
                Issue("nik_gender_mismatch", {"nik_gender": coded, "gender": entered})
            )
    if date_ok and birth_date is not None:
        # Compare DD, MM and YY only: the NIK has no century to disagree about.
        if (day, month, yy) != (birth_date.day, birth_date.month, birth_date.year % 100):
            result.warnings.append(Issue("nik_birthdate_mismatch", {
                "nik_date": f"{day:02d}-{month:02d}-{yy:02d}",
                "birth_date": birth_date.strftime("%d-%m-%Y"),
            }))
    if kk is not None and _as_text(kk) == nik:
        result.warnings.append(Issue("nik_equals_kk"))
    return result


def check_kk(kk: str) -> Result:
    """Validate a family card number: 6-digit region, DDMMYY issue date, 4-digit serial."""
    result = Result()
    kk = _as_text(kk)
    shape = _shape(kk, "kk")
    if shape is not None:
        result.errors.append(shape)
        return result
    if kk[:2] not in PROVINCE_CODES:
        result.errors.append(Issue("kk_province", {"province": kk[:2]}))
    # The issue date has no +40 and always means 20YY or 19YY; 2000 keeps 29 Feb legal
    # exactly when YY % 4 == 0, as it is in both centuries apart from 1900.
    if _real_date(2000 + int(kk[10:12]), int(kk[8:10]), int(kk[6:8])) is None:
        result.errors.append(Issue("kk_date", {"date": f"{kk[6:8]}-{kk[8:10]}-{kk[10:12]}"}))
    if kk[12:] == "0000":
        result.errors.append(Issue("kk_serial"))
    return result


def _fixed_digits(value: Any, width: int, code: str) -> Result:
    text = _as_text(value)
    ok = len(text) == width and text.isascii() and text.isdigit()
    return Result(errors=[] if ok else [Issue(code, {"length": len(text)})])


def check_nisn(nisn: str) -> Result:
    """NISN: exactly 10 digits (callers skip the check when the field is optional and empty)."""
    return _fixed_digits(nisn, 10, "nisn_invalid")


def check_npsn(npsn: str) -> Result:
    """NPSN (school number): exactly 8 digits."""
    return _fixed_digits(npsn, 8, "npsn_invalid")


def add_years(born: date, years: int) -> date:
    """The date a person born on `born` turns `years` old.

    Someone born on 29 February turns N on 1 March in non-leap years (the day after
    28 Feb: they have not yet lived N full years on 28 Feb), the common legal reading.
    """
    try:
        return born.replace(year=born.year + years)
    except ValueError:
        return date(born.year + years, 3, 1)


def _age(born: date, on: date) -> int:
    years = on.year - born.year
    if add_years(born, years) > on:
        years -= 1
    return years


@dataclass(frozen=True)
class Eligibility:
    """Eligibility for recording on a visit date."""

    status: str  # under_age | record_only | record_and_print
    age: int
    eligible_on: date | None = None  # date they turn min_record_age (under_age only)
    card_on: date | None = None  # date they turn min_card_age (when not yet that old)

    @property
    def issue(self) -> Issue:
        params = {k: v.isoformat() for k, v in
                  (("eligible_on", self.eligible_on), ("card_on", self.card_on)) if v}
        return Issue(self.status, params)


def eligibility(
    birth_date: date,
    visit_date: date,
    *,
    min_record_age: int = 16,
    min_card_age: int = 17,
    married: bool = False,
) -> Eligibility:
    """Decide under_age / record_only / record_and_print on the visit date.

    A married (or formerly married) person must hold a KTP-el whatever their age
    (UU 24/2013 art. 63), so `married` means record_and_print even below min_record_age.
    """
    age = _age(birth_date, visit_date)
    card_on = add_years(birth_date, min_card_age)
    if married or visit_date >= card_on:
        return Eligibility("record_and_print", age)
    record_on = add_years(birth_date, min_record_age)
    if visit_date >= record_on:
        return Eligibility("record_only", age, card_on=card_on)
    return Eligibility("under_age", age, eligible_on=record_on, card_on=card_on)
