"""Coordinator pages: ask for the report PDF as a job, watch it, download it when ready."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.auth.decorators import roles_required
from webapp.errors import DomainError
from webapp.jobs import services

bp = Blueprint("jobs", __name__)
COORDINATORS = ("coordinator", "admin")


@bp.route("/koordinator/laporan/<int:visit_id>/laporan-pdf", methods=["POST"])
@roles_required(*COORDINATORS)
def ask_report(visit_id):
    try:
        job, ready = services.request_file("report", visit_id, str(get_locale()))
    except DomainError:
        abort(404)
    if ready:
        return redirect(url_for("reports.report_pdf", visit_id=visit_id))
    return redirect(url_for("jobs.job_page", job_id=job.id))


def _links(job):
    """(file URL, its button, the page to go back to) of a job's page."""
    if job.kind == "recap":
        p = job.params or {}
        query = {"dari": p.get("from") or "", "sampai": p.get("to") or "", "dasar": p.get("basis")}
        return (url_for("reports.recap", fmt="pdf", **query), _("Unduh Rekap (PDF)"),
                url_for("reports.recap_page", dari=query["dari"], sampai=query["sampai"]))
    back = url_for("reports.visit", visit_id=job.visit_id)
    if job.kind == "report":
        return url_for("reports.report_pdf", visit_id=job.visit_id), _("Unduh Laporan (PDF)"), back
    if job.kind == "remaining":
        return (url_for("reports.remaining_pdf", visit_id=job.visit_id), _("Unduh Daftar Belum Rekam (PDF)"),
                back)
    return None, None, back


@bp.route("/koordinator/pekerjaan/<job_id>")
@roles_required(*COORDINATORS)
def job_page(job_id):
    try:
        job = services.status(job_id)
    except DomainError:
        abort(404)
    file_url, label, back = _links(job)
    return render_template("jobs/status.html", job=job, file_url=file_url, label=label, back=back)
