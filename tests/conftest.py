"""Shared fixtures: an app on a throw-away database (SQLite file or a PostgreSQL schema).

Set JEMPUT_TEST_DATABASE_URL=postgresql://127.0.0.1:5432/test to run the suite on PostgreSQL;
each run gets its own schema, dropped at the end.
"""
import importlib.util
import os
import sys
import uuid
from datetime import date
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade
from sqlalchemy import select

from webapp.app import create_app
from webapp.extensions import db
from webapp.prereg.links import create_link
from webapp.regions.loader import load_regions
from webapp.visits.models import Visit

PG_URL = os.environ.get("JEMPUT_TEST_DATABASE_URL", "")
IN_CI = os.environ.get("CI") == "true"
KEEP_TABLES = {"kecamatan", "kelurahan", "alembic_version"}


def _pg_schema_url(base, schema):
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    sep = "&" if "?" in base else "?"
    return f"{base}{sep}options=-csearch_path%3D{schema}"


@pytest.fixture(scope="session")
def database_url(tmp_path_factory):
    """A fresh database URL for this test run."""
    if not PG_URL:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
        return
    schema = f"jt_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(PG_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    yield _pg_schema_url(PG_URL, schema)
    with admin.begin() as conn:
        conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def app(database_url, tmp_path_factory):
    """The app with migrated schema and regions loaded once per run."""
    app = create_app({
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url,
        "SECRET_KEY": "test-secret",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "JOBS_DB": str(tmp_path_factory.mktemp("jobs") / "jobs.db"),  # the queue of this run only
    })
    with app.app_context():
        upgrade(revision="heads")
        load_regions()
    yield app


def _clean(app):
    with app.app_context():
        db.session.remove()
        tables = [t for t in reversed(db.metadata.sorted_tables) if t.name not in KEEP_TABLES]
        with db.engine.begin() as conn:
            if conn.dialect.name == "postgresql":
                names = ", ".join(f'"{t.name}"' for t in tables)
                conn.execute(sa.text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
            else:
                for t in tables:
                    conn.execute(t.delete())


@pytest.fixture
def ctx(app):
    """An app context on a database emptied after the test (regions kept)."""
    with app.app_context():
        yield app
    _clean(app)


@pytest.fixture
def client(ctx):
    return ctx.test_client()


@pytest.fixture
def demo(ctx):
    """The demo world of `make run`, seeded at a fixed date."""
    from datetime import date

    from webapp.demo import seed

    seed(ctx.config, today=date(2026, 11, 27))
    return ctx


@pytest.fixture
def login(client):
    """Sign a demo (or any) user in through the real login form."""

    def do(username, password="demo12345"):
        return client.post("/login", data={"username": username, "password": password})

    return do


# Pre-registration fixtures shared by tests/prereg and tests/visits.
UPCOMING = date(2026, 12, 4)  # the demo world's planned visit (seeded at 2026-11-27, +7 days)


@pytest.fixture(autouse=True)
def locale_per_request(request):
    """The test's app context outlives each request (and with it Flask-Babel's cached
    locale); forget the locale when a request starts, as a real server's new context does."""
    if "app" not in request.fixturenames:
        yield
        return
    from flask import request_started
    from flask_babel import refresh

    app = request.getfixturevalue("app")

    def forget(sender, **extra):
        refresh()

    request_started.connect(forget, app)
    yield
    request_started.disconnect(forget, app)


@pytest.fixture
def upcoming(demo):
    """The planned visit the school pre-registers for (SMA Negeri Demo 2 Cilegon)."""
    return db.session.execute(select(Visit).where(Visit.date == UPCOMING)).scalar_one()


@pytest.fixture
def token(upcoming):
    """A fresh pre-registration link token for the upcoming visit."""
    _link, token = create_link(upcoming)
    return token


def _good_student(**fields):
    base = {"name": "Budi Santoso", "nik": "3672021003090001", "kk": "3672021501150001",
            "nisn": "0091234567", "nipd": "2425001", "gender": "L", "birth_place": "Cilegon",
            "birth_date": "2009-03-10", "class": "XII IPA 1", "kelurahan_code": "36.72.02.1001",
            "consent": True}
    base.update(fields)
    return base


@pytest.fixture
def student_data():
    """Build a valid student for the upcoming visit (17 on the visit date, Cilegon NIK)."""
    return _good_student


@pytest.fixture
def bare_visit(ctx):
    """A planned visit on the same date without the demo world (fast, for rule tests)."""
    from webapp.auth.models import Team
    from webapp.schools.models import School

    school = School(npsn="69900177", name="SMA Uji", level="SMA", kelurahan_code="36.72.02.1002")
    visit = Visit(school=school, team=Team(name="Tim Uji"), date=UPCOMING, status="planned")
    db.session.add(visit)
    db.session.commit()
    return visit



pytest_plugins = ["browser_support"]

# tests/reports/factories.py as `reports_factories`, for every folder (tests/ has no packages).
_spec = importlib.util.spec_from_file_location(
    "reports_factories", Path(__file__).parent / "reports" / "factories.py")
reports_factories = importlib.util.module_from_spec(_spec)
sys.modules["reports_factories"] = reports_factories
_spec.loader.exec_module(reports_factories)


def pytest_collection_modifyitems(config, items):
    """SQLite run: everything but PostgreSQL-only tests. PostgreSQL run: the database tests
    only (browsers and pure tests already ran once)."""
    keep, drop = [], []
    for item in items:
        if PG_URL:
            wanted = "app" in getattr(item, "fixturenames", ()) and "browser" not in item.keywords
        else:
            wanted = "postgres_only" not in item.keywords
        (keep if wanted else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep
