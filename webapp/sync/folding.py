"""The fold written to the database: full refold (the oracle) and incremental (docs/sync-algorithm.md §8)."""
from datetime import date

from sqlalchemy import delete, select

import fieldsync
from fieldsync import touch
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.models import STATE_FIELDS, StudentAlias, StudentState, SyncConflict
from webapp.visits.models import Student


def refold(visit):
    """Recompute the whole visit's derived state from all its events; return the FoldResult."""
    result = fieldsync.fold(store.visit_events(visit.id), store.registered_students(visit.id),
                            closed=visit.status == "closed")
    write(visit, result, None)
    return result


def fold_touched(visit, new_events):
    """Refold only the students `new_events` touch (and those coupled to them); return the FoldResult.

    The new events must already be flushed to sync_event. The result equals the full fold
    restricted to the touched students (the property test in tests/sync/test_incremental.py).
    """
    targets = store.bodies_by_id({touch.undo_target(ev) for ev in new_events} - {None})
    ids = touch.closure(touch.seed_ids(new_events, targets), lambda f: store.coupled_ids(visit.id, f))
    result = fieldsync.fold(store.events_naming(visit.id, ids), store.registered_students(visit.id, ids),
                            closed=visit.status == "closed")
    write(visit, result, ids)
    return result


def write(visit, result, ids):
    """Store a FoldResult over the student ids `ids` (None: the whole visit); bump the version."""
    _materialise_walkins(visit, result, ids)
    if _write_states(visit, result, ids):
        visit.state_version += 1
    _write_conflicts(visit, result, ids)


def _within(query, column, ids):
    return query if ids is None else query.where(column.in_(list(ids)))


def _materialise_walkins(visit, result, ids):
    """Walk-in student rows = the fold's canonical walk-ins (an alias never keeps a row)."""
    rows = {s.id: s for s in db.session.execute(_within(
        select(Student).where(Student.visit_id == visit.id, Student.source == "walkin"), Student.id, ids)).scalars()}
    for sid in set(rows) - set(result.walkins):
        db.session.delete(rows[sid])
    db.session.flush()
    for sid, data in result.walkins.items():
        if sid in rows:
            continue
        db.session.add(Student(
            id=sid, visit_id=visit.id, name=data.get("name") or "-", nik=data["nik"],
            kk=data.get("kk"), nisn=data.get("nisn"), nipd=data.get("nipd"), gender=data["gender"],
            birth_place=data.get("birth_place"), birth_date=date.fromisoformat(data["birth_date"]),
            class_name=data.get("class"), kelurahan_code=data.get("kelurahan_code") or None,
            consent=bool(data.get("consent")), source="walkin"))
    db.session.execute(_within(delete(StudentAlias).where(StudentAlias.visit_id == visit.id),
                               StudentAlias.alias_id, ids))
    for alias, canonical in result.aliases.items():
        db.session.add(StudentAlias(alias_id=alias, visit_id=visit.id, student_id=canonical))
    db.session.flush()


def _write_states(visit, result, ids):
    """Rewrite changed StudentState rows; return how many changed."""
    existing = store.states_of(visit.id, ids)
    changed = 0
    for sid, st in result.students.items():
        data = st.to_dict()
        row = existing.pop(sid, None)
        if row is not None and row.data == data:
            continue
        row = row or StudentState(student_id=sid, visit_id=visit.id)
        for col in STATE_FIELDS:
            setattr(row, col, data[col])
        row.data, row.version = data, visit.state_version + 1
        db.session.add(row)
        changed += 1
    for row in existing.values():  # students gone (an undone walk-in, a walk-in now an alias)
        db.session.delete(row)
        changed += 1
    return changed


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
            StudentAlias.visit_id == visit_id, StudentAlias.alias_id.in_(list(ids)))).scalars())
        query = query.where(SyncConflict.student_id.in_(list(ids)))
    rows = db.session.execute(query).scalars()
    out = [{"code": c.code, "student_id": c.student_id, "events": list(c.events)} for c in rows]
    out.sort(key=lambda c: (c["code"], c["student_id"], c["events"]))
    return out
