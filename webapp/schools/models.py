"""The school table."""
import sqlalchemy as sa
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.regions.models import Kelurahan

LEVELS = ("SMA", "SMK", "MA", "SLB")


class School(db.Model):
    """A senior high school, identified by its 8-digit NPSN."""

    __table_args__ = (
        CheckConstraint("level IN ('SMA', 'SMK', 'MA', 'SLB')", name="level"),
        CheckConstraint("length(npsn) = 8", name="npsn_len"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    npsn: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(3))
    address: Mapped[str | None] = mapped_column(String(200))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"), index=True)
    # A school with visits is never deleted; it is deactivated (no new visits).
    active: Mapped[bool] = mapped_column(default=True, server_default=sa.true())
    kelurahan: Mapped[Kelurahan] = relationship()
