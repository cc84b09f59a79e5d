"""Pre-registration links: 256-bit tokens looked up by hash, kept encrypted with the app key (so
the coordinator can see and resend them), expiring, revocable, one live per visit."""
from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime, time, timedelta
from urllib.parse import quote

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale, format_date, format_datetime
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from webapp.api_auth import hash_token
from webapp.audit import service as audit
from webapp.clock import office_zone, utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.ops.proxy import absolute
from webapp.prereg.models import PreregLink
from webapp.visits.models import Visit

TOKEN_BYTES = 32  # 256 random bits (the brief asks for at least 128)
MIN_DAYS = 7  # a link lives at least this long, even for a visit tomorrow
MAX_DAYS = 366
PATH = "/daftar/"


class LinkError(DomainError):
    """A link cannot be made: visit_closed, or expires_past/expires_too_far (field expires_at)."""


def end_of_day(day) -> datetime:
    """23:59:59 of a local date, as naive UTC (how every datetime is stored)."""
    local = datetime.combine(day, time(23, 59, 59), tzinfo=office_zone())
    return local.astimezone(UTC).replace(tzinfo=None)


def default_expiry(visit: Visit, now: datetime | None = None) -> datetime:
    """The end of the visit day, but never sooner than MIN_DAYS from now."""
    now = now or utcnow()
    return max(end_of_day(visit.date), now + timedelta(days=MIN_DAYS))


def to_utc(moment: datetime) -> datetime:
    """Aware datetimes to naive UTC; naive ones are taken as UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def active_links(visit_id: int, now: datetime | None = None):
    """Links of a visit that still open the school page."""
    now = now or utcnow()
    return db.session.execute(select(PreregLink).where(
        PreregLink.visit_id == visit_id, PreregLink.revoked_at.is_(None),
        PreregLink.expires_at > now).order_by(PreregLink.created_at.desc())).scalars().all()


def create_link(visit: Visit, *, by_user=None, expires_at: datetime | None = None):
    """A new link for the visit -> (link, token); older links are revoked. Commits."""
    now = utcnow()
    if visit.status == "closed":
        raise LinkError("visit_closed")
    expires_at = to_utc(expires_at) if expires_at else default_expiry(visit, now)
    if expires_at <= now:
        raise LinkError("expires_past", field="expires_at")
    if expires_at > now + timedelta(days=MAX_DAYS):
        raise LinkError("expires_too_far", field="expires_at")
    _revoke(visit.id, now)
    token = secrets.token_urlsafe(TOKEN_BYTES)
    link = PreregLink(visit_id=visit.id, token_hash=hash_token(token), expires_at=expires_at,
                      created_by_id=getattr(by_user, "id", None), token_enc=seal(token))
    db.session.add(link)
    db.session.flush()
    audit.record("prereg_link_created", object_type="visit", object_id=visit.id,
                 actor=_actor(by_user), detail=f"link {link.id} expires {expires_at.isoformat()}Z")
    db.session.commit()
    return link, token


def _fernet():
    """Fernet with a key derived from the app's SECRET_KEY (HKDF: never the raw secret)."""
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
               info=b"jemput prereg link v1").derive(current_app.config["SECRET_KEY"].encode())
    return Fernet(base64.urlsafe_b64encode(key))


def seal(token: str) -> str:
    """The token encrypted with the app key, so the coordinator can be shown it again."""
    return _fernet().encrypt(token.encode()).decode()


def unseal(sealed: str | None) -> str | None:
    """The token back, or None (no copy kept, or SECRET_KEY changed since)."""
    if not sealed:
        return None
    try:
        return _fernet().decrypt(sealed.encode()).decode()
    except InvalidToken:
        return None


def current_share(visit: Visit, *, by_user=None):
    """The live link of the visit to show again -> {url, token, expires_at, message, whatsapp_url}
    or None; audited, as the token opens the school's student list."""
    live = active_links(visit.id)
    token = unseal(live[0].token_enc) if live else None
    if token is None or hash_token(token) != live[0].token_hash:
        return None
    url = link_url(token)
    message = share_message(visit, url, live[0].expires_at)
    audit.record("prereg_link_shown", object_type="visit", object_id=visit.id,
                 actor=_actor(by_user), detail=f"link {live[0].id}")
    db.session.commit()
    return {"url": url, "token": token, "expires_at": live[0].expires_at, "message": message,
            "whatsapp_url": whatsapp_url(message), "link": live[0]}


def _actor(user):
    """None lets the audit take the signed-in web user; API callers are named."""
    if user is None or (has_request_context() and current_user.is_authenticated):
        return None
    return user.username


def _revoke(visit_id, now):
    count = 0
    for link in db.session.execute(select(PreregLink).where(
            PreregLink.visit_id == visit_id, PreregLink.revoked_at.is_(None))).scalars():
        link.revoked_at = now
        count += 1
    return count


def revoke_links(visit: Visit, *, by_user=None) -> int:
    """Stop every link of the visit at once; returns how many were live. Commits."""
    count = _revoke(visit.id, utcnow())
    audit.record("prereg_link_revoked", object_type="visit", object_id=visit.id,
                 actor=_actor(by_user), detail=f"{count} link(s)")
    db.session.commit()
    return count


def resolve(token: str | None) -> PreregLink | None:
    """The live link of a token, or None for a wrong, expired or revoked one."""
    if not token or len(token) > 100:
        return None
    link = db.session.execute(
        select(PreregLink).where(PreregLink.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if link is None or link.revoked_at is not None or link.expires_at <= utcnow():
        return None
    if link.visit.purged_at is not None:
        return None
    return link


def link_url(token: str) -> str:
    """The school page's absolute URL under PUBLIC_URL (relative path outside a request)."""
    if has_request_context():
        return absolute(url_for("prereg.home", token=token))
    return (current_app.config.get("PUBLIC_URL") or "") + PATH + token


def share_message(visit: Visit, url: str, expires_at: datetime) -> str:
    """The ready message for the school, always in Indonesian."""
    with force_locale("id"):
        return _(
            "Yth. Bapak/Ibu PIC Sekolah %(school)s,\n"
            "%(agency)s akan melakukan perekaman KTP-el (jemput bola) di sekolah pada "
            "%(date)s.\n"
            "Mohon daftarkan siswa yang berumur 16 tahun ke atas pada hari itu melalui "
            "tautan berikut (tanpa akun; isi satu per satu atau impor berkas Dapodik), "
            "lalu cetak slip QR untuk siswa. Tautan berlaku sampai %(expires)s:\n%(url)s\n"
            "Pada hari kunjungan siswa membawa slip dan fotokopi KK. Terima kasih.",
            school=visit.school.name, agency=current_app.config["AGENCY_SHORT"],
            date=format_date(visit.date, "full"),
            expires=format_datetime(expires_at, "d MMMM yyyy HH:mm"), url=url)


def whatsapp_url(message: str) -> str:
    """A wa.me share link; the coordinator picks the chat in WhatsApp."""
    return "https://wa.me/?text=" + quote(message, safe="")
