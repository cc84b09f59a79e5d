"""marshmallow schemas of the coordinator API (visit planning, pre-registration links)."""
from datetime import UTC

from marshmallow import RAISE, Schema, fields, validate


class SchoolSchema(Schema):
    """A school as `GET /api/v1/schools` lists it."""

    id = fields.Integer()
    npsn = fields.String()
    name = fields.String()
    kelurahan_code = fields.String()
    level = fields.String()
    address = fields.String(allow_none=True)
    active = fields.Boolean()


class VisitInSchema(Schema):
    """`POST /api/v1/visits`: plan a visit (the service checks school, team and date)."""

    class Meta:
        unknown = RAISE

    school_id = fields.Integer(required=True)
    date = fields.Date(required=True, metadata={"description": "Visit date, YYYY-MM-DD"})
    team_id = fields.Integer(required=True)
    # Ranges are the service's to judge: its messages are the ones the pages show too.
    stations = fields.Integer(load_default=2,
                              metadata={"description": "Recording desks (meja), 1-20"})
    target = fields.Integer(allow_none=True, load_default=None,
                            metadata={"description": "Sasaran: students expected, >= 0"})
    notes = fields.String(allow_none=True, load_default=None,
                          validate=validate.Length(max=2000))


class VisitPatchSchema(VisitInSchema):
    """`PATCH /api/v1/visits/{id}`: only the fields sent change."""

    class Meta:
        unknown = RAISE

    school_id = fields.Integer()
    date = fields.Date()
    team_id = fields.Integer()
    stations = fields.Integer()
    target = fields.Integer(allow_none=True)
    notes = fields.String(allow_none=True, validate=validate.Length(max=2000))


class VisitSchema(Schema):
    """A visit."""

    id = fields.Integer()
    school_id = fields.Integer()
    school = fields.String(metadata={"description": "School name"})
    npsn = fields.String()
    date = fields.Date()
    team_id = fields.Integer()
    team = fields.String(metadata={"description": "Team name"})
    stations = fields.Integer()
    target = fields.Integer(allow_none=True)
    status = fields.String(metadata={"description": "planned, open, closed or cancelled"})
    notes = fields.String(allow_none=True)
    opened_at = fields.DateTime(allow_none=True)
    closed_at = fields.DateTime(allow_none=True)
    follow_up_of = fields.Integer(allow_none=True,
                                  metadata={"description": "The visit this one follows up"})


class LinkInSchema(Schema):
    """`POST /api/v1/visits/{id}/link`; without `expires_at` the link lasts to the visit day."""

    class Meta:
        unknown = RAISE

    expires_at = fields.String(load_default=None, allow_none=True, metadata={
        "description": "ISO 8601 date-time (UTC if no offset) or a date (valid to its end)"})


class LinkOutSchema(Schema):
    """A pre-registration link (looked up by hash; kept encrypted so it can be shown again)."""

    url = fields.String()
    token = fields.String()
    expires_at = fields.DateTime()
    whatsapp_url = fields.String()
    message = fields.String(metadata={"description": "Ready message for the school"})


def visit_dict(visit):
    """A visit as the API answers it."""
    return {"id": visit.id, "school_id": visit.school_id, "school": visit.school.name,
            "npsn": visit.school.npsn, "date": visit.date, "team_id": visit.team_id,
            "team": visit.team.name, "stations": visit.stations, "target": visit.target,
            "status": visit.status, "notes": visit.notes,
            "opened_at": _utc(visit.opened_at), "closed_at": _utc(visit.closed_at),
            "follow_up_of": visit.follow_up_of_id}


def _utc(moment):
    """A stored naive UTC time as an aware one (the API writes the offset)."""
    return moment.replace(tzinfo=UTC) if moment is not None else None


class TransitionInSchema(Schema):
    """Body of `POST /api/v1/visits/{id}/open|close|reopen|cancel` (optional)."""

    class Meta:
        unknown = RAISE

    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=500),
                           metadata={"description": "Why (kept in the audit log); for reopen "
                                                    "and cancel"})
