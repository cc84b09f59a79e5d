"""A coordinator's correction of an outcome or IKD status: an event in the visit's log (docs/desk.md)."""
import secrets

from sqlalchemy import func, select

import fieldsync
from fieldsync import codes
from webapp.api_auth import hash_token, new_token
from webapp.audit import service as audit
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.sync import store
from webapp.sync.devices import next_prefix
from webapp.sync.models import Device, SyncEvent
from webapp.sync.services import lock_visit, refold
from webapp.visits.reasons import REASON_CODES

DESK_LABEL = "Koreksi koordinator (web)"
# fieldsync's rejection of a correction -> the stable API code (webapp/errors.py).
_CODES = {codes.MISSING_FIELD: "failure_reason_required", codes.UNKNOWN_REASON: "unknown_reason",
          codes.INVALID_FIELD: "bad_correction_value", codes.UNKNOWN_STUDENT: "student_not_found"}
STATUSES = ("open", "closed")


def desk_device(user):
    """The coordinator's server-side device (created once; its token is never handed out)."""
    device = db.session.execute(select(Device).where(
        Device.user_id == user.id, Device.label == DESK_LABEL)).scalars().first()
    if device is None:
        device = Device(id=f"w{secrets.token_hex(5)}", user_id=user.id, label=DESK_LABEL,
                        token_hash=hash_token(new_token()), ticket_prefix=next_prefix())
        db.session.add(device)
        db.session.flush()
    return device


def _next_hlc(visit_id, device, now):
    """An HLC after every stored event of the visit and of the device: the correction comes last."""
    newest = db.session.execute(select(func.max(SyncEvent.hlc)).where(
        (SyncEvent.visit_id == visit_id) | (SyncEvent.device_id == device.id))).scalar()
    now_ms = int(now.timestamp() * 1000)
    return fieldsync.receive(None, newest, now_ms) if newest else fieldsync.tick(None, now_ms)


def _check(visit, body):
    if visit.status not in STATUSES:
        raise DomainError("visit_not_open" if visit.status == "planned" else "visit_cancelled")
    if not (body.get("reason") or "").strip():
        raise DomainError("reason_required", "reason")


def correct(visit_id, user, body, *, now=None):
    """Store a correction event from `user`'s desk device, refold, audit. Commits; returns the event.

    `body`: {"student_id", "field", "value", "reason", "failure_reason"?}.
    """
    try:
        visit = lock_visit(visit_id)
        _check(visit, body)
        now = now or utcnow()
        device = desk_device(user)
        seq = (device.max_seq or 0) + 1
        raw = {"id": f"{device.id}:{seq}", "seq": seq, "hlc": _next_hlc(visit.id, device, now),
               "at": now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{now.microsecond // 1000:03d}Z",
               "type": "correction", "student_id": body["student_id"], "field": body["field"],
               "value": body.get("value"), "reason": body["reason"].strip()}
        if body.get("failure_reason") is not None:
            raw["failure_reason"] = body["failure_reason"]
        ev, rejection = fieldsync.validate_event(
            raw, device_id=device.id, known_students=store.known_student_ids(visit.id),
            failure_reasons=REASON_CODES, stations=visit.stations)
        if rejection is not None:
            field = "failure_reason" if rejection["code"] == codes.MISSING_FIELD else rejection["field"]
            raise DomainError(_CODES.get(rejection["code"], "bad_correction_value"), field)
        before = _state(visit.id, ev["student_id"], ev["field"])
        db.session.add(SyncEvent(event_id=ev["id"], visit_id=visit.id, device_id=device.id, seq=seq,
                                 type="correction", student_id=ev["student_id"], hlc=ev["hlc"],
                                 at=ev["at"], body=ev, received_at=now))
        device.max_seq = device.contiguous_seq = seq
        device.last_sync_at = now
        db.session.flush()
        refold(visit)
        audit.record("correction", object_type="student", object_id=ev["student_id"],
                     detail=f"{ev['field']}: {before or '-'} -> {ev['value'] or '-'}; {ev['reason']}",
                     actor=user.username, user_id=user.id)
        db.session.commit()
        return ev, visit.state_version
    except Exception:
        db.session.rollback()
        raise


def _state(visit_id, student_id, field):
    row = store.states_of(visit_id).get(student_id)
    return getattr(row, field) if row is not None else None
