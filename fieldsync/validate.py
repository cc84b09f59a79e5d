"""Per-event validation of a sync manifest: accept the good events, reject the bad with a code."""

from marshmallow import ValidationError

from . import codes, fastcheck
from .fold import canonical_json
from .schemas import IKD_STATUSES, OUTCOME_RESULTS, REQUIRED, UNKNOWN, schema_for

# The values a correction may set, per field (None clears it).
CORRECTION_VALUES = {"outcome": (*OUTCOME_RESULTS, None), "ikd": (*IKD_STATUSES, None)}

# When an event has several problems, report the most useful one first.
_PRIORITY = {codes.MISSING_FIELD: 0, codes.INVALID_FIELD: 1, codes.UNKNOWN_FIELD: 2}


def rejection(event_id, code, field=None):
    """Build a rejection `{"id", "code", "field"}` (the web layer adds its message)."""
    return {"id": event_id, "code": code, "field": field}


def same_content(a, b):
    """True if two events are the same JSON, ignoring key order (and an implied device_id)."""
    if isinstance(a, dict) and isinstance(b, dict) and ("device_id" in a) != ("device_id" in b):
        # On the wire device_id comes from the manifest, so a stored event may carry it and
        # the re-sent raw one not. Compared key by key, without copying either (a replay).
        keys = a.keys() - {"device_id"}
        return keys == b.keys() - {"device_id"} and all(_json_equal(a[k], b[k]) for k in keys)
    return _json_equal(a, b)


def _json_equal(a, b):
    """canonical_json(a) == canonical_json(b) for JSON data, without writing either out.

    Types must match (1, 1.0 and true are three JSON texts); floats compare as JSON writes them.
    A replayed manifest compares every event with its stored copy, so this is on a hot path.
    """
    if type(a) is not type(b):
        return False
    if type(a) is dict:
        return a.keys() == b.keys() and all(_json_equal(v, b[k]) for k, v in a.items())
    if type(a) is list:
        return len(a) == len(b) and all(map(_json_equal, a, b))
    if type(a) is float:
        return repr(a) == repr(b)
    if type(a) in (str, int, bool) or a is None:
        return a == b
    return canonical_json(a) == canonical_json(b)  # not JSON data: the text decides


def _flatten(messages, prefix=""):
    """Yield (dotted field path, message) from marshmallow's nested error dict."""
    if isinstance(messages, dict):
        for key, value in messages.items():
            if key == "_schema":
                path = prefix
            else:
                path = f"{prefix}.{key}" if prefix else str(key)
            yield from _flatten(value, path)
    elif isinstance(messages, list):
        for value in messages:
            yield from _flatten(value, prefix)
    else:
        yield prefix, messages


def _schema_error(messages):
    """Pick (code, field) for a marshmallow error: missing, then invalid, then unknown."""
    found = []
    for path, msg in _flatten(messages):
        if msg == REQUIRED:
            code = codes.MISSING_FIELD
        elif msg == UNKNOWN:
            code = codes.UNKNOWN_FIELD
        else:
            code = codes.INVALID_FIELD
        found.append((_PRIORITY[code], path, code))
    _, path, code = min(found)
    return code, path or None


def _reason_codes(failure_reasons):
    # The visit gives [{"code", "label"}]; tests and config may give plain codes.
    return {r["code"] if isinstance(r, dict) else r for r in failure_reasons}


def _station_ok(station, stations):
    return station is None or 1 <= station <= stations


def _failure_reason(reason, reasons, field):
    """A failed outcome needs a reason from the visit's list."""
    if reason is None:
        return codes.MISSING_FIELD, field
    if reason not in reasons:
        return codes.UNKNOWN_REASON, field
    return None


def _check_semantics(ev, *, known, reasons, stations, event_types):
    """Rules beyond the schema, as (code, field) or None."""
    kind = ev["type"]
    if "student_id" in ev and ev["student_id"] not in known:
        return codes.UNKNOWN_STUDENT, "student_id"
    if kind in ("call", "enqueue") and not _station_ok(ev.get("station"), stations):
        return codes.INVALID_STATION, "station"
    if kind == "outcome" and ev["result"] == "failed":
        return _failure_reason(ev.get("reason"), reasons, "reason")
    if kind == "print" and ev["result"] == "not_printed" and ev.get("reason") is None:
        return codes.MISSING_FIELD, "reason"
    if kind == "correction":
        if ev["value"] not in CORRECTION_VALUES[ev["field"]]:
            return codes.INVALID_FIELD, "value"
        if ev["field"] == "outcome" and ev["value"] == "failed":
            return _failure_reason(ev.get("failure_reason"), reasons, "failure_reason")
    if kind == "undo":
        target = ev["target"]
        if target == ev["id"] or (event_types is not None and event_types.get(target) == "undo"):
            return codes.UNDO_OF_UNDO, "target"
    return None


def _validate(raw, device_id, known, reasons, stations, event_types):
    if not isinstance(raw, dict):
        return None, rejection(None, codes.INVALID_EVENT)
    eid = raw.get("id") if isinstance(raw.get("id"), str) else None
    if "type" not in raw:
        return None, rejection(eid, codes.MISSING_FIELD, "type")
    schema = schema_for(raw["type"])
    if schema is None:
        return None, rejection(eid, codes.UNKNOWN_TYPE, "type")
    # The compiled checks answer for a valid event; anything else goes to marshmallow, which
    # also names the error (fastcheck.py).
    ev = fastcheck.load(raw)
    if ev is None:
        try:
            ev = schema.load(raw)
        except ValidationError as err:
            code, field = _schema_error(err.messages)
            return None, rejection(eid, code, field)
    if ev.get("device_id", device_id) != device_id:
        return None, rejection(eid, codes.BAD_ID, "device_id")
    if ev["id"] != f"{device_id}:{ev['seq']}":
        return None, rejection(eid, codes.BAD_ID, "id")
    problem = _check_semantics(
        ev, known=known, reasons=reasons, stations=stations, event_types=event_types
    )
    if problem:
        return None, rejection(eid, problem[0], problem[1])
    ev["device_id"] = device_id
    return ev, None


def validate_event(
    raw,
    *,
    device_id,
    known_students,
    failure_reasons,
    stations,
    event_types=None,
):
    """Validate one raw event; return (normalised event, None) or (None, rejection).

    `event_types` optionally maps already stored event ids to their type, so that an undo of
    a stored undo is refused too. An undo of an unknown id is accepted: it may arrive later.
    """
    return _validate(
        raw,
        device_id,
        known_students,
        _reason_codes(failure_reasons),
        stations,
        event_types,
    )


class _Known:
    """Known student ids plus the walk-ins of this batch, without copying the caller's set."""

    def __init__(self, base, extra):
        self.base, self.extra = base, extra

    def __contains__(self, sid):
        return sid in self.extra or sid in self.base


def validate_batch(
    raws,
    *,
    device_id,
    known_students,
    failure_reasons,
    stations,
    event_types=None,
):
    """Validate a manifest's events one by one; return (valid_events, rejections).

    Walk-ins of the batch make their student ids known to every other event of the batch.
    An exact repeat of an event within the batch is dropped (it is a duplicate, neither valid
    twice nor rejected); the same id with other content is rejected `seq_reused`.
    """
    raws = list(raws)
    reasons = _reason_codes(failure_reasons)
    types = dict(event_types or {})
    for raw in raws:
        if isinstance(raw, dict) and isinstance(raw.get("id"), str):
            types.setdefault(raw["id"], raw.get("type"))

    # First pass: walk-ins, so a walk-in's id is known whatever its place in the batch.
    new_ids = set()
    for raw in raws:
        if isinstance(raw, dict) and raw.get("type") == "walkin":
            ev, _ = _validate(raw, device_id, known_students, reasons, stations, types)
            if ev is not None:
                new_ids.add(ev["student"]["id"])
    known = _Known(known_students, new_ids)

    valid, rejected, first_raw = [], [], {}
    for raw in raws:
        eid = raw.get("id") if isinstance(raw, dict) else None
        if isinstance(eid, str) and eid in first_raw:
            if not same_content(raw, first_raw[eid]):
                rejected.append(rejection(eid, codes.SEQ_REUSED, "seq"))
            continue
        if isinstance(eid, str):
            first_raw[eid] = raw
        ev, rej = _validate(raw, device_id, known, reasons, stations, types)
        if rej is not None:
            rejected.append(rej)
        else:
            valid.append(ev)
    return valid, rejected
