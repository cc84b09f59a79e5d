"""A queued job (report, slips, recap, import) and the files it renders or reads."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import utcnow
from webapp.extensions import db


class Job(db.Model):
    """One piece of slow work; `key` names the state it renders (report: state version)."""

    __tablename__ = "job"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # report | slips | recap | import
    visit_id: Mapped[int | None] = mapped_column(ForeignKey("visit.id"), index=True)  # None: recap
    key: Mapped[str] = mapped_column(String(80))
    locale: Mapped[str] = mapped_column(String(5), default="id")
    state: Mapped[str] = mapped_column(String(10), default="queued")  # queued | running | done | failed
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # What the job needs beyond its visit (recap: range and basis; import: link, file name) and,
    # once done, what it found (import: the preview's id, or why the file was refused).
    params: Mapped[dict | None] = mapped_column(JSON)


class SlipsFile(db.Model):
    """The QR slips PDF of a visit for one roster version and language."""

    __tablename__ = "slips_file"
    __table_args__ = (UniqueConstraint("visit_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    key: Mapped[str] = mapped_column(String(80))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class JobFile(db.Model):
    """A file a job made (recap PDF, keyed by its content) or reads (an uploaded import, by job)."""

    __tablename__ = "job_file"
    __table_args__ = (UniqueConstraint("kind", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(10))  # recap | upload
    key: Mapped[str] = mapped_column(String(80))
    filename: Mapped[str] = mapped_column(String(200))
    body: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
