"""marshmallow schemas of the reports API (OpenAPI is built from them)."""
from marshmallow import RAISE, Schema, fields, validate

from webapp.visits.schemas import VisitSchema


class RangeQuerySchema(Schema):
    """Date range of the coverage and recap endpoints (both ends optional, inclusive)."""

    class Meta:
        unknown = RAISE

    date_from = fields.Date(data_key="from", load_default=None,
                            metadata={"description": "First visit date, YYYY-MM-DD"})
    date_to = fields.Date(data_key="to", load_default=None,
                          metadata={"description": "Last visit date, YYYY-MM-DD"})
    basis = fields.String(load_default="school", validate=validate.OneOf(["school", "residence"]),
                          metadata={"description": "Place students at the school's kelurahan "
                                                   "or at their own (residence)"})


class FollowUpInSchema(Schema):
    """`POST /api/v1/visits/{id}/follow-up`: the date of the new visit."""

    class Meta:
        unknown = RAISE

    date = fields.Date(required=True, metadata={"description": "Follow-up visit date, YYYY-MM-DD"})


class CopiedSchema(Schema):
    """How many students the follow-up visit took, and why."""

    students = fields.Integer()
    absent = fields.Integer()
    failed = fields.Integer()
    waiting = fields.Integer(metadata={"description": "Checked in, no outcome"})


class FollowUpOutSchema(Schema):
    """The new planned visit and what was copied into it."""

    visit = fields.Nested(VisitSchema)
    copied = fields.Nested(CopiedSchema)


class CountsSchema(Schema):
    """Coverage numbers of one group (visit, school, kelurahan, kecamatan)."""

    key = fields.String()
    label = fields.String()
    detail = fields.String()
    target = fields.Integer()
    visits = fields.Integer()
    registered = fields.Integer()
    eligible = fields.Integer()
    under_age = fields.Integer()
    present = fields.Integer()
    not_arrived = fields.Integer()
    absent = fields.Integer()
    recorded = fields.Integer()
    failed = fields.Integer()
    waiting = fields.Integer()
    ikd_scanned = fields.Integer()
    ikd_active = fields.Integer()
    ikd_failed = fields.Integer()
    failed_by_reason = fields.Dict(keys=fields.String(), values=fields.Integer())
    achievement = fields.Float(allow_none=True, metadata={"description": "recorded / eligible, %"})


class CityCountsSchema(CountsSchema):
    """The city line: also the wajib-KTP target and achievement against it."""

    city_target = fields.Integer()
    city_recorded_base = fields.Integer(metadata={"description": "recorded before or outside Jemput"})
    city_recorded_total = fields.Integer()
    city_achievement = fields.Float(allow_none=True)


class CoverageSchema(Schema):
    """`GET /api/v1/reports/coverage`."""

    date_from = fields.Date(allow_none=True)
    date_to = fields.Date(allow_none=True)
    basis = fields.String()
    city = fields.Nested(CityCountsSchema)
    visits = fields.List(fields.Nested(CountsSchema))
    schools = fields.List(fields.Nested(CountsSchema))
    kelurahan = fields.List(fields.Nested(CountsSchema))
    kecamatan = fields.List(fields.Nested(CountsSchema))
    unvisited_kelurahan = fields.List(fields.String())
