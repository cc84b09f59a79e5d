"""Kecamatan and kelurahan tables, loaded from a seed file."""
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db


class Kecamatan(db.Model):
    """A district, e.g. 36.72.01 Cibeber."""

    code: Mapped[str] = mapped_column(String(8), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kelurahan: Mapped[list["Kelurahan"]] = relationship(
        back_populates="kecamatan", order_by="Kelurahan.code"
    )


class Kelurahan(db.Model):
    """A village-level region, e.g. 36.72.01.1001 Cibeber."""

    code: Mapped[str] = mapped_column(String(13), primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    kecamatan_code: Mapped[str] = mapped_column(ForeignKey("kecamatan.code"), index=True)
    kecamatan: Mapped[Kecamatan] = relationship(back_populates="kelurahan")
