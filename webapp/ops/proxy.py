"""Behind nginx: client IPs, scheme and host from X-Forwarded-* (TRUSTED_PROXIES), absolute links from PUBLIC_URL."""
from flask import current_app, has_request_context, request
from werkzeug.middleware.proxy_fix import ProxyFix


def install(app):
    """Trust exactly TRUSTED_PROXIES proxies' X-Forwarded-* headers (none by default: they are forgeable)."""
    hops = app.config.get("TRUSTED_PROXIES", 0)
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops, x_port=hops, x_prefix=hops)


def public_base():
    """The origin of every absolute link: PUBLIC_URL, else this request's host (development)."""
    base = current_app.config.get("PUBLIC_URL")
    if not base:
        base = request.host_url if has_request_context() else "http://localhost/"
    return base.rstrip("/")


def absolute(path):
    """`path` (from url_for, starting with /) as an absolute URL under public_base()."""
    return public_base() + path
