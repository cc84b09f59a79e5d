"""Account rules: authenticate, create and update users and teams."""
from sqlalchemy import func, select

from webapp.audit import service as audit
from webapp.auth import lockout
from webapp.auth.models import Team, User
from webapp.errors import DomainError
from webapp.extensions import db


class AccountError(DomainError):
    """An account rule was broken: username_taken, password_required, team_taken (with the field)."""


def authenticate(username, password):
    """The active user with these credentials, or None (same answer for any failure).

    Raises DomainError account_locked while the account is locked (webapp/auth/lockout.py); a wrong
    password is counted and committed; a right one clears the count (the caller commits).
    """
    user = db.session.execute(
        select(User).where(func.lower(User.username) == (username or "").strip().lower())
    ).scalar_one_or_none()
    if user is None or not user.active:
        return None
    lockout.refuse_if_locked(user)
    if not user.check_password(password or ""):
        lockout.record_failure(user)
        return None
    lockout.clear(user)
    return user


def save_user(user, *, username, full_name, role, team_id, password, active):
    """Create (user=None) or update a user; commit; raise AccountError on a clash."""
    username = username.strip().lower()
    clash = db.session.execute(
        select(User.id).where(User.username == username, User.id != (user.id if user else -1))
    ).first()
    if clash:
        raise AccountError("username_taken", "username")
    if user is None:
        if not password:
            raise AccountError("password_required", "password")
        user = User()
        db.session.add(user)
    user.username, user.full_name, user.role, user.active = username, full_name.strip(), role, active
    user.team_id = team_id if role == "officer" else team_id or None
    if password:
        user.set_password(password)
    db.session.flush()
    audit.record("user_saved", object_type="user", object_id=user.id, detail=f"role={role}")
    db.session.commit()
    return user


def save_team(team, *, name):
    """Create (team=None) or rename a team; commit."""
    name = name.strip()
    clash = db.session.execute(
        select(Team.id).where(func.lower(Team.name) == name.lower(), Team.id != (team.id if team else -1))
    ).first()
    if clash:
        raise AccountError("team_taken", "name")
    team = team or Team()
    team.name = name
    db.session.add(team)
    db.session.commit()
    return team


def record_sign_in(user):
    """Audit a page sign-in and commit it (with the lock-out count authenticate() cleared)."""
    audit.record("login", object_type="user", object_id=user.id)
    db.session.commit()


def teams():
    """Every team by name."""
    return db.session.execute(select(Team).order_by(Team.name)).scalars().all()


def users():
    """Every user by role, then username."""
    return db.session.execute(select(User).order_by(User.role, User.username)).scalars().all()
