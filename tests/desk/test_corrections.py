"""POST /api/v1/visits/{id}/corrections: an event in the visit's log, audited, a new state version."""
import reports_factories as rf
from sqlalchemy import select
from sync_phone import Phone

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.sync.models import Device, StudentState, SyncEvent
from webapp.visits.models import Student, Visit


def _open_visit():
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    student = db.session.execute(select(Student).where(Student.visit_id == visit.id)
                                 .order_by(Student.id)).scalars().first()
    return visit, student


def post(client, headers, visit_id, **body):
    return client.post(f"/api/v1/visits/{visit_id}/corrections", headers=headers, json=body)


def test_correction_is_an_event_phones_and_state_see(demo, client):
    visit, student = _open_visit()
    phone = Phone(client)
    recorded = phone.event("outcome", student_id=student.id, result="recorded")
    assert phone.sync(visit.id, [recorded]).status_code == 200
    version = db.session.get(Visit, visit.id).state_version
    headers = rf.bearer(client, "koordinator")
    answer = post(client, headers, visit.id, student_id=student.id, field="outcome", value="failed",
                  failure_reason="data_ganda", reason="SIAK menandai data ganda")
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    event = body["event"]
    assert event["type"] == "correction" and event["hlc"] > recorded["hlc"]
    assert body["version"] == version + 1  # a new state version, so a new report version
    row = db.session.get(StudentState, student.id)
    assert (row.outcome, row.reason) == ("failed", "data_ganda")
    assert row.data["corrections"][0]["reason"] == "SIAK menandai data ganda"
    # The coordinator's server-side device holds it, in the same log as the phones' events.
    stored = db.session.execute(select(SyncEvent).where(SyncEvent.event_id == event["id"])).scalar_one()
    device = db.session.get(Device, stored.device_id)
    assert device.user.username == "koordinator" and device.label == "Koreksi koordinator (web)"
    # A phone pulls it like any other event.
    pulled = phone.sync(visit.id, []).get_json()["events"]
    assert [e["id"] for e in pulled if e["type"] == "correction"] == [event["id"]]
    # Audited, with the user.
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "correction")).scalar_one()
    assert entry.actor == "koordinator" and entry.user_id == device.user_id
    assert entry.object_id == student.id and "recorded" in entry.detail and "failed" in entry.detail


def test_second_correction_reuses_the_desk_device_and_ikd_is_corrected(demo, client):
    visit, student = _open_visit()
    headers = rf.bearer(client, "koordinator")
    first = post(client, headers, visit.id, student_id=student.id, field="ikd", value="active",
                 reason="Email aktivasi diterima").get_json()["event"]
    second = post(client, headers, visit.id, student_id=student.id, field="ikd", value=None,
                  reason="Salah siswa").get_json()["event"]
    assert first["device_id"] == second["device_id"] and second["seq"] == first["seq"] + 1
    assert db.session.get(StudentState, student.id).ikd is None


def test_refusals(demo, client):
    visit, student = _open_visit()
    headers = rf.bearer(client, "koordinator")
    cases = [
        ({"field": "outcome", "value": "recorded", "reason": "  "}, 422, "reason_required", "reason"),
        ({"field": "outcome", "value": "recorded"}, 422, "reason_required", "reason"),
        ({"field": "outcome", "value": "failed", "reason": "x"}, 422, "failure_reason_required",
         "failure_reason"),
        ({"field": "outcome", "value": "failed", "reason": "x", "failure_reason": "bosan"}, 422,
         "unknown_reason", "failure_reason"),
        ({"field": "ikd", "value": "recorded", "reason": "x"}, 422, "bad_correction_value", "value"),
        ({"field": "outcome", "value": "recorded", "reason": "x", "student_id": "nobody"}, 404,
         "student_not_found", "student_id"),
    ]
    for body, status, code, field in cases:
        answer = post(client, headers, visit.id, **{"student_id": student.id, **body})
        assert answer.status_code == status, (body, answer.get_json())
        assert (answer.get_json()["code"], answer.get_json().get("field")) == (code, field)
    assert post(client, headers, 999999, student_id=student.id, field="outcome", value=None,
                reason="x").status_code == 404
    assert db.session.execute(select(SyncEvent).where(SyncEvent.type == "correction")).first() is None
    officer = rf.bearer(client, "petugas1")
    assert post(client, officer, visit.id, student_id=student.id, field="outcome", value=None,
                reason="x").status_code == 403
    planned = db.session.execute(select(Visit).where(Visit.status == "planned")).scalars().first()
    other = planned.students[0] if planned.students else student
    refused = post(client, headers, planned.id, student_id=other.id, field="outcome", value=None,
                   reason="x")
    assert (refused.status_code, refused.get_json()["code"]) == (409, "visit_not_open")
