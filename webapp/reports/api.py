"""Reports API: visit report PDF, exports, closing, follow-up, coverage (coordinator token)."""
from flask import g
from flask_babel import get_locale
from flask_smorest import Blueprint

from webapp.api import validation_error
from webapp.api_auth import token_required
from webapp.jobs.api import queued
from webapp.jobs.models import Job
from webapp.reports import downloads, followup
from webapp.reports.schemas import (
    CoverageSchema,
    FollowUpInSchema,
    FollowUpOutSchema,
    RangeQuerySchema,
)
from webapp.reports.services import ReportError, coverage, coverage_dict
from webapp.visits import rules
from webapp.visits.planning import VisitInvalid
from webapp.visits.schemas import visit_dict

blp = Blueprint("reports_api", __name__, url_prefix="/api/v1",
                description="Coordinator: visit reports, exports, follow-up, coverage")
COORDINATORS = ("coordinator", "admin")


def _file(mimetype, description):
    return {"200": {"description": description,
                    "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}}},
            "304": {"description": "Not modified (If-None-Match matched the ETag)"},
            "404": {"description": "No such visit"}}


@blp.route("/visits/<int:visit_id>/report.pdf", methods=["GET"])
@token_required(*COORDINATORS)
@blp.doc(responses={**_file("application/pdf", "The visit report; rendered once per state "
                           "version by a job, then served from cache with an ETag"),
                    "202": {"description": "Not rendered yet: queued as a job, follow status_url "
                                           "(Location) and fetch file_url when done"}})
def report_pdf(visit_id):
    """The visit report (PDF, A4, Indonesian) of the visit's current state version."""
    found = downloads.visit_report(visit_id, user=g.api_user, locale=str(get_locale()))
    if isinstance(found, Job):
        return queued(found)
    return downloads.response(found)


@blp.route("/visits/<int:visit_id>/export.csv", methods=["GET"])
@token_required(*COORDINATORS)
@blp.doc(responses=_file("text/csv", "One row per student with its state (stable keys)"))
def export_csv(visit_id):
    """The visit's students with their derived state, as CSV."""
    return downloads.response(downloads.visit_export(visit_id, "csv", user=g.api_user))


@blp.route("/visits/<int:visit_id>/export.xlsx", methods=["GET"])
@token_required(*COORDINATORS)
@blp.doc(responses=_file(downloads.XLSX, "One row per student with its state, and a summary"))
def export_xlsx(visit_id):
    """The visit's students with their derived state, as an Excel workbook."""
    return downloads.response(downloads.visit_export(visit_id, "xlsx", user=g.api_user))


@blp.route("/visits/<int:visit_id>/follow-up", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(FollowUpInSchema)
@blp.response(201, FollowUpOutSchema)
@blp.alt_response(404, description="No such visit")
@blp.alt_response(409, description="Visit not closed, or nobody to follow up")
def follow_up(body, visit_id):
    """Plan a follow-up visit with this closed visit's absent and failed students."""
    try:
        new, counts = followup.plan_follow_up(visit_id, body["date"], user=g.api_user)
    except VisitInvalid as exc:
        return validation_error(rules.describe(exc.errors, str(get_locale() or "id")),
                                rules.codes(exc.errors))
    return {"visit": visit_dict(new), "copied": counts}


@blp.route("/reports/coverage", methods=["GET"])
@token_required(*COORDINATORS)
@blp.arguments(RangeQuerySchema, location="query")
@blp.response(200, CoverageSchema)
def get_coverage(args):
    """Coverage per visit, school, kelurahan, kecamatan and city for a date range."""
    try:
        cov = coverage(args["date_from"], args["date_to"], args["basis"])
    except ReportError as exc:
        return validation_error({"to" if exc.field == "sampai" else "basis": [exc.message]})
    return coverage_dict(cov)


def _recap(args, fmt):
    try:
        found = downloads.city_recap(args["date_from"], args["date_to"], fmt, user=g.api_user,
                                     basis=args["basis"])
    except ReportError as exc:
        return validation_error({"to" if exc.field == "sampai" else "basis": [exc.message]})
    if isinstance(found, Job):
        return queued(found)
    return downloads.response(found)


@blp.route("/reports/recap.csv", methods=["GET"])
@token_required(*COORDINATORS)
@blp.arguments(RangeQuerySchema, location="query")
@blp.doc(responses=_file("text/csv", "City recap: one row per visit"))
def recap_csv(args):
    """The city recap for a date range, as CSV (one row per visit)."""
    return _recap(args, "csv")


@blp.route("/reports/recap.xlsx", methods=["GET"])
@token_required(*COORDINATORS)
@blp.arguments(RangeQuerySchema, location="query")
@blp.doc(responses=_file(downloads.XLSX, "City recap: sheets per visit, school, area, city"))
def recap_xlsx(args):
    """The city recap for a date range, as an Excel workbook."""
    return _recap(args, "xlsx")


@blp.route("/reports/recap.pdf", methods=["GET"])
@token_required(*COORDINATORS)
@blp.arguments(RangeQuerySchema, location="query")
@blp.doc(responses={**_file("application/pdf", "Recap for the province: per school and kecamatan; "
                           "rendered once per set of figures by a job, then served from cache "
                           "with an ETag"),
                    "202": {"description": "Not rendered yet: queued as a job, follow status_url "
                                           "(Location) and fetch file_url when done"}})
def recap_pdf(args):
    """The recap an office sends to the province, as PDF: per school and per kecamatan, target,
    recorded, failed by reason, under 16, already had one, absent, printed, blanks, IKD."""
    return _recap(args, "pdf")
