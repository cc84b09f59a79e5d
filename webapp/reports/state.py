"""Read derived state: one row per student of one or many visits, with eligibility (no HTTP)."""
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

import fieldsync
from webapp.extensions import db
from webapp.identity import mask_nik
from webapp.sync.models import STATE_FIELDS, StudentState
from webapp.visits.eligibility import configured_ages, eligibility_on
from webapp.visits.models import Student, Visit


@dataclass
class StudentRow:
    """A student as the reports see it: identity (NIK masked), eligibility and derived state."""

    id: str
    visit_id: int
    name: str
    nik_masked: str
    gender: str
    birth_date: date
    class_name: str
    kelurahan_code: str | None
    eligibility: str  # under_age | record_only | record_and_print
    eligible_on: date | None
    nisn: str | None = None
    attendance: str = "not_arrived"  # not_arrived | present | absent
    ticket: str | None = None
    station: int | None = None
    outcome: str | None = None  # None | recorded | failed | already_recorded
    reason: str | None = None
    ikd: str | None = None  # None | scanned | active | failed
    ikd_reason: str | None = None
    checked_in_at: str | None = None
    outcome_at: str | None = None
    print: str | None = None  # None | printed | not_printed (docs/desk.md)
    print_reason: str | None = None
    conflicts: list = field(default_factory=list)
    corrections: list = field(default_factory=list)  # a coordinator's, from the fold (docs/desk.md)

    @property
    def printable(self):
        """Old enough (or married) for the card to be printed on the visit's day."""
        return self.eligibility == "record_and_print"

    @property
    def eligible(self):
        return self.eligibility != "under_age"

    @property
    def still_to_record(self):
        """Not recorded yet: what the school must send to a next visit."""
        return self.outcome != "recorded"


def make_row(student, state, visit_date, visit_status, ages=None):
    """Combine a Student (row or mapping) and its StudentState (or None) into a StudentRow."""
    elig = eligibility_on(student.birth_date, visit_date, student.married, ages)
    row = StudentRow(
        id=student.id, visit_id=student.visit_id, name=student.name,
        nik_masked=mask_nik(student.nik), gender=student.gender, birth_date=student.birth_date,
        class_name=(student.class_name or "").strip() or "-", kelurahan_code=student.kelurahan_code,
        eligibility=elig.status, eligible_on=elig.eligible_on, nisn=getattr(student, "nisn", None),
    )
    if state is not None:  # what the fold stored ("absent once closed" included)
        for name in STATE_FIELDS:
            setattr(row, name, getattr(state, name))
        row.conflicts = list(state.conflicts or [])
        row.corrections = list((state.data or {}).get("corrections") or [])
    else:  # no event named the student yet: the fold's state of an unseen student
        row.attendance = fieldsync.unseen_attendance(visit_status == "closed")
    return row


def rows_for_visits(visits):
    """{visit_id: [StudentRow]} for the given visits, students sorted by class then name."""
    by_id = {v.id: v for v in visits}
    out = {v.id: [] for v in visits}
    if not by_id:
        return out
    ages = configured_ages()
    query = (
        select(Student, StudentState)
        .outerjoin(StudentState, StudentState.student_id == Student.id)
        .where(Student.visit_id.in_(list(by_id)))
    )
    for student, state in db.session.execute(query):
        visit = by_id[student.visit_id]
        out[visit.id].append(make_row(student, state, visit.date, visit.status, ages))
    for rows in out.values():  # in Python: SQLite and PostgreSQL collate names differently
        rows.sort(key=sort_key)
    return out


def sort_key(row):
    """Class, then name, case-insensitive; the id keeps equal names in a stable order."""
    return (row.class_name.casefold(), row.name.casefold(), row.id)


def visit_rows(visit):
    """[StudentRow] of one visit."""
    return rows_for_visits([visit])[visit.id]


def get_visit(visit_id):
    """The Visit or None (ids from URLs may be anything)."""
    return db.session.get(Visit, visit_id)
