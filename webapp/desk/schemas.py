"""marshmallow schemas of the desk API (OpenAPI is built from them)."""
from marshmallow import RAISE, Schema, fields, validate

from fieldsync.schemas import CORRECTION_FIELDS


class CorrectionInSchema(Schema):
    """POST /api/v1/visits/{id}/corrections body."""

    class Meta:
        unknown = RAISE

    student_id = fields.String(required=True, validate=validate.Length(min=1, max=64))
    field = fields.String(required=True, validate=validate.OneOf(CORRECTION_FIELDS))
    value = fields.String(required=True, allow_none=True, metadata={
        "description": "outcome: recorded, failed, already_recorded or null; ikd: scanned, active, "
                       "failed or null"})
    # Checked by the service, so that a blank reason answers reason_required.
    reason = fields.String(load_default="", validate=validate.Length(max=500))
    failure_reason = fields.String(allow_none=True, load_default=None, metadata={
        "description": "the failure reason code when the outcome is corrected to failed"})


class CorrectionOutSchema(Schema):
    event = fields.Dict(metadata={"description": "the correction event, as phones receive it"})
    version = fields.Integer(metadata={"description": "the visit's new state version"})


class StudentsQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    status = fields.String(load_default="", validate=validate.Length(max=30))


class DeskRowSchema(Schema):
    id = fields.String()
    name = fields.String()
    nisn = fields.String(allow_none=True)
    class_name = fields.String()
    nik_masked = fields.String()
    eligibility = fields.String()
    attendance = fields.String()
    ticket = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True)
    reason = fields.String(allow_none=True)
    reason_label = fields.String(allow_none=True)
    ikd = fields.String(allow_none=True)
    print = fields.String(allow_none=True)
    print_reason = fields.String(allow_none=True)
    conflicts = fields.List(fields.String())
    corrections = fields.Integer(metadata={"description": "how many corrections the student has"})


class ProgressSchema(Schema):
    registered = fields.Integer()
    present = fields.Integer()
    recorded = fields.Integer()
    failed = fields.Integer()
    already_recorded = fields.Integer()
    printed = fields.Integer()
    target = fields.Integer(allow_none=True)
    percent_of_target = fields.Float(allow_none=True)


class DeskStudentsSchema(Schema):
    version = fields.Integer()
    status = fields.String()
    progress = fields.Nested(ProgressSchema)
    students = fields.List(fields.Nested(DeskRowSchema))
