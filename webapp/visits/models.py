"""Visit and Student tables."""
import datetime as dt
import secrets
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import Team
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.schools.models import School

STATUSES = ("planned", "open", "closed", "cancelled")  # docs/lifecycle.md
SOURCES = ("prereg", "import", "walkin", "api")


def new_uuid():
    """A random UUID string: students get ids a phone could also mint."""
    return str(uuid.uuid4())


def new_qr_token():
    """Opaque QR payload: 96 random bits, no personal data."""
    return secrets.token_urlsafe(12)


class Visit(db.Model):
    """A team's visit to a school on one date."""

    __table_args__ = (
        CheckConstraint("status IN ('planned', 'open', 'closed', 'cancelled')", name="status"),
        CheckConstraint("stations >= 1 AND stations <= 20", name="stations"),
        CheckConstraint("target IS NULL OR target >= 0", name="target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("team.id"), index=True)
    date: Mapped[dt.date] = mapped_column(index=True)
    stations: Mapped[int] = mapped_column(default=2)
    status: Mapped[str] = mapped_column(String(10), default="planned")
    target: Mapped[int | None]
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    purged_at: Mapped[datetime | None]
    cancelled_at: Mapped[datetime | None]
    # The visit this one follows up (its students still to record were carried over).
    follow_up_of_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)
    # Bumped whenever derived state changes; reports and ETags key on it.
    state_version: Mapped[int] = mapped_column(default=0)
    # Blank KTP-el cards brought to the visit and left at its end (docs/desk.md).
    blanks_brought: Mapped[int | None]
    blanks_left: Mapped[int | None]
    school: Mapped[School] = relationship()
    team: Mapped[Team] = relationship()
    students: Mapped[list["Student"]] = relationship(
        back_populates="visit", order_by="Student.name", cascade="all, delete-orphan"
    )


class Student(db.Model):
    """A student registered for a visit (pre-registration, import, API or walk-in)."""

    __table_args__ = (
        UniqueConstraint("visit_id", "nik"),
        # A follow-up visit carries a student's QR token, so the printed slip keeps working.
        UniqueConstraint("visit_id", "qr_token"),
        CheckConstraint("gender IN ('L', 'P')", name="gender"),
        CheckConstraint("source IN ('prereg', 'import', 'walkin', 'api')", name="source"),
        Index("ix_student_visit_name", "visit_id", "name"),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=new_uuid)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    qr_token: Mapped[str] = mapped_column(String(32), default=new_qr_token)
    # The first row of this person in an earlier visit (follow-ups copy students).
    origin_id: Mapped[str | None] = mapped_column(String(36), index=True)
    name: Mapped[str] = mapped_column(String(120))
    nik: Mapped[str] = mapped_column(String(16))
    kk: Mapped[str | None] = mapped_column(String(16))
    nisn: Mapped[str | None] = mapped_column(String(10))
    nipd: Mapped[str | None] = mapped_column(String(30))
    gender: Mapped[str] = mapped_column(String(1))
    birth_place: Mapped[str | None] = mapped_column(String(80))
    birth_date: Mapped[dt.date]
    class_name: Mapped[str | None] = mapped_column(String(40))
    kelurahan_code: Mapped[str | None] = mapped_column(ForeignKey("kelurahan.code"))
    consent: Mapped[bool] = mapped_column(default=False)
    married: Mapped[bool] = mapped_column(default=False)
    source: Mapped[str] = mapped_column(String(8), default="prereg")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    visit: Mapped[Visit] = relationship(back_populates="students")
