"""marshmallow schemas of the sync API's requests and answers (OpenAPI is built from them)."""
from marshmallow import RAISE, Schema, fields, validate


class DeviceRegisterSchema(Schema):
    """POST /api/v1/devices body."""

    class Meta:
        unknown = RAISE

    username = fields.String(required=True, validate=validate.Length(min=1, max=40))
    password = fields.String(required=True, validate=validate.Length(min=1, max=128), load_only=True)
    label = fields.String(load_default="", validate=validate.Length(max=80))


class DeviceTokenSchema(Schema):
    """The new device's id and bearer token (shown once)."""

    device_id = fields.String(required=True)
    token = fields.String(required=True)
    ticket_prefix = fields.String()
    role = fields.String()
