"""The region lists the forms offer (no HTTP)."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.regions.models import Kecamatan, Kelurahan


def kelurahan_by_code():
    """Every kelurahan, by code (its kecamatan loaded with it)."""
    return db.session.execute(select(Kelurahan).order_by(Kelurahan.code)).scalars().all()


def kecamatan_by_name():
    """Every kecamatan by name; each lists its kelurahan."""
    return db.session.execute(select(Kecamatan).order_by(Kecamatan.name)).scalars().all()
