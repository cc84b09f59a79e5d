"""Closing a visit: students never checked in become absent (webapp/visits has no close yet)."""
from webapp.audit import service as audit
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.reports.services import ReportError
from webapp.sync.services import lock_visit, refold
from webapp.visits.models import Visit


def close_visit(visit_id, *, user):
    """Close a visit and refold its state as closed; idempotent. Commits; returns the visit.

    The fold with closed=True turns every student without a check-in, ticket, call or
    outcome into `absent`. Events that arrive later are still accepted and refolded (still
    closed) by the sync service, which bumps the state version, so the report gets a new one.
    """
    if db.session.get(Visit, visit_id) is None:
        raise ReportError("visit_not_found")
    try:
        visit = lock_visit(visit_id)  # serialised with syncs of this visit
        if visit.status == "closed":
            db.session.rollback()
            return db.session.get(Visit, visit_id)
        before = visit.state_version
        previous = visit.status
        visit.status, visit.closed_at = "closed", utcnow()
        refold(visit)
        if visit.state_version == before:  # nobody's state changed, but the visit's did
            visit.state_version += 1
        entry = audit.record("visit_closed", object_type="visit", object_id=visit.id,
                             actor=user.username, detail=f"was {previous}")
        entry.user_id = user.id
        db.session.commit()
        return visit
    except Exception:
        db.session.rollback()
        raise
