"""Devices (registered phones) and their bearer tokens."""
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User, utcnow
from webapp.extensions import db


class Device(db.Model):
    """A phone or browser registered by a signed-in user; its token is stored hashed."""

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Short per-device ticket prefix ("A", "B", ... "AA"), unique so tickets never clash.
    ticket_prefix: Mapped[str] = mapped_column(String(3), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    user: Mapped[User] = relationship()
