"""Coordinator pages of the visit lifecycle: open, close (with confirmation), reopen, cancel."""
from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.decorators import roles_required
from webapp.errors import DomainError, page_answer
from webapp.extensions import db
from webapp.reports.labels import STATUS
from webapp.visits import lifecycle
from webapp.visits.forms import TransitionForm
from webapp.visits.models import Visit

bp = Blueprint("lifecycle", __name__, url_prefix="/koordinator/kunjungan")
COORDINATORS = ("coordinator", "admin")


@bp.app_template_filter("visit_status")
def visit_status(status):
    """A visit status in the reader's language (Terjadwal, Berlangsung, Selesai, Dibatalkan)."""
    return str(STATUS.get(status, status))


def _done(action, visit):
    return {
        "open": _("Kunjungan dibuka: status Berlangsung."),
        "close": _("Kunjungan ditutup. Siswa yang belum hadir tercatat Tidak Hadir (versi data "
                   "%(v)s).", v=visit.state_version),
        "reopen": _("Kunjungan dibuka kembali: siswa Tidak Hadir kembali Belum Hadir."),
        "cancel": _("Kunjungan dibatalkan; tautan pendaftaran sekolah berhenti."),
    }[action]


def _run(visit_id, action, form):
    try:
        visit, changed = lifecycle.transition(visit_id, action, user=current_user,
                                              reason=form.reason.data)
    except DomainError as exc:  # the service rolled back
        page_answer(exc, form)
        return None
    if changed:
        flash(_done(action, visit), "success")
    return visit


@bp.route("/<int:visit_id>/buka", methods=["POST"])
@roles_required(*COORDINATORS)
def open_visit(visit_id):
    form = TransitionForm()
    if form.validate_on_submit():
        _run(visit_id, "open", form)
    return redirect(url_for("visits.detail", visit_id=visit_id), 303)


def _confirm(visit_id, action):
    visit = db.get_or_404(Visit, visit_id)
    form = TransitionForm()
    if form.validate_on_submit():
        if _run(visit_id, action, form) is not None or not form.errors:
            return redirect(url_for("visits.detail", visit_id=visit_id), 303)
        visit = db.get_or_404(Visit, visit_id)
    registered, absent = lifecycle.confirmation_figures(visit)
    status = 422 if form.errors else 200
    return render_template("visits/confirm.html", visit=visit, action=action, form=form,
                           absent=absent, registered=registered), status


@bp.route("/<int:visit_id>/tutup", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
def close_visit(visit_id):
    return _confirm(visit_id, "close")


@bp.route("/<int:visit_id>/buka-kembali", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
def reopen_visit(visit_id):
    return _confirm(visit_id, "reopen")


@bp.route("/<int:visit_id>/batalkan", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
def cancel_visit(visit_id):
    return _confirm(visit_id, "cancel")
