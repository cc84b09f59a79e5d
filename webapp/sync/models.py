"""Devices, the append-only event store, derived student state, aliases and conflicts.

The rules that fill these tables are in docs/sync-algorithm.md.
"""
from datetime import datetime

from sqlalchemy import JSON, BigInteger, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db

# SQLite only auto-increments INTEGER PRIMARY KEY; PostgreSQL gets a BIGINT identity.
BigId = BigInteger().with_variant(Integer(), "sqlite")


class Device(db.Model):
    """A phone or browser registered by a signed-in user; its token is stored hashed."""

    id: Mapped[str] = mapped_column(String(16), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id"), index=True)
    label: Mapped[str] = mapped_column(String(80))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Short per-device ticket prefix ("A", "B", ... "AA"), unique so tickets never clash.
    ticket_prefix: Mapped[str] = mapped_column(String(3), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen_at: Mapped[datetime | None]
    last_sync_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    # seq bookkeeping over all visits: seqs are per device, gap-free on the phone.
    max_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    contiguous_seq: Mapped[int] = mapped_column(BigInteger, default=0)
    user: Mapped[User] = relationship(foreign_keys=[user_id])


class SyncEvent(db.Model):
    """One accepted event, stored as received; `pos` is the server order behind cursors."""

    __tablename__ = "sync_event"
    __table_args__ = (
        UniqueConstraint("device_id", "seq"),
        Index("ix_sync_event_visit_pos", "visit_id", "pos"),
    )

    pos: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    event_id: Mapped[str] = mapped_column(String(40), unique=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int] = mapped_column(BigInteger)  # a phone's seq may pass 2^31 (protocol: < 2^53)
    type: Mapped[str] = mapped_column(String(12))
    student_id: Mapped[str | None] = mapped_column(String(64), index=True)
    # The event an undo annuls: the incremental fold finds an event's undos by it.
    target_id: Mapped[str | None] = mapped_column(String(200), index=True)
    hlc: Mapped[str] = mapped_column(String(18))
    at: Mapped[str] = mapped_column(String(32))
    body: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class RejectedEvent(db.Model):
    """An event the server refused, kept so nothing a phone sent is ever lost."""

    __tablename__ = "rejected_event"
    __table_args__ = (UniqueConstraint("device_id", "seq"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    device_id: Mapped[str] = mapped_column(ForeignKey("device.id"))
    seq: Mapped[int | None] = mapped_column(BigInteger)
    event_id: Mapped[str | None] = mapped_column(String(64))
    code: Mapped[str] = mapped_column(String(32))
    message: Mapped[str] = mapped_column(Text)
    body: Mapped[dict] = mapped_column(JSON)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)


class StudentState(db.Model):
    """Derived state of one student, rewritten from the fold in the sync transaction."""

    __tablename__ = "student_state"

    student_id: Mapped[str] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"), primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    attendance: Mapped[str] = mapped_column(String(12), default="not_arrived")
    ticket: Mapped[str | None] = mapped_column(String(12))
    station: Mapped[int | None]
    outcome: Mapped[str | None] = mapped_column(String(20))  # recorded | failed | already_recorded
    reason: Mapped[str | None] = mapped_column(String(40))
    ikd: Mapped[str | None] = mapped_column(String(10))
    ikd_reason: Mapped[str | None] = mapped_column(String(40))
    checked_in_at: Mapped[str | None] = mapped_column(String(32))
    outcome_at: Mapped[str | None] = mapped_column(String(32))
    print: Mapped[str | None] = mapped_column(String(12))  # printed | not_printed (docs/desk.md)
    print_reason: Mapped[str | None] = mapped_column(String(20))
    conflicts: Mapped[list] = mapped_column(JSON, default=list)
    data: Mapped[dict] = mapped_column(JSON, default=dict)  # the full folded state
    version: Mapped[int] = mapped_column(default=0)


# The fold's per-student fields stored as columns above (sync writes them, reports read them).
STATE_FIELDS = ("attendance", "ticket", "station", "outcome", "reason", "ikd", "ikd_reason",
                "checked_in_at", "outcome_at", "print", "print_reason", "conflicts")


class StudentAlias(db.Model):
    """A walk-in id that turned out to be a student already in the visit (same NIK)."""

    __tablename__ = "student_alias"

    alias_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    student_id: Mapped[str] = mapped_column(ForeignKey("student.id", ondelete="CASCADE"))


class SyncConflict(db.Model):
    """A conflict the fold found, with the coordinator's resolution once given."""

    __tablename__ = "sync_conflict"
    __table_args__ = (UniqueConstraint("visit_id", "code", "student_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    visit_id: Mapped[int] = mapped_column(ForeignKey("visit.id"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    student_id: Mapped[str] = mapped_column(String(64))
    events: Mapped[list] = mapped_column(JSON, default=list)
    detected_at: Mapped[datetime] = mapped_column(default=utcnow)
    active: Mapped[bool] = mapped_column(default=True)
    resolved_at: Mapped[datetime | None]
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("user.id"))
    resolution: Mapped[str | None] = mapped_column(Text)
