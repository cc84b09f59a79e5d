"""Login, logout, language choice, and the admin pages for users and teams."""
from urllib.parse import urlsplit

from flask import Blueprint, abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_user, logout_user

from webapp.auth import lockout, services
from webapp.auth.decorators import HOME_BY_ROLE, roles_required
from webapp.auth.forms import ROLE_LABELS, LoginForm, TeamForm, UserForm
from webapp.auth.models import Team, User
from webapp.clock import utcnow
from webapp.errors import DomainError, page_answer
from webapp.extensions import db
from webapp.ops.throttle import sign_in_limit

bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")

def _safe_next(target):
    """Only same-site relative redirects after login."""
    if target and not urlsplit(target).netloc and target.startswith("/") and not target.startswith("//"):
        return target
    return None


@bp.route("/login", methods=["GET", "POST"])
@sign_in_limit
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    error = None
    if form.validate_on_submit():
        try:
            user = services.authenticate(form.username.data, form.password.data)
        except DomainError as exc:  # account_locked: say for how long, with Retry-After
            return (render_template("auth/login.html", form=form, error=exc.message), exc.status,
                    {"Retry-After": str(exc.params["retry_after"])})
        if user is None:
            error = _("Nama pengguna atau kata sandi salah.")
        else:
            session.permanent = True
            login_user(user)
            services.record_sign_in(user)
            return redirect(_safe_next(request.args.get("next")) or url_for(HOME_BY_ROLE[user.role]))
    return render_template("auth/login.html", form=form, error=error), (401 if error else 200)


@bp.route("/logout", methods=["POST"])
def logout():
    logout_user()
    flash(_("Anda telah keluar."), "info")
    return redirect(url_for("auth.login"))


@bp.route("/lang/<code>", methods=["POST"])
def set_language(code):
    if code not in ("id", "en"):
        abort(404)
    session["lang"] = code
    return redirect(_safe_next(request.form.get("next")) or url_for("main.index"))


def _team_choices():
    return [("", _("— tanpa tim —"))] + [(str(t.id), t.name) for t in services.teams()]


@admin_bp.route("/users")
@roles_required("admin")
def users():
    return render_template("admin/users.html", users=services.users(), teams=services.teams(), roles=ROLE_LABELS,
                           now=utcnow())


@admin_bp.route("/users/new", methods=["GET", "POST"], defaults={"user_id": None})
@admin_bp.route("/users/<int:user_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_user(user_id):
    user = db.get_or_404(User, user_id) if user_id else None
    form = UserForm(obj=user)
    form.team_id.choices = _team_choices()
    if request.method == "GET" and user:
        form.team_id.data = user.team_id
    if form.validate_on_submit():
        try:
            services.save_user(
                user, username=form.username.data, full_name=form.full_name.data,
                role=form.role.data, team_id=form.team_id.data, password=form.password.data,
                active=form.active.data,
            )
        except services.AccountError as exc:  # refused before anything was written
            page_answer(exc, form)
        else:
            flash(_("Pengguna disimpan."), "success")
            return redirect(url_for("admin.users"))
    status = 422 if form.errors else 200
    locked = lockout.remaining_seconds(user) if user else 0
    return render_template("admin/user_form.html", form=form, user=user, locked=locked), status


@admin_bp.route("/users/<int:user_id>/unlock", methods=["POST"])
@roles_required("admin")
def unlock_user(user_id):
    lockout.lift(db.get_or_404(User, user_id))
    flash(_("Kunci akun dibuka."), "success")
    return redirect(url_for("admin.edit_user", user_id=user_id))


@admin_bp.route("/teams/new", methods=["GET", "POST"], defaults={"team_id": None})
@admin_bp.route("/teams/<int:team_id>", methods=["GET", "POST"])
@roles_required("admin")
def edit_team(team_id):
    team = db.get_or_404(Team, team_id) if team_id else None
    form = TeamForm(obj=team)
    if form.validate_on_submit():
        try:
            services.save_team(team, name=form.name.data)
        except services.AccountError as exc:  # refused before anything was written
            page_answer(exc, form)
        else:
            flash(_("Tim disimpan."), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/team_form.html", form=form, team=team), (422 if form.errors else 200)
