"""The queue display without an account: code, token, a feed with tickets and desks only."""
import json
from datetime import timedelta

from sqlalchemy import select
from sync_phone import Phone

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.sync import display
from webapp.visits.models import Student, Visit


def open_visit():
    return db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()


def tv_token(client, phone, visit):
    code = phone.client.post(f"/api/v1/visits/{visit.id}/display-code", headers=phone.headers)
    assert code.status_code == 201
    typed = code.get_json()["code"].lower()
    claimed = client.post("/api/v1/displays", json={"code": f"{typed[:3]} - {typed[3:]}"})
    assert claimed.status_code == 201, claimed.get_json()
    assert claimed.get_json()["visit_id"] == visit.id
    return claimed.get_json()["token"]


def test_tv_sees_tickets_and_desks_never_names(demo, client):
    visit, phone = open_visit(), Phone(client, "petugas1")
    students = db.session.execute(select(Student).where(Student.visit_id == visit.id).limit(2)).scalars().all()
    a, b = students
    walkin = {"id": "w-tv-1", "name": "Siswa Rahasia", "nik": "3672010108090007", "gender": "L",
              "birth_date": "2009-08-01", "consent": True}
    phone.sync(visit.id, [
        phone.event("checkin", student_id=a.id), phone.event("enqueue", student_id=a.id, ticket="A-001"),
        phone.event("note", student_id=a.id, text=f"Ibu {a.name} menunggu"),
        phone.event("walkin", student=walkin), phone.event("checkin", student_id="w-tv-1"),
        phone.event("call", student_id=a.id, station=1),
    ])
    token = tv_token(client, phone, visit)
    first = client.get("/api/v1/displays/feed", headers={"Authorization": f"Bearer {token}"})
    assert first.status_code == 200
    body = first.get_json()
    text = json.dumps(body)
    for secret in (a.name, b.name, a.nik, "Siswa Rahasia", "3672010108090007", "menunggu"):
        assert secret not in text
    assert {sid for sid, _ in body["students"]} >= {a.id, b.id}
    assert [e["type"] for e in body["events"]] == ["checkin", "enqueue", "note", "walkin", "checkin", "call"]
    assert body["events"][1]["ticket"] == "A-001" and body["events"][5]["station"] == 1
    # Polling from the cursor: only what is new, and no student list again.
    again = client.get(f"/api/v1/displays/feed?cursor={body['cursor']}", headers={"Authorization": f"Bearer {token}"})
    assert again.get_json()["events"] == [] and again.get_json()["students"] == []


def test_wrong_or_old_code_is_refused(demo, client, app):
    visit = open_visit()
    assert client.post("/api/v1/displays", json={"code": "AAAAAA"}).get_json()["code"] == "display_code_unknown"
    assert client.post("/api/v1/displays", json={}).status_code == 422
    old = display.display_code(visit, utcnow() - timedelta(minutes=25))["code"]
    refused = client.post("/api/v1/displays", json={"code": old})
    assert refused.status_code == 404 and refused.get_json()["field"] == "code"


def test_feed_needs_a_live_visit_token(demo, client):
    visit, phone = open_visit(), Phone(client, "petugas1")
    assert client.get("/api/v1/displays/feed").status_code == 401
    assert client.get("/api/v1/displays/feed", headers={"Authorization": "Bearer forged"}).status_code == 401
    token = tv_token(client, phone, visit)
    visit.status = "closed"
    db.session.commit()
    gone = client.get("/api/v1/displays/feed", headers={"Authorization": f"Bearer {token}"})
    assert gone.status_code == 401 and gone.get_json()["code"] == "display_expired"


def test_officer_of_another_team_gets_no_code(demo, client):
    visit = open_visit()
    outsider = Phone(client, "petugas3")
    assert client.post(f"/api/v1/visits/{visit.id}/display-code", headers=outsider.headers).status_code == 404
