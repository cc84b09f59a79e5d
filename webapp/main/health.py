"""GET /healthz: 200 when the database answers (listed in the OpenAPI document)."""
from flask_smorest import Blueprint
from marshmallow import Schema, fields
from sqlalchemy import text

from webapp.extensions import db, limiter

blp = Blueprint("health", __name__, url_prefix="/", description="Health check")


class HealthSchema(Schema):
    status = fields.String(metadata={"enum": ["ok", "error"]})


@blp.route("/healthz", methods=["GET"])
@limiter.exempt
@blp.response(200, HealthSchema)
@blp.alt_response(503, schema=HealthSchema, description="The database does not answer")
def healthz():
    """Liveness and database check (no token)."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any database failure means "not healthy"
        db.session.rollback()
        return {"status": "error"}, 503
    return {"status": "ok"}
