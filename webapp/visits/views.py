"""Coordinator pages: plan and edit visits, open, share and revoke the pre-registration link."""
from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth import services as accounts
from webapp.auth.decorators import roles_required
from webapp.clock import local_today
from webapp.errors import page_answer
from webapp.extensions import db
from webapp.prereg import links
from webapp.prereg.slips import qr_data_uri
from webapp.visits import planning, rules, services
from webapp.visits.forms import LinkForm, PlainForm, TransitionForm, VisitForm
from webapp.visits.models import Visit

bp = Blueprint("visits", __name__, url_prefix="/koordinator/kunjungan")
COORDINATORS = ("coordinator", "admin")


def _choices(form):
    schools, teams = planning.active_schools(), accounts.teams()
    form.school_id.choices = [("", _("— pilih sekolah —"))] + [
        (str(s.id), f"{s.name} ({s.npsn})") for s in schools]
    form.team_id.choices = [("", _("— pilih tim —"))] + [(str(t.id), t.name) for t in teams]


def _put_errors(form, errors):
    for name, texts in rules.describe(errors, str(get_locale() or "id")).items():
        target = getattr(form, name, None) or form.date
        target.errors = list(target.errors) + texts


def _visit_form(visit=None):
    form = VisitForm(obj=None)
    _choices(form)
    if visit is not None and request.method == "GET":
        form.school_id.data, form.team_id.data = str(visit.school_id), str(visit.team_id)
        form.date.data, form.stations.data = visit.date.isoformat(), str(visit.stations)
        form.target.data = "" if visit.target is None else str(visit.target)
        form.notes.data = visit.notes or ""
    return form


@bp.route("/baru", methods=["GET", "POST"], defaults={"visit_id": None})
@bp.route("/<int:visit_id>/ubah", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
def edit(visit_id):
    visit = db.get_or_404(Visit, visit_id) if visit_id else None
    form = _visit_form(visit)
    if form.validate_on_submit():
        try:
            if visit is None:
                visit = services.plan_visit(form.values())
            else:
                services.update_visit(visit, form.values())
        except services.VisitInvalid as exc:  # refused before anything was written
            _put_errors(form, exc.errors)
        else:
            flash(_("Kunjungan disimpan."), "success")
            return redirect(url_for("visits.detail", visit_id=visit.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("visits/form.html", form=form, visit=visit), status


@bp.route("/<int:visit_id>")
@roles_required(*COORDINATORS)
def detail(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    active = links.active_links(visit.id)
    share = links.current_share(visit, by_user=current_user) if active else None
    if share:
        share["qr"] = qr_data_uri(share["url"])
    registered = services.student_count(visit.id)
    return render_template("visits/detail.html", visit=visit, link=active[0] if active else None,
                           share=share, registered=registered, link_form=LinkForm(),
                           revoke_form=PlainForm(), default_expiry=links.default_expiry(visit),
                           transition_form=TransitionForm(), today=local_today())


@bp.route("/<int:visit_id>/tautan", methods=["POST"])
@roles_required(*COORDINATORS)
def create_link(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    form = LinkForm()
    if form.validate_on_submit():
        expires_at = None
        if form.expires_on.data:
            try:
                expires_at = links.end_of_day(date.fromisoformat(form.expires_on.data))
            except ValueError:
                flash(_("Tanggal berlaku tidak valid (format YYYY-MM-DD)."), "error")
                return redirect(url_for("visits.detail", visit_id=visit.id), 303)
        try:
            links.create_link(visit, by_user=current_user, expires_at=expires_at)
        except links.LinkError as exc:
            page_answer(exc)
        else:
            flash(_("Tautan pendaftaran baru dibuat; tautan lama tidak berlaku lagi."), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id) + "#tautan", 303)


@bp.route("/<int:visit_id>/tautan/cabut", methods=["POST"])
@roles_required(*COORDINATORS)
def revoke_link(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    if PlainForm().validate_on_submit():
        links.revoke_links(visit, by_user=current_user)
        flash(_("Tautan dicabut: sekolah tidak dapat membukanya lagi."), "success")
    return redirect(url_for("visits.detail", visit_id=visit.id) + "#tautan", 303)
