"""Up to a few photos per visit, resized on upload, shown in the report (docs/desk.md)."""
import hashlib
import io

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select

from webapp.audit import service as audit
from webapp.desk.models import VisitPhoto
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.visits.models import Visit

MAX_PHOTOS = 4
MAX_SIDE = 1280  # px: enough for an A4 report, small enough for a phone upload
QUALITY = 80


def resize(raw):
    """JPEG bytes of an uploaded image, turned upright, at most MAX_SIDE px, without metadata."""
    try:
        with Image.open(io.BytesIO(raw)) as img:
            img = ImageOps.exif_transpose(img).convert("RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise DomainError("bad_photo", "photo") from exc
    img.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    img.save(out, "JPEG", quality=QUALITY, optimize=True)  # no exif= : GPS and camera data dropped
    return out.getvalue(), img.size


def photos_of(visit_id):
    return db.session.execute(select(VisitPhoto).where(VisitPhoto.visit_id == visit_id)
                              .order_by(VisitPhoto.id)).scalars().all()


def add_photo(visit_id, raw, caption, user):
    """Store one resized photo; the visit's report gets a new version. Commits; returns the photo."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise DomainError("visit_not_found")
    if visit.purged_at is not None:
        raise DomainError("visit_purged")
    count = db.session.execute(select(func.count(VisitPhoto.id))
                               .where(VisitPhoto.visit_id == visit_id)).scalar_one()
    if count >= MAX_PHOTOS:
        raise DomainError("too_many_photos", "photo", limit=MAX_PHOTOS)
    jpeg, (width, height) = resize(raw or b"")
    photo = VisitPhoto(visit_id=visit_id, jpeg=jpeg, width=width, height=height,
                       sha256=hashlib.sha256(jpeg).hexdigest(), caption=(caption or "").strip()[:200] or None,
                       created_by_id=user.id)
    db.session.add(photo)
    visit.state_version += 1  # the report shows the photos: a new report version
    db.session.flush()
    audit.record("photo_added", object_type="visit", object_id=visit_id, detail=f"photo {photo.id}",
                 actor=user.username, user_id=user.id)
    db.session.commit()
    return photo


def delete_photo(visit_id, photo_id, user):
    photo = db.session.get(VisitPhoto, photo_id)
    if photo is None or photo.visit_id != visit_id:
        raise DomainError("photo_not_found")
    db.session.delete(photo)
    db.session.get(Visit, visit_id).state_version += 1
    audit.record("photo_removed", object_type="visit", object_id=visit_id, detail=f"photo {photo_id}",
                 actor=user.username, user_id=user.id)
    db.session.commit()


def get_photo(visit_id, photo_id):
    photo = db.session.get(VisitPhoto, photo_id)
    if photo is None or photo.visit_id != visit_id:
        raise DomainError("photo_not_found")
    return photo
