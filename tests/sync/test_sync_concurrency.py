"""Two phones syncing one visit at the same moment, over real PostgreSQL connections."""
import threading

import pytest
from sqlalchemy import func, select
from sync_phone import Phone

import fieldsync
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.models import SyncEvent
from webapp.visits.models import Student, Visit


@pytest.mark.postgres_only
def test_two_phones_at_once_lose_nothing(demo, client, app):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    students = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                  .order_by(Student.id).limit(40)).scalars().all()
    phones = [Phone(client), Phone(client, "petugas2")]
    batches = {}
    for p in phones:
        evs = []
        for i, sid in enumerate(students):
            evs.append(p.event("checkin", student_id=sid))
            evs.append(p.event("enqueue", student_id=sid, ticket=f"{p.prefix}-{i:03d}"))
            evs.append(p.event("outcome", student_id=sid, result="recorded" if i % 3 else "failed",
                               **({} if i % 3 else {"reason": "iris"})))
        batches[p.id] = evs
    visit_id = visit.id
    db.session.remove()
    barrier, answers, errors = threading.Barrier(len(phones)), {}, []

    def run(phone):
        try:
            with app.test_client() as c:
                barrier.wait()
                for start in range(0, 120, 40):  # three requests each, interleaved
                    r = c.post(f"/api/v1/visits/{visit_id}/sync", headers=phone.headers, json={
                        "device_id": phone.id, "cursor": None, "events": batches[phone.id][start:start + 40]})
                    assert r.status_code == 200, r.get_data(as_text=True)
                    answers.setdefault(phone.id, []).extend(r.get_json()["accepted"])
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(p,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    for p in phones:
        assert answers[p.id] == [e["id"] for e in batches[p.id]]
    stored = select(func.count(SyncEvent.pos)).where(SyncEvent.visit_id == visit_id)
    assert db.session.execute(stored).scalar_one() == 240
    single = fieldsync.fold([{**e, "device_id": dev} for dev, evs in batches.items() for e in evs],
                            store.registered_students(visit_id)).to_dict()["students"]
    state = phones[0].get(f"/api/v1/visits/{visit_id}/state").get_json()["students"]
    assert state == single
    # Cursor order is commit order: a phone that pulls from the start sees all 240 once.
    pulled = Phone(client).sync(visit_id, [], cursor=None).get_json()["events"]
    assert sorted(e["id"] for e in pulled) == sorted(e["id"] for evs in batches.values() for e in evs)
