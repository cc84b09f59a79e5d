"""Load a region seed file (CSV: code,name) into the database, idempotently."""
import csv
from importlib import resources
from pathlib import Path

from sqlalchemy import select

from webapp.extensions import db
from webapp.regions.models import Kecamatan, Kelurahan

DEFAULT_FILE = "regions_3672_cilegon.csv"


def read_rows(path=None):
    """Rows of (code, name) from a seed CSV; the packaged Cilegon file by default."""
    if path is None:
        text = resources.files("webapp.data").joinpath(DEFAULT_FILE).read_text("utf-8")
    else:
        text = Path(path).read_text("utf-8")
    return [(r["code"].strip(), r["name"].strip()) for r in csv.DictReader(text.splitlines())]


def load_regions(path=None):
    """Insert or update kecamatan (xx.xx.xx) and kelurahan (xx.xx.xx.xxxx); return counts."""
    rows = read_rows(path)
    kec = {c: n for c, n in rows if len(c) == 8}
    kel = {c: n for c, n in rows if len(c) == 13}
    bad = [c for c, _ in rows if len(c) not in (8, 13) or (len(c) == 13 and c[:8] not in kec)]
    if bad:
        raise ValueError(f"Kode wilayah tidak dikenal dalam berkas: {', '.join(bad[:5])}")
    existing = {k.code: k for k in db.session.execute(select(Kecamatan)).scalars()}
    for code, name in kec.items():
        row = existing.get(code) or Kecamatan(code=code)
        row.name = name
        db.session.add(row)
    db.session.flush()
    existing_kel = {k.code: k for k in db.session.execute(select(Kelurahan)).scalars()}
    for code, name in kel.items():
        row = existing_kel.get(code) or Kelurahan(code=code)
        row.name, row.kecamatan_code = name, code[:8]
        db.session.add(row)
    db.session.commit()
    return len(kec), len(kel)
