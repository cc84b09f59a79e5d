"""Stable rejection, conflict and info codes with Indonesian and English default messages."""

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

# Messages may use {field}; format them with message(code, lang, field=...).
MESSAGES = {
    INVALID_EVENT: {
        "id": "Event bukan objek JSON.",
        "en": "Event is not a JSON object.",
    },
    UNKNOWN_TYPE: {
        "id": "Jenis event tidak dikenal.",
        "en": "Unknown event type.",
    },
    MISSING_FIELD: {
        "id": "Kolom wajib '{field}' tidak ada.",
        "en": "Required field '{field}' is missing.",
    },
    INVALID_FIELD: {
        "id": "Nilai kolom '{field}' tidak valid.",
        "en": "Field '{field}' has an invalid value.",
    },
    UNKNOWN_FIELD: {
        "id": "Kolom '{field}' tidak dikenal.",
        "en": "Unknown field '{field}'.",
    },
    BAD_ID: {
        "id": "ID event harus berbentuk '{{device_id}}:{{seq}}' dari perangkat ini.",
        "en": "Event id must be '{{device_id}}:{{seq}}' of this device.",
    },
    UNKNOWN_STUDENT: {
        "id": "Siswa tidak dikenal dalam kunjungan ini.",
        "en": "Unknown student for this visit.",
    },
    UNKNOWN_REASON: {
        "id": "Alasan gagal tidak ada dalam daftar kunjungan ini.",
        "en": "Failure reason is not in this visit's list.",
    },
    INVALID_STATION: {
        "id": "Nomor meja di luar rentang meja kunjungan ini.",
        "en": "Station number is outside this visit's desks.",
    },
    UNDO_OF_UNDO: {
        "id": "Pembatalan tidak dapat membatalkan pembatalan lain.",
        "en": "An undo cannot target another undo.",
    },
    SEQ_REUSED: {
        "id": "Nomor urut (seq) sudah dipakai untuk event lain.",
        "en": "Sequence number already used for a different event.",
    },
    NOT_PRINTABLE: {
        "id": "Siswa ini belum boleh dicetak KTP-el (usia cetak belum tercapai).",
        "en": "This student's card may not be printed yet (under the printing age).",
    },
    COORDINATOR_ONLY: {
        "id": "Koreksi hanya dibuat koordinator di halaman kunjungan.",
        "en": "Corrections are made by a coordinator on the visit page.",
    },
    DOUBLE_TICKET: {
        "id": "Siswa mendapat dua nomor antrean berbeda.",
        "en": "Student was given two different queue tickets.",
    },
    RECORDED_THEN_FAILED: {
        "id": "Hasil gagal dicatat setelah siswa sudah rekam.",
        "en": "A failure was recorded after the student was already recorded.",
    },
    WALKIN_DUPLICATE: {
        "id": "Siswa susulan dengan NIK yang sama sudah terdaftar (data ganda).",
        "en": "A walk-in with the same NIK is already registered (duplicate).",
    },
    RECORDED_TWICE: {
        "id": "Siswa direkam dua kali (DUPLICATE_RECORD di SIAK).",
        "en": "Student was recorded twice (DUPLICATE_RECORD in the national system).",
    },
    DOUBLE_CALL: {
        "id": "Dua meja memanggil siswa yang sama dan keduanya mencatat hasil.",
        "en": "Two desks called the same student and both saved an outcome.",
    },
    REPEAT_CHECKIN: {
        "id": "Siswa dipindai hadir lebih dari sekali.",
        "en": "Student was checked in more than once.",
    },
}

DEFAULT_LANG = "id"


def message(code, lang=DEFAULT_LANG, **params):
    """Return the default message of a code in 'id' or 'en' (Indonesian if lang is unknown)."""
    texts = MESSAGES[code]
    text = texts.get(lang) or texts[DEFAULT_LANG]
    params.setdefault("field", "")
    return text.format(**params)
