"""Coordinator API: add and change schools (the list is GET /api/v1/schools)."""
from flask import g
from flask_babel import get_locale
from flask_smorest import Blueprint
from marshmallow import RAISE, Schema, fields

from webapp.api import validation_error
from webapp.api_auth import token_required
from webapp.errors import DomainError, api_answer
from webapp.schools import services
from webapp.visits.schemas import SchoolSchema

blp = Blueprint("schools_api", __name__, url_prefix="/api/v1",
                description="Coordinator: schools (NPSN, level, kelurahan)")
COORDINATORS = ("coordinator", "admin")


class SchoolInSchema(Schema):
    """A school; the service judges every value (its messages name the field)."""

    class Meta:
        unknown = RAISE

    npsn = fields.Raw(metadata={"description": "8 digits, unique"})
    name = fields.Raw()
    level = fields.Raw(metadata={"description": "SMA, SMK, MA or SLB"})
    address = fields.Raw(allow_none=True)
    kelurahan_code = fields.Raw(metadata={"description": "From the region list, e.g. 36.72.02.1001"})
    active = fields.Raw(metadata={"description": "false: deactivated (no new visits)"})


def _save(body, school=None):
    try:
        school = services.save_school(body, school, actor=g.api_user.username)
    except services.SchoolInvalid as exc:
        return validation_error(services.describe(exc.errors, str(get_locale() or "id")))
    return school


@blp.route("/schools", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(SchoolInSchema)
@blp.response(201, SchoolSchema)
@blp.alt_response(422, description="A field is wrong: {\"errors\": {field: [message]}}")
def create_school(body):
    """Add a school."""
    return _save(body)


@blp.route("/schools/<int:school_id>", methods=["PATCH"])
@token_required(*COORDINATORS)
@blp.arguments(SchoolInSchema)
@blp.response(200, SchoolSchema)
@blp.alt_response(404, description="No such school")
@blp.alt_response(422, description="A field is wrong: {\"errors\": {field: [message]}}")
def edit_school(body, school_id):
    """Change a school; only the fields sent change (`active: false` deactivates it)."""
    school = services.get_school(school_id)
    if school is None:
        return api_answer(DomainError("school_not_found"))
    return _save(body, school)
