"""Sync at city scale (issue 15), each against a baseline measured in the same run, median of 5.

1. apply a 1,000-event manifest (300 students, 3 phones' worth of events) vs a raw bulk insert of
   the same 1,000 sync_event rows in one transaction, same database;
2. replay of the same events in 3 manifests over HTTP vs their first apply;
3. a sync of 10 new events with 10,000 stored (1,500 students) vs the same with 100 stored;
4. the roster of 500 students on the wire (bytes; baseline: uncompressed).

SQLite in a temp dir by default; BENCH_DATABASE_URL=postgresql://127.0.0.1:5432/test runs it on
PostgreSQL (in a schema of its own, dropped at the end).
"""
import os
import random
import statistics
import tempfile
import time
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import sqlalchemy as sa

RUNS = 5
DAY = date(2026, 11, 27)


def median_time(fn, runs=RUNS):
    """Median wall time of `fn(i)` for i in range(runs) (each run gets its own fresh data)."""
    times = []
    for i in range(runs):
        start = time.perf_counter()
        fn(i)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


@contextmanager
def database():
    """A database URL for the run: a temp SQLite file, or a fresh PostgreSQL schema."""
    pg = os.environ.get("BENCH_DATABASE_URL")
    if not pg:
        yield f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.db'}", "SQLite"
        return
    schema = f"jb_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(pg.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(sa.text(f'CREATE SCHEMA "{schema}"'))
    try:
        base = pg.replace("postgresql://", "postgresql+psycopg://", 1)
        yield f"{base}{'&' if '?' in base else '?'}options=-csearch_path%3D{schema}", "PostgreSQL"
    finally:
        with admin.begin() as conn:
            conn.execute(sa.text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


class World:
    """The app, a school and team, and helpers making visits, devices and events."""

    def __init__(self, url):
        from flask_migrate import upgrade

        from webapp.app import create_app
        from webapp.demo import seed
        from webapp.regions.loader import load_regions

        self.app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "SYNC_MAX_EVENTS": 1000,
                               "RATELIMIT_ENABLED": False})
        self.ctx = self.app.app_context()
        self.ctx.push()
        upgrade(revision="heads")
        load_regions()
        seed(self.app.config, today=DAY)
        self.rng, self.used, self.n = random.Random(1), set(), 0

    def visit(self, students):
        from sqlalchemy import select

        from webapp.auth.models import Team
        from webapp.demo import make_students
        from webapp.extensions import db
        from webapp.regions.models import Kelurahan
        from webapp.schools.models import School
        from webapp.visits.models import Visit

        school = db.session.execute(select(School).order_by(School.id)).scalars().first()
        team = db.session.execute(select(Team).order_by(Team.id)).scalars().first()
        visit = Visit(school=school, team=team, date=DAY, status="open", stations=4, target=students)
        db.session.add(visit)
        kel = db.session.execute(select(Kelurahan.code)).scalars().all()
        db.session.add_all(make_students(self.rng, visit, kel, students, self.used))
        db.session.commit()
        return visit

    def device(self):
        from sqlalchemy import select

        from webapp.auth.models import User
        from webapp.extensions import db
        from webapp.sync.simulate import demo_device

        user = db.session.execute(select(User).where(User.username == "petugas1")).scalar_one()
        self.n += 1
        device = demo_device(user, f"bench {self.n}")
        db.session.commit()
        return device

    def events(self, visit, device, count, students=None):
        """`count` plausible events of one phone (check-in, ticket, call, outcome, IKD)."""
        from sqlalchemy import select

        from webapp.extensions import db
        from webapp.sync.simulate import PhoneClock
        from webapp.visits.models import Student

        ids = students or db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                             .order_by(Student.id)).scalars().all()
        clock = PhoneClock(device, time_start(visit))
        clock.seq = device.max_seq
        out, k = [], 0
        while len(out) < count:
            sid, rnd = ids[k % len(ids)], k // len(ids)
            k += 1
            # The first round is a student's day; later rounds add IKD, notes and repeat check-ins
            # (no conflicts: a real visit has a handful, not one per student).
            steps = ((("checkin", {}), ("enqueue", {"ticket": f"{device.ticket_prefix}-{k:04d}"}),
                      ("call", {"station": 1 + k % 4}), ("outcome", {"result": "recorded"}),
                      ("ikd", {"status": "scanned"})) if rnd == 0 else
                     (("ikd", {"status": "active"}), ("note", {"text": "cek ulang"}), ("checkin", {})))
            for kind, extra in steps:
                out.append(clock.event(kind, 0.1, student_id=sid, **extra))
        out = out[:count]
        for ev in out:
            ev.pop("device_id")
        return out


def time_start(visit):
    from datetime import UTC, datetime
    from datetime import time as dtime

    return datetime.combine(visit.date, dtime(1, 0), tzinfo=UTC)


def bench_apply_vs_bulk(w):
    """A 1,000-event manifest through apply_sync vs the same rows bulk-inserted, fresh visit each run."""
    from sqlalchemy import insert

    from webapp.clock import utcnow
    from webapp.extensions import db
    from webapp.sync import services
    from webapp.sync.models import SyncEvent

    cases = []
    for _ in range(RUNS):
        visit, devices = w.visit(300), [w.device() for _ in range(3)]
        per = [334, 333, 333]
        evs = [e for d, n in zip(devices, per, strict=True) for e in w.events(visit, d, n)]
        # One phone's manifest carrying what the three phones recorded (as gossip relays it).
        dev = devices[0]
        clock = 0
        for e in evs:
            clock += 1
            e["seq"], e["id"] = clock, f"{dev.id}:{clock}"
        cases.append((visit, dev, evs, w.visit(300), w.device()))

    def apply(i):
        visit, dev, evs, _v, _d = cases[i]
        answer = services.apply_sync(visit.id, dev, {"device_id": dev.id, "cursor": None, "events": evs})
        assert len(answer["accepted"]) == 1000, answer["rejected"][:2]

    def bulk(i):
        _visit, _dev, evs, visit, dev = cases[i]
        now = utcnow()
        rows = [{"event_id": f"{dev.id}:{e['seq']}", "visit_id": visit.id, "device_id": dev.id, "seq": e["seq"],
                 "type": e["type"], "student_id": e.get("student_id"), "hlc": e["hlc"], "at": e["at"],
                 "body": {**e, "id": f"{dev.id}:{e['seq']}", "device_id": dev.id}, "received_at": now}
                for e in evs]
        db.session.execute(insert(SyncEvent), rows)
        db.session.commit()

    base = median_time(bulk)
    got = median_time(apply)
    return base, got


def _http_manifests(w, client, token, device_id, visit, evs):
    answers = []
    for start in range(0, len(evs), 334):
        r = client.post(f"/api/v1/visits/{visit.id}/sync", headers={"Authorization": f"Bearer {token}"},
                        json={"device_id": device_id, "cursor": None, "events": evs[start:start + 334]})
        assert r.status_code == 200, r.get_data(as_text=True)[:200]
        answers.append(r.get_json())
    return answers


def bench_replay(w):
    """The same 1,000 events in 3 manifests over HTTP: first apply, then the replay (all duplicates)."""
    client = w.app.test_client()
    cases = []
    for _ in range(RUNS):
        body = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345",
                                                    "label": "bench"}).get_json()
        visit = w.visit(300)
        from webapp.extensions import db
        from webapp.sync.models import Device

        device = db.session.get(Device, body["device_id"])
        cases.append((visit, body["device_id"], body["token"], w.events(visit, device, 1000)))
    first = median_time(lambda i: _http_manifests(w, client, cases[i][2], cases[i][1], cases[i][0], cases[i][3]))
    replay = median_time(lambda i: _http_manifests(w, client, cases[i][2], cases[i][1], cases[i][0], cases[i][3]))
    return first, replay


def bench_growth(w):
    """10 new events on 10 untouched students, with 10,000 vs 100 events already stored (1,500 students)."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.sync import services, store
    from webapp.visits.models import Student

    def visit_with(stored):
        visit, dev = w.visit(1500), w.device()
        ids = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                 .order_by(Student.id)).scalars().all()
        evs = w.events(visit, dev, stored, ids[:1400])
        for start in range(0, len(evs), 1000):
            services.apply_sync(visit.id, dev, {"device_id": dev.id, "cursor": None,
                                                "events": evs[start:start + 1000]})
        return visit, dev, ids[1400:]

    def run(visit, dev, fresh):
        cursor = store.encode_cursor(store.max_pos(visit.id))  # a phone sends the cursor it was given

        def one(i):
            evs = w.events(visit, dev, 10, fresh[i * 10:(i + 1) * 10])
            services.apply_sync(visit.id, dev, {"device_id": dev.id, "cursor": cursor, "events": evs})
        return one

    small, big = visit_with(100), visit_with(10_000)
    return median_time(run(*small)), median_time(run(*big))


def bench_roster_bytes(w):
    client = w.app.test_client()
    body = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345",
                                                "label": "bench"}).get_json()
    visit = w.visit(500)
    out = {}
    for enc in ("identity", "gzip", "br", "zstd"):
        r = client.get(f"/api/v1/visits/{visit.id}/roster",
                       headers={"Authorization": f"Bearer {body['token']}", "Accept-Encoding": enc})
        out[enc] = len(r.data)
    return out


def main():
    with database() as (url, name):
        w = World(url)
        try:
            print(f"database: {name}; median of {RUNS}")
            base, got = bench_apply_vs_bulk(w)
            print(f"bulk insert 1,000 rows, one transaction (baseline): {base * 1000:8.1f} ms")
            print(f"apply a 1,000-event manifest (300 students):        {got * 1000:8.1f} ms  "
                  f"ratio {got / base:5.1f}x (target <= 3x)")
            first, replay = bench_replay(w)
            print(f"first apply, 3 manifests over HTTP (baseline):      {first * 1000:8.1f} ms")
            print(f"replay of the same 3 manifests:                     {replay * 1000:8.1f} ms  "
                  f"ratio {replay / first:5.2f}x (target <= 0.3x)")
            small, big = bench_growth(w)
            print(f"sync 10 new events, 100 stored (baseline):          {small * 1000:8.1f} ms")
            print(f"sync 10 new events, 10,000 stored:                  {big * 1000:8.1f} ms  "
                  f"ratio {big / small:5.2f}x (target <= 1.3x)")
            sizes = bench_roster_bytes(w)
            print(f"roster of 500 students, uncompressed (baseline):    {sizes['identity']:8d} bytes")
            for enc in ("gzip", "br", "zstd"):
                print(f"  on the wire with {enc:4s}:                           {sizes[enc]:8d} bytes  "
                      f"ratio {sizes[enc] / sizes['identity']:5.3f}x (target <= 40,960 bytes)")
        finally:
            from webapp.extensions import db

            db.session.remove()
            db.engine.dispose()
            w.ctx.pop()
    return {"apply_ratio": got / base, "replay_ratio": replay / first, "growth_ratio": big / small}
