"""The sync rule on the server: one transaction per manifest (docs/sync-algorithm.md §server)."""
from flask import current_app
from sqlalchemy import insert, select

import fieldsync
from fieldsync import codes, touch
from webapp.audit import service as audit
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync import folding, privacy, sortout, store
from webapp.sync.models import RejectedEvent, StudentAlias, SyncEvent
from webapp.visits import lifecycle
from webapp.visits.models import Student, Visit


def lock_visit(visit_id):
    """The visit row, locked until commit: syncs of one visit are serialised (cursor order)."""
    # populate_existing: the row may have been read before the lock; take the locked values.
    return db.session.execute(select(Visit).where(Visit.id == visit_id).with_for_update()
                              .execution_options(populate_existing=True)).scalar_one()


def _store(good, rejections, raws, device, visit):
    """Store accepted and rejected events; return the seqs stored."""
    now = utcnow()
    if good:  # one bulk INSERT (executemany): ORM objects cost more than the rows themselves
        db.session.execute(insert(SyncEvent), [{
            "event_id": ev["id"], "visit_id": visit.id, "device_id": device.id, "seq": ev["seq"],
            "type": ev["type"], "student_id": store.event_student_id(ev),
            "target_id": ev.get("target") if ev["type"] == "undo" else None, "hlc": ev["hlc"],
            "at": ev["at"], "body": ev, "received_at": now} for ev in good])
    stored = {ev["seq"] for ev in good}
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
        if seq is not None:
            stored.add(seq)
    return stored


def _update_device(device, stored, above):
    """Advance the device's contiguous and max seq; `stored`: the seqs this request stored, `above`:
    those stored before above its contiguous seq (read under the lock)."""
    contiguous, have = device.contiguous_seq, stored | set(above)
    while contiguous + 1 in have:
        contiguous += 1
    device.contiguous_seq = contiguous
    device.max_seq = max([device.max_seq, *have])
    device.last_sync_at = utcnow()


def refold(visit):
    """Recompute the whole visit's derived state (`flask refold`, closing a visit, the oracle in tests)."""
    return folding.refold(visit)


def refold_visits(visit_id=None):
    """Refold one visit or all, one transaction each; yield (visit id, state version)."""
    query = select(Visit.id).order_by(Visit.id)
    if visit_id is not None:
        query = query.where(Visit.id == visit_id)
    for vid in db.session.execute(query).scalars().all():
        visit = lock_visit(vid)
        refold(visit)
        version = visit.state_version
        db.session.commit()
        yield vid, version


def apply_sync(visit_id, device, manifest, *, lang="id", pull_limit=2000):
    """Store a phone's manifest and answer with what happened and what others sent.

    One transaction: an error anywhere leaves nothing applied (the caller retries safely). The
    visit row is locked only from storing to commit (what needs order: pos, cursor, version);
    validation runs before and the pull after (docs/sync-algorithm.md §7). A replay (every event
    stored already, same content) is answered from one read: no lock, nothing written.
    """
    limit = current_app.config["SYNC_MAX_EVENTS"]
    if len(manifest["events"]) > limit:
        raise DomainError("too_many_events", limit=limit)
    raws = manifest["events"]
    session = db.session()
    # Nothing read before a commit is read again after it (the device, the user of the request
    # log): these objects hold what this request wrote, which is what the database now holds.
    expire, session.expire_on_commit = session.expire_on_commit, False
    try:
        return _sync(visit_id, device, manifest, raws, lang, pull_limit)
    finally:
        session.expire_on_commit = expire


def _sync(visit_id, device, manifest, raws, lang, pull_limit):
    try:
        visit = db.session.get_one(Visit, visit_id)  # in the session already: the access check read it
        if manifest["device_id"] != device.id:
            raise DomainError("device_mismatch")
        rows = sortout.stored_rows(raws, device)
        duplicates = sortout.replayed(raws, device, rows[0])
        if duplicates is not None:  # a replay: answered from that read, no lock, nothing written
            good, rejections, result, held = [], [], None, list(raws)
            answer = _answer(visit, device, good, duplicates, rejections, None, held)
        else:
            good, duplicates, rejections, result, held, answer = _apply(raws, device, visit, lang, rows)
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    named = set().union(*(touch.named_ids(ev) for ev in held), result.students if result else ())
    # Every id this sync names is a touched student when nothing was a duplicate: the conflicts
    # just written for them are the fold's, already in its order.
    known = [{**c, "events": list(c["events"])} for c in result.conflicts] if result and not duplicates else None
    return {**answer, **_pull(visit_id, device.id, manifest.get("cursor"), pull_limit, named, known)}


def _apply(raws, device, visit, lang, rows):
    """Sort out and fold a manifest, then store and write the fold under the visit lock -> (good,
    duplicates, rejections, fold result, held raw events, answer before the pull)."""
    return _finish(raws, device, lang, *_prepare(raws, device, visit, lang, rows))


def _prepare(raws, device, visit, lang, rows):
    """What needs no lock: sort out and fold -> (visit, good, duplicates, rejections, fold ahead)."""
    good, duplicates, rejections = sortout.sort_out(raws, device, visit, lang, rows)
    return visit, good, duplicates, rejections, _fold_ahead(visit, good)


def _finish(raws, device, lang, visit, good, duplicates, rejections, ahead):
    """Under the visit lock: check the fold made ahead still holds, store, write, audit."""
    visit = lock_visit(visit.id)
    above, since = store.seqs_and_events_after(
        device.id, min([device.contiguous_seq, *(e["seq"] - 1 for e in good)]), visit.id,
        ahead[0] if ahead else None)
    if above & {e["seq"] for e in good}:  # a retry raced us: sort out again, in order
        good, duplicates, rejections = sortout.sort_out(raws, device, visit, lang)
        ahead = None
    if ahead and folding.still_exact(ahead[3], ahead[1], visit, since):
        result, touched = ahead[2], ahead[3]
    elif good:  # another sync changed what this one folded: fold again, in order
        result, touched = folding.fold_touched(visit, good)
    else:
        result = touched = None
    stored = _store(good, rejections, raws, device, visit)
    _update_device(device, stored, above)
    if good:
        lifecycle.open_by_sync(visit, device.user, device.id)
        folding.write(visit, result, touched.ids, touched)
    held = _stored(raws, good, duplicates)
    answer = _answer(visit, device, good, duplicates, rejections, result, held)
    if good or rejections:  # a phone's sync, with its officer and phone (not every empty pull)
        audit.record("sync", object_type="visit", object_id=visit.id,
                     detail=f"accepted {len(good)}, rejected {len(rejections)}")
    return good, duplicates, rejections, result, held, answer


def _fold_ahead(visit, good):
    """(position read up to, closed, FoldResult, Touched) of the fold of `good`, made before the
    lock so that syncs of one visit do not queue on it; None when nothing is to be folded."""
    if not good:
        return None
    upto = store.max_pos(visit.id)  # every read below sees at least the events up to here
    closed = visit.status == "closed"
    return (upto, closed, *folding.fold_touched(visit, good))


def _answer(visit, device, good, duplicates, rejections, result, held):
    """The answer of a sync before the pull (the same shape for a replay)."""
    return {
        "accepted": [e["id"] for e in good],
        "duplicates": duplicates,
        "rejected": rejections,
        "info": result.info if result else [],
        "walkins": privacy.own_walkins(visit.id, held),
        "version": visit.state_version,
        "contiguous_seq": device.contiguous_seq,
        "visit_status": visit.status,
        "purge_after": lifecycle.purge_after_utc(visit),
    }


def _pull(visit_id, device_id, cursor, pull_limit, named, conflicts=None):
    """Conflicts of the students the manifest names (`conflicts` if known), and other devices'
    events after the cursor, read after commit (no lock).

    Events of a visit commit in pos order (the lock), so every snapshot sees a prefix: the newest
    position and the events up to it, read in one statement (one snapshot), can never skip an event
    committed later.
    """
    newest, others = store.pull_after(visit_id, store.decode_cursor(cursor), device_id, pull_limit)
    full = len(others) == pull_limit
    answer = {
        "conflicts": folding.active_conflicts(visit_id, named) if conflicts is None else conflicts,
        "cursor": store.encode_cursor(others[-1].pos if full else newest),
        "more": full,
        "events": [privacy.relayed(visit_id, e.body) for e in others],
    }
    db.session.commit()  # ends the read transaction
    return answer


def _stored(raws, good, duplicates):
    """The raw events of this manifest the server now holds (accepted now or before)."""
    held = {e["id"] for e in good} | set(duplicates)
    return [r for r in raws if isinstance(r, dict) and r.get("id") in held]


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
            "conflicts": folding.active_conflicts(visit.id), "version": visit.state_version}


def empty_state(closed=False):
    """The state of a student no event names yet."""
    return fieldsync.fold([], {"x": None}, closed=closed).students["x"].to_dict()
