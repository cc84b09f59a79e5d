"""Visit planning and THE student service used by every entry path (form, API, import, walk-in).

Nothing here knows about HTTP: problems come back as {field: [Issue]} with stable codes
(webapp.visits.rules renders them in Indonesian or English).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask import current_app, has_app_context
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.audit import service as audit
from webapp.extensions import db
from webapp.identity import (
    Issue,
    add_years,
    check_kk,
    check_nik,
    check_nisn,
    nik_birth_date,
)
from webapp.prereg.dapodik_read import parse_date
from webapp.regions.models import Kelurahan
from webapp.visits.eligibility import eligibility_on
from webapp.visits.models import Student, Visit, new_uuid
from webapp.visits.planning import (  # noqa: F401 - one import point for callers
    VisitInvalid,
    plan_visit,
    update_visit,
    validate_visit,
)

STUDENT_FIELDS = ("name", "nik", "kk", "nisn", "nipd", "gender", "birth_place", "birth_date",
                  "class", "kelurahan_code", "consent")
# API field -> model attribute, where they differ.
ATTR = {"class": "class_name"}
MAX_LEN = {"name": 120, "nipd": 30, "birth_place": 80, "class": 40}
GENDERS = {"l": "L", "p": "P", "laki-laki": "L", "laki laki": "L", "perempuan": "P"}
MIN_PLAUSIBLE_AGE = 12  # a NIK "born" later than this before the visit is likely a KK number
TRUE, FALSE = {"1", "true", "y", "ya", "yes", "on"}, {"", "0", "false", "n", "tidak", "no", "off"}


class StudentInvalid(Exception):
    """A student cannot be saved: `errors` block, `warnings` only inform ({field: [Issue]})."""

    code = "invalid"

    def __init__(self, errors, warnings=None):
        super().__init__("invalid student")
        self.errors, self.warnings = errors, warnings or {}


def _config(name, default):
    return current_app.config.get(name, default) if has_app_context() else default


@dataclass
class Rules:
    """What the checks need from settings and the database, loaded once per batch."""

    city_code: str | None = "3672"
    kelurahan: set[str] = field(default_factory=set)
    niks: dict[str, str] | None = None  # NIK -> student id in the visit; None = ask the DB


def rules_for(visit: Visit, *, preload_niks=False) -> Rules:
    """Rules for one visit; `preload_niks` reads every NIK of the visit at once (imports)."""
    rules = Rules(
        city_code=_config("CITY_CODE", "3672"),
        kelurahan=set(db.session.execute(select(Kelurahan.code)).scalars()),
    )
    if preload_niks and visit.id is not None:
        rows = db.session.execute(
            select(Student.nik, Student.id).where(Student.visit_id == visit.id))
        rules.niks = dict(rows.all())
    return rules


def _text(value):
    """Trimmed text with control characters (NUL breaks PostgreSQL) turned into spaces."""
    if value is None:
        return None
    if not isinstance(value, str):
        return value if isinstance(value, (int, float)) and not isinstance(value, bool) else False
    return re.sub(r"[\s\x00-\x1f\x7f]+", " ", value).strip() or None


def _flag(value):
    if isinstance(value, bool) or value is None:
        return bool(value)
    lowered = str(value).strip().lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


def _kelurahan_code(value: str) -> str:
    digits = value.replace(".", "")
    if digits.isdigit() and len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return value


def validate_student(data, visit, *, student=None, rules=None):
    """Check one student for `visit` -> (clean, errors, warnings).

    `data` uses the API names (STUDENT_FIELDS, plus optional `married`); strings, dates
    and booleans are accepted as a form or JSON would send them. `clean` is keyed by model
    attribute (Student(**clean) works); errors and warnings are {api field: [Issue]}.
    `student` is the row being edited (its own NIK is no duplicate).
    """
    rules = rules or rules_for(visit)
    errors: dict[str, list[Issue]] = {}
    warnings: dict[str, list[Issue]] = {}
    clean: dict = {}

    def err(f, code, **params):
        errors.setdefault(f, []).append(Issue(code, params))

    for f in ("name", "nik", "kk", "nisn", "nipd", "gender", "birth_place", "class",
              "kelurahan_code"):
        value = _text(data.get(f))
        if value is False:
            err(f, "not_a_text")
            value = None
        elif value is not None and not isinstance(value, str):
            value = str(value)  # a number typed into JSON; the digit checks judge it
        if value and f in MAX_LEN and len(value) > MAX_LEN[f]:
            err(f, "too_long", max=MAX_LEN[f])
        clean[ATTR.get(f, f)] = value
    for f in ("nik", "kk", "nisn"):  # people copy numbers with spaces
        if clean[f]:
            clean[f] = clean[f].replace(" ", "")

    if not clean["name"] and "name" not in errors:
        err("name", "name_required")
    elif clean["name"] and not any(c.isalpha() for c in clean["name"]):
        err("name", "name_invalid")

    raw_gender = clean["gender"]
    clean["gender"] = GENDERS.get((raw_gender or "").casefold())
    if raw_gender is None and "gender" not in errors:
        err("gender", "gender_required")
    elif raw_gender is not None and clean["gender"] is None:
        err("gender", "gender_choice")

    raw_date = data.get("birth_date")
    born = parse_date(raw_date.strip() if isinstance(raw_date, str) else raw_date)
    clean["birth_date"] = born
    if raw_date in (None, "") or (isinstance(raw_date, str) and not raw_date.strip()):
        err("birth_date", "birth_date_missing")
    elif born is None:
        err("birth_date", "birth_date_invalid", value=str(raw_date)[:30])
    elif visit.date and born > visit.date:
        err("birth_date", "birth_date_after_visit")
    elif born.year < 1900:
        err("birth_date", "birth_date_too_old")

    nik = check_nik(clean["nik"] or "", city_code=rules.city_code, birth_date=born,
                    gender=clean["gender"], kk=clean["kk"])
    if nik.errors and "nik" not in errors:
        errors["nik"] = nik.errors
    if nik.warnings:
        warnings["nik"] = nik.warnings
    if nik.ok and _looks_like_kk(clean["nik"], clean["kk"], visit):
        warnings.setdefault("nik", []).append(Issue("nik_looks_like_kk"))
    if clean["kk"] and "kk" not in errors:
        kk_errors = check_kk(clean["kk"]).errors
        if kk_errors:
            errors["kk"] = kk_errors
    if clean["nisn"] and "nisn" not in errors:
        nisn_errors = check_nisn(clean["nisn"]).errors
        if nisn_errors:
            errors["nisn"] = nisn_errors
    if nik.ok and "nik" not in errors:
        other = _holder_of(clean["nik"], visit, rules)
        if other is not None and (student is None or other != student.id):
            err("nik", "nik_duplicate")

    if clean["kelurahan_code"]:
        clean["kelurahan_code"] = _kelurahan_code(clean["kelurahan_code"])
        if clean["kelurahan_code"] not in rules.kelurahan:
            err("kelurahan_code", "kelurahan_unknown", value=clean["kelurahan_code"])

    for f in ("consent", "married"):
        value = _flag(data.get(f))
        if value is None:
            err(f, "boolean_invalid")
        clean[f] = bool(value)
    if not clean["consent"]:
        warnings.setdefault("consent", []).append(Issue("consent_missing"))
    return clean, errors, warnings


def _looks_like_kk(nik, kk, visit):
    """A KK number typed as NIK: same region and date as the KK, or a 'birth' too recent
    for a student (a KK's date is its issue date, often only a few years back)."""
    if kk and kk != nik and nik[:12] == kk[:12]:
        return True
    coded = nik_birth_date(nik, today=visit.date) if visit.date else None
    return coded is not None and coded > add_years(visit.date, -MIN_PLAUSIBLE_AGE)


def _holder_of(nik, visit, rules):
    """Id of the visit's student holding `nik`, or None."""
    if rules.niks is not None:
        return rules.niks.get(nik)
    if visit.id is None:
        return None
    return db.session.execute(
        select(Student.id).where(Student.visit_id == visit.id, Student.nik == nik)
    ).scalar_one_or_none()


def student_count(visit_id):
    """How many students the visit has (pre-registered, imported and walk-ins)."""
    return db.session.execute(
        select(func.count(Student.id)).where(Student.visit_id == visit_id)).scalar_one()


def student_eligibility(student_or_birth, visit):
    """Eligibility (webapp.identity) on the visit date, with the configured ages."""
    born = getattr(student_or_birth, "birth_date", student_or_birth)
    married = getattr(student_or_birth, "married", False)
    return eligibility_on(born, visit.date, married)


def student_warnings(student, visit, rules=None):
    """The non-blocking warnings of a stored student, as validate_student would give."""
    data = student_input(student)
    _, _, warnings = validate_student(data, visit, student=student,
                                      rules=rules or rules_for(visit))
    return warnings


def student_input(student) -> dict:
    """A stored student as validate_student input (API names)."""
    return {f: getattr(student, ATTR.get(f, f)) for f in STUDENT_FIELDS} | {
        "married": student.married}


def _commit_or_duplicate(errors_field="nik"):
    """Commit; a NIK taken by a concurrent request becomes a normal duplicate error."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        raise StudentInvalid({errors_field: [Issue("nik_duplicate")]}) from exc


def add_student(visit, data, *, source="prereg", actor=None, rules=None, commit=True,
                student_id=None):
    """Validate and add a student -> (student, warnings); raises StudentInvalid.

    With commit=False the caller owns the transaction (imports add many in one).
    """
    clean, errors, warnings = validate_student(data, visit, rules=rules)
    if errors:
        raise StudentInvalid(errors, warnings)
    student = Student(id=student_id or new_uuid(), visit=visit, source=source, **clean)
    db.session.add(student)
    if rules is not None and rules.niks is not None:
        rules.niks[student.nik] = student.id
    if commit:
        audit.record("student_added", object_type="student", object_id=student.id, actor=actor,
                     detail=f"visit {visit.id} source {source}")
        _commit_or_duplicate()
    return student, warnings


def update_student(student, data, *, actor=None, commit=True):
    """Validate and replace a student's fields -> (student, warnings); raises StudentInvalid."""
    clean, errors, warnings = validate_student(data, student.visit, student=student)
    if errors:
        raise StudentInvalid(errors, warnings)
    for attr, value in clean.items():
        setattr(student, attr, value)
    if commit:
        audit.record("student_updated", object_type="student", object_id=student.id, actor=actor)
        _commit_or_duplicate()
    return student, warnings


def remove_student(student, *, actor=None):
    """Delete a student (pre-registration only: events never name a removed one)."""
    audit.record("student_removed", object_type="student", object_id=student.id, actor=actor,
                 detail=f"visit {student.visit_id}")
    db.session.delete(student)
    db.session.commit()

