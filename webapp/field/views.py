"""Officer pages: home with the team's visits."""
from flask import Blueprint, render_template
from flask_login import current_user
from sqlalchemy import select

from webapp.auth.decorators import roles_required
from webapp.extensions import db
from webapp.visits.models import Visit

bp = Blueprint("field", __name__, url_prefix="/petugas")


@bp.route("/")
@roles_required("officer")
def home():
    visits = db.session.execute(
        select(Visit).where(Visit.team_id == current_user.team_id).order_by(Visit.date.desc())
    ).scalars().all()
    return render_template("field/home.html", visits=visits)
