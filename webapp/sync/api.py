"""Sync API: device registration (more endpoints join here)."""
from flask_babel import gettext as _
from flask_smorest import Blueprint

from webapp.api import error
from webapp.extensions import limiter
from webapp.sync import devices
from webapp.sync.schemas import DeviceRegisterSchema, DeviceTokenSchema

blp = Blueprint("sync_api", __name__, url_prefix="/api/v1", description="Field sync (protocol v1)")


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
