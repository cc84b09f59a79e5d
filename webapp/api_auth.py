"""Bearer tokens for the JSON API: minting, hashing, and the `token_required` decorator."""
import hashlib
import secrets
from functools import wraps

from flask import g, request
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.api import error
from webapp.clock import utcnow
from webapp.extensions import db


def new_token():
    """A 256-bit bearer token; only its hash is stored."""
    return secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def current_device():
    """The non-revoked Device of the request's bearer token with an active user, or None."""
    from webapp.sync.models import Device

    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    token = header[len("Bearer "):].strip()
    device = db.session.execute(
        select(Device).where(Device.token_hash == hash_token(token))
    ).scalar_one_or_none()
    if device is None or device.revoked_at is not None or not device.user.active:
        return None
    return device


def token_required(*roles):
    """Allow only a valid bearer token whose user has one of `roles` (any role if none)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            device = current_device()
            if device is None:
                return error("unauthorized", _("Token tidak valid atau sudah dicabut. Masuk lagi."), 401)
            if roles and device.user.role not in roles:
                return error("forbidden", _("Peran Anda tidak boleh memakai layanan ini."), 403)
            g.device, g.api_user = device, device.user
            device.last_seen_at = utcnow()
            return view(*args, **kwargs)

        return wrapped

    return decorator
