"""SQL statements per sync, counted, so the count cannot creep back up (docs/benchmarks.md, load)."""
from sqlalchemy import select
from sync_phone import Phone, statements

from webapp.extensions import db
from webapp.visits.models import Student, Visit

# A 5-event sync of a student no event named yet: device and user of the token, visit, stored
# rows, known ids, newest position, couplings, events of the student (the fold, before the lock),
# lock, seqs and events since (one read), INSERT events, device, state read, state INSERT, audit,
# version, then the pull (newest position and events, one read). 37 before issue 15's cuts.
FIVE_EVENT_SYNC = 17
# A replay: device, user, visit, stored rows, then the pull (newest position and events, the
# conflicts of the students it names: their aliases, their conflicts).
REPLAY = 7


def day(phone, sid, n):
    return [phone.event("checkin", student_id=sid),
            phone.event("enqueue", student_id=sid, ticket=f"{phone.prefix}-{n:03d}"),
            phone.event("call", student_id=sid, station=1),
            phone.event("outcome", student_id=sid, result="recorded"),
            phone.event("ikd", student_id=sid, status="scanned")]


def test_a_five_event_sync_and_a_replay_run_a_fixed_number_of_statements(demo, client):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    ids = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                             .order_by(Student.id).limit(7)).scalars().all()
    a, b, visit_id = Phone(client), Phone(client, "petugas2"), visit.id
    for n, sid in enumerate(ids[:3]):  # both phones have synced before: cursors, other events
        assert a.sync(visit_id, day(a, sid, n)).status_code == 200
        assert b.sync(visit_id, day(b, ids[3 + n], n)).status_code == 200
    batch = day(a, ids[6], 9)
    db.session.remove()
    with statements() as seen:
        body = a.sync(visit_id, batch).get_json()
    assert len(body["accepted"]) == 5 and len(body["events"]) == 5
    assert len(seen) == FIVE_EVENT_SYNC, "\n".join(s.split("\n")[0] for s in seen)
    db.session.remove()
    with statements() as seen:
        again = a.sync(visit_id, batch).get_json()
    assert again["duplicates"] == [e["id"] for e in batch]
    assert len(seen) == REPLAY, "\n".join(s.split("\n")[0] for s in seen)
