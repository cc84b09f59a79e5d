"""A replayed manifest (every event stored already, same content) is answered from one read."""
import json

from sqlalchemy import func, select
from sync_phone import Phone, statements

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.sync import services, sortout
from webapp.sync.models import Device, RejectedEvent, StudentAlias, StudentState, SyncConflict, SyncEvent
from webapp.sync.schemas import SyncAnswerSchema
from webapp.visits.models import Student, Visit

TABLES = (SyncEvent, RejectedEvent, StudentState, StudentAlias, SyncConflict, Student, AuditEntry)


def open_visit():
    return db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()


def some_students(visit, n):
    return db.session.execute(select(Student).where(Student.visit_id == visit.id)
                              .order_by(Student.id).limit(n)).scalars().all()


def snapshot(visit_id, device_id):
    """Row counts of every table a sync writes, and what a sync changes on the device and visit."""
    db.session.expire_all()
    counts = {m.__name__: db.session.execute(select(func.count()).select_from(m)).scalar_one() for m in TABLES}
    device, visit = db.session.get(Device, device_id), db.session.get(Visit, visit_id)
    return counts, (device.last_sync_at, device.contiguous_seq, device.max_seq), visit.state_version


def busy_visit(client):
    """A visit where phone A sent a walk-in and tickets that clash with phone B's: every answer
    field has something in it (walk-ins, conflicts, others' events in the pull)."""
    visit, a, b = open_visit(), Phone(client), Phone(client, "petugas2")
    s1, s2 = some_students(visit, 2)
    person = {"id": "7e0c2a9e-0000-4000-8000-0000000000a1", "name": "Tamu", "nik": "3672015508090731",
              "gender": "P", "birth_date": "2009-08-15"}
    mine = [a.event("checkin", student_id=s1.id), a.event("enqueue", student_id=s1.id, ticket="A-001"),
            a.event("walkin", student=person), a.event("checkin", student_id=person["id"]),
            a.event("outcome", student_id=s2.id, result="recorded")]
    b.sync(visit.id, [b.event("enqueue", student_id=s1.id, ticket="B-001")])
    first = a.sync(visit.id, mine, cursor=None).get_json()
    assert len(first["accepted"]) == 5 and first["conflicts"] != [] and first["walkins"] != {}
    return visit, a, mine


def test_replay_writes_nothing_and_takes_no_lock(demo, client):
    visit, a, mine = busy_visit(client)
    before = snapshot(visit.id, a.id)
    with statements() as seen:
        again = a.sync(visit.id, mine, cursor=None).get_json()
    assert again["accepted"] == [] and again["duplicates"] == [e["id"] for e in mine]
    assert snapshot(visit.id, a.id) == before
    writes = [s for s in seen if s.lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))]
    assert writes == [] and not any("FOR UPDATE" in s.upper() for s in seen)


def test_replay_answers_what_the_full_path_answers(demo, client):
    visit, a, mine = busy_visit(client)
    fast = a.sync(visit.id, mine, cursor=None).get_json()
    # The full path on the same manifest: sort out, lock, store nothing, fold nothing, then the pull.
    device = db.session.get(Device, a.id)
    visit = db.session.get(Visit, visit.id)
    rows = sortout.stored_rows(mine, device)
    good, _dups, _rej, result, held, answer = services._apply(mine, device, visit, "id", rows)
    db.session.commit()
    assert good == [] and result is None
    named = {sid for ev in held for sid in (ev.get("student_id"), (ev.get("student") or {}).get("id")) if sid}
    full = {**answer, **services._pull(visit.id, device.id, None, 2000, named)}
    assert fast == json.loads(json.dumps(SyncAnswerSchema().dump(full)))  # as the API writes it


def test_a_manifest_with_one_new_event_takes_the_full_path(demo, client):
    visit, a, mine = busy_visit(client)
    (_s1, _s2, s3) = some_students(visit, 3)
    new = a.event("checkin", student_id=s3.id)
    counts, _device, version = snapshot(visit.id, a.id)
    body = a.sync(visit.id, [*mine, new], cursor=None).get_json()
    assert body["accepted"] == [new["id"]] and body["duplicates"] == [e["id"] for e in mine]
    after, (_at, contiguous, _max), new_version = snapshot(visit.id, a.id)
    assert after["AuditEntry"] == counts["AuditEntry"] + 1 and after["SyncEvent"] == counts["SyncEvent"] + 1
    assert contiguous == new["seq"] and new_version == version + 1


def test_a_replay_past_a_gap_or_of_other_content_is_not_a_replay(demo, client):
    visit, a = open_visit(), Phone(client)
    (s1,) = some_students(visit, 1)
    first, _skipped, third = (a.event("checkin", student_id=s1.id) for _ in range(3))
    a.sync(visit.id, [first, third])  # seq 2 never arrived: contiguous stays 1
    again = a.sync(visit.id, [third]).get_json()
    assert again["duplicates"] == [third["id"]] and again["contiguous_seq"] == 1
    changed = a.sync(visit.id, [{**first, "hlc": third["hlc"]}]).get_json()
    assert changed["duplicates"] == [] and changed["rejected"][0]["code"] == "seq_reused"


def test_a_replay_in_another_key_order_is_still_a_replay(demo, client):
    """The stored text is compared first; a phone that writes its keys in another order is
    compared field by field, with the same verdict."""
    visit, a, mine = busy_visit(client)
    before = snapshot(visit.id, a.id)
    shuffled = [dict(reversed(list(e.items()))) for e in mine]
    again = a.sync(visit.id, shuffled, cursor=None).get_json()
    assert again["duplicates"] == [e["id"] for e in mine] and again["rejected"] == []
    assert snapshot(visit.id, a.id) == before
