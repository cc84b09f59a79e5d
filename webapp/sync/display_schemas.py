"""marshmallow schemas of the queue display API (docs/phone-link.md, "The TV display")."""
from marshmallow import RAISE, Schema, fields, validate


class DisplayCodeSchema(Schema):
    """The short code a TV types; good for 10 to 20 minutes."""

    code = fields.String(required=True)
    expires_in = fields.Integer(required=True, metadata={"description": "seconds the code stays good"})


class DisplayClaimSchema(Schema):
    """POST /api/v1/displays body: the code as typed (case, spaces and dashes ignored)."""

    class Meta:
        unknown = RAISE

    code = fields.String(required=True, validate=validate.Length(min=1, max=20))


class DisplayTokenSchema(Schema):
    """A read-only token for one visit's queue display (24 h, ends when the visit closes)."""

    token = fields.String(required=True)
    visit_id = fields.Integer(required=True)


class DisplayFeedArgs(Schema):
    cursor = fields.String(load_default=None)


class DisplayFeedSchema(Schema):
    """Tickets and desks only: events without names or notes, student ids, a cursor."""

    visit = fields.Dict(required=True)
    students = fields.List(fields.List(fields.String(allow_none=True)), required=True)
    events = fields.List(fields.Dict(), required=True)
    cursor = fields.String(required=True)
    more = fields.Boolean()
