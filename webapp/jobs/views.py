"""Coordinator pages: ask for the report PDF as a job, watch it, download it when ready."""
from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import get_locale

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


@bp.route("/koordinator/pekerjaan/<job_id>")
@roles_required(*COORDINATORS)
def job_page(job_id):
    try:
        job = services.status(job_id)
    except DomainError:
        abort(404)
    return render_template("jobs/status.html", job=job,
                           file_url=url_for("reports.report_pdf", visit_id=job.visit_id)
                           if job.kind == "report" else None)
