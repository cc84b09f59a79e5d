"""The content of a visit report as plain JSON data; its sha256 is the report's checksum."""
import hashlib
import json
from itertools import groupby

from flask import current_app
from sqlalchemy import case, func, select

from webapp.auth.models import User
from webapp.desk.photos import photos_of
from webapp.extensions import db
from webapp.reports import labels
from webapp.reports.services import tally
from webapp.reports.state import visit_rows
from webapp.sync.models import Device, SyncConflict, SyncEvent
from webapp.visits.reasons import reason_counts

LOCALE = "id"  # the report is an Indonesian document, whatever the reader's UI language


def _iso(value):
    return value.isoformat() if value is not None else None


def _student(no, row):
    return {
        "no": no, "id": row.id, "name": row.name, "nik": row.nik_masked, "gender": row.gender,
        "birth_date": _iso(row.birth_date), "class": row.class_name,
        "eligibility": row.eligibility, "eligible_on": _iso(row.eligible_on),
        "attendance": row.attendance, "ticket": row.ticket, "outcome": row.outcome,
        "reason": row.reason, "reason_label": labels.reason(row.reason, LOCALE),
        "ikd": row.ikd, "conflicts": sorted(row.conflicts), "print": row.print,
        "print_reason": row.print_reason, "corrected": bool(row.corrections),
    }


def _class_counts(rows):
    c = tally(rows)
    return {k: getattr(c, k) for k in ("registered", "eligible", "under_age", "present",
                                       "recorded", "failed", "waiting", "absent", "not_arrived",
                                       "already_recorded", "printed")}


def _devices(visit_id):
    outcomes = func.sum(case((SyncEvent.type == "outcome", 1), else_=0))
    query = (
        select(Device.id, Device.label, User.full_name, User.username, func.count(SyncEvent.pos),
               outcomes, func.min(SyncEvent.at), func.max(SyncEvent.at))
        .join(SyncEvent, SyncEvent.device_id == Device.id)
        .join(User, User.id == Device.user_id)
        .where(SyncEvent.visit_id == visit_id)
        .group_by(Device.id, Device.label, User.full_name, User.username)
        .order_by(User.full_name, Device.id)
    )
    return [{"id": d, "label": label, "officer": name, "username": username, "events": n,
             "outcomes": int(o or 0), "first_at": first, "last_at": last}
            for d, label, name, username, n, o, first, last in db.session.execute(query)]


def _conflicts(visit_id):
    return db.session.execute(select(func.count(SyncConflict.id)).where(
        SyncConflict.visit_id == visit_id, SyncConflict.active.is_(True))).scalar_one()


def report_data(visit):
    """Everything the visit report prints except its version, time and checksum."""
    cfg = current_app.config
    rows = visit_rows(visit)
    counts = tally(rows, visit)
    school, area = visit.school, visit.school.kelurahan
    classes = []
    for name, members in groupby(rows, key=lambda r: r.class_name):
        members = list(members)
        classes.append({"name": name, "counts": _class_counts(members),
                        "students": [_student(i, r) for i, r in enumerate(members, 1)]})
    absent = [r for r in rows if r.attendance in ("absent", "not_arrived")]
    return {
        "agency": cfg.get("AGENCY_NAME"), "agency_short": cfg.get("AGENCY_SHORT"),
        "city": cfg.get("CITY_NAME"),
        "rules": {"min_record_age": cfg.get("MIN_RECORD_AGE"), "min_card_age": cfg.get("MIN_CARD_AGE")},
        "visit": {"id": visit.id, "date": _iso(visit.date), "status": visit.status,
                  "stations": visit.stations, "target": visit.target, "notes": visit.notes,
                  "opened_at": _iso(visit.opened_at), "closed_at": _iso(visit.closed_at)},
        "team": {"name": visit.team.name,
                 "members": [u.full_name for u in visit.team.members if u.active]},
        "school": {"name": school.name, "npsn": school.npsn, "level": school.level,
                   "address": school.address, "kelurahan": area.name,
                   "kecamatan": area.kecamatan.name, "kelurahan_code": area.code},
        "counts": counts.to_dict(),
        "reasons": reason_counts(counts.reasons, LOCALE),
        "classes": classes,
        "follow_up": {
            "absent": [_student(i, r) for i, r in enumerate(absent, 1)],
            "failed": [_student(i, r) for i, r in
                       enumerate((r for r in rows if r.outcome == "failed"), 1)],
            "waiting": [_student(i, r) for i, r in enumerate(
                (r for r in rows if r.attendance == "present" and r.outcome is None), 1)],
            "under_age": [_student(i, r) for i, r in enumerate(
                sorted((r for r in rows if r.eligibility == "under_age"
                        and r.outcome != "recorded"), key=lambda r: (r.eligible_on, r.name)), 1)],
        },
        "devices": _devices(visit.id),
        # The photos' checksums, so that the report's checksum covers them too.
        "photos": [{"id": p.id, "sha256": p.sha256, "caption": p.caption, "width": p.width,
                    "height": p.height} for p in photos_of(visit.id)],
        "conflicts": _conflicts(visit.id),
    }


def canonical(data):
    """Key-sorted compact JSON text of the report data."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def digest(data):
    """The report's checksum: sha256 hex of its canonical content."""
    return hashlib.sha256(canonical(data).encode("utf-8")).hexdigest()


def summary(data, pages):
    """What the public verification page may show: no names, no NIKs."""
    c = data["counts"]
    return {
        "school": data["school"]["name"], "npsn": data["school"]["npsn"],
        "date": data["visit"]["date"], "status": data["visit"]["status"], "pages": pages,
        **{k: c[k] for k in ("registered", "eligible", "present", "recorded", "failed",
                             "absent", "not_arrived", "under_age", "ikd_active")},
    }
