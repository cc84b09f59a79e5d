"""Per-account lock-out: a growing delay, a clear 429 with Retry-After, the real password after
the lock from another device, attempts during a lock not counted, an admin lifting it."""
import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from webapp.audit.models import AuditEntry
from webapp.auth.lockout import lock_seconds, remaining_seconds
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db

PASSWORD = "rahasia-123"


@pytest.fixture
def ani(ctx):
    user = User(username="ani", full_name="Ani", role="coordinator")
    user.set_password(PASSWORD)
    admin = User(username="root", full_name="Admin", role="admin")
    admin.set_password(PASSWORD)
    db.session.add_all([user, admin])
    db.session.commit()
    return user


def _register(client, password, label="HP"):
    return client.post("/api/v1/devices", json={"username": "ani", "password": password, "label": label})


def _fail(client, times):
    for _ in range(times):
        assert _register(client, "salah").status_code == 401


def _end_lock(user):
    """Time passes: the lock's end is now behind us."""
    db.session.execute(update(User).where(User.id == user.id).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()


def _fresh(user):
    db.session.expire_all()
    return db.session.get(User, user.id)


def test_delay_grows_and_is_capped():
    assert [lock_seconds(n, 5, 60, 3600) for n in (0, 4, 5, 6, 7, 12)] == [0, 0, 60, 120, 240, 3600]


def test_api_locks_after_threshold_with_retry_after(ani, client):
    _fail(client, 4)
    assert _fresh(ani).locked_until is None
    _fail(client, 1)
    answer = _register(client, PASSWORD)  # even the right password while locked
    body = json.loads(answer.get_data())
    assert answer.status_code == 429 and body["code"] == "account_locked"
    assert 0 < int(answer.headers["Retry-After"]) <= 60 and body["retry_after"] == int(answer.headers["Retry-After"])
    assert body["minutes"] == 1
    audit = db.session.execute(select(AuditEntry).where(AuditEntry.action == "account_locked")).scalar_one()
    assert audit.object_id == str(ani.id)


def test_attempts_during_a_lock_do_not_count(ani, client):
    _fail(client, 5)
    for _ in range(10):
        assert _register(client, "salah").status_code == 429
    assert _fresh(ani).failed_logins == 5


def test_real_password_works_from_another_device_once_the_lock_ends(ani, client, app):
    _fail(client, 5)
    _end_lock(ani)
    other = app.test_client()  # another phone
    assert _register(other, PASSWORD, label="HP lain").status_code == 201
    user = _fresh(ani)
    assert user.failed_logins == 0 and user.locked_until is None


def test_each_wrong_password_after_a_lock_doubles_it(ani, client):
    _fail(client, 5)
    _end_lock(ani)
    _fail(client, 1)
    assert 60 < remaining_seconds(_fresh(ani)) <= 120


def test_login_page_says_locked_with_429(ani, client):
    for _ in range(5):
        assert client.post("/login", data={"username": "ani", "password": "salah"}).status_code == 401
    page = client.post("/login", data={"username": "ani", "password": PASSWORD})
    assert page.status_code == 429 and int(page.headers["Retry-After"]) > 0
    assert client.get("/koordinator").status_code == 302  # not signed in


def test_admin_lifts_the_lock(ani, client):
    _fail(client, 5)
    client.post("/login", data={"username": "root", "password": PASSWORD})
    form = client.get(f"/admin/users/{ani.id}")
    assert f"/admin/users/{ani.id}/unlock".encode() in form.data
    assert b"badge warn" in client.get("/admin/users").data
    assert client.post(f"/admin/users/{ani.id}/unlock").status_code == 302
    assert remaining_seconds(_fresh(ani)) == 0
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "account_unlocked")).scalar_one()
    client.post("/logout")
    assert _register(client, PASSWORD).status_code == 201


def test_only_an_admin_lifts_a_lock(ani, client):
    _fail(client, 5)
    assert client.post(f"/admin/users/{ani.id}/unlock").status_code in (302, 401, 403)
    assert remaining_seconds(_fresh(ani)) > 0


def test_unknown_user_is_not_locked_but_refused(ani, client):
    for _ in range(8):
        answer = client.post("/api/v1/devices", json={"username": "tidakada", "password": "x", "label": "HP"})
        assert json.loads(answer.get_data())["code"] == "bad_credentials"
