"""Role enforcement in one place for pages and API."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required


def roles_required(*roles):
    """Allow a view only to signed-in users whose role is one of `roles` (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


HOME_BY_ROLE = {"officer": "field.home", "coordinator": "main.coordinator_home", "admin": "admin.users"}
