"""One person across visits: a visit, its follow-up (same QR tokens) and a third visit; every
figure of the dashboard, the coverage API, the recap and the visit pages agrees (docs/coverage.md)."""
import csv
import io
from datetime import timedelta

import pytest
from sqlalchemy import select
from sync_phone import Phone

from webapp.auth.models import Team
from webapp.auth.services import save_user
from webapp.clock import local_today
from webapp.extensions import db
from webapp.identity import add_years
from webapp.reports import counting
from webapp.reports.services import coverage, tally
from webapp.reports.state import visit_rows
from webapp.schools.models import School
from webapp.visits.models import Student, Visit

KEL = "36.72.02.1001"  # Bagendung, kecamatan Cilegon (36.72.02)
PASSWORD = "demo12345"


@pytest.fixture
def world(ctx):
    team = Team(name="Tim Musim")
    school = School(npsn="69900201", name="SMA Musim", level="SMA", kelurahan_code=KEL)
    db.session.add_all([team, school])
    db.session.commit()
    save_user(None, username="petugas1", full_name="Petugas", role="officer", team_id=team.id,
              password=PASSWORD, active=True)
    save_user(None, username="koordinator", full_name="Koordinator", role="coordinator",
              team_id=None, password=PASSWORD, active=True)
    return school, team


def person(visit, n, *, age=17, nik=None):
    born = add_years(local_today(), -age) - timedelta(days=30 + n)
    nik = nik or f"367202{born:%d%m%y}{n:04d}"
    student = Student(visit=visit, name=f"Siswa {n}", nik=nik, gender="L", birth_date=born,
                      class_name="XII", kelurahan_code=KEL, consent=True)
    db.session.add(student)
    return student


def coordinator(client):
    token = client.post("/api/v1/devices", json={"username": "koordinator", "password": PASSWORD,
                                                 "label": "t"}).get_json()["token"]
    return {"Authorization": f"Bearer {token}"}


def by_nik(visit):
    return {s.nik: s for s in db.session.get(Visit, visit.id).students}


def run(phone, visit, plan):
    """plan: {nik: "recorded" | "failed" | "present"}: check in, then the outcome if any."""
    students, events = by_nik(visit), []
    for nik, what in plan.items():
        sid = students[nik].id
        events.append(phone.event("checkin", student_id=sid))
        if what == "recorded":
            events.append(phone.event("outcome", student_id=sid, result="recorded"))
        elif what == "failed":
            events.append(phone.event("outcome", student_id=sid, result="failed",
                                      reason="belum_padan"))
    answer = phone.sync(visit.id, events)
    assert answer.status_code == 200 and not answer.get_json()["rejected"], answer.get_json()


def counts(group):
    keys = ("registered", "eligible", "present", "recorded", "failed", "waiting", "absent",
            "not_arrived", "target", "visits")
    return {k: group[k] for k in keys}


def test_a_visit_its_follow_up_and_a_third_visit(world, client):
    school, team = world
    coord = coordinator(client)
    phone = Phone(client)
    today = local_today()
    first = Visit(school=school, team=team, date=today - timedelta(days=3), status="open", target=6)
    db.session.add(first)
    p = [person(first, n) for n in range(1, 6)] + [person(first, 6, age=15)]
    db.session.commit()
    niks = [s.nik for s in p]
    qr = {s.nik: s.qr_token for s in p}
    # Visit 1: p1 recorded, p2 failed, p5 checked in without an outcome; p3, p4, p6 never came.
    run(phone, first, {niks[0]: "recorded", niks[1]: "failed", niks[4]: "present"})
    assert client.post(f"/api/v1/visits/{first.id}/close", headers=coord).status_code == 200

    # Follow-up: everyone still to record, with the slips' QR tokens.
    answer = client.post(f"/api/v1/visits/{first.id}/follow-up", headers=coord,
                         json={"date": today.isoformat()})
    assert answer.status_code == 201, answer.get_json()
    second = db.session.get(Visit, answer.get_json()["visit"]["id"])
    assert answer.get_json()["visit"]["follow_up_of"] == first.id
    carried = by_nik(second)
    assert set(carried) == set(niks[1:])
    assert all(carried[n].qr_token == qr[n] for n in carried)  # printed slips keep working
    roster = phone.get(f"/api/v1/visits/{second.id}/roster").get_json()
    assert {s["qr"] for s in roster["students"]} == {qr[n] for n in niks[1:]}
    # Visit 2 (opened by the first sync): p2 and p3 recorded, p5 failed; p4, p6 absent.
    run(phone, second, {niks[1]: "recorded", niks[2]: "recorded", niks[4]: "failed"})
    assert db.session.get(Visit, second.id).status == "open"
    assert client.post(f"/api/v1/visits/{second.id}/close", headers=coord).status_code == 200

    # A third visit to the school: the list has p4 again (same NIK, a new slip) and p7.
    answer = client.post("/api/v1/visits", headers=coord, json={
        "school_id": school.id, "team_id": team.id, "date": today.isoformat(), "target": 2})
    assert answer.status_code == 201, answer.get_json()
    third = db.session.get(Visit, answer.get_json()["id"])
    person(third, 4, nik=niks[3])
    person(third, 7)
    db.session.commit()
    run(phone, third, {niks[3]: "recorded"})

    # Every person once: p1-p4 recorded, p5 failed (latest), p6 absent (under age), p7 not yet.
    cov = client.get("/api/v1/reports/coverage", headers=coord).get_json()
    city = cov["city"]
    expected = {"registered": 7, "eligible": 6, "present": 5, "recorded": 4, "failed": 1,
                "waiting": 0, "absent": 1, "not_arrived": 1, "target": 8, "visits": 3}
    assert counts(city) == expected
    assert city["failed_by_reason"] == {"belum_padan": 1}
    assert city["achievement"] == round(100 * 4 / 6, 1)
    assert city["city_recorded_total"] == city["city_recorded_base"] + 4
    [school_line] = cov["schools"]
    assert counts(school_line) == expected
    [kec] = [k for k in cov["kecamatan"] if k["key"] == "36.72.02"]
    assert counts(kec) == expected
    [kel] = cov["kelurahan"]
    assert kel["key"] == KEL and counts(kel) == expected
    # Visit lines are each visit's own record.
    lines = {int(v["key"]): counts(v) for v in cov["visits"]}
    assert lines[first.id] == {"registered": 6, "eligible": 5, "present": 3, "recorded": 1,
                               "failed": 1, "waiting": 1, "absent": 3, "not_arrived": 0,
                               "target": 6, "visits": 1}
    assert lines[second.id] == {"registered": 5, "eligible": 4, "present": 3, "recorded": 2,
                                "failed": 1, "waiting": 0, "absent": 2, "not_arrived": 0,
                                "target": 5, "visits": 1}
    assert lines[third.id] == {"registered": 2, "eligible": 2, "present": 1, "recorded": 1,
                               "failed": 0, "waiting": 0, "absent": 0, "not_arrived": 1,
                               "target": 2, "visits": 1}
    # The SQL visit lines are what the visit's own rows add up to (report PDF, export, page).
    for visit in (first, second, third):
        visit = db.session.get(Visit, visit.id)
        own = tally(visit_rows(visit), visit).to_dict()
        assert counts(own) == lines[visit.id]
    # Residence basis: the same people, placed at home.
    res = coverage(basis="residence")
    assert res.city.recorded == 4 and res.kelurahan[0].counts.registered == 7

    # The recap (CSV) has the visit lines; the dashboard page the same city figures.
    recap = client.get("/api/v1/reports/recap.csv", headers=coord)
    assert recap.status_code == 200
    rows = list(csv.DictReader(io.StringIO(recap.get_data().decode("utf-8-sig")), delimiter=";"))
    assert {int(r["ID kunjungan"]): int(r["Sudah Rekam"]) for r in rows} == {
        first.id: 1, second.id: 2, third.id: 1}
    client.post("/login", data={"username": "koordinator", "password": PASSWORD})
    page = client.get("/koordinator/capaian").get_data(as_text=True)
    assert "4/7 rekam" in page

    # A follow-up of visit 2 takes p5 and p6 only: p4 was recorded on the third visit.
    assert counting.recorded_elsewhere(second.id) == {by_nik(second)[niks[3]].id}
    visit_page = client.get(f"/koordinator/laporan/{second.id}").get_data(as_text=True)
    assert "2 siswa akan disalin" in visit_page
    answer = client.post(f"/api/v1/visits/{second.id}/follow-up", headers=coord,
                         json={"date": (today + timedelta(days=7)).isoformat()})
    assert answer.status_code == 201 and answer.get_json()["copied"]["students"] == 2
    fourth = db.session.get(Visit, answer.get_json()["visit"]["id"])
    assert set(by_nik(fourth)) == {niks[4], niks[5]}
    assert {s.origin_id for s in fourth.students} == {p[4].id, p[5].id}
    # Planned follow-up: its copies change no figure (the latest state is still visit 2's).
    again = client.get("/api/v1/reports/coverage", headers=coord).get_json()
    assert counts(again["city"]) | {"target": 8, "visits": 3} == expected


def test_a_purged_nik_is_its_own_person(world, client):
    school, team = world
    visit = Visit(school=school, team=team, date=local_today(), status="open", target=2)
    db.session.add(visit)
    a, b = person(visit, 1), person(visit, 2)
    db.session.commit()
    a.nik, b.nik = "X000000000000001", "X000000000000002"
    db.session.commit()
    found = counting.aggregate([visit.id], "city")
    assert found["city"][0]["registered"] == 2
    assert db.session.execute(select(counting.person_key()).where(
        Student.id == a.id)).scalar_one() == a.id
