"""Follow-up visits: a new planned visit for the students a closed visit did not record, with
their QR tokens, so the slips the school printed keep working (docs/coverage.md)."""
from flask_babel import force_locale
from flask_babel import gettext as _

from webapp.audit import service as audit
from webapp.extensions import db
from webapp.reports import counting
from webapp.reports.services import ReportError
from webapp.reports.state import visit_rows
from webapp.visits.models import Student, Visit
from webapp.visits.planning import VisitInvalid, validate_visit

COPIED = ("name", "nik", "kk", "nisn", "nipd", "gender", "birth_place", "birth_date",
          "class_name", "kelurahan_code", "consent", "married", "source")


def follow_up_students(rows):
    """The rows a follow-up visit takes: absent, failed, and checked in without an outcome
    (a student who left the queue is as unrecorded as one who never came)."""
    return [r for r in rows if r.outcome != "recorded"
            and (r.attendance == "absent" or r.outcome == "failed" or r.attendance == "present")]


def follow_up_counts(picked):
    """How many students a follow-up takes, and why: absent, failed, or waiting without an outcome."""
    return {"students": len(picked),
            "absent": sum(r.attendance == "absent" for r in picked),
            "failed": sum(r.outcome == "failed" for r in picked),
            "waiting": sum(r.attendance == "present" and r.outcome is None for r in picked)}


def still_to_record(visit, rows):
    """follow_up_students of a visit, less those recorded on another visit since."""
    done = counting.recorded_elsewhere(visit.id)
    return [r for r in follow_up_students(rows) if r.id not in done]


def plan_follow_up(visit_id, day, *, user):
    """Copy a closed visit's students still to record into a new planned visit on `day` (same
    school, team and desks; new ids, the same QR tokens, `origin_id` naming the first row of the
    person). People recorded on another visit meanwhile are left out. Commits; returns
    (visit, counts).

    Raises ReportError (visit_not_found, visit_not_closed, nothing_to_follow_up) or
    webapp.visits.planning.VisitInvalid for the date (missing, past, school busy that day).
    """
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise ReportError("visit_not_found")
    if visit.status != "closed":
        raise ReportError("visit_not_closed")
    picked = still_to_record(visit, visit_rows(visit))
    if not picked:
        raise ReportError("nothing_to_follow_up")
    with force_locale("id"):  # stored text: the office's language
        notes = _("Kunjungan susulan dari kunjungan #%(id)s (%(date)s): siswa Tidak Hadir dan "
                  "Gagal.", id=visit.id, date=visit.date.isoformat())
    clean, errors = validate_visit({
        "school_id": visit.school_id, "team_id": visit.team_id, "date": day,
        "stations": visit.stations, "target": len(picked), "notes": notes,
    })
    if errors:
        raise VisitInvalid(errors)
    try:
        new = Visit(status="planned", follow_up_of_id=visit.id, **clean)
        db.session.add(new)
        originals = {s.id: s for s in db.session.get(Visit, visit_id).students}
        for row in picked:
            source = originals[row.id]
            db.session.add(Student(visit=new, qr_token=source.qr_token,
                                   origin_id=source.origin_id or source.id,
                                   **{f: getattr(source, f) for f in COPIED}))
        db.session.flush()
        counts = follow_up_counts(picked)
        entry = audit.record("visit_follow_up", object_type="visit", object_id=new.id,
                             actor=user.username,
                             detail=f"from visit {visit.id}: {len(picked)} students")
        entry.user_id = user.id
        db.session.commit()
        return new, counts
    except Exception:
        db.session.rollback()
        raise
