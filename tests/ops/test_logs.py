"""One JSON line per request with request id, user, device, status and duration; no NIK in any log."""
import io
import json
import logging
import re

import pytest

from webapp.auth.models import Team, User
from webapp.extensions import db
from webapp.ops.logs import JsonFormatter

NIK = "3672021003090001"


@pytest.fixture
def lines():
    """What the `jemput` loggers write, as parsed JSON lines."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    logger = logging.getLogger("jemput")
    logger.addHandler(handler)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


@pytest.fixture
def officer(ctx):
    user = User(username="budi", full_name="Budi", role="officer", team=Team(name="Tim Log"))
    user.set_password("rahasia-123")
    db.session.add(user)
    db.session.commit()
    return user


def test_one_line_per_api_request_with_user_device_and_id(officer, client, lines):
    token = client.post("/api/v1/devices", json={"username": "budi", "password": "rahasia-123",
                                                 "label": "HP"}).get_json()["token"]
    answer = client.get("/api/v1/visits", headers={"Authorization": f"Bearer {token}", "X-Request-ID": "abc-123"})
    assert answer.status_code == 200 and answer.headers["X-Request-ID"] == "abc-123"
    logged = [line for line in lines() if line["logger"] == "jemput.request"]
    assert [line["route"] for line in logged] == ["/api/v1/devices", "/api/v1/visits"]
    last = logged[-1]
    assert last["request_id"] == "abc-123" and last["user"] == "budi" and last["device"].startswith("d")
    assert last["status"] == 200 and last["duration_ms"] >= 0 and last["method"] == "GET"


def test_a_fresh_request_id_and_the_route_not_the_token(client, lines):
    answer = client.get("/daftar/secret-token-value?nik=" + NIK)
    logged = lines()[-1]
    assert logged["route"] == "/daftar/<token>" and logged["status"] == 404
    assert len(logged["request_id"]) == 36 and answer.headers["X-Request-ID"] == logged["request_id"]
    assert "secret-token-value" not in json.dumps(logged)


def test_a_request_id_never_looks_like_a_nik(client, lines):
    answer = client.get("/login", headers={"X-Request-ID": "ab" + NIK + "cd"})
    logged = lines()[-1]
    assert logged["request_id"] == answer.headers["X-Request-ID"] and NIK not in logged["request_id"]
    # New ids: 200 of them, none with a digit run a mask would cut.
    ids = [client.get("/login").headers["X-Request-ID"] for _ in range(200)]
    assert all(max(len(run) for run in re.split(r"\D", i)) <= 12 for i in ids)


def test_no_nik_in_any_log_line(ctx, client, lines):
    client.post(f"/api/v1/prereg/{NIK}/students", json={"nik": NIK, "kk": NIK})
    client.get(f"/app?q={NIK}")
    logging.getLogger("jemput.test").warning("looked up %s", NIK)
    text = "\n".join(json.dumps(line) for line in lines())
    assert lines() and NIK not in text and "[16 digit]" in text


def test_an_unhandled_error_is_logged_with_its_request_id(tmp_path, lines):
    from webapp.app import create_app

    app = create_app({"TESTING": False, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})

    @app.get("/api/v1/_boom_for_test")
    def _boom():
        raise ValueError(f"student {NIK} broke it")

    answer = app.test_client().get("/api/v1/_boom_for_test")
    assert answer.status_code == 500
    error = next(line for line in lines() if line["logger"] == "jemput.error")
    assert error["request_id"] == answer.headers["X-Request-ID"] and "ValueError" in error["error"]
    assert NIK not in json.dumps(lines())
