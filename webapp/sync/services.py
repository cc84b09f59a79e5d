"""The sync rule on the server: one transaction per manifest (docs/sync-algorithm.md §server)."""
from datetime import date

from flask import current_app
from sqlalchemy import delete, select

import fieldsync
from fieldsync import codes
from webapp.audit import service as audit
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync import deskrules, privacy, store
from webapp.sync.models import STATE_FIELDS, RejectedEvent, StudentAlias, StudentState, SyncConflict, SyncEvent
from webapp.visits import lifecycle, rules
from webapp.visits.models import Student, Visit
from webapp.visits.reasons import REASON_CODES
from webapp.visits.services import validate_student


def lock_visit(visit_id):
    """The visit row, locked until commit: syncs of one visit are serialised (cursor order)."""
    return db.session.execute(select(Visit).where(Visit.id == visit_id).with_for_update()).scalar_one()


def _walkin_problem(ev, visit, lang):
    """A walk-in passes the same student rules as pre-registration (docs/sync-algorithm.md §7).

    A NIK already in the visit is no error here: the fold makes the walk-in an alias.
    """
    _clean, errors, _warnings = validate_student(ev["student"], visit)
    errors = {f: [i for i in issues if i.code != "nik_duplicate"] for f, issues in errors.items()}
    errors = {f: issues for f, issues in errors.items() if issues}
    if not errors:
        return None
    field = sorted(errors)[0]
    code = codes.MISSING_FIELD if errors[field][0].code.endswith(("_required", "_missing")) else codes.INVALID_FIELD
    rej = fieldsync.rejection(ev["id"], code, f"student.{field}", lang)
    rej["message"] = f"{rej['message']} {rules.describe({field: errors[field]}, lang)[field][0]}"
    return rej


def _sort_out(raws, device, visit, lang):
    """Split raw events into (new valid events, duplicate ids, rejections)."""
    seqs = {r.get("seq") for r in raws if isinstance(r, dict) and isinstance(r.get("seq"), int)}
    accepted, rejected = store.stored_by_seq(device.id, seqs)
    fresh, duplicates, rejections = [], [], []
    for raw in raws:
        seq = raw.get("seq") if isinstance(raw, dict) else None
        old = accepted.get(seq) if isinstance(seq, int) else None
        old_rej = rejected.get(seq) if isinstance(seq, int) else None
        if old is not None:
            if fieldsync.same_content(raw, old.body):
                duplicates.append(old.event_id)
            else:
                rejections.append(fieldsync.rejection(raw.get("id"), codes.SEQ_REUSED, "seq", lang))
        elif old_rej is not None:
            if fieldsync.same_content(raw, old_rej.body):
                # A retry of an event refused before: same answer, stored once.
                rejections.append({"id": old_rej.event_id, "code": old_rej.code,
                                   "message": old_rej.message, "field": None, "stored": True})
            else:
                rejections.append(fieldsync.rejection(raw.get("id"), codes.SEQ_REUSED, "seq", lang))
        else:
            fresh.append(raw)
    targets = {r.get("target") for r in fresh if isinstance(r, dict) and r.get("type") == "undo"}
    valid, bad = fieldsync.validate_batch(
        fresh, device_id=device.id, known_students=store.known_student_ids(visit.id),
        failure_reasons=REASON_CODES, stations=visit.stations, lang=lang,
        event_types=store.event_types({t for t in targets if isinstance(t, str)}),
    )
    good, dropped = [], set()
    desk = deskrules.phone_problems(valid, visit, device, lang)
    for ev in valid:
        problem = _walkin_problem(ev, visit, lang) if ev["type"] == "walkin" else desk.get(ev["id"])
        if problem:
            bad.append(problem)
            if ev["type"] == "walkin":
                dropped.add(ev["student"]["id"])
        else:
            good.append(ev)
    if dropped:  # events naming a refused walk-in name nobody
        keep = [ev for ev in good if ev.get("student_id") not in dropped]
        bad += [fieldsync.rejection(ev["id"], codes.UNKNOWN_STUDENT, "student_id", lang)
                for ev in good if ev.get("student_id") in dropped]
        good = keep
    seen = {r["id"] for r in rejections}
    in_batch = {e["id"] for e in good} | {r["id"] for r in bad} | seen
    # validate_batch drops exact repeats inside one batch: they are duplicates.
    duplicates += [r["id"] for r in fresh if isinstance(r, dict) and r.get("id") not in in_batch
                   and isinstance(r.get("id"), str) and r["id"] not in duplicates]
    return good, duplicates, rejections + bad


def _store(good, rejections, raws, device, visit):
    now = utcnow()
    for ev in good:
        db.session.add(SyncEvent(
            event_id=ev["id"], visit_id=visit.id, device_id=device.id, seq=ev["seq"], type=ev["type"],
            student_id=ev.get("student_id") or (ev.get("student") or {}).get("id"), hlc=ev["hlc"],
            at=ev["at"], body=ev, received_at=now))
    by_id = {r.get("id"): r for r in raws if isinstance(r, dict)}
    for rej in rejections:
        if rej.pop("stored", False) or rej["code"] == codes.SEQ_REUSED:
            continue
        raw = by_id.get(rej["id"]) if rej["id"] is not None else None
        seq = raw.get("seq") if isinstance(raw, dict) and isinstance(raw.get("seq"), int) else None
        if seq is not None and f"{device.id}:{seq}" != rej["id"]:
            seq = None  # a malformed id must not block the real event of that seq
        db.session.add(RejectedEvent(
            visit_id=visit.id, device_id=device.id, seq=seq, event_id=rej["id"], code=rej["code"],
            message=rej["message"], body=raw if isinstance(raw, dict) else {"raw": raw},
            received_at=now))


def _update_device(device):
    seqs = store.device_seqs_above(device.id, device.contiguous_seq)
    contiguous = device.contiguous_seq
    for seq in seqs:
        if seq != contiguous + 1:
            break
        contiguous = seq
    device.contiguous_seq = contiguous
    device.max_seq = max([device.max_seq, *seqs]) if seqs else device.max_seq
    device.last_sync_at = utcnow()


def _materialise_walkins(visit, result):
    """Walk-in student rows = the fold's canonical walk-ins (an alias never keeps a row)."""
    rows = {s.id: s for s in db.session.execute(
        select(Student).where(Student.visit_id == visit.id, Student.source == "walkin")).scalars()}
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
    db.session.execute(delete(StudentAlias).where(StudentAlias.visit_id == visit.id))
    for alias, canonical in result.aliases.items():
        db.session.add(StudentAlias(alias_id=alias, visit_id=visit.id, student_id=canonical))
    db.session.flush()


def _write_states(visit, result):
    """Rewrite changed StudentState rows; return how many changed."""
    existing = store.states_of(visit.id)
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
    for row in existing.values():  # students gone (an undone walk-in)
        db.session.delete(row)
        changed += 1
    return changed


def _write_conflicts(visit, result):
    rows = {(c.code, c.student_id): c for c in db.session.execute(
        select(SyncConflict).where(SyncConflict.visit_id == visit.id)).scalars()}
    current = {(c["code"], c["student_id"]): c for c in result.conflicts}
    for key, c in current.items():
        row = rows.get(key) or SyncConflict(visit_id=visit.id, code=key[0], student_id=key[1])
        row.events, row.active = c["events"], True
        db.session.add(row)
    for key, row in rows.items():
        if key not in current:
            row.active = False


def refold(visit):
    """Recompute the visit's derived state from all its events; return the FoldResult."""
    result = fieldsync.fold(store.visit_events(visit.id), store.registered_students(visit.id),
                            closed=visit.status == "closed")
    _materialise_walkins(visit, result)
    if _write_states(visit, result):
        visit.state_version += 1
    _write_conflicts(visit, result)
    return result


def apply_sync(visit_id, device, manifest, *, lang="id", pull_limit=2000):
    """Store a phone's manifest and answer with what happened and what others sent.

    One transaction: an error anywhere leaves nothing applied (the caller retries safely).
    """
    limit = current_app.config["SYNC_MAX_EVENTS"]
    if len(manifest["events"]) > limit:
        raise DomainError("too_many_events", limit=limit)
    try:
        visit = lock_visit(visit_id)
        if manifest["device_id"] != device.id:
            raise DomainError("device_mismatch")
        raws = manifest["events"]
        good, duplicates, rejections = _sort_out(raws, device, visit, lang)
        _store(good, rejections, raws, device, visit)
        db.session.flush()
        _update_device(device)
        if good:
            lifecycle.open_by_sync(visit, device.user, device.id)
        result = refold(visit) if good else None
        since = store.decode_cursor(manifest.get("cursor"))
        others = store.events_after(visit.id, since, exclude_device=device.id, limit=pull_limit)
        newest = store.max_pos(visit.id)
        cursor = others[-1].pos if len(others) == pull_limit else newest
        answer = {
            "accepted": [e["id"] for e in good],
            "duplicates": duplicates,
            "rejected": rejections,
            "conflicts": _conflicts_for_answer(visit.id, result),
            "info": result.info if result else [],
            "cursor": store.encode_cursor(cursor),
            "more": len(others) == pull_limit,
            "events": [privacy.relayed(visit.id, e.body) for e in others],
            "walkins": privacy.own_walkins(visit.id, _stored(raws, good, duplicates)),
            "version": visit.state_version,
            "contiguous_seq": device.contiguous_seq,
            "visit_status": visit.status,
            "purge_after": lifecycle.purge_after_utc(visit),
        }
        if good or rejections:  # a phone's sync, with its officer and phone (not every empty pull)
            audit.record("sync", object_type="visit", object_id=visit.id,
                         detail=f"accepted {len(good)}, rejected {len(rejections)}")
        db.session.commit()
        return answer
    except Exception:
        db.session.rollback()
        raise


def _stored(raws, good, duplicates):
    """The raw events of this manifest the server now holds (accepted now or before)."""
    held = {e["id"] for e in good} | set(duplicates)
    return [r for r in raws if isinstance(r, dict) and r.get("id") in held]


def _conflicts_for_answer(visit_id, result):
    if result is not None:
        return result.conflicts
    rows = db.session.execute(select(SyncConflict).where(
        SyncConflict.visit_id == visit_id, SyncConflict.active.is_(True))).scalars()
    return [{"code": c.code, "student_id": c.student_id, "events": c.events} for c in rows]


def visit_head(visit):
    """{"cursor", "version"}: one indexed MAX, cheap enough for every open phone each second."""
    return {"cursor": store.encode_cursor(store.max_pos(visit.id)), "version": visit.state_version}


def visit_state(visit):
    """{"students": {id: state}, "aliases", "conflicts", "version"} as stored."""
    states = store.states_of(visit.id)
    closed = visit.status == "closed"
    students = {}
    for sid in db.session.execute(select(Student.id).where(Student.visit_id == visit.id)).scalars():
        row = states.get(sid)
        students[sid] = row.data if row is not None else empty_state(closed)
    aliases = dict(db.session.execute(select(StudentAlias.alias_id, StudentAlias.student_id)
                                      .where(StudentAlias.visit_id == visit.id)).all())
    return {"students": students, "aliases": aliases,
            "conflicts": _conflicts_for_answer(visit.id, None), "version": visit.state_version}


def empty_state(closed=False):
    """The state of a student no event names yet."""
    return fieldsync.fold([], {"x": None}, closed=closed).students["x"].to_dict()
