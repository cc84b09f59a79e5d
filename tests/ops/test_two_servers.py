"""Two gunicorn servers behind a proxying client, sharing Redis rate-limit storage and the database:
the per-account lock-out and the per-IP limit hold across both, client IPs come from X-Forwarded-For."""
import itertools
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
import redis
from components import require
from sqlalchemy import select, update

from webapp.audit.models import AuditEntry
from webapp.auth.models import User
from webapp.clock import utcnow
from webapp.extensions import db

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "rahasia-123"
IP_LIMIT = 6


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need_redis():
    try:
        up = redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.ConnectionError:
        up = False
    require(up, "Redis at 127.0.0.1:6379")


def _wait_ready(url, proc, deadline):
    """Poll the health endpoint until the server answers (or has died, or the deadline passed)."""
    while time.monotonic() < deadline:
        assert proc.poll() is None, f"gunicorn at {url} exited with {proc.returncode}"
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.1)  # polling a condition, not racing a timer
    pytest.fail(f"gunicorn at {url} did not answer")


@pytest.fixture(scope="module")
def servers(app, database_url, tmp_path_factory):
    """Two gunicorn processes on two ports, as two servers behind one nginx would run."""
    _need_redis()
    prefix = f"jtest{uuid.uuid4().hex[:8]}"
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TRUSTED_PROXIES": "1",
           "RATELIMIT_STORAGE_URI": REDIS_URL, "RATELIMIT_KEY_PREFIX": prefix,
           "LOGIN_RATE_LIMIT": f"{IP_LIMIT} per minute", "JEMPUT_ENV": "development"}
    logs = tmp_path_factory.mktemp("gunicorn")
    procs, urls = [], []
    for n in range(2):
        port = _free_port()
        log = open(logs / f"server{n}.log", "w")  # noqa: SIM115 - closed with the process
        procs.append((subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT), log))
        urls.append(f"http://127.0.0.1:{port}")
    try:
        deadline = time.monotonic() + 60
        for url, (proc, _log) in zip(urls, procs, strict=True):
            _wait_ready(url, proc, deadline)
        yield urls
    finally:
        for proc, log in procs:
            proc.terminate()
            proc.wait(timeout=20)
            log.close()
    store = redis.Redis.from_url(REDIS_URL)
    for key in store.scan_iter(f"{prefix}*"):
        store.delete(key)


class ProxyClient:
    """What nginx does: each request to the next server in turn, the client's IP in X-Forwarded-For."""

    def __init__(self, backends):
        self.backends = itertools.cycle(backends)
        self.served = []

    def register(self, username, password, client_ip):
        backend = next(self.backends)
        self.served.append(backend)
        body = json.dumps({"username": username, "password": password, "label": "HP"}).encode()
        request = urllib.request.Request(backend + "/api/v1/devices", data=body, method="POST", headers={
            "Content-Type": "application/json", "X-Forwarded-For": client_ip, "X-Forwarded-Proto": "https",
            "X-Forwarded-Host": "jemput.example.go.id"})
        try:
            with urllib.request.urlopen(request, timeout=30) as r:
                return r.status, json.loads(r.read()), r.headers
        except urllib.error.HTTPError as e:
            return e.code, json.loads(e.read()), e.headers


@pytest.fixture
def ani(ctx):
    user = User(username="ani", full_name="Ani", role="coordinator")
    user.set_password(PASSWORD)
    db.session.add(user)
    db.session.commit()
    return user


def test_lockout_is_shared_by_both_servers(servers, ani):
    proxy = ProxyClient(servers)
    for n in range(5):  # each from another address: the per-IP limit stays out of the way
        assert proxy.register("ani", "salah", f"198.51.100.{n + 1}")[0] == 401
    for n in range(2):  # the right password, on either server, while locked
        status, body, headers = proxy.register("ani", PASSWORD, f"198.51.100.{n + 20}")
        assert (status, body["code"]) == (429, "account_locked")
        assert 0 < int(headers["Retry-After"]) <= 60
    assert set(proxy.served) == set(servers)

    db.session.execute(update(User).where(User.id == ani.id).values(locked_until=utcnow() - timedelta(seconds=1)))
    db.session.commit()  # the lock's minute has passed
    status, body, _ = proxy.register("ani", PASSWORD, "203.0.113.50")  # another device
    assert status == 201 and body["device_id"]
    db.session.expire_all()
    entry = db.session.execute(select(AuditEntry).where(AuditEntry.action == "device_registered")).scalar_one()
    assert entry.ip == "203.0.113.50"  # the client's address, not the proxy's


def test_ip_limit_is_shared_by_both_servers(servers, ani):
    proxy = ProxyClient(servers)
    office = "192.0.2.10"
    statuses = [proxy.register("nobody", "x", office)[0] for _ in range(IP_LIMIT)]
    assert statuses == [401] * IP_LIMIT  # half on each server, one budget
    for _ in range(2):
        status, body, headers = proxy.register("nobody", "x", office)
        assert (status, body["code"]) == (429, "rate_limited") and int(headers["Retry-After"]) > 0
    assert proxy.register("nobody", "x", "192.0.2.11")[0] == 401  # another client has its own budget
    assert proxy.register("ani", PASSWORD, "192.0.2.12")[0] == 201  # the account was never locked
