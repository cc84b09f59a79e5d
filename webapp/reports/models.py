"""The report cache: one rendered PDF per visit and state version, kept for verification."""
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from webapp.clock import utcnow
from webapp.extensions import db


class ReportCache(db.Model):
    """A visit report as rendered for one state version, with its content checksum."""

    __tablename__ = "report_cache"
    __table_args__ = (UniqueConstraint("visit_id", "state_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    state_version: Mapped[int]
    # sha256 of the report's canonical content (not of the PDF, which holds the QR of it).
    sha256: Mapped[str] = mapped_column(String(64))
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    size: Mapped[int]
    pages: Mapped[int]
    # What the verification page shows: school, date and the headline counts.
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
