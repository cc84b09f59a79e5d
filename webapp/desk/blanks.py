"""Blank KTP-el cards of a visit: brought and left (docs/desk.md)."""
from webapp.audit import service as audit
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.visits.models import Visit


def _count(raw, field):
    text = "" if raw is None else str(raw).strip()
    if text == "":
        return None
    if not text.isdigit() or int(text) > 100000:
        raise DomainError("bad_count", field)
    return int(text)


def set_blanks(visit_id, brought, left, user):
    """Record the blanks brought and left (empty: not known yet). Commits; returns the visit."""
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise DomainError("visit_not_found")
    brought, left = _count(brought, "blanks_brought"), _count(left, "blanks_left")
    if brought is not None and left is not None and left > brought:
        raise DomainError("blanks_left_too_many", "blanks_left")
    visit.blanks_brought, visit.blanks_left = brought, left
    audit.record("blanks", object_type="visit", object_id=visit.id,
                 detail=f"{brought if brought is not None else '-'}/{left if left is not None else '-'}",
                 actor=user.username, user_id=user.id)
    db.session.commit()
    return visit
