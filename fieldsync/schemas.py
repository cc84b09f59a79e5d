"""Marshmallow 4 schemas of the sync manifest and of each event type."""

import re
from datetime import date, datetime

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates

from .hlc import HLC_PATTERN

# Sentinel messages let validate.py tell "missing" and "unknown" apart from "invalid"
# without parsing marshmallow's English wording.
REQUIRED = "__missing_field__"
UNKNOWN = "__unknown_field__"

# [0-9] and \Z, not \d and $: no Unicode digits, no trailing newline.
AT_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{3}Z\Z"
DATE_PATTERN = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\Z"
# Above 2**53 JavaScript numbers lose precision and the two folds would disagree.
MAX_INT = 2**53 - 1
_AT_RE = re.compile(AT_PATTERN)
_DATE_RE = re.compile(DATE_PATTERN)

EVENT_TYPES = ("checkin", "enqueue", "call", "outcome", "ikd", "walkin", "undo", "note", "consent",
               "print", "correction")
# already_recorded: "Sudah punya KTP-el", counted apart from absent and failed (docs/desk.md).
OUTCOME_RESULTS = ("recorded", "failed", "already_recorded")
PRINT_RESULTS = ("printed", "not_printed")
PRINT_REASONS = ("no_blank", "printer_fault", "not_print_ready")
CORRECTION_FIELDS = ("outcome", "ikd")
IKD_STATUSES = ("scanned", "active", "failed")
GENDERS = ("L", "P")


def _req(field_cls, **kw):
    return field_cls(required=True, error_messages={"required": REQUIRED}, **kw)


class StrictBoolean(fields.Field):
    """A JSON boolean only: marshmallow's Boolean would also take "yes", 1 and "true"."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, bool):
            raise ValidationError("Not a boolean.")
        return value


class Text(fields.String):
    """A string that is not blank."""

    def __init__(self, max_length=200, **kw):
        super().__init__(validate=validate.Length(min=1, max=max_length), **kw)

    def _deserialize(self, value, attr, data, **kwargs):
        value = super()._deserialize(value, attr, data, **kwargs)
        if not value.strip():
            raise ValidationError("Blank string.")
        return value


def _check_at(value):
    if not _AT_RE.match(value):
        raise ValidationError("Not an ISO 8601 UTC time with milliseconds.")
    try:
        # The pattern fixed every digit's place; what is left is the calendar (strptime's check
        # for this format, at a fraction of its cost: every event has an `at`).
        datetime(int(value[0:4]), int(value[5:7]), int(value[8:10]), int(value[11:13]),
                 int(value[14:16]), int(value[17:19]))
    except ValueError as exc:
        raise ValidationError("Impossible date or time.") from exc


def _check_date(value):
    if not _DATE_RE.match(value):
        raise ValidationError("Not a YYYY-MM-DD date.")
    try:
        date.fromisoformat(value)
    except ValueError as exc:
        raise ValidationError("Impossible date.") from exc


class StrictSchema(Schema):
    """Base schema: unknown fields are an error, never silently dropped."""

    class Meta:
        unknown = RAISE

    error_messages = {"unknown": UNKNOWN}


class ManifestSchema(StrictSchema):
    """`{"device_id", "cursor", "events"}`; events stay raw and are validated one by one."""

    device_id = _req(Text, max_length=100)
    cursor = fields.String(allow_none=True, load_default=None)
    events = _req(fields.List, cls_or_instance=fields.Raw(allow_none=True))


class EventSchema(StrictSchema):
    """Fields every event carries."""

    id = _req(Text, max_length=200)
    device_id = Text(max_length=100)
    seq = _req(fields.Integer, strict=True, validate=validate.Range(min=1, max=MAX_INT))
    hlc = _req(fields.String, validate=validate.Regexp(HLC_PATTERN))
    at = _req(fields.String, validate=_check_at)
    type = _req(fields.String, validate=validate.OneOf(EVENT_TYPES))


class StudentEventSchema(EventSchema):
    """Events about one student."""

    student_id = _req(Text, max_length=100)


class CheckinSchema(StudentEventSchema):
    pass


class EnqueueSchema(StudentEventSchema):
    ticket = _req(Text, max_length=20)
    station = fields.Integer(strict=True, allow_none=True, validate=validate.Range(max=MAX_INT))


class CallSchema(StudentEventSchema):
    station = _req(fields.Integer, strict=True, validate=validate.Range(max=MAX_INT))
    # The id of the call this one takes over (a re-call or a move to another desk).
    replaces = fields.String(allow_none=True, validate=validate.Length(min=3, max=200))

    @validates("replaces")
    def _replaces_is_event_id(self, value, **kwargs):
        if value is not None and ":" not in value:
            raise ValidationError("Not an event id.")


class OutcomeSchema(StudentEventSchema):
    result = _req(fields.String, validate=validate.OneOf(OUTCOME_RESULTS))
    # Required when failed; validate.py says so with missing_field, not a schema error.
    reason = fields.String(allow_none=True)


class IkdSchema(StudentEventSchema):
    status = _req(fields.String, validate=validate.OneOf(IKD_STATUSES))
    reason = fields.String(allow_none=True, validate=validate.Length(max=200))


class WalkinStudentSchema(StrictSchema):
    """A walk-in's student; identity checks of NIK, KK, NISN are the web app's job."""

    id = _req(Text, max_length=100)
    name = _req(Text, max_length=200)
    nik = fields.String(allow_none=True, validate=validate.Length(max=32))
    kk = fields.String(allow_none=True, validate=validate.Length(max=32))
    nisn = fields.String(allow_none=True, validate=validate.Length(max=32))
    nipd = fields.String(allow_none=True, validate=validate.Length(max=32))
    gender = fields.String(allow_none=True, validate=validate.OneOf(GENDERS))
    birth_place = fields.String(allow_none=True, validate=validate.Length(max=100))
    birth_date = fields.String(allow_none=True, validate=_check_date)
    # "class" is a Python keyword: data_key keeps the wire name.
    class_ = fields.String(
        data_key="class", attribute="class", allow_none=True, validate=validate.Length(max=50)
    )
    kelurahan_code = fields.String(allow_none=True, validate=validate.Length(max=20))
    consent = StrictBoolean(allow_none=True)


class WalkinSchema(EventSchema):
    student = _req(fields.Nested, nested=WalkinStudentSchema)


class UndoSchema(EventSchema):
    target = _req(Text, max_length=200)
    reason = fields.String(allow_none=True, validate=validate.Length(max=500))

    @validates("target")
    def _target_is_event_id(self, value, **kwargs):
        if ":" not in value:
            raise ValidationError("Not an event id.")


class NoteSchema(StudentEventSchema):
    text = _req(Text, max_length=2000)


class ConsentSchema(StudentEventSchema):
    """Parent/guardian consent recorded at the gate (docs/consent.md)."""

    given = _req(StrictBoolean)


class PrintSchema(StudentEventSchema):
    """A card printed on site, or not with a reason (docs/desk.md)."""

    result = _req(fields.String, validate=validate.OneOf(PRINT_RESULTS))
    # Required when not_printed; validate.py says so with missing_field.
    reason = fields.String(allow_none=True, validate=validate.OneOf(PRINT_REASONS))


class CorrectionSchema(StudentEventSchema):
    """A coordinator's correction of an outcome or an IKD status, with the reason why."""

    field = _req(fields.String, validate=validate.OneOf(CORRECTION_FIELDS))
    # None clears the field; the allowed values depend on `field` (validate.py).
    value = fields.String(required=True, allow_none=True, error_messages={"required": REQUIRED})
    reason = _req(Text, max_length=500)
    # The failure reason code when an outcome is corrected to failed.
    failure_reason = fields.String(allow_none=True)


EVENT_SCHEMAS = {
    "checkin": CheckinSchema,
    "enqueue": EnqueueSchema,
    "call": CallSchema,
    "outcome": OutcomeSchema,
    "ikd": IkdSchema,
    "walkin": WalkinSchema,
    "undo": UndoSchema,
    "note": NoteSchema,
    "consent": ConsentSchema,
    "print": PrintSchema,
    "correction": CorrectionSchema,
}


_INSTANCES = {}


def schema_for(event_type):
    """Return a schema instance for an event type, or None if the type is unknown."""
    cls = EVENT_SCHEMAS.get(event_type) if isinstance(event_type, str) else None
    if cls is None:
        return None
    # One instance per type: building a marshmallow schema costs more than loading an event.
    if cls not in _INSTANCES:
        _INSTANCES[cls] = cls()
    return _INSTANCES[cls]
