"""Bearer tokens for the JSON API: minting, hashing, and the `token_required` decorator."""
import hashlib
import secrets
from datetime import timedelta
from functools import wraps

from flask import g, request
from sqlalchemy import select, update
from sqlalchemy.orm.attributes import set_committed_value

from webapp.clock import utcnow
from webapp.errors import DomainError, api_answer
from webapp.extensions import db
from webapp.sync.models import Device

SEEN_EVERY = timedelta(seconds=30)


def new_token():
    """A 256-bit bearer token; only its hash is stored."""
    return secrets.token_urlsafe(32)


def hash_token(token):
    return hashlib.sha256(token.encode()).hexdigest()


def current_device():
    """The non-revoked Device of the request's bearer token with an active user, or None."""
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


def mark_seen(device):
    """Write `last_seen_at` in its own short transaction, at most once per SEEN_EVERY.

    Never through the request's session: a dirty device there would make the first query
    autoflush and hold the write lock (all of SQLite) for the whole request, e.g. a report render.
    """
    now = utcnow()
    if device.last_seen_at is not None and now - device.last_seen_at < SEEN_EVERY:
        return
    with db.engine.begin() as conn:
        conn.execute(update(Device).where(Device.id == device.id).values(last_seen_at=now))
    set_committed_value(device, "last_seen_at", now)


def token_required(*roles):
    """Allow only a valid bearer token whose user has one of `roles` (any role if none)."""

    def decorator(view):
        @wraps(view)
        def wrapped(*args, **kwargs):
            device = current_device()
            if device is None:
                return api_answer(DomainError("unauthorized"))
            if roles and device.user.role not in roles:
                return api_answer(DomainError("forbidden"))
            mark_seen(device)
            g.device, g.api_user = device, device.user
            return view(*args, **kwargs)

        return wrapped

    return decorator


def token_or_login(*roles):
    """Like token_required, or a signed-in page user of one of `roles` (the desk page's GETs)."""
    from flask_login import current_user

    def decorator(view):
        token_view = token_required(*roles)(view)

        @wraps(view)
        def wrapped(*args, **kwargs):
            if request.headers.get("Authorization") or not current_user.is_authenticated:
                return token_view(*args, **kwargs)
            if roles and current_user.role not in roles:
                return api_answer(DomainError("forbidden"))
            g.device, g.api_user = None, current_user
            return view(*args, **kwargs)

        return wrapped

    return decorator
