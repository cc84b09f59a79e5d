"""Stable rejection, conflict and info codes. Their words live in the web layer (webapp/errors.py ERRORS,
sync/conflict_words.py, the phone's words.js): fieldsync stays free of languages."""

# Rejection codes: an event refused at the door; the rest of the manifest is still accepted.
INVALID_EVENT = "invalid_event"
UNKNOWN_TYPE = "unknown_type"
MISSING_FIELD = "missing_field"
INVALID_FIELD = "invalid_field"
UNKNOWN_FIELD = "unknown_field"
BAD_ID = "bad_id"
UNKNOWN_STUDENT = "unknown_student"
UNKNOWN_REASON = "unknown_reason"
INVALID_STATION = "invalid_station"
UNDO_OF_UNDO = "undo_of_undo"
SEQ_REUSED = "seq_reused"
NOT_PRINTABLE = "not_printable"
COORDINATOR_ONLY = "coordinator_only"

REJECTION_CODES = (
    INVALID_EVENT,
    UNKNOWN_TYPE,
    MISSING_FIELD,
    INVALID_FIELD,
    UNKNOWN_FIELD,
    BAD_ID,
    UNKNOWN_STUDENT,
    UNKNOWN_REASON,
    INVALID_STATION,
    UNDO_OF_UNDO,
    SEQ_REUSED,
    NOT_PRINTABLE,
    COORDINATOR_ONLY,
)

# Conflict codes: both events are kept, the fold picks a winner and lists the disagreement.
DOUBLE_TICKET = "double_ticket"
RECORDED_THEN_FAILED = "recorded_then_failed"
WALKIN_DUPLICATE = "walkin_duplicate"
RECORDED_TWICE = "recorded_twice"
DOUBLE_CALL = "double_call"

CONFLICT_CODES = (DOUBLE_TICKET, RECORDED_THEN_FAILED, WALKIN_DUPLICATE, RECORDED_TWICE, DOUBLE_CALL)

# Info codes: worth showing, never a conflict.
REPEAT_CHECKIN = "repeat_checkin"

INFO_CODES = (REPEAT_CHECKIN,)
