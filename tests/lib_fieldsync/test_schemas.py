"""Marshmallow schemas: the manifest and each event type, strict about unknown fields."""

import pytest
from marshmallow import ValidationError

from fieldsync.schemas import EVENT_SCHEMAS, REQUIRED, UNKNOWN, ManifestSchema, schema_for

COMMON = {"id": "hpA:1", "seq": 1, "hlc": "1764205200000-0000", "at": "2026-11-27T01:00:05.000Z"}
GOOD = {
    "checkin": {"student_id": "s1"},
    "consent": {"student_id": "s1", "given": True},
    "enqueue": {"student_id": "s1", "ticket": "A-001", "station": 2},
    "call": {"student_id": "s1", "station": 1},
    "outcome": {"student_id": "s1", "result": "failed", "reason": "iris"},
    "ikd": {"student_id": "s1", "status": "failed", "reason": "tanpa email"},
    "walkin": {
        "student": {
            "id": "0b7e6f1c-3f5e-4a43-9f3a-2f6a1d7c9e11",
            "name": "Siti Rahma",
            "nik": "3672015508090731",
            "kk": "3672010101200001",
            "nisn": "0091234567",
            "nipd": "12345",
            "gender": "P",
            "birth_place": "Cilegon",
            "birth_date": "2009-08-15",
            "class": "XI IPA 2",
            "kelurahan_code": "36.72.01.1001",
            "consent": True,
        }
    },
    "undo": {"target": "hpA:0", "reason": "salah pindai"},
    "note": {"student_id": "s1", "text": "datang terlambat"},
    "print": {"student_id": "s1", "result": "not_printed", "reason": "no_blank"},
    "correction": {"student_id": "s1", "field": "outcome", "value": "failed", "reason": "SIAK",
                   "failure_reason": "data_ganda"},
}


def event(kind, **over):
    ev = {**COMMON, "type": kind, **GOOD[kind]}
    ev.update(over)
    return ev


def errors(kind, ev):
    with pytest.raises(ValidationError) as info:
        schema_for(kind).load(ev)
    return info.value.messages


def test_every_protocol_type_has_a_schema():
    assert set(EVENT_SCHEMAS) == set(GOOD)
    assert schema_for("teleport") is None
    assert schema_for(["checkin"]) is None


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_good_event_loads_unchanged(kind):
    ev = event(kind)
    assert schema_for(kind).load(ev) == ev
    with_device = event(kind, device_id="hpA")
    assert schema_for(kind).load(with_device) == with_device


@pytest.mark.parametrize("kind", sorted(GOOD))
def test_unknown_field_is_an_error(kind):
    assert errors(kind, event(kind, colour="red")) == {"colour": [UNKNOWN]}


@pytest.mark.parametrize("kind", sorted(GOOD))
@pytest.mark.parametrize("field", ["id", "seq", "hlc", "at", "type"])
def test_common_fields_are_required(kind, field):
    ev = event(kind)
    del ev[field]
    assert errors(kind, ev)[field] == [REQUIRED]


@pytest.mark.parametrize(
    "field,value",
    [
        ("seq", 0),
        ("seq", True),
        ("seq", 1.5),
        ("seq", "1"),
        ("seq", 2**53),
        ("hlc", "1764205200000-1"),
        ("hlc", "2026-11-27"),
        ("hlc", 1764205200000),
        ("at", "2026-11-27T01:00:05Z"),
        ("at", "2026-11-27T01:00:05.000+07:00"),
        ("at", "2026-02-30T01:00:05.000Z"),
        ("at", "2026-11-27 01:00:05.000Z"),
        ("id", ""),
        ("id", 7),
        ("device_id", ""),
        ("type", "dance"),
    ],
)
def test_common_fields_of_wrong_kind(field, value):
    assert field in errors("checkin", event("checkin", **{field: value}))


@pytest.mark.parametrize(
    "kind,field,value",
    [
        ("checkin", "student_id", 5),
        ("checkin", "student_id", "  "),
        ("enqueue", "ticket", ""),
        ("enqueue", "station", "2"),
        ("call", "station", None),
        ("call", "station", 1.0),
        ("call", "replaces", "no-colon"),
        ("call", "replaces", 7),
        ("outcome", "result", "ok"),
        ("ikd", "status", "pending"),
        ("undo", "target", "no-colon"),
        ("undo", "target", ""),
        ("note", "text", ""),
        ("walkin", "student", "Siti"),
    ],
)
def test_type_fields_of_wrong_kind(kind, field, value):
    assert field in errors(kind, event(kind, **{field: value}))


@pytest.mark.parametrize(
    "kind,field",
    [
        ("checkin", "student_id"),
        ("enqueue", "ticket"),
        ("call", "station"),
        ("outcome", "result"),
        ("ikd", "status"),
        ("undo", "target"),
        ("note", "text"),
        ("walkin", "student"),
    ],
)
def test_type_fields_are_required(kind, field):
    ev = event(kind)
    del ev[field]
    assert errors(kind, ev) == {field: [REQUIRED]}


def test_optional_type_fields():
    assert schema_for("enqueue").load(event("enqueue", station=None))["station"] is None
    ev = event("enqueue")
    del ev["station"]
    assert "station" not in schema_for("enqueue").load(ev)
    ev = event("outcome", result="recorded")
    del ev["reason"]
    loaded = schema_for("outcome").load(ev)
    assert loaded["result"] == "recorded" and loaded.get("reason") is None


def test_walkin_needs_only_id_and_name():
    ev = event("walkin", student={"id": "w-a", "name": "Siti"})
    assert schema_for("walkin").load(ev)["student"] == {"id": "w-a", "name": "Siti"}
    assert errors("walkin", event("walkin", student={"name": "Siti"})) == {
        "student": {"id": [REQUIRED]}
    }


@pytest.mark.parametrize(
    "field,value",
    [
        ("gender", "X"),
        ("birth_date", "15-08-2009"),
        ("birth_date", "2009-02-30"),
        ("consent", "true"),
        ("consent", 1),
        ("nik", 3672015508090731),
        ("name", ""),
    ],
)
def test_walkin_student_fields(field, value):
    student = {**GOOD["walkin"]["student"], field: value}
    assert field in errors("walkin", event("walkin", student=student))["student"]


def test_walkin_student_is_strict_and_keeps_the_class_key():
    student = {**GOOD["walkin"]["student"], "agama": "Islam"}
    assert errors("walkin", event("walkin", student=student)) == {"student": {"agama": [UNKNOWN]}}
    loaded = schema_for("walkin").load(event("walkin"))
    assert loaded["student"]["class"] == "XI IPA 2" and "class_" not in loaded["student"]


def test_manifest_keeps_events_raw():
    raw = {"device_id": "hpA", "cursor": None, "events": [{"x": 1}, 5, None, "junk"]}
    assert ManifestSchema().load(raw) == raw
    assert ManifestSchema().load({"device_id": "hpA", "events": []}) == {
        "device_id": "hpA",
        "cursor": None,
        "events": [],
    }
    assert ManifestSchema().load({"device_id": "hpA", "cursor": "c-42", "events": []})["cursor"]


@pytest.mark.parametrize(
    "raw,field",
    [
        ({"device_id": "hpA", "cursor": None, "events": [], "extra": 1}, "extra"),
        ({"cursor": None, "events": []}, "device_id"),
        ({"device_id": "hpA", "cursor": None}, "events"),
        ({"device_id": "hpA", "cursor": None, "events": {}}, "events"),
        ({"device_id": "hpA", "cursor": 3, "events": []}, "cursor"),
        ({"device_id": "", "cursor": None, "events": []}, "device_id"),
    ],
)
def test_bad_manifest_is_refused_whole(raw, field):
    with pytest.raises(ValidationError) as info:
        ManifestSchema().load(raw)
    assert field in info.value.messages


def test_manifest_that_is_not_an_object():
    with pytest.raises(ValidationError):
        ManifestSchema().load([1, 2])
