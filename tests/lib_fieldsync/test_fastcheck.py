"""The compiled fast path loads exactly what the marshmallow schemas load (fieldsync/fastcheck.py)."""
import json
from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st
from marshmallow import ValidationError

from fieldsync import codes, fastcheck
from fieldsync.schemas import (
    CORRECTION_FIELDS,
    EVENT_SCHEMAS,
    GENDERS,
    IKD_STATUSES,
    OUTCOME_RESULTS,
    PRINT_REASONS,
    PRINT_RESULTS,
    _check_at,
    schema_for,
)
from fieldsync.validate import validate_batch

SETTINGS = settings(deadline=None, max_examples=400)

text = st.text(min_size=1, max_size=12).filter(lambda s: s.strip())
maybe = lambda s: st.one_of(st.none(), s)  # noqa: E731
hlc = st.integers(0, 10**13 - 1).map(lambda ms: f"{ms:013d}-0001")
at = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 1, 1)).map(
    lambda d: d.strftime("%Y-%m-%dT%H:%M:%S.") + f"{d.microsecond // 1000:03d}Z")
event_id = st.builds(lambda a, b: f"{a}:{b}", text, st.integers(1, 99))
student = st.fixed_dictionaries({"id": text, "name": text}, optional={
    "nik": maybe(st.text(max_size=32)), "kk": maybe(st.text(max_size=32)), "gender": maybe(st.sampled_from(GENDERS)),
    "birth_date": maybe(st.dates().map(lambda d: d.isoformat())), "class": maybe(st.text(max_size=50)),
    "kelurahan_code": maybe(st.text(max_size=20)), "consent": maybe(st.booleans()),
    "birth_place": maybe(st.text(max_size=100)), "nisn": maybe(st.text(max_size=32))})
SID = {"student_id": text}
EXTRA = {
    "checkin": ({}, {}),
    "enqueue": ({"ticket": st.text(min_size=1, max_size=20).filter(str.strip)}, {"station": maybe(st.integers(-5, 9))}),
    "call": ({"station": st.integers(-5, 9)}, {"replaces": maybe(event_id)}),
    "outcome": ({"result": st.sampled_from(OUTCOME_RESULTS)}, {"reason": maybe(text)}),
    "ikd": ({"status": st.sampled_from(IKD_STATUSES)}, {"reason": maybe(text)}),
    "note": ({"text": text}, {}),
    "consent": ({"given": st.booleans()}, {}),
    "print": ({"result": st.sampled_from(PRINT_RESULTS)}, {"reason": maybe(st.sampled_from(PRINT_REASONS))}),
    "correction": ({"field": st.sampled_from(CORRECTION_FIELDS), "value": maybe(text), "reason": text},
                   {"failure_reason": maybe(text)}),
}


def valid_event(kind):
    base = {"id": event_id, "seq": st.integers(1, 2**53 - 1), "hlc": hlc, "at": at, "type": st.just(kind)}
    if kind == "walkin":
        return st.fixed_dictionaries({**base, "student": student}, optional={"device_id": text})
    if kind == "undo":
        return st.fixed_dictionaries({**base, "target": event_id}, optional={"reason": maybe(st.text(max_size=500))})
    required, optional = EXTRA[kind]
    return st.fixed_dictionaries({**base, **SID, **required}, optional={**optional, "device_id": text})


valid_events = st.one_of([valid_event(kind) for kind in EVENT_SCHEMAS])
# Values that break one rule or another: wrong kinds, blanks, bounds, impossible dates, booleans as ints.
NASTY = [None, True, False, -2, -1, 0, 1, 2, 5, 2**53 - 1, 2**53, 1.0, 0.5, [], {}, ["x"], "", " ", "\n", "x",
         "a:b", "x" * 20, "x" * 21, "x" * 33, "x" * 51, "x" * 101, "x" * 201, "x" * 501, "x" * 2001,
         "1764230130123-0002", "1764230130123-0002\n", "2026-11-27T01:00:05.000Z", "2026-02-30T00:00:00.000Z",
         "2026-13-01T00:00:00.000Z", "0000-01-01T00:00:00.000Z", "2026-01-01T24:00:00.000Z",
         "2026-01-01T00:00:60.000Z", "2026-01-01", "2026-02-30", "L", "P", "X", "recorded", "failed",
         "already_recorded", "scanned", "active", "printed", "not_printed", "no_blank", "outcome", "ikd",
         "checkin", {"id": "w", "name": "A"}]
nasty = st.one_of(st.sampled_from(NASTY), st.text(max_size=5))


@st.composite
def mutated_events(draw):
    ev = dict(draw(valid_events))
    for _ in range(draw(st.sampled_from([1, 1, 1, 2, 3]))):
        target = ev
        if "student" in ev and isinstance(ev["student"], dict) and draw(st.booleans()):
            target = ev["student"] = dict(ev["student"])
        how = draw(st.sampled_from(["drop", "set", "add"]))
        keys = sorted(target)
        if how == "drop" and keys:
            target.pop(draw(st.sampled_from(keys)))
        elif how == "set" and keys:
            target[draw(st.sampled_from(keys))] = draw(nasty)
        else:
            extra = ["mood", "reason", "station", "replaces", "device_id", "nik", "class_"]
            target[draw(st.sampled_from(extra))] = draw(nasty)
    return ev


def marshmallow_load(raw):
    schema = schema_for(raw.get("type"))
    try:
        return schema.load(raw)
    except ValidationError:
        return "rejected"


def same_as_marshmallow(raw):
    fast = fastcheck.load(raw)
    if fast is not None:
        slow = marshmallow_load(raw)
        assert slow == fast
        assert list(slow) == list(fast)  # same key order too: the stored body is this dict
    return fast


@SETTINGS
@given(valid_events)
def test_a_valid_event_takes_the_fast_path_and_loads_the_same(raw):
    assert same_as_marshmallow(raw) is not None


@settings(deadline=None, max_examples=1500)
@given(mutated_events())
def test_the_fast_path_never_accepts_what_marshmallow_refuses(raw):
    if schema_for(raw.get("type")) is not None:
        same_as_marshmallow(raw)


@settings(deadline=None, max_examples=200)
@given(st.lists(st.one_of(valid_events, mutated_events()), max_size=6))
def test_batch_answers_equal_the_marshmallow_only_answers(raws):
    """Whole validation (codes, fields, valid events) is the same with the fast path switched off."""
    ctx = {"device_id": "hpA", "known_students": {"s1"}, "failure_reasons": ["iris"], "stations": 4}
    for raw in raws:  # ids of this device, so more events reach the later rules
        raw["id"], raw["device_id"] = f"hpA:{raw.get('seq')}", "hpA"
    fast = validate_batch(raws, **ctx)
    loaders = dict(fastcheck.LOADERS)
    try:
        fastcheck.LOADERS.clear()
        slow = validate_batch(raws, **ctx)
    finally:
        fastcheck.LOADERS.update(loaders)
    assert fast == slow


BASES = {  # one valid event of each type, with every optional field present
    "checkin": {}, "enqueue": {"ticket": "A-001", "station": 1}, "call": {"station": 2, "replaces": "hpB:3"},
    "outcome": {"result": "failed", "reason": "iris"}, "ikd": {"status": "failed", "reason": "x"},
    "note": {"text": "cek"}, "consent": {"given": True}, "print": {"result": "not_printed", "reason": "no_blank"},
    "correction": {"field": "outcome", "value": "failed", "reason": "salah", "failure_reason": "iris"},
}


def base_event(kind):
    ev = {"id": "hpA:1", "device_id": "hpA", "seq": 1, "hlc": "1764230130123-0002",
          "at": "2026-11-27T01:00:05.000Z", "type": kind}
    if kind == "walkin":
        return {**ev, "student": {"id": "w", "name": "A", "nik": "3672012003080004", "kk": "1", "nisn": "2",
                                  "nipd": "3", "gender": "L", "birth_place": "X", "birth_date": "2010-01-02",
                                  "class": "7A", "kelurahan_code": "36", "consent": False}}
    if kind == "undo":
        return {**ev, "target": "hpA:0", "reason": "salah"}
    return {**ev, "student_id": "s1", **BASES[kind]}


def test_every_single_change_to_every_field_of_every_type():
    """Exhaustive: each field of each type dropped, or set to each nasty value; an unknown field added."""
    for kind in EVENT_SCHEMAS:
        base = base_event(kind)
        assert same_as_marshmallow(base) is not None
        places = [(base, k) for k in base]
        places += [(base["student"], k) for k in base["student"]] if "student" in base else []
        for where, key in places + [(base, "mood"), (base.get("student", base), "class_")]:
            for value in [*NASTY, "drop"]:
                raw = dict(base, student=dict(base["student"])) if "student" in base else dict(base)
                target = raw["student"] if where is not base else raw
                if value == "drop":
                    target.pop(key, None)
                else:
                    target[key] = value
                same_as_marshmallow(raw)


def test_a_rejected_event_still_gets_marshmallows_code_and_field():
    raw = {"id": "hpA:1", "seq": True, "hlc": "1764230130123-0002", "at": "2026-11-27T01:00:05.000Z",
           "type": "checkin", "student_id": "s1"}
    assert fastcheck.load(raw) is None
    _, rejections = validate_batch([raw], device_id="hpA", known_students={"s1"}, failure_reasons=[], stations=1)
    assert (rejections[0]["code"], rejections[0]["field"]) == (codes.INVALID_FIELD, "seq")


def _strptime_verdict(value):
    try:
        datetime.strptime(value, "%Y-%m-%dT%H:%M:%S.%fZ")
        return True
    except ValueError:
        return False


@settings(deadline=None, max_examples=500)
@given(st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32), st.integers(0, 25), st.integers(0, 61),
       st.integers(0, 62), st.integers(0, 999))
def test_at_check_agrees_with_strptime_around_every_bound(y, mo, d, h, mi, s, ms):
    value = f"{y:04d}-{mo:02d}-{d:02d}T{h:02d}:{mi:02d}:{s:02d}.{ms:03d}Z"
    try:
        _check_at(value)
        ours = True
    except ValidationError:
        ours = False
    assert ours == _strptime_verdict(value)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.sampled_from([0.0, -0.0, 1.0, 0.5, float("nan")]),
              st.sampled_from(["", "a", "b", "1", "true"])),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b", "c"]), inner,
                                                                         max_size=3)),
    max_leaves=8)


@settings(deadline=None, max_examples=600)
@given(json_values, json_values)
def test_same_content_is_canonical_json_equality(a, b):
    """same_content compares without writing JSON out; its verdict is still the canonical text's."""
    from fieldsync import canonical_json, same_content

    assert same_content(a, b) == (canonical_json(a) == canonical_json(b))
    assert same_content(a, a) == (canonical_json(a) == canonical_json(a))
    c = json.loads(json.dumps(a))  # a copy as the database gives it back
    assert same_content(a, c) == (canonical_json(a) == canonical_json(c))
