"""Users and teams."""
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.clock import utcnow
from webapp.extensions import db

ROLES = ("officer", "coordinator", "admin")


class Team(db.Model):
    """A field team (tim jemput bola) of officers."""

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)
    members: Mapped[list["User"]] = relationship(back_populates="team", order_by="User.username")


class User(UserMixin, db.Model):
    """A person who signs in: officer (in a team), coordinator or admin."""

    __table_args__ = (
        CheckConstraint("role IN ('officer', 'coordinator', 'admin')", name="role"),
        CheckConstraint("role <> 'officer' OR team_id IS NOT NULL", name="officer_team"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(40), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(12))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("team.id"), index=True)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Lock-out after wrong passwords (webapp/auth/lockout.py).
    failed_logins: Mapped[int] = mapped_column(default=0, server_default="0")
    locked_until: Mapped[datetime | None]
    team: Mapped[Team | None] = relationship(back_populates="members")

    @property
    def is_active(self):
        return self.active

    def set_password(self, password):
        self.password_hash = generate_password_hash(password)

    def check_password(self, password):
        return check_password_hash(self.password_hash, password)
