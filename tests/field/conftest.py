"""Fixtures of the field PWA's browser tests: a small visit, a server that can be stopped and
started again on the same port (the phone's origin must not change), Playwright."""
import socket
import sys
import threading
from datetime import date, timedelta
from pathlib import Path

import pytest
from browser_support import need_chromium, server_app
from werkzeug.serving import make_server

from webapp.auth.models import Team, User
from webapp.extensions import db
from webapp.schools.models import School
from webapp.visits.models import Student, Visit

# The tests import their helpers from pwa_support.py beside this file.
sys.path.insert(0, str(Path(__file__).resolve().parent))


class RestartableServer:
    """A threaded werkzeug server on a fixed free port: stop() proves offline, start() returns."""

    def __init__(self, app):
        self.app = app
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = None
        self.start()

    def start(self):
        self.server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
            self.server = None


@pytest.fixture
def field_server(ctx, database_url):
    server = RestartableServer(server_app(database_url))
    yield server
    server.stop()


def _student(visit, name, nik, gender, born, cls, nisn):
    return Student(visit=visit, name=name, nik=nik, gender=gender, birth_date=born, class_name=cls,
                   nisn=nisn, consent=True, source="prereg")


@pytest.fixture
def world(ctx):
    """Two officers of one team, an open visit today (2 desks) and another visit's slip."""
    team = Team(name="Tim Uji")
    users = []
    for username in ("petugas1", "petugas2"):
        user = User(username=username, full_name=username.title(), role="officer", team=team)
        user.set_password("demo12345")
        users.append(user)
    school = School(npsn="69900999", name="SMA Negeri Uji Cilegon", level="SMA", kelurahan_code="36.72.02.1002")
    today = date.today()
    visit = Visit(school=school, team=team, date=today, stations=2, status="open", target=6)
    other = Visit(school=school, team=team, date=today + timedelta(days=7), stations=1, status="planned")
    y = lambda years, days=0: today - timedelta(days=int(years * 365.25) + days)  # noqa: E731
    students = [
        _student(visit, "Ahmad Pratama", "3672011203080001", "L", y(17, 30), "XII IPA 1", "0081111111"),
        _student(visit, "Budi Santoso", "3672011404090002", "L", y(16.5), "XI IPA 2", "0092222222"),
        _student(visit, "Citra Lestari", "3672015505110003", "P", y(15.2), "X IPS 1", "0113333333"),
        _student(visit, "Dewi Anggraini", "3672016606080004", "P", y(17.3), "XII IPS 1", "0084444444"),
        _student(visit, "Eko Saputra", "3672010707080005", "L", y(17.2), "XII IPA 2", "0085555555"),
    ]
    foreign = _student(other, "Fajar Lain", "3672010808080006", "L", y(17.1), "XII", "0086666666")
    db.session.add_all([team, *users, school, visit, other, *students, foreign])
    db.session.commit()
    return {"visit": visit.id, "other": other.id, "students": {s.name.split()[0].lower(): s for s in students},
            "foreign": foreign}


@pytest.fixture
def playwright():
    need_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        yield p
