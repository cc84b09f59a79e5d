"""The queue display (a TV or laptop) without an officer account: a short code an officer's phone
shows, a read-only token for one visit, and a feed of tickets and desks only (docs/phone-link.md,
"The TV display")."""
import hashlib
import hmac

from flask import current_app
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.privacy import nik_key
from webapp.visits.models import Student, Visit

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B, 6/G: what a TV remote or a laptop keyboard mistypes least.
ALPHABET = "ACDEFHJKMNPQRTUVWXY3479"
CODE_LENGTH = 6
WINDOW_SECONDS = 600  # a code is good for its 10-minute window and the next one
TOKEN_HOURS = 24
LIVE = ("planned", "open")
# Fields of an event the queue needs; names, notes and free-text reasons never reach a TV.
EVENT_FIELDS = ("id", "device_id", "seq", "hlc", "at", "type", "student_id", "ticket", "station",
                "target", "replaces", "result", "given", "field", "value")
QUEUE_REASONS = ("skip", "call_lost")


def _code(visit_id, window):
    # Derived, not stored: every app server with SECRET_KEY computes the same code.
    secret = current_app.config["SECRET_KEY"].encode()
    digest = hmac.new(secret, f"jemput-display/v1:{visit_id}:{window}".encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8], "big")
    chars = []
    for _ in range(CODE_LENGTH):
        number, i = divmod(number, len(ALPHABET))
        chars.append(ALPHABET[i])
    return "".join(chars)


def _window(now):
    return int(now.timestamp()) // WINDOW_SECONDS


def display_code(visit, now):
    """{"code", "expires_in"}: the code a TV types to show this visit's queue."""
    if visit.status not in LIVE:
        raise DomainError("visit_closed")
    window = _window(now)
    return {"code": _code(visit.id, window), "expires_in": (window + 2) * WINDOW_SECONDS - int(now.timestamp())}


def _serializer():
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="jemput-display/v1")


def claim(code, now):
    """The display token for a typed code; DomainError display_code_unknown otherwise."""
    typed = "".join(ch for ch in str(code).upper() if ch.isascii() and ch.isalnum())
    window = _window(now)
    for visit_id in db.session.execute(select(Visit.id).where(Visit.status.in_(LIVE))).scalars():
        for w in (window, window - 1):
            if hmac.compare_digest(typed, _code(visit_id, w)):
                return {"token": _serializer().dumps({"v": visit_id}), "visit_id": visit_id}
    raise DomainError("display_code_unknown", "code")


def visit_of(token):
    """The live visit a display token is for; DomainError display_expired when it no longer shows."""
    try:
        data = _serializer().loads(token, max_age=TOKEN_HOURS * 3600)
    except (SignatureExpired, BadSignature):
        raise DomainError("display_expired") from None
    visit_id = data.get("v") if isinstance(data, dict) else None
    visit = db.session.get(Visit, visit_id) if isinstance(visit_id, int) else None
    if visit is None or visit.status not in LIVE:
        raise DomainError("display_expired")
    return visit


def _for_display(visit_id, body):
    out = {k: body[k] for k in EVENT_FIELDS if k in body}
    if body.get("type") == "undo" and body.get("reason") in QUEUE_REASONS:
        out["reason"] = body["reason"]
    elif body.get("type") in ("outcome", "print", "correction") and isinstance(body.get("reason"), str):
        out["reason"] = "-"  # the fold keeps it; its words are not the TV's business
    student = body.get("student")
    if body.get("type") == "walkin" and isinstance(student, dict):
        nik = student.get("nik")
        key = nik_key(visit_id, nik) if isinstance(nik, str) and nik else None
        out["student"] = {"id": student.get("id"), "nik_key": key}
    return out


def feed(visit, cursor):
    """Since `cursor`: the visit's events as the queue needs them, the student ids, the new cursor."""
    since = store.decode_cursor(cursor)
    rows = store.events_after(visit.id, since, limit=5000)
    # The student ids once, on the first call: later polls carry only what is new.
    students = db.session.execute(select(Student.id, Student.nik).where(Student.visit_id == visit.id)).all() \
        if since == 0 else []
    return {
        "visit": {"id": visit.id, "school": visit.school.name if visit.school else "", "stations": visit.stations or 1,
                  "status": visit.status},
        "students": [[sid, nik_key(visit.id, nik) if nik else None] for sid, nik in students],
        "events": [_for_display(visit.id, r.body) for r in rows],
        "cursor": store.encode_cursor(rows[-1].pos if rows else since),
        "more": len(rows) == 5000,
    }
