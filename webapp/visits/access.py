"""Who may see which visit: officers their team's, coordinators and admins all."""
from sqlalchemy import select

from webapp.clock import local_today
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.visits.models import Visit


def visible_visits_query(user):
    """A select() of the visits `user` may work."""
    query = select(Visit)
    if user.role == "officer":
        query = query.where(Visit.team_id == user.team_id)
    return query


RANK = {"open": 0, "planned": 1, "closed": 2, "cancelled": 3}


def officer_order(today):
    """Sort key of the officer's list: today's visit first, then open, what comes next, the past."""
    def key(visit):
        later = visit.status in ("closed", "cancelled")
        return (visit.date != today, RANK[visit.status],
                visit.date.toordinal() * (-1 if later else 1), visit.id)
    return key


def visible_visits(user, today=None):
    """The visits `user` may work, in the officer's order (officer_order) of `today` (the office's)."""
    visits = db.session.execute(visible_visits_query(user)).scalars().all()
    return sorted(visits, key=officer_order(today or local_today()))


def visible_visit(visit_id, user):
    """The visit if `user` may see it; else DomainError visit_not_found (404 whether absent or hidden)."""
    visit = db.session.execute(visible_visits_query(user).where(Visit.id == visit_id)).scalar_one_or_none()
    if visit is None:
        raise DomainError("visit_not_found")
    return visit
