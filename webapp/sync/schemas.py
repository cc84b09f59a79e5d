"""marshmallow schemas of the sync API's requests and answers (OpenAPI is built from them)."""
from marshmallow import RAISE, Schema, fields, validate


class DeviceRegisterSchema(Schema):
    """POST /api/v1/devices body."""

    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128), load_only=True)
    label = fields.String(load_default="", validate=validate.Length(max=80))


class DeviceTokenSchema(Schema):
    """The new device's id and bearer token (shown once)."""

    device_id = fields.String(required=True)
    token = fields.String(required=True)
    ticket_prefix = fields.String()
    role = fields.String()


class DeviceSeqSchema(Schema):
    """What the server holds of one device: the phone compares it with its own seq at start-up."""

    device_id = fields.String(required=True)
    label = fields.String()
    max_seq = fields.Integer(required=True, metadata={"description": "highest seq received (accepted or rejected)"})
    contiguous_seq = fields.Integer(metadata={"description": "every seq up to this one was received"})
    last_sync_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class VisitSummarySchema(Schema):
    """A visit in the officer's list."""

    id = fields.Integer()
    school = fields.String()
    school_id = fields.Integer()
    date = fields.Date()
    status = fields.String()
    stations = fields.Integer()
    team = fields.String()
    students = fields.Integer()
    purge_after = fields.DateTime(allow_none=True, metadata={
        "description": "closed visits: when phones may delete the roster (once all is synced)"})


class FailureReasonSchema(Schema):
    code = fields.String()
    label = fields.String()


class StateSchema(Schema):
    """Derived state of one student (docs/sync-algorithm.md)."""

    attendance = fields.String(metadata={"enum": ["not_arrived", "present", "absent"]})
    ticket = fields.String(allow_none=True)
    outcome = fields.String(allow_none=True, metadata={"enum": ["recorded", "failed", "already_recorded", None]})
    reason = fields.String(allow_none=True)
    ikd = fields.String(allow_none=True)
    ikd_reason = fields.String(allow_none=True)
    station = fields.Integer(allow_none=True)
    checked_in_at = fields.String(allow_none=True)
    enqueued_at = fields.String(allow_none=True)
    called_at = fields.String(allow_none=True)
    call_id = fields.String(allow_none=True, metadata={"description": "the standing call (docs/phone-link.md)"})
    outcome_at = fields.String(allow_none=True)
    notes = fields.List(fields.Dict())
    conflicts = fields.List(fields.String())
    consent = fields.Boolean(allow_none=True, metadata={
        "description": "parent/guardian consent recorded at the gate (docs/consent.md); null: "
                       "nothing recorded there, the registration's flag holds"})
    print = fields.String(allow_none=True, metadata={"enum": ["printed", "not_printed", None],
                                                     "description": "card printed on site (docs/desk.md)"})
    print_reason = fields.String(allow_none=True, metadata={
        "enum": ["no_blank", "printer_fault", "not_print_ready", None]})
    corrections = fields.List(fields.Dict(), metadata={
        "description": "a coordinator's corrections {id, field, value, reason, at} in total order"})


class RosterVisitSchema(VisitSummarySchema):
    failure_reasons = fields.List(fields.Nested(FailureReasonSchema))
    agency = fields.String()
    min_record_age = fields.Integer()
    min_card_age = fields.Integer()
    city_code = fields.String(metadata={"description": "the office's city (BPS code): a walk-in NIK "
                                                       "from elsewhere gets a warning"})
    link_key = fields.String(metadata={"description": "HMAC key of the phone link (docs/phone-link.md)"})
    timezone = fields.String(metadata={"description": "IANA zone the phone shows times in (Asia/Jakarta)"})


class RosterStudentSchema(Schema):
    id = fields.String()
    qr = fields.String(metadata={"description": "the slip's random QR token; the phone computes the slip's short "
                                                "code from it (docs/slip-code.md)"})
    name = fields.String()
    nisn = fields.String(allow_none=True)
    nik_masked = fields.String()
    nik_tag = fields.String(allow_none=True, metadata={
        "description": "one hex digit of sha256('jemput-nik-tag/v1:' + NIK): with nik_masked, birth_date and "
                       "gender it flags a walk-in duplicate offline, and leaves ~625 of 10,000 NIKs possible"})
    nik_key = fields.String(allow_none=True, metadata={
        "description": "opaque per-visit HMAC of the NIK under a server secret, 16 hex digits: equal NIKs, "
                       "equal keys (the phone's fold merges walk-ins with it); no way back to the NIK"})
    gender = fields.String()
    birth_date = fields.Date()
    eligibility = fields.String(metadata={"enum": ["under_age", "record_only", "record_and_print"]})
    eligible_on = fields.Date(allow_none=True)
    consent = fields.Boolean()
    state = fields.Nested(StateSchema)
    class_ = fields.String(data_key="class", allow_none=True)


class RosterSchema(Schema):
    visit = fields.Nested(RosterVisitSchema)
    students = fields.List(fields.Nested(RosterStudentSchema))
    aliases = fields.Dict(keys=fields.String(), values=fields.String())
    cursor = fields.String()
    version = fields.Integer()


class RejectionSchema(Schema):
    id = fields.String(allow_none=True)
    code = fields.String()
    message = fields.String()
    field = fields.String(allow_none=True)


class ConflictSchema(Schema):
    code = fields.String()
    student_id = fields.String()
    events = fields.List(fields.String())


class SyncAnswerSchema(Schema):
    """The answer to a sync manifest."""

    accepted = fields.List(fields.String())
    duplicates = fields.List(fields.String())
    rejected = fields.List(fields.Nested(RejectionSchema))
    conflicts = fields.List(fields.Nested(ConflictSchema))
    info = fields.List(fields.Nested(ConflictSchema))
    cursor = fields.String()
    more = fields.Boolean()
    events = fields.List(fields.Dict(), metadata={
        "description": "other phones' events; a walk-in's student carries nik_masked, nik_tag, nik_key, "
                       "kk_masked instead of nik and kk"})
    walkins = fields.Dict(keys=fields.String(), values=fields.Dict(), metadata={
        "description": "this phone's accepted walk-ins, redacted as relayed: the phone replaces its typed NIK"})
    version = fields.Integer()
    contiguous_seq = fields.Integer()
    visit_status = fields.String(
        metadata={"description": "closed: the phone may delete the roster once its outbox is "
                                 "empty and `purge_after` has passed"})
    purge_after = fields.DateTime(allow_none=True, metadata={
        "description": "closed visits: the grace period's end (CLOSED_VISIT_GRACE_HOURS after "
                       "closing); before it the phone keeps the roster and keeps working"})


class VisitHeadSchema(Schema):
    """Where the visit's log stands: a phone polls it while a visit screen is open (docs/phone-link.md)."""

    cursor = fields.String(required=True, metadata={"description": "the cursor a sync would end at now"})
    version = fields.Integer(required=True, metadata={"description": "the derived state's version"})


class VisitStateSchema(Schema):
    students = fields.Dict(keys=fields.String(), values=fields.Nested(StateSchema))
    aliases = fields.Dict(keys=fields.String(), values=fields.String())
    conflicts = fields.List(fields.Nested(ConflictSchema))
    version = fields.Integer()
