"""Queries over the event store (kept apart from the sync rule in services.py)."""
import json

from sqlalchemy import JSON, String, Text, bindparam, cast, column, func, literal, null, select, true, union_all
from sqlalchemy.dialects import postgresql

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


def pull_after(visit_id, pos, exclude_device, limit):
    """(the visit's newest position, [rows (pos, body)] of the events after `pos` from other devices,
    at most `limit`, in server order), in one statement: both from one snapshot."""
    newest = (select(func.coalesce(func.max(SyncEvent.pos), 0).label("newest"))
              .where(SyncEvent.visit_id == visit_id).subquery())
    events = (select(SyncEvent.pos, SyncEvent.body)
              .where(SyncEvent.visit_id == visit_id, SyncEvent.pos > pos, SyncEvent.device_id != exclude_device)
              .order_by(SyncEvent.pos).limit(limit).subquery())
    rows = db.session.execute(select(newest.c.newest, events.c.pos, events.c.body)
                              .select_from(newest.outerjoin(events, true())).order_by(events.c.pos)).all()
    # Without events the outer join still gives the one row of the newest position.
    return rows[0].newest, [r for r in rows if r.pos is not None]


class StoredEvent:
    """A stored event row read for sorting out: `event_id`, the body as stored text, decoded when
    asked (`body`), and `code`, `message` for a rejected one."""

    def __init__(self, row):
        self.seq, self.event_id, self.text, self.code, self.message = row.seq, row.event_id, row.text, row.code, \
            row.message
        self._body = None

    @property
    def body(self):
        if self._body is None:
            self._body = json.loads(self.text)
        return self._body

    def is_stored_text_of(self, event):
        """Whether this row's stored text is `event` as the store writes it (then they are the same
        content: a replay compares the text, not the decoded events, when the phone kept the order)."""
        return self.text == json.dumps(event)


def stored_by_seq(device_id, seqs):
    """{seq: StoredEvent} of accepted (SyncEvent) and of rejected events already stored for these
    seqs, in one statement. Bodies come as their stored text, decoded only when compared field by
    field: a replayed manifest reads hundreds of them.
    """
    if not seqs:
        return {}, {}
    text = cast(null(), String)
    rows = db.session.execute(union_all(
        select(literal("a").label("kind"), SyncEvent.seq, SyncEvent.event_id, cast(SyncEvent.body, Text).label("text"),
               text.label("code"), text.label("message"))
        .where(SyncEvent.device_id == device_id, among(SyncEvent.seq, seqs)),
        select(literal("r"), RejectedEvent.seq, RejectedEvent.event_id, cast(RejectedEvent.body, Text),
               RejectedEvent.code, RejectedEvent.message)
        .where(RejectedEvent.device_id == device_id, among(RejectedEvent.seq, seqs))))
    accepted, rejected = {}, {}
    for row in rows:
        (accepted if row.kind == "a" else rejected)[row.seq] = StoredEvent(row)
    return accepted, rejected


def seqs_above(device_id, seq):
    """Sorted seqs (accepted or rejected) a device has stored above `seq`: one statement."""
    return sorted(seqs_and_events_after(device_id, seq)[0])


def seqs_and_events_after(device_id, seq, visit_id=None, pos=None):
    """(seqs (accepted or rejected) the device has stored above `seq`, [(type, student_id)] of the
    visit's events after position `pos`, if given), in one statement: what a sync reads under the
    visit lock (docs/sync-algorithm.md §7)."""
    text = cast(null(), String)
    parts = [select(literal("s").label("kind"), SyncEvent.seq, text.label("type"), text.label("student_id"))
             .where(SyncEvent.device_id == device_id, SyncEvent.seq > seq),
             select(literal("s"), RejectedEvent.seq, text, text)
             .where(RejectedEvent.device_id == device_id, RejectedEvent.seq > seq)]
    if pos is not None:
        parts.append(select(literal("e"), SyncEvent.seq, SyncEvent.type, SyncEvent.student_id)
                     .where(SyncEvent.visit_id == visit_id, SyncEvent.pos > pos))
    seqs, events = set(), []
    for kind, seq_, type_, student_id in db.session.execute(union_all(*parts)):
        if kind == "s":
            seqs.add(seq_)
        else:
            events.append((type_, student_id))
    return seqs, events


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


def events_naming(visit_id, ids, *, fresh=()):
    """Bodies of the events naming one of the student ids `ids`, and of the undos of those events.

    `fresh`: events of this sync, not stored yet and in memory: they are added from there, and a
    stored undo of one of them is read too (an undo may arrive before its target). One statement.
    """
    if not ids:
        return []
    # Filtered by visit in Python: with `visit_id = ?` in the WHERE, SQLite walks the visit's
    # index (every event of the visit) instead of the student_id one (docs/benchmarks.md).
    named = (select(SyncEvent.event_id).where(among(SyncEvent.student_id, ids))
             .where((SyncEvent.visit_id + 0) == visit_id))  # "+ 0": no visit index, see above
    fresh_ids = [ev["id"] for ev in fresh if event_student_id(ev) in ids]
    targets = SyncEvent.target_id.in_(named)
    if fresh_ids:
        targets = targets | among(SyncEvent.target_id, fresh_ids)
    rows = db.session.execute(union_all(
        select(SyncEvent.visit_id, SyncEvent.body).where(among(SyncEvent.student_id, ids)),
        select(SyncEvent.visit_id, SyncEvent.body).where(targets)))
    stored = [body for vid, body in rows if vid == visit_id]
    named = set(fresh_ids) | {body["id"] for body in stored if event_student_id(body) in ids}
    return stored + [ev for ev in fresh if event_student_id(ev) in ids] + [
        ev for ev in fresh if ev["type"] == "undo" and ev.get("target") in named]


def couplings(visit_id, ids):
    """What couples the students `ids` to others, in one statement: rows (kind, a, b, c, body) of
    alias rows naming them ("alias", alias, canonical), their student rows ("student", id, nik,
    source) and the walk-in events naming them ("walkin", id, visit id, -, body)."""
    ids = list(ids)
    text, js = cast(null(), String), cast(null(), JSON)
    return db.session.execute(union_all(
        select(literal("alias").label("kind"), StudentAlias.alias_id.label("a"), StudentAlias.student_id.label("b"),
               text.label("c"), js.label("body"))
        .where(StudentAlias.visit_id == visit_id, among(StudentAlias.alias_id, ids)),
        select(literal("alias"), StudentAlias.alias_id, StudentAlias.student_id, text, js)
        .where(StudentAlias.visit_id == visit_id, among(StudentAlias.student_id, ids)),
        select(literal("student"), Student.id, Student.nik, Student.source, js)
        .where(Student.visit_id == visit_id, among(Student.id, ids)),
        # visit in Python: see events_naming
        select(literal("walkin"), SyncEvent.student_id, cast(SyncEvent.visit_id, String), text, SyncEvent.body)
        .where(SyncEvent.type == "walkin", among(SyncEvent.student_id, ids)),
    )).all()


def students_with_nik(visit_id, niks):
    """Ids of the visit's students holding one of the NIKs `niks`."""
    return set(db.session.execute(select(Student.id).where(
        Student.visit_id == visit_id, among(Student.nik, niks))).scalars())


def known_among(visit_id, ids):
    """The ids among `ids` a phone may name: students and walk-in aliases of the visit (one statement)."""
    ids = [i for i in ids if isinstance(i, str)]
    if not ids:
        return set()
    return set(db.session.execute(union_all(
        select(Student.id).where(Student.visit_id == visit_id, among(Student.id, ids)),
        select(StudentAlias.alias_id).where(StudentAlias.visit_id == visit_id, among(StudentAlias.alias_id, ids)),
    )).scalars())
