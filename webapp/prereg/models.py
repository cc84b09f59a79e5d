"""Pre-registration links and pending Dapodik imports."""
import uuid
from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.visits.models import Visit


class PreregLink(db.Model):
    """A link school staff open without an account; only the token's hash is stored."""

    __tablename__ = "prereg_link"

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
    # The token encrypted with the app key (Fernet), so the link can be shown again.
    token_enc: Mapped[str | None] = mapped_column(Text)
    visit: Mapped[Visit] = relationship()


class ImportBatch(db.Model):
    """A parsed upload waiting for the school's confirmation; nothing is added before."""

    __tablename__ = "import_batch"

    id: Mapped[str] = mapped_column(String(36), primary_key=True, default=lambda: str(uuid.uuid4()))
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    link_id: Mapped[int | None] = mapped_column(ForeignKey("prereg_link.id"))
    filename: Mapped[str] = mapped_column(String(200))
    rows: Mapped[list] = mapped_column(JSON, default=list)
    summary: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    confirmed_at: Mapped[datetime | None]
