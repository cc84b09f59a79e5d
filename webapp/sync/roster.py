"""The offline roster a phone downloads: students, QR tokens, eligibility, current state."""
import hashlib
import hmac

from flask import current_app
from sqlalchemy import func, select

from webapp.audit import service as audit
from webapp.extensions import db
from webapp.sync import privacy, services, store
from webapp.sync.models import StudentAlias
from webapp.visits import lifecycle
from webapp.visits.eligibility import configured_ages, eligibility_on
from webapp.visits.models import Student
from webapp.visits.reasons import failure_reasons

ROSTER_FORMAT = 3  # 2: nik_tag + nik_key instead of nik_hash (SECURITY.md); 3: no `code`, 64-bit nik_key


def roster_etag(visit):
    """Changes whenever a student row or the derived state changes."""
    count, newest = db.session.execute(
        select(func.count(Student.id), func.max(Student.updated_at)).where(Student.visit_id == visit.id)
    ).one()
    # The format version: a phone holding an older roster (e.g. with nik_hash) must download again.
    raw = f"{ROSTER_FORMAT}:{visit.id}:{visit.state_version}:{count}:{newest}:{visit.status}:{visit.stations}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def link_key(visit_id):
    """The visit's phone-link key (docs/phone-link.md): derived, so every worker agrees, never stored."""
    secret = str(current_app.config["SECRET_KEY"]).encode()
    return hmac.new(secret, f"phone-link:{visit_id}".encode(), hashlib.sha256).hexdigest()


def visit_summary(visit):
    return {"id": visit.id, "school": visit.school.name, "school_id": visit.school_id,
            "date": visit.date, "status": visit.status, "stations": visit.stations,
            "team": visit.team.name, "students": len(visit.students),
            "purge_after": lifecycle.purge_after_utc(visit)}


def build_roster(visit, locale):
    """The roster document of protocol.md; commits its audit entry (it carries personal data)."""
    cfg = current_app.config
    ages = configured_ages()
    states = services.visit_state(visit)["students"]
    students = []
    for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)
                                .order_by(Student.name)).scalars():
        elig = eligibility_on(s.birth_date, visit.date, s.married, ages)
        students.append({
            # No slip `code`: the phone derives it from `qr` (lookup.js slipCodeOf, docs/slip-code.md).
            "id": s.id, "qr": s.qr_token, "name": s.name,
            "class_": s.class_name, "nisn": s.nisn,
            **privacy.nik_fields(visit.id, s.nik),
            "gender": s.gender, "birth_date": s.birth_date, "eligibility": elig.status,
            "eligible_on": elig.eligible_on, "consent": s.consent, "state": states[s.id],
        })
    aliases = dict(db.session.execute(select(StudentAlias.alias_id, StudentAlias.student_id)
                                      .where(StudentAlias.visit_id == visit.id)).all())
    audit.record("roster_download", object_type="visit", object_id=visit.id,
                 detail=f"{len(students)} students")
    body = {
        "visit": {**visit_summary(visit), "failure_reasons": failure_reasons(locale),
                  "agency": cfg["AGENCY_SHORT"], "min_record_age": ages[0],
                  "min_card_age": ages[1], "city_code": cfg["CITY_CODE"], "link_key": link_key(visit.id),
                  "timezone": cfg["BABEL_DEFAULT_TIMEZONE"]},
        "students": students, "aliases": aliases,
        "cursor": store.encode_cursor(store.max_pos(visit.id)), "version": visit.state_version,
    }
    db.session.commit()
    return body
