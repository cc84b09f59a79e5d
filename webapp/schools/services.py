"""Schools: THE checks and writes for the pages, the API and `flask import-schools`.

Problems come back as {field: [Issue]} with stable codes; texts are msgids in MESSAGES.
A school that has visits is never deleted: it is deactivated (no new visits are planned for it).
"""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.audit import service as audit
from webapp.catalogue import N_
from webapp.extensions import db
from webapp.identity import Issue, format_issue
from webapp.regions.models import Kelurahan
from webapp.schools.models import LEVELS, School
from webapp.visits.models import Visit

FIELDS = ("npsn", "name", "level", "address", "kelurahan_code")
MAX_LEN = {"name": 120, "address": 200}
MESSAGES = {
    "required": N_("Wajib diisi."),
    "npsn_invalid": N_("NPSN harus 8 angka."),
    "npsn_taken": N_("NPSN ini sudah dipakai sekolah lain."),
    "level_choice": N_("Jenjang harus SMA, SMK, MA atau SLB."),
    "kelurahan_unknown": N_("Kode kelurahan \"{value}\" tidak ada di daftar wilayah."),
    "too_long": N_("Paling banyak {max} karakter."),
    "not_a_text": N_("Harus berupa teks."),
    "boolean_invalid": N_("Harus ya atau tidak (true/false)."),
}


class SchoolInvalid(Exception):
    """A school cannot be saved; `errors` is {field: [Issue]}."""

    def __init__(self, errors):
        super().__init__("invalid school")
        self.errors = errors


def describe(errors, lang="id"):
    """{field: [Issue]} -> {field: [text in `lang`]}."""
    return {f: [format_issue(i, lang, MESSAGES) for i in issues] for f, issues in errors.items()}


def _kelurahan(value):
    digits = value.replace(".", "")
    if digits.isdigit() and len(digits) == 10:
        return f"{digits[:2]}.{digits[2:4]}.{digits[4:6]}.{digits[6:]}"
    return value


def _text(value):
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        value = str(int(value)) if float(value).is_integer() else str(value)
    if not isinstance(value, str):
        return False
    return " ".join(value.split()) or None


def validate(data, school=None, *, kelurahan=None, taken=None):
    """Check school data -> (clean, errors). Missing keys keep `school`'s values (PATCH).

    `kelurahan` (set of codes) and `taken` ({npsn: school id}) may be given by an import.
    """
    errors: dict[str, list[Issue]] = {}
    clean = {f: getattr(school, f) for f in FIELDS} if school is not None else {}

    def err(f, code, **params):
        errors.setdefault(f, []).append(Issue(code, params))

    for f in FIELDS:
        if f not in data and school is not None:
            continue
        value = _text(data.get(f))
        if value is False:
            err(f, "not_a_text")
            continue
        if f == "level" and value:
            value = value.upper()
        if f == "kelurahan_code" and value:
            value = _kelurahan(value)
        clean[f] = value
        if value is None and f != "address":
            err(f, "required")
        elif value and len(value) > MAX_LEN.get(f, 200):
            err(f, "too_long", max=MAX_LEN.get(f, 200))
    if "npsn" in clean and clean["npsn"] and "npsn" not in errors:
        if not (clean["npsn"].isdigit() and len(clean["npsn"]) == 8):
            err("npsn", "npsn_invalid")
        else:
            holder = (taken.get(clean["npsn"]) if taken is not None else db.session.execute(
                select(School.id).where(School.npsn == clean["npsn"])).scalar_one_or_none())
            if holder is not None and (school is None or holder != school.id):
                err("npsn", "npsn_taken")
    if clean.get("level") and "level" not in errors and clean["level"] not in LEVELS:
        err("level", "level_choice")
    code = clean.get("kelurahan_code")
    if code and "kelurahan_code" not in errors:
        known = code in kelurahan if kelurahan is not None else db.session.get(Kelurahan, code)
        if not known:
            err("kelurahan_code", "kelurahan_unknown", value=code)
    if "active" in data:
        active = data["active"]
        if not isinstance(active, bool):
            err("active", "boolean_invalid")
        else:
            clean["active"] = active
    return clean, errors


def save_school(data, school=None, *, actor=None):
    """Create (school=None) or change a school; raises SchoolInvalid. Commits."""
    clean, errors = validate(data, school)
    if errors:
        raise SchoolInvalid(errors)
    created = school is None
    school = school or School()
    changed = sorted(f for f, v in clean.items() if getattr(school, f, None) != v)
    for f, value in clean.items():
        setattr(school, f, value)
    db.session.add(school)
    try:
        db.session.flush()
    except IntegrityError as exc:  # a concurrent request took the NPSN
        db.session.rollback()
        raise SchoolInvalid({"npsn": [Issue("npsn_taken")]}) from exc
    audit.record("school_created" if created else "school_updated", object_type="school",
                 object_id=school.id, actor=actor, detail=", ".join(changed))
    db.session.commit()
    return school


def has_visits(school):
    """Whether any visit names the school (then it is deactivated, never deleted)."""
    return db.session.execute(select(func.count(Visit.id)).where(
        Visit.school_id == school.id)).scalar_one() > 0


def import_rows(rows, *, actor="import-schools"):
    """Validate every row, then add or update them by NPSN in one transaction.

    rows: [(row number, {field: value})] -> (summary, {row number: {field: [Issue]}}). Nothing
    is stored when any row has an error (fix the file, run again).
    """
    kelurahan = set(db.session.execute(select(Kelurahan.code)).scalars())
    existing = {s.npsn: s for s in db.session.execute(select(School)).scalars()}
    taken = {npsn: s.id for npsn, s in existing.items()}
    seen, cleaned, problems = {}, [], {}
    for number, data in rows:
        current = existing.get(_text(data.get("npsn")) or "")
        clean, errors = validate(data, None, kelurahan=kelurahan,
                                 taken={k: v for k, v in taken.items()
                                        if current is None or v != current.id})
        npsn = clean.get("npsn")
        if npsn in seen and "npsn" not in errors:
            errors.setdefault("npsn", []).append(Issue("npsn_taken"))
        seen.setdefault(npsn, number)
        if errors:
            problems[number] = errors
        else:
            cleaned.append((current, clean))
    if problems:
        return {"added": 0, "updated": 0, "rows": len(rows)}, problems
    added = updated = 0
    for current, clean in cleaned:
        school = current or School()
        for f, value in clean.items():
            setattr(school, f, value)
        db.session.add(school)
        added, updated = added + (current is None), updated + (current is not None)
    audit.record("schools_imported", object_type="school", actor=actor,
                 detail=f"{added} added, {updated} updated")
    db.session.commit()
    return {"added": added, "updated": updated, "rows": len(rows)}, {}


def school_list():
    """(schools, active first then by name; {school_id: number of visits})."""
    counts = dict(db.session.execute(select(Visit.school_id, func.count(Visit.id)).group_by(Visit.school_id)).all())
    schools = db.session.execute(select(School).order_by(School.active.desc(), School.name)).scalars().all()
    return schools, counts


def all_schools():
    """Every school by name."""
    return db.session.execute(select(School).order_by(School.name)).scalars().all()


def get_school(school_id):
    """The school or None."""
    return db.session.get(School, school_id)
