"""A queued job (report or slips PDF) and the slips files it renders, one per roster version."""
from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import utcnow
from webapp.extensions import db


class Job(db.Model):
    """One piece of slow work; `key` names the state it renders (report: state version)."""

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # report | slips
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued | running | done | failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class SlipsFile(db.Model):
    """The QR slips PDF of a visit for one roster version and language."""

    __tablename__ = "slips_file"
    __table_args__ = (UniqueConstraint("visit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
