"""Who may see which visit: officers their team's, coordinators and admins all."""
from sqlalchemy import select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.visits.models import Visit


def visible_visits_query(user):
    """A select() of the visits `user` may work."""
    query = select(Visit)
    if user.role == "officer":
        query = query.where(Visit.team_id == user.team_id)
    return query


def visible_visits(user):
    """The visits `user` may work: today's first, then what comes next, then the past."""
    visits = db.session.execute(visible_visits_query(user)).scalars().all()
    rank = {"open": 0, "planned": 1, "closed": 2}
    return sorted(visits, key=lambda v: (rank.get(v.status, 3),
                                         v.date.toordinal() * (-1 if v.status == "closed" else 1)))


def visible_visit(visit_id, user):
    """The visit if `user` may see it; else DomainError visit_not_found (404 whether absent or hidden)."""
    visit = db.session.execute(visible_visits_query(user).where(Visit.id == visit_id)).scalar_one_or_none()
    if visit is None:
        raise DomainError("visit_not_found")
    return visit
