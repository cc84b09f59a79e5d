"""Queue display API: a code from an officer's phone, a token for the TV, the TV's feed."""
from flask import g, request
from flask_smorest import Blueprint

from webapp.api_auth import token_required
from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import limiter
from webapp.sync import display
from webapp.sync.display_schemas import (
    DisplayClaimSchema,
    DisplayCodeSchema,
    DisplayFeedArgs,
    DisplayFeedSchema,
    DisplayTokenSchema,
)
from webapp.visits.access import visible_visit

blp = Blueprint("display_api", __name__, url_prefix="/api/v1", description="Queue display (TV) without an account")


@blp.route("/visits/<int:visit_id>/display-code", methods=["POST"])
@token_required()
@blp.response(201, DisplayCodeSchema)
@blp.alt_response(404, description="No such visit for this user")
@blp.alt_response(409, description="The visit is closed or cancelled")
def display_code(visit_id):
    """A short code for a TV to show this visit's queue (tickets and desks, never names)."""
    return display.display_code(visible_visit(visit_id, g.api_user), utcnow())


@blp.route("/displays", methods=["POST"])
@limiter.limit("10 per minute")
@blp.arguments(DisplayClaimSchema)
@blp.response(201, DisplayTokenSchema)
@blp.alt_response(404, description="Unknown or expired code")
def claim(body):
    """Exchange a typed code for a read-only display token."""
    return display.claim(body["code"], utcnow())


@blp.route("/displays/feed", methods=["GET"])
@blp.arguments(DisplayFeedArgs, location="query")
@blp.response(200, DisplayFeedSchema)
@blp.alt_response(401, description="No display token, or its visit no longer runs")
def feed(args):
    """What changed on the display's visit since `cursor` (Authorization: Bearer <display token>)."""
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        raise DomainError("display_expired")
    visit = display.visit_of(header[len("Bearer "):].strip())
    return display.feed(visit, args["cursor"])
