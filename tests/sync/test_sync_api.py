"""The sync endpoint: vectors through HTTP, idempotency, rejections, cursors, limits, access."""
import itertools
import random

import pytest
from sqlalchemy import func, select
from sync_phone import VECTORS, NamedPhone, Phone, load_vector, remap

import fieldsync
from webapp.extensions import db
from webapp.sync import folding, services, store
from webapp.sync.models import Device, RejectedEvent, StudentAlias, SyncEvent
from webapp.visits.models import Student, Visit
from webapp.visits.slipcode import slip_code

FIELDS = ("attendance", "ticket", "outcome", "reason", "ikd")


def open_visit():
    return db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()


def some_students(visit, n=3):
    return db.session.execute(select(Student).where(Student.visit_id == visit.id)
                              .order_by(Student.id).limit(n)).scalars().all()


def vector_visit(vector):
    """A visit whose students carry the vector's ids."""
    visit = open_visit()
    template = some_students(visit, 1)[0]
    students = vector["students"]
    niks = students if isinstance(students, dict) else dict.fromkeys(students)
    # Old enough for the card: print events of a vector are then allowed.
    born = template.birth_date.replace(year=visit.date.year - 18)
    for i, (sid, nik) in enumerate(niks.items()):
        db.session.add(Student(id=sid, visit_id=visit.id, name=f"Vektor {sid}",
                               nik=nik or f"36720141100{i + 1:05d}"[:16], gender="L",
                               birth_date=born, source="prereg"))
    if vector.get("closed"):
        visit.status = "closed"
    db.session.commit()
    return visit


@pytest.mark.parametrize("path", VECTORS, ids=lambda p: p.stem)
def test_vectors_through_http_in_any_split(demo, client, path):
    vector = load_vector(path)
    visit = vector_visit(vector)
    names = sorted({ev["device_id"] for ev in vector["events"]})
    # Devices named web* are a coordinator's (corrections, docs/desk.md).
    phones = {n: NamedPhone(client, n, "koordinator" if n.startswith("web") else "petugas1") for n in names}
    events = remap(vector, {n: n for n in names})
    random.Random(path.stem).shuffle(events)
    # Phones in any order; each sends in seq order (as a phone does) in two requests, the
    # second repeating the first.
    order = list(phones.items())
    random.Random(path.stem).shuffle(order)
    for name, phone in order:
        mine = sorted((ev for dev, ev in events if dev == name), key=lambda ev: ev["seq"])
        half = len(mine) // 2
        for batch in (mine[:half], mine):
            response = phone.sync(visit.id, batch)
            assert response.status_code == 200, response.get_json()
            assert response.get_json()["rejected"] == []
    state = next(iter(phones.values())).get(f"/api/v1/visits/{visit.id}/state").get_json()
    for sid, expected in vector["expected"].items():
        assert {k: state["students"][sid][k] for k in FIELDS} == expected
    assert state["aliases"] == vector.get("aliases", {})
    got = sorted((c["code"], c["student_id"]) for c in state["conflicts"])
    assert got == sorted((c["code"], c["student_id"]) for c in vector["conflicts"])


def test_resend_is_idempotent(demo, client):
    visit, phone = open_visit(), Phone(client)
    s1, s2 = some_students(visit, 2)
    events = [phone.event("checkin", student_id=s1.id),
              phone.event("enqueue", student_id=s1.id, ticket=f"{phone.prefix}-001"),
              phone.event("outcome", student_id=s2.id, result="recorded")]
    first = phone.sync(visit.id, events).get_json()
    assert first["accepted"] == [e["id"] for e in events] and first["duplicates"] == []
    version = first["version"]
    again = phone.sync(visit.id, events).get_json()
    assert again["accepted"] == [] and again["duplicates"] == [e["id"] for e in events]
    assert again["version"] == version
    mine = select(func.count(SyncEvent.pos)).where(SyncEvent.device_id == phone.id)
    assert db.session.execute(mine).scalar_one() == 3


def test_bad_event_among_good_ones(demo, client):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    good1 = phone.event("checkin", student_id=s1.id)
    bad = phone.event("outcome", student_id=s1.id, result="failed", reason="bukan_kode")
    unknown = phone.event("checkin", student_id="tidak-ada")
    good2 = phone.event("enqueue", student_id=s1.id, ticket="A-001")
    body = phone.sync(visit.id, [good1, bad, unknown, good2]).get_json()
    assert body["accepted"] == [good1["id"], good2["id"]]
    assert {r["id"]: r["code"] for r in body["rejected"]} == {
        bad["id"]: "unknown_reason", unknown["id"]: "unknown_student"}
    mine = select(RejectedEvent).where(RejectedEvent.device_id == phone.id)
    stored = db.session.execute(mine).scalars().all()
    assert {r.event_id for r in stored} == {bad["id"], unknown["id"]}
    # A retry reports the same rejections and stores nothing twice.
    again = phone.sync(visit.id, [good1, bad, unknown, good2]).get_json()
    assert sorted(r["code"] for r in again["rejected"]) == ["unknown_reason", "unknown_student"]
    count = select(func.count(RejectedEvent.id)).where(RejectedEvent.device_id == phone.id)
    assert db.session.execute(count).scalar_one() == 2
    device = db.session.get(Device, phone.id)
    assert (device.contiguous_seq, device.max_seq) == (4, 4)


def test_seq_reused_with_other_content(demo, client):
    visit, phone = open_visit(), Phone(client)
    s1, s2 = some_students(visit, 2)
    ev = phone.event("checkin", student_id=s1.id)
    phone.sync(visit.id, [ev])
    body = phone.sync(visit.id, [{**ev, "student_id": s2.id}]).get_json()
    assert body["rejected"][0]["code"] == "seq_reused"


def test_english_rejection_message_names_field(demo, client):
    visit, phone = open_visit(), Phone(client)
    ev = phone.event("call", student_id=some_students(visit, 1)[0].id, station=99)
    response = client.post(f"/api/v1/visits/{visit.id}/sync", json={
        "device_id": phone.id, "cursor": None, "events": [ev]},
        headers={**phone.headers, "Accept-Language": "en"})
    rej = response.get_json()["rejected"][0]
    assert rej["code"] == "invalid_station" and "station" in rej["message"].lower()


@pytest.mark.parametrize("body,status", [
    ("not json", 400), ({"events": []}, 422), ({"device_id": "x", "events": "no"}, 422),
    ({"device_id": "x", "cursor": None, "events": [], "extra": 1}, 422),
])
def test_not_a_manifest_is_refused_whole(demo, client, body, status):
    visit, phone = open_visit(), Phone(client)
    kwargs = {"data": body, "content_type": "application/json"} if isinstance(body, str) else {"json": body}
    before = db.session.execute(select(func.count(SyncEvent.pos))).scalar_one()
    response = client.post(f"/api/v1/visits/{visit.id}/sync", headers=phone.headers, **kwargs)
    assert response.status_code == status
    assert db.session.execute(select(func.count(SyncEvent.pos))).scalar_one() == before


def test_manifest_of_another_device_is_refused(demo, client):
    visit, a, b = open_visit(), Phone(client), Phone(client, "petugas2")
    response = a.client.post(f"/api/v1/visits/{visit.id}/sync", headers=a.headers,
                             json={"device_id": b.id, "cursor": None, "events": []})
    assert response.status_code == 403 and response.get_json()["code"] == "device_mismatch"


def test_limits_answer_413_with_the_limit(demo, client, app):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    app.config["SYNC_MAX_EVENTS"] = 5
    try:
        response = phone.sync(visit.id, [phone.event("note", student_id=s1.id, text="x") for _ in range(6)])
        body = response.get_json()
        assert response.status_code == 413 and body["code"] == "too_many_events" and body["limit"] == 5
        app.config["SYNC_MAX_BYTES"] = 200
        response = phone.sync(visit.id, [phone.event("note", student_id=s1.id, text="y" * 300)])
        assert response.status_code == 413 and response.get_json()["limit"] == 200
    finally:
        app.config["SYNC_MAX_EVENTS"], app.config["SYNC_MAX_BYTES"] = 500, 1024 * 1024


def test_cursor_pulls_other_devices_events_once(demo, client):
    visit, a, b = open_visit(), Phone(client), Phone(client, "petugas2")
    s1, s2 = some_students(visit, 2)
    a.sync(visit.id, [a.event("checkin", student_id=s1.id)])
    got = b.sync(visit.id, [b.event("checkin", student_id=s2.id)]).get_json()
    assert [e["id"] for e in got["events"]] == [f"{a.id}:1"]
    assert b.sync(visit.id, []).get_json()["events"] == []
    a.sync(visit.id, [a.event("call", student_id=s1.id, station=1)])
    assert [e["id"] for e in b.sync(visit.id, []).get_json()["events"]] == [f"{a.id}:2"]


def test_contiguous_seq_shows_missing_events(demo, client):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    e1, e2, e3, e4 = (phone.event("note", student_id=s1.id, text=str(i)) for i in range(4))
    assert phone.sync(visit.id, [e1, e2, e4]).get_json()["contiguous_seq"] == 2
    assert db.session.get(Device, phone.id).max_seq == 4
    assert phone.sync(visit.id, [e3]).get_json()["contiguous_seq"] == 4


def test_failure_mid_request_leaves_nothing_and_retry_succeeds(demo, client, monkeypatch):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    events = [phone.event("checkin", student_id=s1.id), phone.event("outcome", student_id=s1.id,
                                                                     result="recorded")]
    device = db.session.get(Device, phone.id)
    manifest = {"device_id": phone.id, "cursor": None, "events": events}

    def crash(*args, **kwargs):
        raise RuntimeError("server died mid-sync")

    monkeypatch.setattr(folding, "_write_states", crash)
    with pytest.raises(RuntimeError):
        services.apply_sync(visit.id, device, manifest)
    count = select(func.count(SyncEvent.pos)).where(SyncEvent.device_id == phone.id)
    assert db.session.execute(count).scalar_one() == 0
    assert db.session.get(Device, phone.id).contiguous_seq == 0
    monkeypatch.undo()
    body = phone.sync(visit.id, events).get_json()
    assert body["accepted"] == [e["id"] for e in events]
    state = phone.get(f"/api/v1/visits/{visit.id}/state").get_json()["students"][s1.id]
    assert state["outcome"] == "recorded"


def test_walkin_alias_of_preregistered_student(demo, client):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    walk = phone.event("walkin", student={"id": "6f1c2a9e-0000-4000-8000-000000000001", "name": s1.name,
                                          "nik": s1.nik, "gender": s1.gender,
                                          "birth_date": s1.birth_date.isoformat(), "consent": True})
    rec = phone.event("outcome", student_id=walk["student"]["id"], result="recorded")
    body = phone.sync(visit.id, [walk, rec]).get_json()
    assert body["rejected"] == [] and body["conflicts"][0]["code"] == "walkin_duplicate"
    assert db.session.execute(select(func.count(Student.id)).where(Student.nik == s1.nik)).scalar_one() == 1
    assert db.session.get(StudentAlias, walk["student"]["id"]).student_id == s1.id
    state = phone.get(f"/api/v1/visits/{visit.id}/state").get_json()
    assert state["students"][s1.id]["outcome"] == "recorded"


def test_walkin_creates_student_and_order_reconciles(demo, client):
    visit, a, b = open_visit(), NamedPhone(client, "hpA"), NamedPhone(client, "hpB")
    person = {"name": "Siti Rahma", "nik": "3672015508090731", "gender": "P", "birth_date": "2009-08-15"}
    wb = b.event("walkin", student={"id": "w-b", **person})
    b.sync(visit.id, [wb])
    assert db.session.get(Student, "w-b").source == "walkin"
    a.ms = 0  # phone A's walk-in happened first
    wa = a.event("walkin", student={"id": "w-a", **person})
    a.sync(visit.id, [wa])
    db.session.expire_all()
    assert db.session.get(Student, "w-b") is None and db.session.get(Student, "w-a") is not None
    assert db.session.get(StudentAlias, "w-b").student_id == "w-a"


def test_walkin_with_invalid_nik_rejected_with_its_events(demo, client):
    visit, phone = open_visit(), Phone(client)
    walk = phone.event("walkin", student={"id": "w-x", "name": "X", "nik": "1234", "gender": "L",
                                          "birth_date": "2009-01-01"})
    chk = phone.event("checkin", student_id="w-x")
    body = phone.sync(visit.id, [walk, chk]).get_json()
    assert {r["id"]: r["code"] for r in body["rejected"]} == {walk["id"]: "invalid_field",
                                                              chk["id"]: "unknown_student"}


def test_late_events_after_close_change_state_and_version(demo, client):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    phone.sync(visit.id, [phone.event("checkin", student_id=s1.id)])
    visit.status = "closed"
    db.session.commit()
    before = visit.state_version
    body = phone.sync(visit.id, [phone.event("outcome", student_id=s1.id, result="recorded")]).get_json()
    assert body["version"] > before and body["visit_status"] == "closed"
    state = phone.get(f"/api/v1/visits/{visit.id}/state").get_json()["students"]
    assert state[s1.id]["outcome"] == "recorded"
    others = [s for sid, s in state.items() if sid != s1.id]
    assert {s["attendance"] for s in others} == {"absent"}


def test_other_team_gets_404_like_a_missing_visit(demo, client):
    visit, outsider = open_visit(), Phone(client, "petugas3")
    for path in (f"/api/v1/visits/{visit.id}/roster", f"/api/v1/visits/{visit.id}/state",
                 f"/api/v1/visits/{visit.id}/head"):
        hidden, missing = outsider.get(path), outsider.get("/api/v1/visits/99999/state")
        assert hidden.status_code == missing.status_code == 404
        assert hidden.get_json() == missing.get_json()
    assert outsider.sync(visit.id, []).status_code == 404
    assert visit.id not in [v["id"] for v in outsider.get("/api/v1/visits").get_json()]


def test_revoked_token_401_on_next_request(demo, client):
    visit, phone = open_visit(), Phone(client)
    assert phone.get("/api/v1/visits").status_code == 200
    db.session.get(Device, phone.id).revoked_at = visit.created_at
    db.session.commit()
    response = phone.get("/api/v1/visits")
    assert response.status_code == 401 and response.get_json()["code"] == "unauthorized"


def test_roster_has_qr_masked_nik_eligibility_and_etag(demo, client):
    visit, phone = open_visit(), Phone(client)
    response = phone.get(f"/api/v1/visits/{visit.id}/roster")
    body = response.get_json()
    assert len(body["students"]) == 180 and body["visit"]["stations"] == visit.stations
    assert {r["code"] for r in body["visit"]["failure_reasons"]} >= {"nik_tidak_ditemukan", "lainnya"}
    assert body["visit"]["city_code"] == client.application.config["CITY_CODE"]
    student = body["students"][0]
    assert "*" in student["nik_masked"] and "nik" not in student and len(student["qr"]) >= 16
    assert {s["eligibility"] for s in body["students"]} == {"under_age", "record_only", "record_and_print"}
    # The slip's short code is computed from `qr` (on the phone too: it is not on the wire), unique in
    # the visit; students of one name differ in class, NISN or birth date.
    assert "code" not in student and len({slip_code(s["qr"]) for s in body["students"]}) == 180
    by_name = {}
    for s in body["students"]:
        by_name.setdefault(s["name"], []).append((s["class"], s["nisn"], s["birth_date"]))
    twins = [rows for rows in by_name.values() if len(rows) > 1]
    assert twins and all(len(set(rows)) == len(rows) for rows in twins)
    etag = response.headers["ETag"]
    assert phone.get(f"/api/v1/visits/{visit.id}/roster", headers={"If-None-Match": etag}).status_code == 304
    phone.sync(visit.id, [phone.event("checkin", student_id=student["id"])])
    assert phone.get(f"/api/v1/visits/{visit.id}/roster", headers={"If-None-Match": etag}).status_code == 200


def test_state_equals_fold_for_random_interleavings(demo, client):
    visit = open_visit()
    students = some_students(visit, 4)
    phones = [Phone(client), Phone(client, "petugas2")]
    rng = random.Random(5)
    events = []
    for phone, k in itertools.product(phones, range(12)):
        s = rng.choice(students).id
        kind = rng.choice(["checkin", "enqueue", "call", "recorded", "failed", "ikd"])
        if kind == "enqueue":
            events.append((phone, phone.event("enqueue", student_id=s, ticket=f"{phone.prefix}-{k:03d}")))
        elif kind == "call":
            events.append((phone, phone.event("call", student_id=s, station=1)))
        elif kind in ("recorded", "failed"):
            extra = {"reason": "sidik_jari"} if kind == "failed" else {}
            events.append((phone, phone.event("outcome", student_id=s, result=kind, **extra)))
        elif kind == "ikd":
            events.append((phone, phone.event("ikd", student_id=s, status="scanned")))
        else:
            events.append((phone, phone.event("checkin", student_id=s)))
    for phone in phones:
        mine = [e for p, e in events if p is phone]
        for chunk in (mine[:5], mine[3:9], mine[7:]):
            assert phone.sync(visit.id, chunk).get_json()["rejected"] == []
    expected = fieldsync.fold([{**e, "device_id": p.id} for p, e in events],
                              store.registered_students(visit.id)).to_dict()["students"]
    got = phones[0].get(f"/api/v1/visits/{visit.id}/state").get_json()["students"]
    assert got == expected


def test_visit_list_puts_todays_work_first(demo, client):
    statuses = [v["status"] for v in Phone(client).get("/api/v1/visits").get_json()]
    assert statuses == sorted(statuses, key=["open", "planned", "closed"].index) and statuses[0] == "open"


def test_http_errors_on_the_api_have_stable_codes_in_the_users_language(demo, client):
    visit, phone = open_visit(), Phone(client)
    response = client.post(f"/api/v1/visits/{visit.id}/sync", data="{nope", content_type="application/json",
                           headers={**phone.headers, "Accept-Language": "en"})
    assert response.status_code == 400 and response.get_json()["code"] == "bad_request"
    assert client.put("/api/v1/visits", headers=phone.headers).get_json()["code"] == "method_not_allowed"
    body = client.get("/api/v1/nothing-here").get_json()
    assert body["code"] == "not_found" and set(body) == {"code", "message"}


def test_seq_past_a_32_bit_integer_is_stored(demo, client):
    visit, phone = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    phone.seq = 2**40
    body = phone.sync(visit.id, [phone.event("checkin", student_id=s1.id)]).get_json()
    assert body["accepted"] == [f"{phone.id}:{2**40 + 1}"]
    assert db.session.get(Device, phone.id).max_seq == 2**40 + 1


def test_a_get_that_never_commits_still_records_last_seen(demo, client):
    visit, phone = open_visit(), Phone(client)
    device = db.session.get(Device, phone.id)
    device.last_seen_at = None
    db.session.commit()
    assert phone.get(f"/api/v1/visits/{visit.id}/state").status_code == 200
    db.session.expire_all()
    assert db.session.get(Device, phone.id).last_seen_at is not None


def test_refusals_answer_with_registry_codes(demo, client):
    visit, phone = open_visit(), Phone(client)
    assert phone.get("/api/v1/visits/99999/state").get_json()["code"] == "visit_not_found"
    answer = client.post(f"/api/v1/visits/{visit.id}/sync", json={"device_id": "other", "events": []},
                         headers=phone.headers)
    assert answer.status_code == 403 and answer.get_json()["code"] == "device_mismatch"


def test_head_moves_with_the_log_and_answers_304_when_still(demo, client):
    visit = open_visit()
    a, b = Phone(client, "petugas1"), Phone(client, "petugas2")
    first = client.get(f"/api/v1/visits/{visit.id}/head", headers=b.headers)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    still = client.get(f"/api/v1/visits/{visit.id}/head", headers={**b.headers, "If-None-Match": etag})
    assert still.status_code == 304
    student = some_students(visit, 1)[0]
    a.sync(visit.id, [a.event("checkin", student_id=student.id)])
    moved = client.get(f"/api/v1/visits/{visit.id}/head", headers={**b.headers, "If-None-Match": etag})
    assert moved.status_code == 200
    # A sync from the cursor it had pulls exactly what moved the head; then b is at the head.
    answer = b.sync(visit.id, [], cursor=first.get_json()["cursor"]).get_json()
    assert [e["type"] for e in answer["events"]] == ["checkin"]
    assert answer["cursor"] == moved.get_json()["cursor"]
    assert moved.get_json()["version"] == visit.state_version

