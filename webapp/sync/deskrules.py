"""What a phone may send at the desk beyond the schema: printing age, no corrections (docs/desk.md)."""
from datetime import date

from sqlalchemy import select

import fieldsync
from fieldsync import codes
from webapp.extensions import db
from webapp.sync.models import StudentAlias
from webapp.visits.eligibility import configured_ages, eligibility_on
from webapp.visits.models import Student

PRINTABLE = "record_and_print"
# Who may correct an outcome (domain.md: a coordinator, with a reason).
CORRECTORS = ("coordinator", "admin")


def _walkin_printable(student, day, ages):
    try:
        born = date.fromisoformat(student.get("birth_date") or "")
    except ValueError:
        return False
    return eligibility_on(born, day, False, ages).status == PRINTABLE


def printable_ids(visit, events):
    """Ids (aliases too) of the visit's students whose card may be printed on the visit's day."""
    ages = configured_ages()
    rows = db.session.execute(select(Student.id, Student.birth_date, Student.married)
                              .where(Student.visit_id == visit.id)).all()
    out = {sid for sid, born, married in rows
           if eligibility_on(born, visit.date, married, ages).status == PRINTABLE}
    out.update(alias for alias, canonical in db.session.execute(
        select(StudentAlias.alias_id, StudentAlias.student_id)
        .where(StudentAlias.visit_id == visit.id)).all() if canonical in out)
    out.update(ev["student"]["id"] for ev in events
               if ev["type"] == "walkin" and _walkin_printable(ev["student"], visit.date, ages))
    return out


def phone_problems(events, visit, device):
    """Rejections of valid events a device may not send: an officer's corrections, prints below
    the card age."""
    printable = None
    out = {}
    for ev in events:
        if ev["type"] == "correction" and device.user.role not in CORRECTORS:
            out[ev["id"]] = fieldsync.rejection(ev["id"], codes.COORDINATOR_ONLY, "type")
        elif ev["type"] == "print":
            printable = printable_ids(visit, events) if printable is None else printable
            if ev["student_id"] not in printable:
                out[ev["id"]] = fieldsync.rejection(ev["id"], codes.NOT_PRINTABLE, "student_id")
    return out
