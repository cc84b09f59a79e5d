"""Behind a proxy: per-client IP limits (TRUSTED_PROXIES), audit IPs, PUBLIC_URL in absolute links."""
import json

import pytest
from sqlalchemy import select

from webapp.app import create_app
from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.extensions import db, limiter
from webapp.ops.proxy import absolute
from webapp.prereg.links import link_url
from webapp.reports.pdf import verify_url


def _app(database_url, **extra):
    return create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret", "TESTING": True,
                       "WTF_CSRF_ENABLED": False, "RATELIMIT_ENABLED": True,
                       "LOGIN_RATE_LIMIT": "3 per minute", **extra})


@pytest.fixture
def limited(ctx, database_url):
    """Build an app with limits on (the suite runs with them off); the global limiter is reset around it."""
    made = []

    def make(**extra):
        app = _app(database_url, **extra)
        made.append(app)
        limiter.reset()
        return app.test_client()

    yield make
    limiter.reset()
    limiter.enabled = False


def _sign_in(client, ip, username="nobody"):
    return client.post("/api/v1/devices", json={"username": username, "password": "x", "label": "HP"},
                       headers={"X-Forwarded-For": ip})


def test_per_ip_limit_follows_the_forwarded_client(limited):
    client = limited(TRUSTED_PROXIES=1)
    assert [_sign_in(client, "10.0.0.1").status_code for _ in range(3)] == [401, 401, 401]
    refused = _sign_in(client, "10.0.0.1")
    assert refused.status_code == 429 and json.loads(refused.data)["code"] == "rate_limited"
    assert int(refused.headers["Retry-After"]) > 0
    assert _sign_in(client, "10.0.0.2").status_code == 401  # another client behind the same proxy
    # The login page shares the budget of the device registration.
    page = client.post("/login", data={"username": "x", "password": "y"}, headers={"X-Forwarded-For": "10.0.0.1"})
    assert page.status_code == 429


def test_forwarded_for_is_ignored_without_trusted_proxies(limited):
    client = limited()
    statuses = [_sign_in(client, f"10.0.1.{n}").status_code for n in range(4)]
    assert statuses == [401, 401, 401, 429]  # a forged header buys no fresh budget


def test_audit_records_the_client_ip(limited):
    user = User(username="ani", full_name="Ani", role="coordinator")
    user.set_password("rahasia-123")
    db.session.add(user)
    db.session.commit()
    client = limited(TRUSTED_PROXIES=1)
    answer = client.post("/api/v1/devices", json={"username": "ani", "password": "rahasia-123", "label": "HP"},
                         headers={"X-Forwarded-For": "203.0.113.7", "X-Forwarded-Proto": "https"})
    assert answer.status_code == 201
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "device_registered")).scalar_one()
    assert entry.ip == "203.0.113.7"


def test_public_url_for_every_absolute_link(ctx):
    ctx.config["PUBLIC_URL"] = "https://jemput.example.go.id"
    try:
        with ctx.test_request_context("/", base_url="http://10.0.0.5:8000"):
            assert link_url("abc").startswith("https://jemput.example.go.id/daftar/abc")
            assert verify_url(1, 2, "f" * 64).startswith("https://jemput.example.go.id/verifikasi/1/2/")
            assert absolute("/x") == "https://jemput.example.go.id/x"
        assert link_url("abc") == "https://jemput.example.go.id/daftar/abc"  # outside a request too
    finally:
        ctx.config["PUBLIC_URL"] = ""
