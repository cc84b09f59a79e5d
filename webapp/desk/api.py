"""Desk API: a coordinator's corrections and the live list of a visit's students."""
from flask import g
from flask_babel import get_locale
from flask_smorest import Blueprint

from webapp.api_auth import token_or_login, token_required
from webapp.desk import corrections, live
from webapp.desk.schemas import (
    CorrectionInSchema,
    CorrectionOutSchema,
    DeskStudentsSchema,
    StudentsQuerySchema,
)
from webapp.visits.access import visible_visit

blp = Blueprint("desk_api", __name__, url_prefix="/api/v1",
                description="Coordinator's desk: corrections, live student list (docs/desk.md)")
COORDINATORS = ("coordinator", "admin")


@blp.route("/visits/<int:visit_id>/corrections", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(CorrectionInSchema)
@blp.response(201, CorrectionOutSchema)
@blp.alt_response(422, description="reason_required, failure_reason_required, unknown_reason, "
                  "bad_correction_value")
@blp.alt_response(404, description="visit_not_found, student_not_found")
def correct(body, visit_id):
    """Correct a student's outcome or IKD status with a reason: an event in the visit's log (audited)."""
    visible_visit(visit_id, g.api_user)
    event, version = corrections.correct(visit_id, g.api_user, body)
    return {"event": event, "version": version}


@blp.route("/visits/<int:visit_id>/students", methods=["GET"])
@token_or_login(*COORDINATORS)
@blp.arguments(StudentsQuerySchema, location="query")
@blp.response(200, DeskStudentsSchema)
def students(query, visit_id):
    """Every student of the visit with its derived state (NIK masked), searched by name, NISN or class
    (`q`) and filtered by `status` (not_arrived, present, absent, waiting, recorded, failed,
    already_recorded, to_print, printed, ikd, conflicts, under_age); progress counts all."""
    visit = visible_visit(visit_id, g.api_user)
    return live.students(visit, query["q"], query["status"], str(get_locale() or "id"))
