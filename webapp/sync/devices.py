"""Device registration and revocation (the phone's identity for sync)."""
import secrets
import string

from sqlalchemy import select

from webapp.api_auth import hash_token, new_token
from webapp.audit import service as audit
from webapp.auth import services as accounts
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync.models import Device


def _prefix(n):
    """0 -> A, 25 -> Z, 26 -> AA ...: short enough to call aloud."""
    letters = ""
    n += 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = string.ascii_uppercase[rem] + letters
    return letters


def next_prefix():
    """The shortest ticket prefix no device has yet."""
    used = set(db.session.execute(select(Device.ticket_prefix)).scalars())
    return next(_prefix(n) for n in range(len(used) + 1) if _prefix(n) not in used)


def register_device(username, password, label):
    """Check credentials, create a Device; return (device, token). Commits."""
    user = accounts.authenticate(username, password)
    if user is None:
        raise DomainError("bad_credentials")
    device = Device(
        id=f"d{secrets.token_hex(5)}", user_id=user.id, label=(label or "").strip()[:80] or "HP",
        ticket_prefix=next_prefix(),
    )
    token = new_token()
    device.token_hash = hash_token(token)
    db.session.add(device)
    audit.record("device_registered", object_type="device", object_id=device.id,
                 actor=user.username, detail=device.label)
    db.session.commit()
    return device, token


def own_device(device_id, user):
    """A device of `user` by id (the phone asks about itself or its lost predecessor)."""
    device = db.session.get(Device, device_id)
    if device is None or device.user_id != user.id:
        raise DomainError("device_not_found")
    return device


def revoke_device(device, by_user):
    """Revoke a device's token at once (effective on its next request). Commits."""
    if device.revoked_at is None:
        device.revoked_at, device.revoked_by_id = utcnow(), by_user.id
        audit.record("device_revoked", object_type="device", object_id=device.id)
        db.session.commit()
    return device
