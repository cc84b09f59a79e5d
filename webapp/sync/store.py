"""Queries over the event store (kept apart from the sync rule in services.py)."""
import json

from sqlalchemy import bindparam, column, func, select
from sqlalchemy.dialects import postgresql

from fieldsync import touch
from webapp.extensions import db
from webapp.sync.models import RejectedEvent, StudentAlias, StudentState, SyncEvent
from webapp.visits.models import Student

CURSOR_PREFIX = "p"


def among(col, values):
    """`col IN values` with the whole list as one bound value (an index lookup per value).

    A plain IN binds each value: a 1,000-event manifest made SQLAlchemy render and the driver bind
    1,000 parameters per query, ~10 ms on SQLite and ~20 ms on PostgreSQL (docs/benchmarks.md).
    """
    values = list(values)
    if db.engine.dialect.name == "postgresql":
        return col == func.any(bindparam(None, values, type_=postgresql.ARRAY(col.type)))
    return col.in_(select(column("value")).select_from(func.json_each(bindparam(None, json.dumps(values)))))


def event_student_id(ev):
    """The student an event names (a walk-in's own id), as sync_event.student_id stores it."""
    return ev.get("student_id") or (ev.get("student") or {}).get("id")


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


def events_after(visit_id, pos, *, exclude_device=None, limit=2000, upto=None):
    """Events of a visit after a position (up to `upto`), in server order, optionally not from one device."""
    query = select(SyncEvent).where(SyncEvent.visit_id == visit_id, SyncEvent.pos > pos)
    if upto is not None:
        query = query.where(SyncEvent.pos <= upto)
    if exclude_device:
        query = query.where(SyncEvent.device_id != exclude_device)
    return db.session.execute(query.order_by(SyncEvent.pos).limit(limit)).scalars().all()


def stored_by_seq(device_id, seqs):
    """{seq: row} of accepted (SyncEvent) and of rejected events already stored for these seqs.

    Rows carry `event_id` and `body` (and `code`, `message` for rejected ones): columns, not ORM
    objects, since a replayed manifest reads hundreds of them.
    """
    if not seqs:
        return {}, {}
    accepted = db.session.execute(
        select(SyncEvent.seq, SyncEvent.event_id, SyncEvent.body)
        .where(SyncEvent.device_id == device_id, among(SyncEvent.seq, seqs)))
    rejected = db.session.execute(
        select(RejectedEvent.seq, RejectedEvent.event_id, RejectedEvent.body, RejectedEvent.code,
               RejectedEvent.message)
        .where(RejectedEvent.device_id == device_id, among(RejectedEvent.seq, seqs)))
    return {e.seq: e for e in accepted}, {r.seq: r for r in rejected}


def taken_seqs(device_id, seqs):
    """The seqs among `seqs` a device already has stored (accepted or rejected): no bodies read."""
    if not seqs:
        return set()
    out = set(db.session.execute(select(SyncEvent.seq).where(
        SyncEvent.device_id == device_id, among(SyncEvent.seq, seqs))).scalars())
    out.update(db.session.execute(select(RejectedEvent.seq).where(
        RejectedEvent.device_id == device_id, among(RejectedEvent.seq, seqs))).scalars())
    return out


def event_types(event_ids):
    """{event id: type} for stored events among `event_ids` (undo-of-undo checks)."""
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(SyncEvent.event_id, SyncEvent.type).where(among(SyncEvent.event_id, event_ids))
    )
    return dict(rows.all())


def known_student_ids(visit_id):
    """Ids a phone may name: the visit's students and walk-in aliases."""
    ids = set(db.session.execute(select(Student.id).where(Student.visit_id == visit_id)).scalars())
    ids.update(db.session.execute(
        select(StudentAlias.alias_id).where(StudentAlias.visit_id == visit_id)).scalars())
    return ids


def registered_students(visit_id, ids=None):
    """{id: nik} of the students that do not come from walk-in events (among `ids` if given)."""
    query = select(Student.id, Student.nik).where(Student.visit_id == visit_id, Student.source != "walkin")
    if ids is not None:
        query = query.where(among(Student.id, ids))
    return dict(db.session.execute(query).all())


def device_seqs_above(device_id, seq):
    """Sorted seqs (accepted or rejected) of a device above `seq`."""
    a = select(SyncEvent.seq).where(SyncEvent.device_id == device_id, SyncEvent.seq > seq)
    r = select(RejectedEvent.seq).where(RejectedEvent.device_id == device_id, RejectedEvent.seq > seq)
    return sorted(set(db.session.execute(a).scalars()) | set(db.session.execute(r).scalars()))


def states_of(visit_id, ids=None):
    """{student_id: StudentState} of a visit (of the students `ids` if given)."""
    query = select(StudentState).where(StudentState.visit_id == visit_id)
    if ids is not None:
        query = query.where(among(StudentState.student_id, ids))
    return {s.student_id: s for s in db.session.execute(query).scalars()}


def bodies_by_id(event_ids):
    """{event id: body} of the stored events among `event_ids`."""
    if not event_ids:
        return {}
    rows = db.session.execute(select(SyncEvent.event_id, SyncEvent.body)
                              .where(among(SyncEvent.event_id, event_ids)))
    return dict(rows.all())


def events_naming(visit_id, ids, *, upto=None, fresh=()):
    """Bodies of the events naming one of the student ids `ids`, and of the undos of those events.

    `fresh`: events of this sync, already stored after position `upto` and still in memory, so
    they are taken from there rather than read back and decoded (a 1,000-event manifest).
    """
    if not ids:
        return []
    # Filtered by visit in Python: with `visit_id = ?` in the WHERE, SQLite walks the visit's
    # index (every event of the visit) instead of the student_id one (docs/benchmarks.md).
    query = select(SyncEvent.event_id, SyncEvent.visit_id, SyncEvent.body).where(among(SyncEvent.student_id, ids))
    if upto is not None:
        query = query.where(SyncEvent.pos <= upto)
    rows = [(eid, body) for eid, vid, body in db.session.execute(query) if vid == visit_id]
    new = [ev for ev in fresh if event_student_id(ev) in ids]
    named = [eid for eid, _ in rows] + [ev["id"] for ev in new]
    undos = []
    if named:
        query = select(SyncEvent.visit_id, SyncEvent.body).where(among(SyncEvent.target_id, named))
        if upto is not None:
            query = query.where(SyncEvent.pos <= upto)
        undos = [body for vid, body in db.session.execute(query) if vid == visit_id]
        named = set(named)
        undos += [ev for ev in fresh if ev["type"] == "undo" and ev.get("target") in named]
    return [body for _, body in rows] + new + undos


def coupled_ids(visit_id, ids):
    """Student ids the fold couples to `ids`: their aliases or canonical, and every id sharing a NIK.

    A live walk-in is always a student row (canonical) or an alias row, so Student and
    StudentAlias rows plus the walk-in events of `ids` name every coupled id (fieldsync/touch.py).
    A pre-registered student's NIK is not expanded: every live walk-in of that NIK is its alias
    (pre-registered NIKs come first), found by the alias rows; a new walk-in expands its own NIK.
    """
    ids = list(ids)
    out = set(db.session.execute(select(StudentAlias.student_id).where(
        StudentAlias.visit_id == visit_id, among(StudentAlias.alias_id, ids))).scalars())
    out.update(db.session.execute(select(StudentAlias.alias_id).where(
        StudentAlias.visit_id == visit_id, among(StudentAlias.student_id, ids))).scalars())
    niks = set(db.session.execute(select(Student.nik).where(
        Student.visit_id == visit_id, among(Student.id, ids), Student.source == "walkin",
        Student.nik.is_not(None))).scalars())
    walkins = db.session.execute(select(SyncEvent.visit_id, SyncEvent.body).where(
        SyncEvent.type == "walkin", among(SyncEvent.student_id, ids))).all()  # visit in Python: see events_naming
    niks.update(n for vid, body in walkins if vid == visit_id and (n := touch.walkin_nik(body)))
    if niks:
        out.update(db.session.execute(select(Student.id).where(
            Student.visit_id == visit_id, among(Student.nik, niks))).scalars())
    return out


def known_among(visit_id, ids):
    """The ids among `ids` a phone may name: students and walk-in aliases of the visit."""
    ids = [i for i in ids if isinstance(i, str)]
    if not ids:
        return set()
    known = set(db.session.execute(select(Student.id).where(
        Student.visit_id == visit_id, among(Student.id, ids))).scalars())
    known.update(db.session.execute(select(StudentAlias.alias_id).where(
        StudentAlias.visit_id == visit_id, among(StudentAlias.alias_id, ids))).scalars())
    return known
