"""Sync API (protocol v1): devices, visits, roster, sync, state."""
from flask import current_app, g, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import Blueprint

from fieldsync import ManifestSchema
from webapp.api import error
from webapp.api_auth import token_required
from webapp.extensions import db, limiter
from webapp.sync import devices, services
from webapp.sync.roster import build_roster, roster_etag, visit_summary
from webapp.sync.schemas import (
    DeviceRegisterSchema,
    DeviceSeqSchema,
    DeviceTokenSchema,
    RosterSchema,
    SyncAnswerSchema,
    VisitStateSchema,
    VisitSummarySchema,
)
from webapp.visits.access import visible_visit, visible_visits_query

blp = Blueprint("sync_api", __name__, url_prefix="/api/v1", description="Field sync (protocol v1)")


def _not_found():
    return error("not_found", _("Kunjungan tidak ditemukan."), 404)


@blp.route("/devices", methods=["POST"])
@limiter.limit("20 per minute")
@blp.arguments(DeviceRegisterSchema)
@blp.response(201, DeviceTokenSchema)
@blp.alt_response(401, description="Wrong username or password")
def register_device(body):
    """Register this phone: returns a device id and a bearer token."""
    try:
        device, token = devices.register_device(body["username"], body["password"], body["label"])
    except devices.DeviceError:
        return error("bad_credentials", _("Nama pengguna atau kata sandi salah."), 401)
    return {"device_id": device.id, "token": token, "ticket_prefix": device.ticket_prefix,
            "role": device.user.role}


@blp.route("/devices/<device_id>", methods=["GET"])
@token_required()
@blp.response(200, DeviceSeqSchema)
@blp.alt_response(404, description="No such device of this user")
def device_seq(device_id):
    """The highest seq the server holds of one of this user's devices (lost-database check)."""
    device = devices.own_device(device_id, g.api_user)  # DomainError device_not_found -> 404
    result = {"device_id": device.id, "label": device.label, "max_seq": device.max_seq or 0,
              "contiguous_seq": device.contiguous_seq or 0, "last_sync_at": device.last_sync_at,
              "created_at": device.created_at}
    db.session.commit()  # last_seen_at
    return result


@blp.route("/visits", methods=["GET"])
@token_required()
@blp.response(200, VisitSummarySchema(many=True))
def list_visits():
    """Visits this user may work (an officer: the team's)."""
    visits = db.session.execute(visible_visits_query(g.api_user)).scalars().all()
    # Today's work first, then what comes next, then the past.
    rank = {"open": 0, "planned": 1, "closed": 2}
    visits.sort(key=lambda v: (rank[v.status], v.date.toordinal() * (-1 if v.status == "closed" else 1)))
    result = [visit_summary(v) for v in visits]
    db.session.commit()  # last_seen_at
    return result


@blp.route("/visits/<int:visit_id>/roster", methods=["GET"])
@token_required()
@blp.response(200, RosterSchema)
@blp.alt_response(304, description="Not modified (If-None-Match)")
@blp.alt_response(404, description="No such visit for this user")
def roster(visit_id):
    """The roster for offline work, with an ETag."""
    visit = visible_visit(visit_id, g.api_user)
    if visit is None:
        return _not_found()
    etag = roster_etag(visit)
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"'}
    body = build_roster(visit, str(get_locale()))
    db.session.commit()  # the audit entry
    return body, 200, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}


@blp.route("/visits/<int:visit_id>/sync", methods=["POST"])
@token_required()
@blp.arguments(ManifestSchema)
@blp.response(200, SyncAnswerSchema)
@blp.alt_response(404, description="No such visit for this user")
@blp.alt_response(413, description="Too many events or bytes in one request")
def sync(manifest, visit_id):
    """Send this phone's events, receive the others'. Idempotent; one transaction."""
    visit = visible_visit(visit_id, g.api_user)
    if visit is None:
        return _not_found()
    limit = current_app.config["SYNC_MAX_EVENTS"]
    if len(manifest["events"]) > limit:
        return error("too_many_events", _("Terlalu banyak kejadian dalam satu permintaan "
                                          "(maksimal %(n)d). Kirim bertahap.", n=limit), 413,
                     limit=limit)
    try:
        return services.apply_sync(visit.id, g.device, manifest, lang=str(get_locale()))
    except services.SyncError:
        return error("device_mismatch", _("device_id tidak sama dengan perangkat token ini."), 403)


@blp.route("/visits/<int:visit_id>/state", methods=["GET"])
@token_required()
@blp.response(200, VisitStateSchema)
@blp.alt_response(404, description="No such visit for this user")
def state(visit_id):
    """The derived state of every student of the visit."""
    visit = visible_visit(visit_id, g.api_user)
    if visit is None:
        return _not_found()
    return services.visit_state(visit)


@blp.before_request
def limit_sync_bytes():
    """Refuse an oversized sync body before reading it (the phone splits its outbox)."""
    if request.endpoint == "sync_api.sync":
        limit = current_app.config["SYNC_MAX_BYTES"]
        if request.content_length is not None and request.content_length > limit:
            return error("too_large", _("Permintaan terlalu besar (maksimal %(n)d byte). "
                                        "Kirim bertahap.", n=limit), 413, limit=limit)
    return None
