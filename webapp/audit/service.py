"""Write audit entries; the caller's transaction commits them."""
from flask import g, has_request_context, request
from flask_login import current_user

from webapp.audit.models import AuditEntry
from webapp.extensions import db


def record(action, *, object_type=None, object_id=None, detail=None, actor=None, user_id=None):
    """Add an audit entry for the current user (or the named actor and its user id) to the session."""
    device = g.get("device") if has_request_context() else None
    api_user = g.get("api_user") if has_request_context() else None
    if actor is None and api_user is not None:
        # A phone's action (token API): the officer and the phone, never "system".
        user_id, actor = api_user.id, api_user.username
    elif actor is None and has_request_context() and current_user.is_authenticated:
        user_id, actor = current_user.id, current_user.username
    ip = request.remote_addr if has_request_context() else None
    entry = AuditEntry(
        user_id=user_id, actor=actor or "system", action=action,
        object_type=object_type, object_id=None if object_id is None else str(object_id),
        detail=detail, ip=ip, device_id=device.id if device is not None else None,
    )
    db.session.add(entry)
    return entry
