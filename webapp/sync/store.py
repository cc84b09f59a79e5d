"""Queries over the event store (kept apart from the sync rule in services.py)."""
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.sync.models import RejectedEvent, StudentAlias, StudentState, SyncEvent
from webapp.visits.models import Student

CURSOR_PREFIX = "p"


def encode_cursor(pos):
    """Opaque cursor text for a server position."""
    return f"{CURSOR_PREFIX}{int(pos)}"


def decode_cursor(cursor):
    """Server position of a cursor; None/garbage -> 0 (start from the beginning)."""
    if isinstance(cursor, str) and cursor.startswith(CURSOR_PREFIX) and cursor[1:].isdigit():
        return int(cursor[1:])
    return 0


def visit_events(visit_id):
    """Every stored event body of a visit (the input of the fold)."""
    return db.session.execute(select(SyncEvent.body).where(SyncEvent.visit_id == visit_id)).scalars().all()


def max_pos(visit_id):
    return db.session.execute(
        select(func.coalesce(func.max(SyncEvent.pos), 0)).where(SyncEvent.visit_id == visit_id)
    ).scalar_one()


def events_after(visit_id, pos, *, exclude_device=None, limit=2000):
    """Events of a visit after a position, in server order, optionally not from one device."""
    query = select(SyncEvent).where(SyncEvent.visit_id == visit_id, SyncEvent.pos > pos)
    if exclude_device:
        query = query.where(SyncEvent.device_id != exclude_device)
    return db.session.execute(query.order_by(SyncEvent.pos).limit(limit)).scalars().all()


def stored_by_seq(device_id, seqs):
    """{seq: SyncEvent} and {seq: RejectedEvent} already stored for these seqs of a device."""
    if not seqs:
        return {}, {}
    seqs = list(seqs)
    accepted = db.session.execute(
        select(SyncEvent).where(SyncEvent.device_id == device_id, SyncEvent.seq.in_(seqs))
    ).scalars()
    rejected = db.session.execute(
        select(RejectedEvent).where(RejectedEvent.device_id == device_id, RejectedEvent.seq.in_(seqs))
    ).scalars()
    return {e.seq: e for e in accepted}, {r.seq: r for r in rejected}


def event_types(event_ids):
    """{event id: type} for stored events among `event_ids` (undo-of-undo checks)."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(SyncEvent.event_id, SyncEvent.type).where(SyncEvent.event_id.in_(list(event_ids)))
    )
    return dict(rows.all())


def known_student_ids(visit_id):
    """Ids a phone may name: the visit's students and walk-in aliases."""
    ids = set(db.session.execute(select(Student.id).where(Student.visit_id == visit_id)).scalars())
    ids.update(db.session.execute(
        select(StudentAlias.alias_id).where(StudentAlias.visit_id == visit_id)).scalars())
    return ids


def registered_students(visit_id):
    """{id: nik} of the students that do not come from walk-in events."""
    rows = db.session.execute(
        select(Student.id, Student.nik).where(Student.visit_id == visit_id, Student.source != "walkin"))
    return dict(rows.all())


def device_seqs_above(device_id, seq):
    """Sorted seqs (accepted or rejected) of a device above `seq`."""
    a = select(SyncEvent.seq).where(SyncEvent.device_id == device_id, SyncEvent.seq > seq)
    r = select(RejectedEvent.seq).where(RejectedEvent.device_id == device_id, RejectedEvent.seq > seq)
    return sorted(set(db.session.execute(a).scalars()) | set(db.session.execute(r).scalars()))


def states_of(visit_id):
    """{student_id: StudentState} of a visit."""
    rows = db.session.execute(select(StudentState).where(StudentState.visit_id == visit_id)).scalars()
    return {s.student_id: s for s in rows}
