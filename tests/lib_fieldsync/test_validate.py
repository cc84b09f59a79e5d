"""Per-event validation: every rejection code, and one bad event never sinks the others."""

import pytest

from fieldsync import codes
from fieldsync.validate import rejection, same_content, validate_batch, validate_event

REASONS = [{"code": "sidik_jari", "label": "Sidik jari gagal"}, {"code": "iris", "label": "Iris"}]
CTX = {
    "device_id": "hpA",
    "known_students": {"s1", "s2"},
    "failure_reasons": REASONS,
    "stations": 2,
}


def ev(n, kind, **fields):
    return {
        "id": f"hpA:{n}",
        "seq": n,
        "hlc": f"1764205200{n:03d}-0000",
        "at": "2026-11-27T01:00:00.000Z",
        "type": kind,
        **fields,
    }


def reject(raw, **over):
    event, rej = validate_event(raw, **{**CTX, **over})
    assert event is None and rej is not None
    return rej


def test_good_event_is_normalised_with_the_device_id():
    raw = ev(1, "checkin", student_id="s1")
    event, rej = validate_event(raw, **CTX)
    assert rej is None
    assert event == {**raw, "device_id": "hpA"}
    assert "device_id" not in raw  # the caller's dict is left alone


@pytest.mark.parametrize(
    "raw,code,field",
    [
        ([1, 2], codes.INVALID_EVENT, None),
        ("checkin", codes.INVALID_EVENT, None),
        (ev(1, "dance", student_id="s1"), codes.UNKNOWN_TYPE, "type"),
        (ev(1, 7, student_id="s1"), codes.UNKNOWN_TYPE, "type"),
        ({k: v for k, v in ev(1, "checkin").items() if k != "type"}, codes.MISSING_FIELD, "type"),
        (ev(1, "checkin"), codes.MISSING_FIELD, "student_id"),
        (ev(1, "outcome", student_id="s1", result="failed"), codes.MISSING_FIELD, "reason"),
        (ev(1, "checkin", student_id="s1", seq="1"), codes.INVALID_FIELD, "seq"),
        (ev(1, "checkin", student_id="s1", at="yesterday"), codes.INVALID_FIELD, "at"),
        (
            ev(1, "walkin", student={"id": "w", "name": "A", "gender": "X"}),
            codes.INVALID_FIELD,
            "student.gender",
        ),
        (ev(1, "checkin", student_id="s1", mood="happy"), codes.UNKNOWN_FIELD, "mood"),
        (ev(2, "checkin", student_id="s1", seq=3), codes.BAD_ID, "id"),
        ({**ev(1, "checkin", student_id="s1"), "id": "hpB:1"}, codes.BAD_ID, "id"),
        (ev(1, "checkin", student_id="s1", device_id="hpB"), codes.BAD_ID, "device_id"),
        (ev(1, "checkin", student_id="s9"), codes.UNKNOWN_STUDENT, "student_id"),
        (ev(1, "note", student_id="s9", text="x"), codes.UNKNOWN_STUDENT, "student_id"),
        (
            ev(1, "outcome", student_id="s1", result="failed", reason="bosan"),
            codes.UNKNOWN_REASON,
            "reason",
        ),
        (ev(1, "call", student_id="s1", station=3), codes.INVALID_STATION, "station"),
        (ev(1, "call", student_id="s1", station=0), codes.INVALID_STATION, "station"),
        (
            ev(1, "enqueue", student_id="s1", ticket="A-1", station=9),
            codes.INVALID_STATION,
            "station",
        ),
        (ev(1, "undo", target="hpA:1"), codes.UNDO_OF_UNDO, "target"),
        (ev(1, "print", student_id="s1", result="not_printed"), codes.MISSING_FIELD, "reason"),
        (ev(1, "print", student_id="s1", result="not_printed", reason="hot"), codes.INVALID_FIELD, "reason"),
        (ev(1, "correction", student_id="s1", field="outcome", value="recorded"), codes.MISSING_FIELD, "reason"),
        (ev(1, "correction", student_id="s1", field="outcome", value="active", reason="x"),
         codes.INVALID_FIELD, "value"),
        (ev(1, "correction", student_id="s1", field="ikd", value="recorded", reason="x"),
         codes.INVALID_FIELD, "value"),
        (ev(1, "correction", student_id="s1", field="outcome", value="failed", reason="x"),
         codes.MISSING_FIELD, "failure_reason"),
        (ev(1, "correction", student_id="s1", field="outcome", value="failed", reason="x",
            failure_reason="bosan"), codes.UNKNOWN_REASON, "failure_reason"),
    ],
)
def test_rejection_codes(raw, code, field):
    rej = reject(raw)
    assert rej["code"] == code and rej["field"] == field
    assert rej["id"] == (raw.get("id") if isinstance(raw, dict) else None)
    assert "message" not in rej  # fieldsync has codes only; the web layer words them (webapp/errors.py)


@pytest.mark.parametrize("raw", [
    ev(1, "outcome", student_id="s1", result="already_recorded"),
    ev(1, "print", student_id="s1", result="printed"),
    ev(1, "print", student_id="s1", result="not_printed", reason="printer_fault"),
    ev(1, "correction", student_id="s1", field="outcome", value=None, reason="salah siswa"),
    ev(1, "correction", student_id="s1", field="ikd", value="active", reason="email diterima"),
])
def test_desk_events_are_accepted(raw):
    event, rej = validate_event(raw, **CTX)
    assert rej is None and event["type"] == raw["type"]


def test_missing_is_reported_before_invalid_and_unknown():
    raw = ev(1, "checkin", seq=True, zzz=1)
    assert reject(raw)["code"] == codes.MISSING_FIELD


def test_every_code_is_listed_once():
    listed = codes.REJECTION_CODES + codes.CONFLICT_CODES + codes.INFO_CODES
    assert len(listed) == len(set(listed))


def test_failure_reasons_may_be_plain_codes():
    raw = ev(1, "outcome", student_id="s1", result="failed", reason="iris")
    assert validate_event(raw, **{**CTX, "failure_reasons": ["iris"]})[1] is None


def test_undo_of_unknown_target_is_accepted():
    event, rej = validate_event(ev(1, "undo", target="hpB:77", reason="x"), **CTX)
    assert rej is None and event["target"] == "hpB:77"


def test_undo_of_stored_undo_is_refused_when_types_are_given():
    raw = ev(5, "undo", target="hpB:2")
    assert validate_event(raw, **CTX)[1] is None
    rej = reject(raw, event_types={"hpB:2": "undo"})
    assert rej["code"] == codes.UNDO_OF_UNDO


def test_one_bad_event_among_good_ones_keeps_the_good_ones():
    raws = [
        ev(1, "checkin", student_id="s1"),
        ev(2, "checkin", student_id="nobody"),
        "garbage",
        ev(3, "enqueue", student_id="s1", ticket="A-001"),
        ev(4, "call", student_id="s1", station=5),
        ev(5, "outcome", student_id="s1", result="recorded"),
    ]
    valid, rejected = validate_batch(raws, **CTX)
    assert [e["id"] for e in valid] == ["hpA:1", "hpA:3", "hpA:5"]
    assert [(r["id"], r["code"]) for r in rejected] == [
        ("hpA:2", codes.UNKNOWN_STUDENT),
        (None, codes.INVALID_EVENT),
        ("hpA:4", codes.INVALID_STATION),
    ]
    assert all(e["device_id"] == "hpA" for e in valid)


def test_walkin_makes_its_student_known_to_the_whole_batch():
    walkin = ev(2, "walkin", student={"id": "w-1", "name": "Budi"})
    before = ev(1, "checkin", student_id="w-1")
    after = ev(3, "outcome", student_id="w-1", result="recorded")
    valid, rejected = validate_batch([before, walkin, after], **CTX)
    assert rejected == [] and len(valid) == 3
    # ...but not to another batch: the caller adds it to known_students once stored.
    assert reject(ev(4, "checkin", student_id="w-1"))["code"] == codes.UNKNOWN_STUDENT
    assert "w-1" not in CTX["known_students"]


def test_undo_of_undo_in_the_same_batch():
    raws = [
        ev(1, "checkin", student_id="s1"),
        ev(2, "undo", target="hpA:1"),
        ev(3, "undo", target="hpA:2"),
        ev(4, "undo", target="hpA:5"),
        ev(5, "undo", target="hpA:1"),
    ]
    valid, rejected = validate_batch(raws, **CTX)
    assert [e["id"] for e in valid] == ["hpA:1", "hpA:2", "hpA:5"]
    assert [(r["id"], r["code"]) for r in rejected] == [
        ("hpA:3", codes.UNDO_OF_UNDO),
        ("hpA:4", codes.UNDO_OF_UNDO),
    ]


def test_seq_reused_within_a_batch_and_exact_repeat_dropped():
    first = ev(1, "checkin", student_id="s1")
    same = dict(reversed(list(first.items())))
    other = ev(1, "checkin", student_id="s2")
    valid, rejected = validate_batch([first, same, other], **CTX)
    assert [e["id"] for e in valid] == ["hpA:1"]
    assert [(r["id"], r["code"], r["field"]) for r in rejected] == [
        ("hpA:1", codes.SEQ_REUSED, "seq")
    ]


def test_same_content():
    a = ev(1, "walkin", student={"id": "w", "name": "A", "consent": True})
    b = dict(reversed(list(a.items())))
    assert same_content(a, b)
    assert same_content(a, {**a, "device_id": "hpA"})  # the manifest supplies device_id
    assert not same_content({**a, "device_id": "hpA"}, {**a, "device_id": "hpB"})
    assert not same_content(a, {**a, "student": {"id": "w", "name": "A", "consent": 1}})
    assert not same_content(a, {**a, "hlc": "1764205200999-0000"})


def test_rejection_builder():
    assert rejection("hpA:1", codes.MISSING_FIELD, "ticket") == {
        "id": "hpA:1", "code": "missing_field", "field": "ticket"}
