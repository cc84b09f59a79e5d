"""The fold written to the database: full refold (the oracle) and incremental (docs/sync-algorithm.md §8)."""
from datetime import date

from sqlalchemy import bindparam, delete, insert, select, update

import fieldsync
from fieldsync import touch
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.models import STATE_FIELDS, StudentAlias, StudentState, SyncConflict
from webapp.visits.models import Student

_NONE = object()


def refold(visit):
    """Recompute the whole visit's derived state from all its events; return the FoldResult."""
    result = fieldsync.fold(store.visit_events(visit.id), store.registered_students(visit.id),
                            closed=visit.status == "closed")
    write(visit, result, None)
    return result


def fold_touched(visit, new_events):
    """Fold only the students `new_events` touch (and those coupled to them) -> (FoldResult, Touched).

    The new events are not stored yet: they are taken from memory, the stored events that name the
    touched students are read. The result equals the full fold restricted to the touched students
    (the property test in tests/sync/test_incremental.py).
    """
    wanted = {touch.undo_target(ev) for ev in new_events} - {None}
    targets = {ev["id"]: ev for ev in new_events if ev["id"] in wanted}
    targets.update(store.bodies_by_id(wanted - set(targets)))
    touched = Touched(visit.id, new_events)
    touched.ids = touch.closure(touch.seed_ids(new_events, targets), touched.expand)
    events = store.events_naming(visit.id, touched.ids, fresh=new_events)
    return fieldsync.fold(events, touched.registered(), closed=visit.status == "closed"), touched


def still_exact(touched, closed, visit, since):
    """Whether a fold made before the visit lock is the fold the lock would make.

    `since`: (type, student_id) of the events committed after the position the fold read up to.
    Only a walk-in or an undo changes which students are coupled, and only an event naming a
    touched student changes their fold (a live alias of one is touched too); a close or reopen
    changes every attendance (docs/sync-algorithm.md §7).
    """
    return (visit.status == "closed") == closed and not any(
        kind in ("walkin", "undo") or sid in touched.ids for kind, sid in since)


class Touched:
    """The students a sync touches, closed under the fold's couplings (docs/sync-algorithm.md §8),
    and what the rows read on the way said: their student rows and alias rows."""

    def __init__(self, visit_id, fresh):
        self.visit_id, self.ids, self.expanded_niks = visit_id, set(), set()
        self.students = {}  # id -> (nik, source) of the touched students' rows
        self.aliases = {}  # alias id -> canonical, of the touched alias ids
        self.fresh_niks = {}  # walk-in id -> NIKs, of this sync's walk-ins (not stored yet)
        self.couples = any(isinstance(ev, dict) and ev.get("type") in ("walkin", "undo") for ev in fresh)
        for ev in fresh:
            if (nik := touch.walkin_nik(ev)) and isinstance(ev["student"].get("id"), str):
                self.fresh_niks.setdefault(ev["student"]["id"], set()).add(nik)

    def expand(self, frontier):
        """Ids coupled to `frontier`: their aliases or canonical, and every id sharing a walk-in's NIK.

        A live walk-in is always a student row or an alias row, so those rows plus the walk-in events
        naming `frontier` name every coupled id. A pre-registered student's NIK is not expanded: every
        live walk-in of that NIK is its alias (pre-registered NIKs come first), found by the alias rows.
        """
        out, niks = set(), set()
        for kind, a, b, c, body in store.couplings(self.visit_id, frontier):
            if kind == "alias":
                if a in frontier:
                    self.aliases[a] = b
                    out.add(b)
                if b in frontier:
                    out.add(a)
            elif kind == "student":
                self.students[a] = (b, c)
                if c == "walkin" and b:
                    niks.add(b)
            elif b == str(self.visit_id) and (nik := touch.walkin_nik(body)):
                niks.add(nik)
        for sid in frontier:
            niks |= self.fresh_niks.get(sid, set())
        niks -= self.expanded_niks
        if niks:
            self.expanded_niks |= niks
            out |= store.students_with_nik(self.visit_id, niks)
        return out

    def registered(self):
        """{id: nik} of the touched pre-registered students (not from walk-in events)."""
        return {sid: nik for sid, (nik, source) in self.students.items() if source != "walkin"}

    def walkin_rows(self):
        return {sid for sid, (_nik, source) in self.students.items() if source == "walkin"}


def write(visit, result, ids, touched=None):
    """Store a FoldResult over the student ids `ids` (None: the whole visit); bump the version.

    `touched`: the rows an incremental fold read (fold_touched); what they show unchanged is not
    read or written again.
    """
    # Without a new walk-in or undo, every id keeps its canonical walk-in: rows equal in ids are equal.
    rows_changed = (touched is None or touched.couples or touched.walkin_rows() != set(result.walkins)
                    or touched.aliases != result.aliases)
    if rows_changed:
        _materialise_walkins(visit, result, ids)
    changed, had_conflicts = _write_states(visit, result, ids)
    if changed:
        visit.state_version += 1
    # A student's active conflicts are the codes its state lists (both written from one fold):
    # with none before and none now, there is no conflict row to change. (A deleted walk-in row
    # takes its state row with it, ON DELETE CASCADE: then the states read say nothing.)
    if rows_changed or had_conflicts or result.conflicts:
        _write_conflicts(visit, result, ids)


def _within(query, column, ids):
    return query if ids is None else query.where(store.among(column, ids))


def _materialise_walkins(visit, result, ids):
    """Walk-in student rows = the fold's canonical walk-ins (an alias never keeps a row)."""
    rows = {s.id: s for s in db.session.execute(_within(
        select(Student).where(Student.visit_id == visit.id, Student.source == "walkin"), Student.id, ids)).scalars()}
    for sid in set(rows) - set(result.walkins):
        db.session.delete(rows[sid])
    db.session.flush()
    # A kept row takes the details of its id's canonical walk-in (another phone's walk-in of the
    # same id may now come first): a NIK may move between kept rows, so moved ones are parked first.
    moved = [rows[sid] for sid, data in result.walkins.items() if sid in rows and rows[sid].nik != data["nik"]]
    for i, row in enumerate(moved):
        row.nik = f"~{i:015d}"  # never a NIK; unique within this flush
    if moved:
        db.session.flush()
    for sid, data in result.walkins.items():
        fields = {"name": data.get("name") or "-", "nik": data["nik"], "kk": data.get("kk"), "nisn": data.get("nisn"),
                  "nipd": data.get("nipd"), "gender": data["gender"], "birth_place": data.get("birth_place"),
                  "birth_date": date.fromisoformat(data["birth_date"]), "class_name": data.get("class"),
                  "kelurahan_code": data.get("kelurahan_code") or None, "consent": bool(data.get("consent"))}
        if sid in rows:
            for key, value in fields.items():
                setattr(rows[sid], key, value)  # the ORM writes only what changed
        else:
            db.session.add(Student(id=sid, visit_id=visit.id, source="walkin", **fields))
    db.session.execute(_within(delete(StudentAlias).where(StudentAlias.visit_id == visit.id),
                               StudentAlias.alias_id, ids))
    for alias, canonical in result.aliases.items():
        db.session.add(StudentAlias(alias_id=alias, visit_id=visit.id, student_id=canonical))
    db.session.flush()


def _write_states(visit, result, ids):
    """Rewrite changed StudentState rows (Core statements, a few per sync) -> (how many changed,
    whether any of the old states listed a conflict)."""
    existing = dict(db.session.execute(_within(
        select(StudentState.student_id, StudentState.data).where(StudentState.visit_id == visit.id),
        StudentState.student_id, ids)).all())
    had_conflicts = any(old.get("conflicts") for old in existing.values())
    version = visit.state_version + 1
    inserts, updates = [], []
    for sid, st in result.students.items():
        data = st.to_dict()
        old = existing.pop(sid, _NONE)
        if old == data:
            continue
        row = {col: data[col] for col in STATE_FIELDS}
        row.update(data=data, version=version)
        if old is _NONE:
            inserts.append({**row, "student_id": sid, "visit_id": visit.id})
        else:
            updates.append({**row, "sid": sid})
    table = StudentState.__table__
    if inserts:
        db.session.execute(insert(table), inserts)
    if updates:
        # The keys of the rows are the SET columns; "sid" is the WHERE's.
        db.session.execute(update(table).where(table.c.student_id == bindparam("sid")), updates)
    if existing:  # students gone (an undone walk-in, a walk-in now an alias)
        db.session.execute(delete(table).where(store.among(table.c.student_id, existing)))
    if inserts or updates or existing:
        # Core statements bypass the session: a StudentState object it holds would be stale.
        for obj in [o for o in db.session.identity_map.values() if isinstance(o, StudentState)]:
            db.session.expire(obj)
    return len(inserts) + len(updates) + len(existing), had_conflicts


def _write_conflicts(visit, result, ids):
    rows = {(c.code, c.student_id): c for c in db.session.execute(_within(
        select(SyncConflict).where(SyncConflict.visit_id == visit.id), SyncConflict.student_id, ids)).scalars()}
    current = {(c["code"], c["student_id"]): c for c in result.conflicts}
    for key, c in current.items():
        row = rows.get(key) or SyncConflict(visit_id=visit.id, code=key[0], student_id=key[1])
        if row.events != c["events"] or not row.active:
            row.events, row.active = c["events"], True
            db.session.add(row)
    for key, row in rows.items():
        if key not in current and row.active:
            row.active = False


def active_conflicts(visit_id, ids=None):
    """Active conflicts in the fold's order (code, student, events): of the visit, or of the student
    ids `ids` (an alias standing for its student)."""
    query = select(SyncConflict).where(SyncConflict.visit_id == visit_id, SyncConflict.active.is_(True))
    if ids is not None:
        ids = set(ids) | set(db.session.execute(select(StudentAlias.student_id).where(
            StudentAlias.visit_id == visit_id, store.among(StudentAlias.alias_id, ids))).scalars())
        query = query.where(store.among(SyncConflict.student_id, ids))
    rows = db.session.execute(query).scalars()
    out = [{"code": c.code, "student_id": c.student_id, "events": list(c.events)} for c in rows]
    out.sort(key=lambda c: (c["code"], c["student_id"], c["events"]))
    return out
