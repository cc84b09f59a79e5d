"""Per-IP limits on signing in: the second line behind the per-account lock-out (docs/deploy.md#throttling).

The page and the device registration share one budget per client IP (the real client's, via
TRUSTED_PROXIES), counted in RATELIMIT_STORAGE_URI (Redis: shared by every worker and server).
"""
from flask import current_app

from webapp.extensions import limiter


def _login_limit():
    return current_app.config["LOGIN_RATE_LIMIT"]


sign_in_limit = limiter.shared_limit(_login_limit, scope="sign-in", methods=["POST"])
