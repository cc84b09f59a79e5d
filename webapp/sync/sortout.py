"""A manifest sorted out against the store, before any lock: duplicates, replays, refusals (sync-algorithm §7)."""
import fieldsync
from fieldsync import codes
from webapp.errors import message_of
from webapp.sync import deskrules, store
from webapp.visits import rules
from webapp.visits.reasons import REASON_CODES
from webapp.visits.services import validate_student


def stored_rows(raws, device):
    """The stored rows (accepted, rejected) of the seqs a manifest names: one read."""
    seqs = {r.get("seq") for r in raws if isinstance(r, dict) and isinstance(r.get("seq"), int)}
    return store.stored_by_seq(device.id, seqs)


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
    rej = fieldsync.rejection(ev["id"], code, f"student.{field}")
    detail = rules.describe({field: errors[field]}, lang)[field][0]
    rej["message"] = f"{message_of(code, lang, field=rej['field'])} {detail}"
    return rej


def replayed(raws, device, accepted):
    """The duplicate ids when every event of the manifest is stored with this content, else None.

    Only seqs at or below the device's contiguous seq: then the answer's `contiguous_seq` is the
    device's as stored, and nothing this request could store would move it.
    """
    if not raws:
        return None
    out = []
    for raw in raws:
        seq = raw.get("seq") if isinstance(raw, dict) else None
        old = accepted.get(seq) if isinstance(seq, int) and seq <= device.contiguous_seq else None
        if old is None:
            return None
        stored = raw if "device_id" in raw else {**raw, "device_id": device.id}  # as validation stores it
        if not (old.is_stored_text_of(stored) or fieldsync.same_content(raw, old.body)):
            return None
        out.append(old.event_id)
    return out


def sort_out(raws, device, visit, lang, rows=None):
    """Split raw events into (new valid events, duplicate ids, rejections); `rows`: the stored rows
    of their seqs if already read."""
    accepted, rejected = rows or stored_rows(raws, device)
    fresh, duplicates, rejections = [], [], []
    for raw in raws:
        seq = raw.get("seq") if isinstance(raw, dict) else None
        old = accepted.get(seq) if isinstance(seq, int) else None
        old_rej = rejected.get(seq) if isinstance(seq, int) else None
        if old is not None:
            if fieldsync.same_content(raw, old.body):
                duplicates.append(old.event_id)
            else:
                rejections.append(fieldsync.rejection(raw.get("id"), codes.SEQ_REUSED, "seq"))
        elif old_rej is not None:
            if fieldsync.same_content(raw, old_rej.body):
                # A retry of an event refused before: same answer, stored once.
                rejections.append({"id": old_rej.event_id, "code": old_rej.code,
                                   "message": old_rej.message, "field": None, "stored": True})
            else:
                rejections.append(fieldsync.rejection(raw.get("id"), codes.SEQ_REUSED, "seq"))
        else:
            fresh.append(raw)
    targets = {r.get("target") for r in fresh if isinstance(r, dict) and r.get("type") == "undo"}
    valid, bad = fieldsync.validate_batch(
        fresh, device_id=device.id, known_students=store.known_among(visit.id, _named(fresh)),
        failure_reasons=REASON_CODES, stations=visit.stations,
        event_types=store.event_types({t for t in targets if isinstance(t, str)}),
    )
    good, dropped = [], set()
    desk = deskrules.phone_problems(valid, visit, device)
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
        bad += [fieldsync.rejection(ev["id"], codes.UNKNOWN_STUDENT, "student_id")
                for ev in good if ev.get("student_id") in dropped]
        good = keep
    seen = {r["id"] for r in rejections}
    in_batch = {e["id"] for e in good} | {r["id"] for r in bad} | seen
    # validate_batch drops exact repeats inside one batch: they are duplicates.
    duplicates += [r["id"] for r in fresh if isinstance(r, dict) and r.get("id") not in in_batch
                   and isinstance(r.get("id"), str) and r["id"] not in duplicates]
    return good, duplicates, [_worded(r, lang) for r in rejections + bad]


def _worded(rejection, lang):
    """A fieldsync rejection with its message from the error registry (fieldsync has codes only)."""
    if "message" not in rejection:
        rejection["message"] = message_of(rejection["code"], lang, field=rejection["field"] or "")
    return rejection


def _named(raws):
    return {r.get("student_id") for r in raws if isinstance(r, dict) and isinstance(r.get("student_id"), str)}
