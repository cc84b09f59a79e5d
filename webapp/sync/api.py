"""Sync API (protocol v1): devices, visits, roster, sync, state."""
from flask import current_app, g, request
from flask_babel import get_locale
from flask_smorest import Blueprint

from fieldsync import ManifestSchema
from webapp.api_auth import token_required
from webapp.errors import DomainError, api_answer
from webapp.ops.throttle import sign_in_limit
from webapp.sync import devices, services
from webapp.sync.roster import build_roster, roster_etag, visit_summary
from webapp.sync.schemas import (
    DeviceRegisterSchema,
    DeviceSeqSchema,
    DeviceTokenSchema,
    RosterSchema,
    SyncAnswerSchema,
    VisitHeadSchema,
    VisitStateSchema,
    VisitSummarySchema,
)
from webapp.visits.access import visible_visit, visible_visits

blp = Blueprint("sync_api", __name__, url_prefix="/api/v1", description="Field sync (protocol v1)")


@blp.route("/devices", methods=["POST"])
@sign_in_limit
@blp.arguments(DeviceRegisterSchema)
@blp.response(201, DeviceTokenSchema)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(429, description="Account locked after wrong passwords (account_locked), or too many "
                  "attempts from this address (rate_limited); Retry-After says when to try again")
def register_device(body):
    """Register this phone: returns a device id and a bearer token."""
    device, token = devices.register_device(body["username"], body["password"], body["label"])
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
    return result


@blp.route("/visits", methods=["GET"])
@token_required()
@blp.response(200, VisitSummarySchema(many=True))
def list_visits():
    """Visits this user may work (an officer: the team's)."""
    return [visit_summary(v) for v in visible_visits(g.api_user)]


@blp.route("/visits/<int:visit_id>/roster", methods=["GET"])
@token_required()
@blp.response(200, RosterSchema)
@blp.alt_response(304, description="Not modified (If-None-Match)")
@blp.alt_response(404, description="No such visit for this user")
def roster(visit_id):
    """The roster for offline work, with an ETag."""
    visit = visible_visit(visit_id, g.api_user)
    return _with_etag(roster_etag(visit), lambda: build_roster(visit, str(get_locale())))


@blp.route("/visits/<int:visit_id>/sync", methods=["POST"])
@token_required()
@blp.arguments(ManifestSchema)
@blp.response(200, SyncAnswerSchema)
@blp.alt_response(404, description="No such visit for this user")
@blp.alt_response(413, description="Too many events or bytes in one request")
def sync(manifest, visit_id):
    """Send this phone's events, receive the others'. Idempotent; one transaction."""
    visit = visible_visit(visit_id, g.api_user)
    return services.apply_sync(visit.id, g.device, manifest, lang=str(get_locale()))


@blp.route("/visits/<int:visit_id>/head", methods=["GET"])
@token_required()
@blp.response(200, VisitHeadSchema)
@blp.alt_response(304, description="Not modified (If-None-Match): nothing new since that cursor")
@blp.alt_response(404, description="No such visit for this user")
def head(visit_id):
    """Where the visit's log stands; a phone syncs when it moved (no state held in a process)."""
    visit = visible_visit(visit_id, g.api_user)
    body = services.visit_head(visit)
    return _with_etag(body["cursor"], lambda: body)


def _with_etag(etag, build):
    """304 when the client holds `etag`, else the built body with it (revalidated each time)."""
    if etag in request.if_none_match:
        return "", 304, {"ETag": f'"{etag}"'}
    return build(), 200, {"ETag": f'"{etag}"', "Cache-Control": "private, no-cache"}


@blp.route("/visits/<int:visit_id>/state", methods=["GET"])
@token_required()
@blp.response(200, VisitStateSchema)
@blp.alt_response(404, description="No such visit for this user")
def state(visit_id):
    """The derived state of every student of the visit."""
    visit = visible_visit(visit_id, g.api_user)
    return services.visit_state(visit)


@blp.before_request
def limit_sync_bytes():
    """Refuse an oversized sync body before reading it (the phone splits its outbox)."""
    if request.endpoint == "sync_api.sync":
        limit = current_app.config["SYNC_MAX_BYTES"]
        if request.content_length is not None and request.content_length > limit:
            return api_answer(DomainError("too_large", limit=limit))
    return None
