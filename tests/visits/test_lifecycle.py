"""The visit lifecycle (docs/lifecycle.md): open, close, reopen, cancel, their refusals, phones."""
from datetime import datetime, timedelta

import reports_factories as rf
from sqlalchemy import select
from sync_phone import Phone

from webapp.audit.models import AuditEntry
from webapp.clock import local_today
from webapp.extensions import db
from webapp.prereg.links import create_link, resolve
from webapp.sync.models import StudentState
from webapp.visits.models import Visit


def post(client, visit, action, headers, **body):
    return client.post(f"/api/v1/visits/{visit.id}/{action}", headers=headers, json=body or None)


def reload(visit):
    db.session.expire_all()
    return db.session.get(Visit, visit.id)


def audits(action):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def attendance(visit):
    return {s.student_id: s.attendance for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}


def test_open_then_close_then_reopen(demo, client):
    coord = rf.bearer(client, "koordinator")
    visit = rf.make_visit(12, status="planned", day=local_today())
    opened = post(client, visit, "open", coord)
    assert opened.status_code == 200 and opened.get_json()["status"] == "open"
    assert opened.get_json()["opened_at"] and reload(visit).opened_at is not None
    rf.run_day(reload(visit))
    never = {sid for sid, a in attendance(visit).items() if a == "not_arrived"}
    never |= {s.id for s in reload(visit).students} - set(attendance(visit))
    version = reload(visit).state_version

    closed = post(client, visit, "close", coord)
    assert closed.status_code == 200 and closed.get_json()["status"] == "closed"
    after = attendance(visit)
    assert never and all(after[sid] == "absent" for sid in never)
    assert reload(visit).state_version > version
    assert audits("visit_closed")[0].detail.endswith(f"absent {len(never)}")
    # A retried close changes nothing.
    assert post(client, visit, "close", coord).status_code == 200
    assert len(audits("visit_closed")) == 1

    refused = post(client, visit, "reopen", coord)
    assert refused.status_code == 422 and refused.get_json()["code"] == "reason_required"
    reopened = post(client, visit, "reopen", coord, reason="Tim masih di sekolah")
    assert reopened.status_code == 200 and reopened.get_json()["status"] == "open"
    visit = reload(visit)
    assert visit.closed_at is None and visit.opened_at is not None
    assert all(attendance(visit)[sid] == "not_arrived" for sid in never)
    entry = audits("visit_reopened")[0]
    assert entry.actor == "koordinator" and "Tim masih di sekolah" in entry.detail


def test_refused_transitions_answer_409_with_a_code(demo, client):
    coord = rf.bearer(client, "koordinator")
    future = rf.make_visit(3, status="planned", day=local_today() + timedelta(days=5), seed=8)
    cases = [(future, "open", "visit_not_due"), (future, "close", "visit_not_open"),
             (future, "reopen", "visit_not_closed")]
    for visit, action, code in cases:
        answer = post(client, visit, action, coord)
        assert (answer.status_code, answer.get_json()["code"]) == (409, code), action
    assert reload(future).status == "planned"

    assert post(client, future, "cancel", coord, reason="Sekolah libur").status_code == 200
    assert reload(future).status == "cancelled" and reload(future).cancelled_at
    for action in ("open", "close", "reopen"):
        answer = post(client, future, action, coord)
        assert (answer.status_code, answer.get_json()["code"]) == (409, "visit_cancelled")

    closed = rf.make_visit(3, status="closed", day=local_today(), seed=9)
    for action, code in (("open", "visit_closed"), ("cancel", "visit_closed")):
        answer = post(client, closed, action, coord)
        assert (answer.status_code, answer.get_json()["code"]) == (409, code)

    running = rf.make_visit(3, status="open", day=local_today(), seed=10)
    rf.run_day(running)
    answer = post(client, running, "cancel", coord)
    assert (answer.status_code, answer.get_json()["code"]) == (409, "visit_has_events")

    assert post(client, running, "open", rf.bearer(client, "petugas1")).status_code == 403
    missing = client.post("/api/v1/visits/4242/open", headers=coord)
    assert (missing.status_code, missing.get_json()["code"]) == (404, "visit_not_found")


def test_reopen_refused_once_purged(demo, client):
    visit = rf.make_visit(2, status="closed", day=local_today(), seed=11)
    visit.purged_at = datetime(2027, 1, 1)
    db.session.commit()
    answer = post(client, visit, "reopen", rf.bearer(client, "koordinator"), reason="x")
    assert (answer.status_code, answer.get_json()["code"]) == (409, "visit_purged")


def test_cancel_revokes_the_school_link(demo, client):
    visit = rf.make_visit(2, status="planned", day=local_today() + timedelta(days=3), seed=12)
    _link, token = create_link(visit)
    assert resolve(token) is not None
    assert post(client, visit, "cancel", rf.bearer(client, "koordinator")).status_code == 200
    assert resolve(token) is None


def test_opening_locks_the_school_list(demo, client, student_data):
    visit = rf.make_visit(2, status="planned", day=local_today(), seed=13)
    _link, token = create_link(visit)
    before = client.post(f"/api/v1/prereg/{token}/students", json=student_data())
    assert before.status_code == 201
    post(client, visit, "open", rf.bearer(client, "koordinator"))
    after = client.post(f"/api/v1/prereg/{token}/students",
                        json=student_data(nik="3672024505090002", name="Siti"))
    assert after.status_code == 409 and after.get_json()["code"] == "list_locked"


def test_first_sync_on_the_visit_date_opens_it(demo, client):
    today = rf.make_visit(3, status="planned", day=local_today(), seed=14)
    later = rf.make_visit(3, status="planned", day=local_today() + timedelta(days=2), seed=15)
    phone = Phone(client)
    sid = today.students[0].id
    # A roster download opens nothing; nor does a sync without events.
    assert phone.get(f"/api/v1/visits/{today.id}/roster").status_code == 200
    assert phone.sync(today.id, []).status_code == 200
    assert reload(today).status == "planned"
    answer = phone.sync(today.id, [phone.event("checkin", student_id=sid)])
    assert answer.status_code == 200 and answer.get_json()["visit_status"] == "open"
    assert reload(today).status == "open" and reload(today).opened_at is not None
    entry = audits("visit_opened")[0]
    assert entry.actor == "petugas1" and phone.id in entry.detail
    # Before its date: events are stored, the visit stays planned.
    answer = phone.sync(later.id, [phone.event("checkin", student_id=later.students[0].id)])
    assert answer.status_code == 200 and answer.get_json()["accepted"]
    assert reload(later).status == "planned"


def test_late_events_after_close_count_and_make_a_new_version(demo, client):
    visit = rf.make_visit(4, status="open", day=local_today(), seed=16)
    phone = Phone(client)
    sid = visit.students[0].id
    late = [phone.event("checkin", student_id=sid),
            phone.event("outcome", student_id=sid, result="recorded")]
    post(client, visit, "close", rf.bearer(client, "koordinator"))
    closed = reload(visit)
    version = closed.state_version
    assert attendance(visit)[sid] == "absent"
    answer = phone.sync(visit.id, late)
    body = answer.get_json()
    assert answer.status_code == 200 and len(body["accepted"]) == 2
    assert body["visit_status"] == "closed"
    grace = datetime.fromisoformat(body["purge_after"]).replace(tzinfo=None) - closed.closed_at
    assert grace == timedelta(hours=24)
    visit = reload(visit)
    assert visit.status == "closed" and visit.state_version > version
    state = db.session.get(StudentState, sid)
    assert state.attendance == "present" and state.outcome == "recorded"
    # The roster stays available to the phone, with the same grace period.
    roster = phone.get(f"/api/v1/visits/{visit.id}/roster").get_json()
    assert roster["visit"]["status"] == "closed" and roster["visit"]["purge_after"]


def test_close_page_confirms_with_the_absent_count(demo, client, login):
    visit = rf.make_visit(5, status="open", day=local_today(), seed=17)
    login("koordinator")
    detail = client.get(f"/koordinator/kunjungan/{visit.id}").get_data(as_text=True)
    assert f"/koordinator/kunjungan/{visit.id}/tutup" in detail
    page = client.get(f"/koordinator/kunjungan/{visit.id}/tutup")
    assert page.status_code == 200 and 'id="close-effect"' in page.get_data(as_text=True)
    assert "<strong>5 siswa" in page.get_data(as_text=True)
    assert reload(visit).status == "open"  # showing the page changes nothing
    done = client.post(f"/koordinator/kunjungan/{visit.id}/tutup", data={"reason": ""})
    assert done.status_code == 303 and reload(visit).status == "closed"
    again = client.post(f"/koordinator/kunjungan/{visit.id}/buka-kembali", data={"reason": " "})
    assert again.status_code == 422 and reload(visit).status == "closed"
    again = client.post(f"/koordinator/kunjungan/{visit.id}/buka-kembali",
                        data={"reason": "Salah tutup"})
    assert again.status_code == 303 and reload(visit).status == "open"


def test_planned_visit_page_offers_open_and_cancel_not_close(demo, client, login):
    visit = rf.make_visit(2, status="planned", day=local_today(), seed=18)
    login("koordinator")
    html = client.get(f"/koordinator/kunjungan/{visit.id}").get_data(as_text=True)
    assert f"/koordinator/kunjungan/{visit.id}/buka" in html
    assert f"/koordinator/kunjungan/{visit.id}/batalkan" in html
    assert f"/koordinator/kunjungan/{visit.id}/tutup" not in html
    assert client.post(f"/koordinator/kunjungan/{visit.id}/buka").status_code == 303
    assert reload(visit).status == "open"
    refused = client.post(f"/koordinator/kunjungan/{visit.id}/batalkan", data={})
    assert refused.status_code == 303 and reload(visit).status == "cancelled"  # no events yet


def test_officer_list_puts_today_first(demo, client):
    phone = Phone(client)
    rf.make_visit(2, status="open", day=local_today(), seed=19)
    rf.make_visit(2, status="planned", day=local_today() + timedelta(days=1), seed=20)
    visits = phone.get("/api/v1/visits").get_json()
    assert visits[0]["date"] == local_today().isoformat() and visits[0]["status"] == "open"


def test_consent_recorded_at_the_gate_is_synced(demo, client):
    visit = rf.make_visit(2, status="open", day=local_today(), seed=21)
    student = visit.students[0]
    student.consent = False
    db.session.commit()
    phone = Phone(client)
    answer = phone.sync(visit.id, [phone.event("consent", student_id=student.id, given=True),
                                   phone.event("checkin", student_id=student.id)])
    assert answer.status_code == 200 and len(answer.get_json()["accepted"]) == 2
    state = phone.get(f"/api/v1/visits/{visit.id}/state").get_json()["students"][student.id]
    assert state["consent"] is True and state["attendance"] == "present"
    bad = phone.sync(visit.id, [phone.event("consent", student_id=student.id, given="ya")])
    assert bad.get_json()["rejected"][0]["code"] == "invalid_field"
