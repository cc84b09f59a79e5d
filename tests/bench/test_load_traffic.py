"""The load test's traffic (bench/bench_load.py) is what a phone sends: the server accepts it."""
from reports_factories import make_visit
from sqlalchemy import select

from bench.bench_load import day_batches
from webapp.extensions import db
from webapp.sync.models import Device, StudentState
from webapp.visits.models import Student


def test_load_batches_are_accepted_whole_with_the_cursor_carried(demo, client):
    visit = make_visit(6)
    phone = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345",
                                                  "label": "HP beban"}).get_json()
    headers = {"Authorization": f"Bearer {phone['token']}"}
    students = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                  .order_by(Student.id)).scalars().all()
    batches = day_batches(db.session.get(Device, phone["device_id"]), visit, students[:3])
    assert [len(b) for b in batches] == [5, 5, 5]
    cursor = None
    for batch in batches:
        answer = client.post(f"/api/v1/visits/{visit.id}/sync", headers=headers,
                             json={"device_id": phone["device_id"], "cursor": cursor, "events": batch})
        body = answer.get_json()
        assert answer.status_code == 200 and len(body["accepted"]) == 5 and body["rejected"] == []
        cursor = body["cursor"]
    recorded = db.session.execute(select(StudentState.student_id).where(
        StudentState.visit_id == visit.id, StudentState.outcome == "recorded")).scalars().all()
    assert sorted(recorded) == sorted(students[:3])
