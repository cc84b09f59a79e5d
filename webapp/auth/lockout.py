"""Per-account lock-out after wrong passwords, with a growing delay (docs/deploy.md#throttling).

The lock lives on the user row, so every worker and server sees it. While locked, every attempt is
refused without checking the password and without counting (an attacker cannot keep a lock going
for ever); once it ends, the real password works from any device and clears the count; another
wrong one locks again for twice as long, up to LOCKOUT_MAX_SECONDS. An admin can lift it.
"""
import math
from datetime import timedelta

from flask import current_app
from sqlalchemy import update

from webapp.audit import service as audit
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db


def lock_seconds(failures, threshold, base, cap):
    """How long the lock lasts after `failures` wrong passwords in a row (0: not locked)."""
    if failures < threshold:
        return 0
    return min(cap, base * 2 ** (failures - threshold))


def remaining_seconds(user, now=None):
    """Whole seconds until `user`'s lock ends (0 when not locked)."""
    if user.locked_until is None:
        return 0
    left = (user.locked_until - (now or utcnow())).total_seconds()
    return max(0, math.ceil(left))


def refuse_if_locked(user, now=None):
    """Raise DomainError account_locked (429, with retry_after seconds) while `user` is locked."""
    left = remaining_seconds(user, now)
    if left:
        raise DomainError("account_locked", retry_after=left, minutes=math.ceil(left / 60))


def record_failure(user, now=None):
    """Count one wrong password (atomically, several servers may count at once); lock at the threshold. Commits."""
    now = now or utcnow()
    db.session.execute(update(User).where(User.id == user.id)
                       .values(failed_logins=User.failed_logins + 1))
    db.session.refresh(user, ["failed_logins"])
    config = current_app.config
    seconds = lock_seconds(user.failed_logins, config["LOCKOUT_THRESHOLD"], config["LOCKOUT_BASE_SECONDS"],
                           config["LOCKOUT_MAX_SECONDS"])
    if seconds:
        user.locked_until = now + timedelta(seconds=seconds)
        audit.record("account_locked", object_type="user", object_id=user.id, actor=user.username,
                     detail=f"failures={user.failed_logins} seconds={seconds}")
    db.session.commit()


def clear(user):
    """A correct password: forget the count and any ended lock (the caller commits)."""
    if user.failed_logins or user.locked_until is not None:
        user.failed_logins, user.locked_until = 0, None


def lift(user):
    """An admin lifts the lock at once. Commits."""
    clear(user)
    audit.record("account_unlocked", object_type="user", object_id=user.id)
    db.session.commit()
    return user
