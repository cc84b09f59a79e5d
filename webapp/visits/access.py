"""Who may see which visit: officers their team's, coordinators and admins all."""
from sqlalchemy import select

from webapp.extensions import db
from webapp.visits.models import Visit


def visible_visits_query(user):
    """A select() of the visits `user` may work."""
    query = select(Visit)
    if user.role == "officer":
        query = query.where(Visit.team_id == user.team_id)
    return query


def visible_visit(visit_id, user):
    """The visit if `user` may see it, else None (the caller answers 404 either way)."""
    return db.session.execute(visible_visits_query(user).where(Visit.id == visit_id)).scalar_one_or_none()
