"""Helpers for browser tests: a real HTTP server on 127.0.0.1 and Debian's Chromium."""
import os
import shutil
import threading

import pytest
from components import require
from werkzeug.serving import make_server

from webapp.app import create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
        "--disable-dev-shm-usage"]


class LiveServer:
    """A threaded werkzeug server for one app; `stop()` shuts it down (to prove offline)."""

    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def server_app(database_url):
    """A second app instance on the test database, as a real deployment would run it."""
    return create_app({
        "SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
        "RATELIMIT_ENABLED": False, "TESTING": False,
        # Playwright's wait_for_function runs its predicate through eval(); the rest of the CSP holds
        # (tests/ops/test_csp_browser.py runs the pages and the PWA under the production policy).
        "CSP_SCRIPT_SRC_EXTRA": "'unsafe-eval'",
    })


def need_chromium():
    """Skip outside CI when Chromium is missing; under CI its absence is a failure."""
    require(shutil.which(CHROMIUM) or os.path.exists(CHROMIUM), f"Chromium ({CHROMIUM})")


@pytest.fixture
def live_server(ctx, database_url):
    """The app served over HTTP on a free port for the length of one test."""
    server = LiveServer(server_app(database_url))
    yield server
    server.stop()


@pytest.fixture
def browser():
    """Headless Debian Chromium through Playwright."""
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()
