"""Photos of a visit: resized on upload without their metadata, at most a few, shown in the report."""
import io

import pytest
import reports_factories as rf
from PIL import Image
from sqlalchemy import select

from webapp.desk import photos
from webapp.desk.models import VisitPhoto
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.visits.models import Visit


def jpeg_with_gps(size=(3000, 2000)):
    img = Image.new("RGB", size, (20, 120, 60))
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    exif[0x8825] = {1: "S", 2: (6.0, 1.0, 0.0)}  # GPSInfo
    out = io.BytesIO()
    img.save(out, "JPEG", exif=exif)
    return out.getvalue()


def test_upload_resizes_strips_metadata_and_shows_in_the_report(demo, client, login, tmp_path):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    raw = jpeg_with_gps()
    assert Image.open(io.BytesIO(raw)).getexif()
    version = visit.state_version
    login("koordinator")
    answer = client.post(f"/koordinator/kunjungan/{visit.id}/foto",
                         data={"caption": "Perekaman di aula", "photo": (io.BytesIO(raw), "aula.jpg")},
                         content_type="multipart/form-data")
    assert answer.status_code == 303
    photo = db.session.execute(select(VisitPhoto)).scalar_one()
    stored = Image.open(io.BytesIO(photo.jpeg))
    assert max(stored.size) == photos.MAX_SIDE and not stored.getexif()
    assert len(photo.jpeg) < len(raw)
    db.session.refresh(visit)
    assert visit.state_version == version + 1  # a new report version
    shown = client.get(f"/koordinator/kunjungan/{visit.id}/foto/{photo.id}.jpg")
    assert shown.status_code == 200 and shown.mimetype == "image/jpeg"
    assert "Perekaman di aula" in client.get(f"/koordinator/kunjungan/{visit.id}/langsung").get_data(as_text=True)
    pdf = rf.get_report(client, f"/api/v1/visits/{visit.id}/report.pdf", rf.bearer(client, "koordinator"))
    text = rf.pdf_text(pdf.data, tmp_path)
    assert "Dokumentasi Kegiatan" in text and "Perekaman di aula" in text


def test_refusals(demo, client):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    user = rf.user("koordinator")
    with pytest.raises(DomainError) as bad:
        photos.add_photo(visit.id, b"not an image", "", user)
    assert bad.value.code == "bad_photo"
    small = jpeg_with_gps((40, 30))
    for _ in range(photos.MAX_PHOTOS):
        photos.add_photo(visit.id, small, "", user)
    with pytest.raises(DomainError) as many:
        photos.add_photo(visit.id, small, "", user)
    assert many.value.code == "too_many_photos"
    with pytest.raises(DomainError) as gone:
        photos.get_photo(visit.id + 1000, 1)
    assert gone.value.code == "photo_not_found"


def test_photos_are_purged_with_the_visits_personal_data(demo):
    from webapp.clock import utcnow
    from webapp.retention import purge_visit

    visit = db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()
    visit.closed_at = visit.closed_at or utcnow()
    photos.add_photo(visit.id, jpeg_with_gps((40, 30)), "", rf.user("koordinator"))
    purge_visit(visit, utcnow())
    db.session.commit()
    assert photos.photos_of(visit.id) == []
