"""Desk events through the sync API: already recorded, printing only from the card age, corrections
only from a coordinator's device (docs/desk.md)."""
from datetime import date

from sqlalchemy import select
from sync_phone import Phone

from webapp.extensions import db
from webapp.sync.models import StudentState
from webapp.visits.models import Student, Visit


def _visit_with_ages():
    """An open visit with one student of 18 and one of 16 on the visit's day."""
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    adult, young = db.session.execute(select(Student).where(Student.visit_id == visit.id)
                                      .order_by(Student.id).limit(2)).scalars().all()
    adult.birth_date = date(visit.date.year - 18, 1, 1)
    young.birth_date = date(visit.date.year - 16, 1, 1)
    adult.married = young.married = False
    db.session.commit()
    return visit, adult, young


def test_print_only_for_students_of_the_card_age(demo, client):
    visit, adult, young = _visit_with_ages()
    phone = Phone(client)
    ok = phone.event("print", student_id=adult.id, result="not_printed", reason="no_blank")
    again = phone.event("print", student_id=adult.id, result="printed")
    refused = phone.event("print", student_id=young.id, result="printed")
    body = phone.sync(visit.id, [ok, again, refused]).get_json()
    assert body["accepted"] == [ok["id"], again["id"]]
    assert [(r["id"], r["code"], r["field"]) for r in body["rejected"]] == [
        (refused["id"], "not_printable", "student_id")]
    row = db.session.get(StudentState, adult.id)
    assert (row.print, row.print_reason, row.attendance) == ("printed", None, "present")


def test_already_recorded_is_stored_as_its_own_outcome(demo, client):
    visit, adult, _young = _visit_with_ages()
    phone = Phone(client)
    ev = phone.event("outcome", student_id=adult.id, result="already_recorded")
    assert phone.sync(visit.id, [ev]).get_json()["accepted"] == [ev["id"]]
    state = phone.get(f"/api/v1/visits/{visit.id}/state").get_json()["students"][adult.id]
    assert (state["outcome"], state["attendance"]) == ("already_recorded", "present")
    assert db.session.get(StudentState, adult.id).outcome == "already_recorded"


def test_an_officer_phone_may_not_send_a_correction(demo, client):
    visit, adult, _young = _visit_with_ages()
    officer, coordinator = Phone(client), Phone(client, "koordinator", "Laptop koordinator")
    fix = dict(student_id=adult.id, field="outcome", value="recorded", reason="SIAK: sudah rekam")
    refused = officer.event("correction", **fix)
    body = officer.sync(visit.id, [refused]).get_json()
    assert [r["code"] for r in body["rejected"]] == ["coordinator_only"]
    accepted = coordinator.event("correction", **fix)
    assert coordinator.sync(visit.id, [accepted]).get_json()["accepted"] == [accepted["id"]]
    state = officer.get(f"/api/v1/visits/{visit.id}/state").get_json()["students"][adult.id]
    assert state["outcome"] == "recorded"
    assert [c["reason"] for c in state["corrections"]] == ["SIAK: sudah rekam"]
