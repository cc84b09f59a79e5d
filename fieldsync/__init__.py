"""fieldsync: the offline sync contract of Jemput (event schemas, validation, HLC and the fold)."""

from . import codes
from .codes import CONFLICT_CODES, INFO_CODES, REJECTION_CODES
from .fold import (
    FoldResult,
    StudentState,
    annulled_ids,
    canonical_json,
    dedupe,
    fold,
    unseen_attendance,
)
from .hlc import HLC, compare_events, format_hlc, is_hlc, order_key, parse_hlc, receive, tick
from .schemas import EVENT_SCHEMAS, EVENT_TYPES, ManifestSchema, WalkinStudentSchema, schema_for
from .validate import rejection, same_content, validate_batch, validate_event

__all__ = [
    "CONFLICT_CODES",
    "EVENT_SCHEMAS",
    "EVENT_TYPES",
    "HLC",
    "INFO_CODES",
    "REJECTION_CODES",
    "FoldResult",
    "ManifestSchema",
    "StudentState",
    "WalkinStudentSchema",
    "annulled_ids",
    "canonical_json",
    "codes",
    "compare_events",
    "dedupe",
    "fold",
    "format_hlc",
    "is_hlc",
    "order_key",
    "parse_hlc",
    "receive",
    "rejection",
    "same_content",
    "schema_for",
    "tick",
    "unseen_attendance",
    "validate_batch",
    "validate_event",
]
