"""Security headers on every route of the url_map, pages and API, signed in or not."""
import re

import pytest

from webapp.app import create_app
from webapp.ops.headers import PERMISSIONS_POLICY

SAMPLE = {"int": "999999", "default": "x", "string": "x", "path": "x/y"}


def _urls(app):
    """Every rule with each of its methods, its arguments filled with values that find nothing."""
    for rule in app.url_map.iter_rules():
        path = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>",
                      lambda m: SAMPLE.get(m.group(1) or "default", "x"), rule.rule)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield rule.endpoint, method, path


def _check(response, path):
    headers = response.headers
    csp = headers.get("Content-Security-Policy", "")
    assert "frame-ancestors 'none'" in csp, path
    # 'wasm-unsafe-eval' (static files: the QR decoder worker's WebAssembly) allows no JavaScript eval.
    assert "unsafe-inline" not in csp and "'unsafe-eval'" not in csp, path
    assert headers.get("X-Content-Type-Options") == "nosniff", path
    assert headers.get("X-Frame-Options") == "DENY", path
    assert headers.get("Referrer-Policy") in ("same-origin", "no-referrer"), path
    if path.startswith("/api/"):
        assert csp.startswith("default-src 'none'"), path
    elif path.startswith("/static/"):  # never a document: no document-only headers
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert "Permissions-Policy" not in headers and "Cross-Origin-Opener-Policy" not in headers, path
    else:
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, path
        assert headers.get("Permissions-Policy") == PERMISSIONS_POLICY, path
        assert "camera=(self)" in headers["Permissions-Policy"]


def test_every_route_anonymous(client, app):
    seen = 0
    for _endpoint, method, path in _urls(app):
        response = client.open(path, method=method)
        assert response.status_code < 500, (method, path)
        _check(response, path)
        seen += 1
    assert seen > 60  # the whole map, not a sample


def test_every_page_signed_in(demo, client, login, app):
    login("admin")
    for endpoint, method, path in _urls(app):
        if method != "GET" or endpoint == "auth.logout":
            continue
        response = client.get(path)
        assert response.status_code < 500, path
        _check(response, path)


def test_error_and_static_answers_have_headers(client):
    _check(client.get("/no/such/page"), "/no/such/page")
    _check(client.get("/api/v1/no-such"), "/api/v1/no-such")
    _check(client.get("/static/css/app.css"), "/static/css/app.css")


def test_link_pages_keep_no_referrer(client):
    response = client.get("/daftar/not-a-token")
    assert response.headers["Referrer-Policy"] == "no-referrer"


def test_development_sends_no_hsts(client):
    assert "Strict-Transport-Security" not in client.get("/login").headers


@pytest.fixture
def production(app, database_url):
    """The same database, the settings of a production server."""
    prod = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "x" * 40,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": False, "ENV_NAME": "production"})
    with prod.app_context():
        yield prod


def test_production_hsts_and_secure_cookies(demo, production):
    client = production.test_client()
    login = client.get("/login", base_url="https://jemput.example")
    assert login.headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert "upgrade-insecure-requests" in login.headers["Content-Security-Policy"]
    answer = client.post("/login", data={"username": "admin", "password": "demo12345"},
                         base_url="https://jemput.example")
    assert answer.status_code == 302
    cookie = answer.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
