"""Role home pages."""
from datetime import date

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from webapp.auth.decorators import HOME_BY_ROLE, roles_required
from webapp.desk import live
from webapp.extensions import db
from webapp.visits.models import Visit

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/koordinator")
@roles_required("coordinator", "admin")
def coordinator_home():
    visits = db.session.execute(select(Visit).order_by(Visit.date.desc())).scalars().all()
    return render_template("main/coordinator_home.html", visits=visits, today=date.today(),
                           progress=live.progress_of_visits(visits))
