"""Closing a visit (students never checked in become absent) and follow-up visits."""
from datetime import timedelta

import reports_factories as rf
from sqlalchemy import func, select

from webapp.audit.models import AuditEntry
from webapp.clock import local_today
from webapp.extensions import db
from webapp.sync.models import StudentState
from webapp.visits.models import Student, Visit


def open_visit_with_day():
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    rf.run_day(visit)
    return visit


def states(visit):
    return {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}


def test_close_turns_never_checked_in_into_absent(demo, client):
    visit = open_visit_with_day()
    before = states(visit)
    never = [sid for sid, s in before.items() if s.attendance == "not_arrived"]
    present = [sid for sid, s in before.items() if s.attendance == "present"]
    version = visit.state_version
    answer = client.post(f"/api/v1/visits/{visit.id}/close", headers=rf.bearer(client, "koordinator"))
    assert answer.status_code == 200
    body = answer.get_json()
    assert body["status"] == "closed" and body["id"] == visit.id
    db.session.expire_all()
    after = states(visit)
    assert never and all(after[sid].attendance == "absent" for sid in never)
    assert all(after[sid].attendance == "present" for sid in present)
    assert all(after[sid].outcome == before_outcome for sid, before_outcome in
               ((k, v.outcome) for k, v in before.items()))
    visit = db.session.get(Visit, visit.id)
    assert visit.state_version > version and visit.closed_at is not None
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.action == "visit_closed")).scalar_one()
    assert audit.actor == "koordinator" and audit.object_id == str(visit.id)
    # Idempotent: closing again changes nothing and audits nothing.
    again = client.post(f"/api/v1/visits/{visit.id}/close", headers=rf.bearer(client, "koordinator"))
    assert again.status_code == 200 and again.get_json()["status"] == "closed"
    assert db.session.execute(select(func.count(AuditEntry.id)).where(
        AuditEntry.action == "visit_closed")).scalar_one() == 1


def test_close_refusals(demo, client):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    officer = client.post(f"/api/v1/visits/{visit.id}/close", headers=rf.bearer(client, "petugas1"))
    assert officer.status_code == 403
    missing = client.post("/api/v1/visits/4242/close", headers=rf.bearer(client, "koordinator"))
    assert missing.status_code == 404 and missing.get_json()["code"] == "visit_not_found"
    assert db.session.get(Visit, visit.id).status == "open"


def test_close_from_the_web_page(demo, client, login):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    login("koordinator")
    page = client.get(f"/koordinator/laporan/{visit.id}")
    assert "Tutup Kunjungan" in page.get_data(as_text=True)
    answer = client.post(f"/koordinator/kunjungan/{visit.id}/tutup", follow_redirects=True)
    assert answer.status_code == 200 and "Kunjungan ditutup" in answer.get_data(as_text=True)
    assert db.session.get(Visit, visit.id).status == "closed"
    # Every student of this visit (no events at all) is now absent.
    rows = states(visit)
    assert len(rows) == len(visit.students) and {s.attendance for s in rows.values()} == {"absent"}


def test_follow_up_copies_absent_and_failed_keeping_their_qr(demo, client):
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()
    st = states(closed)
    wanted = {sid for sid, s in st.items() if s.outcome != "recorded"}
    assert wanted
    day = local_today() + timedelta(days=10)
    answer = client.post(f"/api/v1/visits/{closed.id}/follow-up", json={"date": day.isoformat()},
                         headers=rf.bearer(client, "koordinator"))
    assert answer.status_code == 201, answer.get_json()
    body = answer.get_json()
    new = db.session.get(Visit, body["visit"]["id"])
    assert (new.status, new.school_id, new.team_id, new.date) == ("planned", closed.school_id,
                                                                  closed.team_id, day)
    assert body["copied"]["students"] == len(wanted) == len(new.students) == new.target
    assert body["copied"]["absent"] + body["copied"]["failed"] + body["copied"]["waiting"] == len(wanted)
    old = {s.nik: s for s in closed.students if s.id in wanted}
    assert {s.nik for s in new.students} == set(old)
    for s in new.students:
        source = old[s.nik]
        assert s.id != source.id and s.qr_token == source.qr_token  # the slip keeps working
        assert s.origin_id == source.id
        assert (s.name, s.birth_date, s.class_name) == (source.name, source.birth_date, source.class_name)
    assert db.session.execute(select(func.count(StudentState.student_id)).where(
        StudentState.visit_id == new.id)).scalar_one() == 0  # a fresh start
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "visit_follow_up")).scalar_one()
    # The same school on the same day again: refused, nothing stored.
    count = db.session.execute(select(func.count(Student.id))).scalar_one()
    twice = client.post(f"/api/v1/visits/{closed.id}/follow-up", json={"date": day.isoformat()},
                        headers=rf.bearer(client, "koordinator"))
    assert twice.status_code == 422 and "date" in twice.get_json()["errors"]
    assert db.session.execute(select(func.count(Student.id))).scalar_one() == count


def test_follow_up_refusals(demo, client):
    headers = {**rf.bearer(client, "koordinator"), "Accept-Language": "en"}
    opened = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()
    later = (local_today() + timedelta(days=5)).isoformat()
    not_closed = client.post(f"/api/v1/visits/{opened.id}/follow-up", json={"date": later}, headers=headers)
    assert not_closed.status_code == 409 and not_closed.get_json()["code"] == "visit_not_closed"
    past = client.post(f"/api/v1/visits/{closed.id}/follow-up", json={"date": "2020-01-01"}, headers=headers)
    assert past.status_code == 422 and past.get_json()["issues"] == {"date": ["date_past"]}
    missing = client.post(f"/api/v1/visits/{closed.id}/follow-up", json={}, headers=headers)
    assert missing.status_code == 422 and missing.get_json()["errors"] == {"date": ["Required."]}
    visits = db.session.execute(select(func.count(Visit.id))).scalar_one()
    assert visits == 4


def test_follow_up_in_two_clicks_on_the_web(demo, client, login):
    closed = db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()
    login("koordinator")
    page = client.get(f"/koordinator/laporan/{closed.id}").get_data(as_text=True)  # click 1
    assert "Buat Kunjungan Susulan" in page and 'name="tanggal"' in page
    day = (local_today() + timedelta(days=7)).isoformat()
    assert f'value="{day}"' in page  # prefilled: the second click can be the button
    answer = client.post(f"/koordinator/laporan/{closed.id}/susulan", data={"tanggal": day})  # click 2
    assert answer.status_code == 302
    new = db.session.execute(select(Visit).where(Visit.status == "planned").order_by(Visit.id.desc())).scalars().first()
    assert answer.headers["Location"].endswith(f"/koordinator/laporan/{new.id}")
    bad = client.post(f"/koordinator/laporan/{closed.id}/susulan", data={"tanggal": "kemarin"},
                      follow_redirects=True)
    assert "Tanggal kunjungan susulan: Tanggal tidak valid (format YYYY-MM-DD)." in bad.get_data(as_text=True)
