"""Coordinator API: schools, visit planning, pre-registration links (bearer token)."""
from datetime import UTC, datetime

from flask import g
from flask_babel import get_locale
from flask_smorest import Blueprint

from webapp.api import error, validation_error
from webapp.api_auth import token_required
from webapp.errors import DomainError, api_answer
from webapp.prereg import links
from webapp.schools import services as schools
from webapp.visits import lifecycle, planning, rules, services
from webapp.visits.schemas import (
    LinkInSchema,
    LinkOutSchema,
    SchoolSchema,
    TransitionInSchema,
    VisitInSchema,
    VisitPatchSchema,
    VisitSchema,
    visit_dict,
)

blp = Blueprint("visits_api", __name__, url_prefix="/api/v1",
                description="Coordinator: schools, visit planning, pre-registration links")
COORDINATORS = ("coordinator", "admin")


def _lang():
    return str(get_locale() or "id")


def _visit(visit_id):
    return planning.get_visit(visit_id)


def _visit_problem(exc):
    if exc.code == "visit_closed":
        return error("visit_closed", rules.text(exc.errors["_visit"][0], _lang()), 409)
    return validation_error(rules.describe(exc.errors, _lang()), rules.codes(exc.errors))


@blp.route("/schools", methods=["GET"])
@token_required(*COORDINATORS)
@blp.response(200, SchoolSchema(many=True))
def list_schools():
    """Every school, by name."""
    return schools.all_schools()


@blp.route("/visits", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(VisitInSchema)
@blp.response(201, VisitSchema)
@blp.alt_response(422, description="A field is wrong: {\"errors\": {field: [message]}}")
def plan_visit(body):
    """Plan a visit (status `planned`)."""
    try:
        visit = services.plan_visit(body, actor=g.api_user.username)
    except services.VisitInvalid as exc:
        return _visit_problem(exc)
    return visit_dict(visit)


@blp.route("/visits/<int:visit_id>", methods=["PATCH"])
@token_required(*COORDINATORS)
@blp.arguments(VisitPatchSchema)
@blp.response(200, VisitSchema)
@blp.alt_response(409, description="The visit is closed")
def edit_visit(body, visit_id):
    """Change a planned or open visit; only the fields sent change."""
    visit = _visit(visit_id)
    try:
        services.update_visit(visit, body, actor=g.api_user.username)
    except services.VisitInvalid as exc:
        return _visit_problem(exc)
    return visit_dict(visit)


def _expiry(raw):
    """ISO date-time (naive = UTC) or a bare date (valid to its end, local time)."""
    if not raw:
        return None
    text = raw.strip()
    if len(text) == 10:
        return links.end_of_day(datetime.strptime(text, "%Y-%m-%d").date())
    return datetime.fromisoformat(text)


@blp.route("/visits/<int:visit_id>/link", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(LinkInSchema, required=False)
@blp.response(201, LinkOutSchema)
@blp.alt_response(409, description="The visit is closed")
def create_link(body, visit_id):
    """Open a pre-registration link; the previous link of the visit stops working."""
    visit = _visit(visit_id)
    try:
        expires_at = _expiry((body or {}).get("expires_at"))
    except ValueError:
        raise DomainError("bad_datetime", field="expires_at") from None
    link, token = links.create_link(visit, by_user=g.api_user, expires_at=expires_at)
    url = links.link_url(token)
    message = links.share_message(visit, url, link.expires_at)
    return {"url": url, "token": token, "expires_at": link.expires_at.replace(tzinfo=UTC),
            "whatsapp_url": links.whatsapp_url(message), "message": message}


@blp.route("/visits/<int:visit_id>/link", methods=["GET"])
@token_required(*COORDINATORS)
@blp.response(200, LinkOutSchema)
@blp.alt_response(404, description="No such visit, or no live link to show (code link_not_found)")
def show_link(visit_id):
    """The visit's live pre-registration link, to copy or resend (audited)."""
    share = links.current_share(_visit(visit_id), by_user=g.api_user)
    if share is None:
        raise DomainError("link_not_found")
    return {**share, "expires_at": share["expires_at"].replace(tzinfo=UTC)}


@blp.route("/visits/<int:visit_id>/link", methods=["DELETE"])
@token_required(*COORDINATORS)
@blp.response(204)
def revoke_link(visit_id):
    """Stop the visit's pre-registration link at once."""
    visit = _visit(visit_id)
    links.revoke_links(visit, by_user=g.api_user)
    return ""


def _transition(action, visit_id, body):
    try:
        visit, _changed = lifecycle.transition(visit_id, action, user=g.api_user,
                                               reason=(body or {}).get("reason"))
    except DomainError as exc:
        return api_answer(exc)
    return visit_dict(visit)


_REFUSED = "Refused transition: {\"code\"} visit_not_open, visit_not_closed, visit_closed, " \
    "visit_cancelled, visit_not_due, visit_purged or visit_has_events"


@blp.route("/visits/<int:visit_id>/open", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(TransitionInSchema, required=False)
@blp.response(200, VisitSchema)
@blp.alt_response(404, description="No such visit")
@blp.alt_response(409, description=_REFUSED)
def open_visit(body, visit_id):
    """Open a planned visit on or after its date (the first officer sync does it too)."""
    return _transition("open", visit_id, body)


@blp.route("/visits/<int:visit_id>/close", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(TransitionInSchema, required=False)
@blp.response(200, VisitSchema)
@blp.alt_response(404, description="No such visit")
@blp.alt_response(409, description=_REFUSED)
def close_visit(body, visit_id):
    """Close an open visit: students never checked in become absent; late events still count."""
    return _transition("close", visit_id, body)


@blp.route("/visits/<int:visit_id>/reopen", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(TransitionInSchema, required=False)
@blp.response(200, VisitSchema)
@blp.alt_response(404, description="No such visit")
@blp.alt_response(409, description=_REFUSED)
def reopen_visit(body, visit_id):
    """Undo a close: absent students are not arrived again (audited, with the reason)."""
    return _transition("reopen", visit_id, body)


@blp.route("/visits/<int:visit_id>/cancel", methods=["POST"])
@token_required(*COORDINATORS)
@blp.arguments(TransitionInSchema, required=False)
@blp.response(200, VisitSchema)
@blp.alt_response(404, description="No such visit")
@blp.alt_response(409, description=_REFUSED)
def cancel_visit(body, visit_id):
    """Cancel a planned visit (or an open one no phone has sent anything for)."""
    return _transition("cancel", visit_id, body)
