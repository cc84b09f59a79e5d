"""Visit planning: check and save a visit (school, date, team, desks, target)."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from webapp.audit import service as audit
from webapp.auth.models import Team
from webapp.clock import local_today
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.identity import Issue
from webapp.schools.models import School
from webapp.visits.models import Visit

VISIT_FIELDS = ("school_id", "date", "team_id", "stations", "target", "notes")


class VisitInvalid(Exception):
    """A visit cannot be saved; `errors` is {field: [Issue]} (`_visit` for the whole visit)."""

    def __init__(self, errors):
        super().__init__("invalid visit")
        self.errors = errors
        self.code = "visit_closed" if "_visit" in errors else "invalid"


DB_INT_MAX = 2**31 - 1  # PostgreSQL INTEGER; a larger number is simply not valid here


def _int(value):
    """A whole number that fits a database integer, else None (the caller names the field)."""
    if isinstance(value, bool):
        return None
    try:
        number = value if isinstance(value, int) else int(str(value).strip())
    except (TypeError, ValueError):
        return None
    return number if -DB_INT_MAX <= number <= DB_INT_MAX else None


def _date(value):
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        return None


def validate_visit(data, visit=None):
    """Check planning data -> (clean, errors). Missing keys keep `visit`'s values."""
    errors: dict[str, list[Issue]] = {}

    def err(f, code, **params):
        errors.setdefault(f, []).append(Issue(code, params))

    def given(f):
        return f in data and data[f] not in (None, "")

    current = {f: getattr(visit, f) for f in VISIT_FIELDS} if visit else {}
    clean = dict(current)
    if visit is not None and visit.status in ("closed", "cancelled"):
        err("_visit", "visit_closed")
        return clean, errors
    for f, model in (("school_id", School), ("team_id", Team)):
        if given(f):
            clean[f] = _int(data[f])
            found = db.session.get(model, clean[f]) if clean[f] is not None else None
            if found is None:
                err(f, "school_unknown" if model is School else "team_unknown")
            elif model is School and not found.active and clean[f] != current.get(f):
                err(f, "school_inactive")  # deactivated: no new visits
        elif visit is None:
            err(f, "required")
    if given("date"):
        clean["date"] = _date(data["date"])
        if clean["date"] is None:
            err("date", "date_invalid", value=str(data["date"])[:30])
        elif clean["date"] != current.get("date") and clean["date"] < local_today():
            err("date", "date_past")
    elif visit is None:
        err("date", "date_missing")
    if given("stations") or visit is None:
        clean["stations"] = _int(data.get("stations", 2)) if given("stations") else 2
        if clean["stations"] is None or not 1 <= clean["stations"] <= 20:
            err("stations", "stations_range")
    if "target" in data:
        clean["target"] = _int(data["target"]) if given("target") else None
        if given("target") and (clean["target"] is None or clean["target"] < 0):
            err("target", "target_range")
    if "notes" in data:
        clean["notes"] = (str(data["notes"] or "").strip() or None)
        if clean["notes"] and len(clean["notes"]) > 2000:
            err("notes", "too_long", max=2000)
    if not errors and clean.get("school_id") and clean.get("date"):
        clash = select(Visit.id).where(Visit.school_id == clean["school_id"],
                                       Visit.date == clean["date"],
                                       Visit.status.not_in(("closed", "cancelled")))
        if visit is not None:
            clash = clash.where(Visit.id != visit.id)
        if db.session.execute(clash).first():
            err("date", "school_busy")
    return clean, errors


def plan_visit(data, *, actor=None):
    """Create a planned visit; raises VisitInvalid. Commits."""
    clean, errors = validate_visit(data)
    if errors:
        raise VisitInvalid(errors)
    visit = Visit(status="planned", **clean)
    db.session.add(visit)
    db.session.flush()
    audit.record("visit_planned", object_type="visit", object_id=visit.id, actor=actor,
                 detail=f"school {visit.school_id} date {visit.date.isoformat()}")
    db.session.commit()
    return visit


def update_visit(visit, data, *, actor=None):
    """Change a planned or open visit; raises VisitInvalid. Commits."""
    clean, errors = validate_visit(data, visit)
    if errors:
        raise VisitInvalid(errors)
    changed = sorted(f for f, v in clean.items() if getattr(visit, f) != v)
    for f, value in clean.items():
        setattr(visit, f, value)
    if changed:
        audit.record("visit_updated", object_type="visit", object_id=visit.id, actor=actor,
                     detail=", ".join(changed))
    db.session.commit()
    return visit


def visits_newest_first():
    """Every visit, the latest date first (the coordinator's home)."""
    return db.session.execute(select(Visit).order_by(Visit.date.desc())).scalars().all()


def active_schools():
    """The schools a visit may be planned at, by name."""
    return db.session.execute(select(School).where(School.active.is_(True)).order_by(School.name)).scalars().all()


def get_visit(visit_id):
    """The visit; DomainError visit_not_found when there is none."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise DomainError("visit_not_found")
    return visit
