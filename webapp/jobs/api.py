"""Jobs API: ask for a report or slips PDF (202 + job), follow the job, fetch the slips file."""
from flask import url_for
from flask_babel import get_locale
from flask_smorest import Blueprint

from webapp.api_auth import token_required
from webapp.errors import DomainError, api_answer
from webapp.jobs import services
from webapp.reports.downloads import Download, response

blp = Blueprint("jobs_api", __name__, url_prefix="/api/v1",
                description="Coordinator: slow files (report, slips and recap PDFs) rendered as jobs")
COORDINATORS = ("coordinator", "admin")


def _file_url(kind, visit_id, params=None):
    if kind == "report":
        return url_for("reports_api.report_pdf", visit_id=visit_id)
    if kind == "recap":
        query = {"from": params.get("from"), "to": params.get("to"), "basis": params.get("basis")}
        return url_for("reports_api.recap_pdf", **{k: v for k, v in query.items() if v})
    return url_for("jobs_api.slips_pdf", visit_id=visit_id)


def _job_body(job, kind, visit_id):
    return {"job": job.id, "kind": kind, "state": job.state,
            "status_url": url_for("jobs_api.job_status", job_id=job.id),
            "file_url": _file_url(kind, visit_id, job.params or {})}


def queued(job):
    """The 202 answer for a queued job: its body and Location (the status URL)."""
    body = _job_body(job, job.kind, job.visit_id)
    return body, 202, {"Location": body["status_url"]}


@blp.route("/visits/<int:visit_id>/<any(report, slips):kind>.pdf/job", methods=["POST"])
@token_required(*COORDINATORS)
@blp.doc(responses={"200": {"description": "Already rendered for this state: fetch file_url"},
                    "202": {"description": "Queued: follow status_url"}, "404": {"description": "No such visit"}})
def request_pdf(visit_id, kind):
    """Ask for the visit's report or slips PDF of its current state (rendered by a worker)."""
    try:
        job, ready = services.request_file(kind, visit_id, str(get_locale()))
    except DomainError as exc:
        return api_answer(exc)
    if ready:
        return {"state": "done", "kind": kind, "file_url": _file_url(kind, visit_id)}, 200
    return queued(job)


@blp.route("/jobs/<job_id>", methods=["GET"])
@token_required(*COORDINATORS)
@blp.doc(responses={"200": {"description": "The job's state: queued, running, done or failed"},
                    "404": {"description": "No such job"}})
def job_status(job_id):
    """A job's progress; when `done`, `file_url` serves the file (cached, with an ETag)."""
    try:
        job = services.status(job_id)
    except DomainError as exc:
        return api_answer(exc)
    body = _job_body(job, job.kind, job.visit_id)
    if job.state == "failed":
        body["error"] = job.error
    return body, 200


@blp.route("/visits/<int:visit_id>/slips.pdf", methods=["GET"])
@token_required(*COORDINATORS)
@blp.doc(responses={"200": {"description": "The slips PDF of the current roster (ETag)"},
                    "404": {"description": "No such visit, or not rendered yet: POST .../slips.pdf/job"}})
def slips_pdf(visit_id):
    """The QR slips PDF of the visit's current roster, once its job rendered it."""
    try:
        pdf, etag, filename = services.slips_file(visit_id, str(get_locale()))
    except DomainError as exc:
        return api_answer(exc)
    return response(Download(pdf, filename, "application/pdf", etag))
