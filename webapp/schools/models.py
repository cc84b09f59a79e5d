"""The school table."""
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.regions.models import Kelurahan

LEVELS = ("SMA", "SMK", "MA")


class School(db.Model):
    """A senior high school, identified by its 8-digit NPSN."""

    __table_args__ = (
        CheckConstraint("level IN ('SMA', 'SMK', 'MA')", name="level"),
        CheckConstraint("length(npsn) = 8", name="npsn_len"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    npsn: Mapped[str] = mapped_column(String(8), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    level: Mapped[str] = mapped_column(String(3))
    address: Mapped[str | None] = mapped_column(String(200))
    kelurahan_code: Mapped[str] = mapped_column(ForeignKey("kelurahan.code"), index=True)
    kelurahan: Mapped[Kelurahan] = relationship()
