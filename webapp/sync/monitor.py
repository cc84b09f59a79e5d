"""What a coordinator sees of a visit's sync: devices, seq gaps, conflicts, rejections."""
from sqlalchemy import func, select

from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.models import Device, RejectedEvent, SyncConflict, SyncEvent
from webapp.visits.models import Student


def missing_seqs(device, limit=50):
    """Seqs between the device's contiguous and highest seq that the server never got."""
    have = set(store.seqs_above(device.id, device.contiguous_seq))
    gaps = [s for s in range(device.contiguous_seq + 1, device.max_seq + 1) if s not in have]
    return gaps[:limit], len(gaps)


def visit_devices(visit_id):
    """Devices that sent events to the visit, with event counts and gaps."""
    rows = db.session.execute(
        select(Device, func.count(SyncEvent.pos)).join(SyncEvent, SyncEvent.device_id == Device.id)
        .where(SyncEvent.visit_id == visit_id).group_by(Device.id).order_by(Device.label)
    ).all()
    out = []
    for device, count in rows:
        gaps, total = missing_seqs(device)
        out.append({"device": device, "events": count, "gaps": gaps, "missing": total})
    return out


def conflicts(visit_id):
    """Active conflicts first, then resolved ones, with the student's name."""
    names = dict(db.session.execute(select(Student.id, Student.name).where(Student.visit_id == visit_id)).all())
    rows = db.session.execute(select(SyncConflict).where(SyncConflict.visit_id == visit_id)
                              .order_by(SyncConflict.resolved_at.is_not(None), SyncConflict.detected_at)).scalars()
    return [{"row": c, "student": names.get(c.student_id, c.student_id)} for c in rows if c.active]


def rejections(visit_id, limit=100):
    return db.session.execute(select(RejectedEvent).where(RejectedEvent.visit_id == visit_id)
                              .order_by(RejectedEvent.received_at.desc()).limit(limit)).scalars().all()


class MonitorError(DomainError):
    """A conflict cannot be marked handled: note_required, conflict_not_found."""


def resolve_conflict(visit_id, conflict_id, user, note):
    """Mark a conflict handled, with the coordinator's note (audit trail). Commits."""
    from webapp.audit import service as audit

    note = (note or "").strip()
    if not note:
        raise MonitorError("note_required", field="note")
    row = db.session.get(SyncConflict, conflict_id)
    if row is None or row.visit_id != visit_id:
        raise MonitorError("conflict_not_found")
    row.resolved_at, row.resolved_by_id, row.resolution = utcnow(), user.id, note[:1000]
    audit.record("conflict_resolved", object_type="sync_conflict", object_id=row.id,
                 detail=f"{row.code} {row.student_id}: {note[:200]}")
    db.session.commit()
    return row
