"""Retention (UU PDP), a job over all domains: purge personal data once a visit is closed long enough.

What stays after a purge is what the coverage figures need and identifies nobody: gender,
birth date, class, kelurahan, consent and source of each student, their derived state, the
events without walk-in identities or note texts, and each report's checksum and headline
counts (so its verification page keeps answering). Names, NIK, No. KK, NISN, NIPD, birth
place, QR tokens, rendered PDFs and pending imports are deleted.
"""
import secrets
from datetime import timedelta

from sqlalchemy import delete, select

from webapp.audit import service as audit
from webapp.desk.models import VisitPhoto
from webapp.extensions import db
from webapp.jobs.models import Job, JobFile, SlipsFile
from webapp.prereg.models import ImportBatch, PreregLink
from webapp.reports.models import ReportCache
from webapp.sync.models import RejectedEvent, SyncEvent
from webapp.visits.models import Student, Visit

SCRUBBED = "(dihapus)"
WALKIN_KEEP = ("id", "gender", "birth_date", "class", "kelurahan_code", "consent")


def due_visits(now, retention_days):
    """Closed visits whose retention ended and that are not purged yet."""
    cutoff = now - timedelta(days=retention_days)
    return db.session.execute(select(Visit).where(
        Visit.status == "closed", Visit.closed_at.is_not(None), Visit.closed_at <= cutoff,
        Visit.purged_at.is_(None)).order_by(Visit.id)).scalars().all()


def _scrub_event(body):
    body = dict(body)
    if body.get("type") == "walkin" and isinstance(body.get("student"), dict):
        # Keep the NIK's hash-free shape: the fold needs only the walk-in's id once purged.
        body["student"] = {k: v for k, v in body["student"].items() if k in WALKIN_KEEP}
        body["student"]["name"] = SCRUBBED
    if body.get("type") == "note":
        body["text"] = SCRUBBED
    return body


def purge_visit(visit, now):
    """Delete one visit's personal data (see the module docstring). Caller commits."""
    for n, student in enumerate(db.session.execute(
            select(Student).where(Student.visit_id == visit.id).order_by(Student.id)).scalars()):
        student.name, student.kk, student.nisn, student.nipd, student.birth_place = SCRUBBED, None, None, None, None
        student.nik = f"X{n:015d}"  # unique per visit, never a valid NIK
        student.qr_token = f"x{secrets.token_hex(12)}"
    for model in (SyncEvent, RejectedEvent):
        for row in db.session.execute(select(model).where(model.visit_id == visit.id)).scalars():
            row.body = _scrub_event(row.body)
    for cache in db.session.execute(select(ReportCache).where(ReportCache.visit_id == visit.id)).scalars():
        cache.pdf, cache.size = b"", 0
    db.session.execute(delete(ImportBatch).where(ImportBatch.visit_id == visit.id))
    # The slips (names of minors) and any upload an import job has not read yet (docs/jobs.md).
    db.session.execute(delete(SlipsFile).where(SlipsFile.visit_id == visit.id))
    db.session.execute(delete(JobFile).where(JobFile.kind == "upload", JobFile.key.in_(
        select(Job.id).where(Job.visit_id == visit.id))))
    db.session.execute(delete(VisitPhoto).where(VisitPhoto.visit_id == visit.id))  # faces of students
    for link in db.session.execute(select(PreregLink).where(PreregLink.visit_id == visit.id)).scalars():
        link.revoked_at = link.revoked_at or now
    visit.purged_at = now
    audit.record("visit_purged", object_type="visit", object_id=visit.id, actor="retention",
                 detail=f"closed {visit.closed_at:%Y-%m-%d}")


def purge_expired(now, retention_days):
    """Purge every due visit, one transaction each; return their ids."""
    done = []
    for visit in due_visits(now, retention_days):
        try:
            purge_visit(visit, now)
            db.session.commit()
        except Exception:
            db.session.rollback()
            raise
        done.append(visit.id)
    return done
