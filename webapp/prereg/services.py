"""What a link holder (school staff, no account) may do: see, add, edit, remove students."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import current_app
from sqlalchemy import select

from webapp.audit import service as audit
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.identity import Eligibility, Issue
from webapp.prereg import links
from webapp.prereg.models import PreregLink
from webapp.visits import services as students
from webapp.visits.models import Student, Visit


class PreregError(DomainError):
    """Refused: link_not_found, list_locked, student_not_found, import_* (webapp/errors.py)."""


def open_link(token: str) -> PreregLink:
    """The live link of `token`; a wrong, expired or revoked one is simply not found."""
    link = links.resolve(token)
    if link is None:
        raise PreregError("link_not_found")
    return link


def actor(link: PreregLink) -> str:
    """How a link holder appears in the audit log."""
    return f"tautan:{link.id}"


def is_locked(visit: Visit) -> bool:
    """Closed visits are locked; open ones too unless PREREG_LOCK_ON_OPEN is off."""
    if visit.status == "closed":
        return True
    return visit.status == "open" and bool(current_app.config.get("PREREG_LOCK_ON_OPEN", True))


def ensure_editable(visit: Visit):
    if is_locked(visit):
        raise PreregError("list_locked")


def get_student(link: PreregLink, student_id: str) -> Student:
    """A student of the link's visit (another visit's id is simply not found)."""
    student = db.session.get(Student, str(student_id)[:36])
    if student is None or student.visit_id != link.visit_id:
        raise PreregError("student_not_found")
    return student


def view_full_nik(link: PreregLink, student: Student) -> Student:
    """Record that the link holder saw a student's full NIK (edit form, API read)."""
    audit.record("nik_viewed", object_type="student", object_id=student.id, actor=actor(link))
    db.session.commit()
    return student


def add(link: PreregLink, data: dict, *, source="prereg"):
    """Add a student to the link's visit -> (student, warnings); raises StudentInvalid."""
    ensure_editable(link.visit)
    return students.add_student(link.visit, data, source=source, actor=actor(link))


def update(link: PreregLink, student_id: str, data: dict):
    """Replace a student's fields -> (student, warnings)."""
    ensure_editable(link.visit)
    student = get_student(link, student_id)
    return students.update_student(student, data, actor=actor(link))


def remove(link: PreregLink, student_id: str):
    """Remove a student from the list."""
    ensure_editable(link.visit)
    students.remove_student(get_student(link, student_id), actor=actor(link))


@dataclass
class StudentView:
    """A student with what the list shows beside it."""

    student: Student
    eligibility: Eligibility
    warnings: dict[str, list[Issue]] = field(default_factory=dict)


@dataclass
class Overview:
    """The list with its counts."""

    students: list[StudentView]
    counts: dict[str, int]


def overview(visit: Visit) -> Overview:
    """Every student (by class, then name) with eligibility and warnings, plus counts."""
    rows = db.session.execute(select(Student).where(Student.visit_id == visit.id)
                              .order_by(Student.class_name, Student.name)).scalars().all()
    rules = students.rules_for(visit, preload_niks=True)
    views = [StudentView(s, students.student_eligibility(s, visit),
                         students.student_warnings(s, visit, rules)) for s in rows]
    status = [v.eligibility.status for v in views]
    counts = {
        "registered": len(views),
        "eligible": sum(s != "under_age" for s in status),
        "record_and_print": status.count("record_and_print"),
        "record_only": status.count("record_only"),
        "under_age": status.count("under_age"),
        "with_warnings": sum(1 for v in views if set(v.warnings) - {"consent"}),
        "without_consent": sum(1 for v in views if not v.student.consent),
    }
    return Overview(views, counts)
