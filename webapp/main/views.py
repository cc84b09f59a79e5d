"""Role home pages."""

from flask import Blueprint, redirect, render_template, url_for
from flask_login import current_user, login_required

from webapp.auth.decorators import HOME_BY_ROLE, roles_required
from webapp.clock import local_today
from webapp.desk import live
from webapp.visits import planning

bp = Blueprint("main", __name__)


@bp.route("/")
@login_required
def index():
    return redirect(url_for(HOME_BY_ROLE[current_user.role]))


@bp.route("/koordinator")
@roles_required("coordinator", "admin")
def coordinator_home():
    visits = planning.visits_newest_first()
    return render_template("main/coordinator_home.html", visits=visits, today=local_today(),
                           progress=live.progress_of_visits(visits))
