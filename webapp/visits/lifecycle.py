"""The visit lifecycle in one place: open, close, reopen, cancel (docs/lifecycle.md).

Planning is webapp.visits.planning; everything that changes `Visit.status` is here. Each
transition locks the visit row (serialised with the syncs of that visit), checks its rule,
audits and commits. A refused transition raises DomainError with a stable code (HTTP 409).
"""
from datetime import UTC, timedelta

from flask import current_app
from sqlalchemy import func, or_, select, update

from webapp.audit import service as audit
from webapp.clock import local_today, utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.prereg.models import PreregLink
from webapp.sync import services as sync
from webapp.sync.models import StudentState, SyncEvent
from webapp.visits.models import Student, Visit

# action -> (statuses it may start from, status it ends in)
ACTIONS = {
    "open": (("planned",), "open"),
    "close": (("open",), "closed"),
    "reopen": (("closed",), "open"),
    "cancel": (("planned", "open"), "cancelled"),
}
# (action, current status) -> refusal code, for every start the table above does not allow.
REFUSALS = {
    ("open", "closed"): "visit_closed",
    ("open", "cancelled"): "visit_cancelled",
    ("close", "planned"): "visit_not_open",
    ("close", "cancelled"): "visit_cancelled",
    ("reopen", "planned"): "visit_not_closed",
    ("reopen", "cancelled"): "visit_cancelled",
    ("cancel", "closed"): "visit_closed",
}
AUDIT = {"open": "visit_opened", "close": "visit_closed", "reopen": "visit_reopened",
         "cancel": "visit_cancelled"}
MAX_REASON = 500


def _audit(action, visit, user, detail):
    """An audit entry naming the acting user (web session or API token)."""
    entry = audit.record(AUDIT[action], object_type="visit", object_id=visit.id,
                         actor=getattr(user, "username", None), detail=detail)
    if getattr(user, "id", None) is not None:
        entry.user_id = user.id
    return entry


def would_be_absent(visit_id):
    """How many students closing the visit now turns absent (no check-in, ticket, call, outcome)."""
    query = (select(func.count(Student.id))
             .outerjoin(StudentState, StudentState.student_id == Student.id)
             .where(Student.visit_id == visit_id,
                    or_(StudentState.student_id.is_(None),
                        StudentState.attendance == "not_arrived")))
    return db.session.execute(query).scalar_one()


def confirmation_figures(visit):
    """(students registered, students closing would turn absent) for the confirmation page."""
    registered = db.session.execute(
        select(func.count(Student.id)).where(Student.visit_id == visit.id)).scalar_one()
    return registered, would_be_absent(visit.id) if visit.status == "open" else 0


def _has_events(visit_id):
    return db.session.execute(
        select(SyncEvent.pos).where(SyncEvent.visit_id == visit_id).limit(1)).first() is not None


def _check(action, visit, today, reason):
    """The rule of `action` on `visit` as it stands; raises DomainError when refused."""
    starts, _target = ACTIONS[action]
    if visit.status not in starts:
        raise DomainError(REFUSALS[(action, visit.status)])
    if action == "open" and visit.date > today:
        raise DomainError("visit_not_due")
    if action == "reopen" and visit.purged_at is not None:
        raise DomainError("visit_purged")
    if action == "reopen" and reason is None:  # undoing a close must say why (audit)
        raise DomainError("reason_required", "reason")
    if action == "cancel" and visit.status == "open" and _has_events(visit.id):
        raise DomainError("visit_has_events")


def _apply(action, visit, now):
    """Change the visit; returns the audit detail."""
    before = visit.state_version
    if action == "open":
        visit.status, visit.opened_at = "open", now
        return "opened"
    if action == "cancel":
        visit.status, visit.cancelled_at = "cancelled", now
        db.session.execute(update(PreregLink).where(  # the school's page closes with it
            PreregLink.visit_id == visit.id, PreregLink.revoked_at.is_(None)).values(revoked_at=now))
        return "cancelled"
    absent = would_be_absent(visit.id) if action == "close" else 0
    if action == "close":
        visit.status, visit.closed_at = "closed", now
    else:
        visit.status, visit.closed_at = "open", None
    sync.refold(visit)  # closed: never seen -> absent; reopened: back to not arrived
    if visit.state_version == before:  # nobody's state changed, but the visit's did
        visit.state_version += 1
    return f"absent {absent}" if action == "close" else "closed -> open"


def transition(visit_id, action, *, user, reason=None, now=None, today=None):
    """Run `action` on the visit -> (visit, changed). Commits.

    Asking for the status the visit already has changes nothing (a retried request: 200).
    Raises DomainError: visit_not_found, or the refusal codes of REFUSALS and _check.
    """
    reason = (reason or "").strip()[:MAX_REASON] or None
    if db.session.get(Visit, visit_id) is None:
        raise DomainError("visit_not_found")
    try:
        visit = sync.lock_visit(visit_id)
        if visit.status == ACTIONS[action][1]:
            db.session.rollback()
            return db.session.get(Visit, visit_id), False
        _check(action, visit, today or local_today(), reason)
        previous = visit.status
        detail = _apply(action, visit, now or utcnow())
        _audit(action, visit, user, f"was {previous}; {detail}" + (f"; {reason}" if reason else ""))
        db.session.commit()
        return visit, True
    except Exception:
        db.session.rollback()
        raise


def open_by_sync(visit, user, device_id, today=None):
    """The first events synced on or after the visit date open a planned visit.

    Called inside the sync transaction (the visit row is locked; the caller commits). The team
    works offline in the courtyard: it must not wait for a coordinator to press "open".
    """
    if visit.status != "planned" or visit.date > (today or local_today()):
        return False
    visit.status, visit.opened_at = "open", utcnow()
    _audit("open", visit, user, f"was planned; first sync from device {device_id}")
    return True


def purge_after(visit):
    """When phones may delete a closed visit's roster (once everything is synced), or None."""
    if visit.status != "closed" or visit.closed_at is None:
        return None
    hours = current_app.config.get("CLOSED_VISIT_GRACE_HOURS", 24)
    return visit.closed_at + timedelta(hours=hours)


def purge_after_utc(visit):
    """purge_after as an aware UTC time (what the API writes), or None."""
    moment = purge_after(visit)
    return moment.replace(tzinfo=UTC) if moment is not None else None
