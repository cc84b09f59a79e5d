"""Sync under load (issue 15): 24 phones posting 5-event batches to gunicorn (2 workers) against
PostgreSQL on loopback, vs the same server answering /healthz to the same 24 clients.

Each phone is a real registered device (POST /api/v1/devices) whose batches are one student's
day (check-in, ticket, call, outcome, IKD) made by `webapp.sync.simulate.PhoneClock`, sent with
the cursor of its previous answer, as the PWA does. Two measures, each bounded:

1. closed loop: every client sends its next request as soon as the last one is answered, for
   SECONDS; req/s and p95 of sync vs /healthz (the capacity ratio);
2. paced: each phone syncs every PACE seconds (a busy visit: a phone syncs every few seconds),
   p95 and the slowest answer.

The load generator is threads with keep-alive `http.client` connections (no locust: it adds
gevent and a second process to a 2-core machine; what is measured is the same). The rate limit
is off for the run: 24 phones behind one loopback address would share one per-address budget.

BENCH_DATABASE_URL (default postgresql://127.0.0.1:5432/jemput_scale) gets a schema of its own,
dropped at the end; BENCH_PORT (default 5301) is where gunicorn listens.
"""
import http.client
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

PHONES, PER_PHONE, SECONDS, PACE = 24, 40, 12.0, 2.0
PORT = int(os.environ.get("BENCH_PORT", "5301"))
ROOT = Path(__file__).resolve().parent.parent


def start_server(url, workdir):
    """gunicorn, 2 sync workers, on PORT; returns the process once /healthz answers."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "bench-load", "RATELIMIT_ENABLED": "0",
           "JOBS_DB": str(Path(workdir) / "jobs.db")}
    log = open(Path(workdir) / "gunicorn.log", "wb")  # noqa: SIM115 - closed with the process
    proc = subprocess.Popen([str(Path(sys.executable).parent / "gunicorn"), "-w", "2", "-b",
                             f"127.0.0.1:{PORT}", "--timeout", "60", "wsgi:app"],
                            cwd=ROOT, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/healthz")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    raise RuntimeError(f"gunicorn did not answer on port {PORT}: see {workdir}/gunicorn.log")


def call(conn, method, path, body=None, headers=None):
    """(status, parsed JSON or None, seconds) over a keep-alive connection."""
    data = json.dumps(body).encode() if body is not None else None
    start = time.perf_counter()
    conn.request(method, path, body=data, headers={"Content-Type": "application/json", **(headers or {})})
    response = conn.getresponse()
    raw = response.read()
    took = time.perf_counter() - start
    parsed = json.loads(raw) if raw and response.getheader("Content-Type", "").startswith("application/json") else None
    return response.status, parsed, took


def day_batches(device, visit, students):
    """One 5-event batch per student: the events a phone makes for one student's day."""
    from bench.bench_sync import time_start
    from webapp.sync.simulate import PhoneClock

    clock = PhoneClock(device, time_start(visit))
    batches = []
    for k, sid in enumerate(students):
        steps = [("checkin", {}), ("enqueue", {"ticket": f"{device.ticket_prefix}-{k + 1:03d}"}),
                 ("call", {"station": 1 + k % 4}), ("outcome", {"result": "recorded"}),
                 ("ikd", {"status": "scanned"})]
        batch = [clock.event(kind, 0.2, student_id=sid, **extra) for kind, extra in steps]
        for event in batch:
            event.pop("device_id")  # the manifest names the device once
        batches.append(batch)
    return batches


class LoadPhone:
    """A registered device with its batches (one student's day each) and its sync cursor."""

    def __init__(self, visit, students, index):
        from webapp.extensions import db
        from webapp.sync.models import Device

        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        status, body, _ = call(conn, "POST", "/api/v1/devices", {
            "username": "petugas1", "password": "demo12345", "label": f"HP beban {index}"})
        assert status == 201, (status, body)
        self.id, self.visit_id, self.cursor = body["device_id"], visit.id, None
        self.headers = {"Authorization": f"Bearer {body['token']}"}
        self.batches = day_batches(db.session.get(Device, self.id), visit, students)

    def sync(self, conn):
        """Send the next batch; (status, seconds) or None when the phone has nothing left."""
        if not self.batches:
            return None
        status, body, took = call(conn, "POST", f"/api/v1/visits/{self.visit_id}/sync",
                                  {"device_id": self.id, "cursor": self.cursor, "events": self.batches[0]},
                                  self.headers)
        if status == 200:
            assert len(body["accepted"]) == 5 and not body["rejected"], body
            self.batches.pop(0)
            self.cursor = body["cursor"]
        return status, took


def run(clients, action, seconds, pace=None):
    """Run `action(client, conn)` in one thread per client for `seconds` (every `pace` seconds
    if given); returns (answered per second, sorted latencies, error statuses)."""
    latencies, errors, lock = [], [], threading.Lock()
    stop = time.monotonic() + seconds

    def worker(client):
        conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
        next_at = time.monotonic()
        while time.monotonic() < stop:
            if pace:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += pace
            done = action(client, conn)
            if done is None:
                return
            status, took = done
            with lock:
                (latencies if status == 200 else errors).append(took if status == 200 else status)

    started = time.monotonic()
    threads = [threading.Thread(target=worker, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return len(latencies) / (time.monotonic() - started), sorted(latencies), errors


def p95(values):
    return values[int(0.95 * (len(values) - 1))] if values else float("nan")


def report_request(w):
    """(ms, status) of GET report.pdf for a 1,500-student visit with no report stored yet."""
    visit = w.visit(1500)
    conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=60)
    status, body, _ = call(conn, "POST", "/api/v1/devices", {
        "username": "koordinator", "password": "demo12345", "label": "bench"})
    status, _body, took = call(conn, "GET", f"/api/v1/visits/{visit.id}/report.pdf",
                               headers={"Authorization": f"Bearer {body['token']}"})
    return took * 1000, status


def healthz(_client, conn):
    status, _body, took = call(conn, "GET", "/healthz")
    return status, took


def main():
    os.environ.setdefault("BENCH_DATABASE_URL", "postgresql://127.0.0.1:5432/jemput_scale")
    from sqlalchemy import select

    from bench.bench_sync import World, database
    from webapp.extensions import db
    from webapp.visits.models import Student

    with database() as (url, name), tempfile.TemporaryDirectory() as workdir:
        w = World(url)
        server = None
        try:
            visit = w.visit(PHONES * PER_PHONE)
            ids = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                     .order_by(Student.id)).scalars().all()
            server = start_server(url, workdir)
            phones = [LoadPhone(visit, ids[i * PER_PHONE:(i + 1) * PER_PHONE], i) for i in range(PHONES)]
            db.session.remove()
            # Warm both workers (imports, first connections) before anything is timed.
            run(phones[:4], healthz, 1.0)
            base_rate, base_lat, base_err = run(phones, healthz, SECONDS)
            half = SECONDS / 2
            sync_rate, sync_lat, sync_err = run(phones, lambda p, c: p.sync(c), half)
            paced_rate, paced_lat, paced_err = run(phones, lambda p, c: p.sync(c), half, pace=PACE)
            report_ms, report_status = report_request(w)
            print(f"database: {name}; gunicorn 2 workers on 127.0.0.1:{PORT}; {PHONES} phones, 5-event batches")
            print(f"/healthz, {PHONES} clients, closed loop (baseline): {base_rate:7.1f} req/s  "
                  f"p95 {p95(base_lat) * 1000:6.1f} ms  errors {len(base_err)}")
            print(f"sync, {PHONES} phones, closed loop:                 {sync_rate:7.1f} req/s  "
                  f"p95 {p95(sync_lat) * 1000:6.1f} ms  errors {len(sync_err)}  "
                  f"ratio {sync_rate / base_rate:5.2f}x (target >= 0.5x, p95 <= 100 ms)")
            print(f"sync, {PHONES} phones, one batch every {PACE:.0f} s each:    {paced_rate:7.1f} req/s  "
                  f"p95 {p95(paced_lat) * 1000:6.1f} ms  max {max(paced_lat, default=0) * 1000:6.1f} ms  "
                  f"errors {len(paced_err)}")
            print(f"GET report.pdf of a 1,500-student visit, nothing rendered yet: {report_status} in "
                  f"{report_ms:.0f} ms (queued as a job; never rendered in the request)")
        finally:
            if server is not None:
                server.terminate()
                server.wait(20)
            db.session.remove()
            db.engine.dispose()
            w.ctx.pop()
    return {"ratio": sync_rate / base_rate, "p95_closed": p95(sync_lat), "p95_paced": p95(paced_lat)}
