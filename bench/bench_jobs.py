"""Request times of the files made by jobs (issue 15 point 2): asked while not rendered yet (the
request queues a job and answers at once), served from the cache (200 and 304), and the Dapodik
upload of a large file (queued) against a small one previewed in the request.

Baseline, measured in the same run: GET /healthz through the same test client. Each row prints
its median of >= 5 requests in ms and its ratio to the baseline. SQLite in a temp dir by default;
BENCH_DATABASE_URL=postgresql://127.0.0.1:5432/<db> runs it on PostgreSQL (a schema of its own).
"""
import io
import random
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

from bench.bench_sync import database

SLIP_STUDENTS = 180
RUNS = 7
IMPORT_SIZES = (200, 400, 600, 1000)


def median_ms(fn, runs=RUNS, after=None):
    """Median wall time of `fn` in ms; `after` (not timed) runs after each call."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
        if after:
            after()
    return statistics.median(times) * 1000


def _world(url):
    from flask_migrate import upgrade
    from sqlalchemy import select

    from webapp.app import create_app
    from webapp.demo import make_students, seed
    from webapp.extensions import db
    from webapp.prereg import links
    from webapp.regions.loader import load_regions
    from webapp.regions.models import Kelurahan
    from webapp.schools.models import School
    from webapp.visits.models import Visit

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False,
                      "WTF_CSRF_ENABLED": False, "JOBS_DB": str(Path(tempfile.mkdtemp()) / "jobs.db")})
    app.app_context().push()
    # The bench's app context outlives each request (and Flask-Babel's cached locale with it): forget
    # the locale when a request starts, as a server's new context does.
    from flask import request_started
    from flask_babel import refresh

    request_started.connect(lambda sender, **extra: refresh(), app, weak=False)
    upgrade(revision="heads")
    load_regions()
    seed(app.config, today=date(2026, 11, 27))
    school = db.session.execute(select(School).order_by(School.id.desc())).scalars().first()
    visit = Visit(school=school, team_id=1, date=date(2026, 12, 20), status="planned", stations=3,
                  target=SLIP_STUDENTS)
    db.session.add(visit)
    kel = db.session.execute(select(Kelurahan.code)).scalars().all()
    db.session.add_all(make_students(random.Random(3), visit, kel, SLIP_STUDENTS, set()))
    db.session.commit()
    _link, token = links.create_link(visit)
    return app, token


def _fail_queued():
    """Let the next ask queue a new job (as for a new roster or new figures)."""
    from sqlalchemy import update

    from webapp.extensions import db
    from webapp.jobs.models import Job
    from webapp.jobs.queue import jobs

    db.session.execute(update(Job).where(Job.state == "queued").values(state="failed"))
    db.session.commit()
    jobs.huey.flush()


def _asked(client, url, headers, status):
    def ask():
        answer = client.get(url, headers=headers)
        assert answer.status_code == status, (url, answer.status_code)
    return ask


def _file_times(client, url, headers, queued_status, run_job):
    """(not rendered: ms, render in the worker: s, cached 200: ms, 304: ms)."""
    first = client.get(url, headers=headers)
    assert first.status_code == queued_status, (url, first.status_code)
    _fail_queued()
    asked = median_ms(_asked(client, url, headers, queued_status), after=_fail_queued)
    started = time.perf_counter()
    run_job(client.get(url, headers=headers))
    render = time.perf_counter() - started
    got = client.get(url, headers=headers)
    assert got.status_code == 200, (url, got.status_code)
    cached = median_ms(lambda: client.get(url, headers=headers))
    etag = {**headers, "If-None-Match": got.headers["ETag"]}
    assert client.get(url, headers=etag).status_code == 304
    return asked, render, cached, median_ms(lambda: client.get(url, headers=etag))


def _job_of(answer):
    if answer.status_code == 202:
        return answer.get_json()["job"]
    return answer.headers["Location"].rstrip("/").rsplit("/", 1)[1]


def _run_job(answer):
    """What the worker does with the job an answer names."""
    from webapp.jobs import services
    from webapp.jobs.queue import jobs

    jobs.huey.flush()
    services.run(_job_of(answer))


def _measure(app, token, name):
    """Every row of the tables, printed."""
    from dapodik_factory import make_dapodik_xlsx, student

    from webapp.jobs.queue import jobs

    client = app.test_client()
    coordinator = client.post("/api/v1/devices", json={"username": "koordinator", "password": "demo12345",
                                                       "label": "bench"}).get_json()["token"]
    api = {"Authorization": f"Bearer {coordinator}"}
    base = median_ms(lambda: client.get("/healthz"))
    rows = []
    for label, path, headers, status in (
            ("school link slips, page  /daftar/{token}/slip.pdf", f"/daftar/{token}/slip.pdf", {}, 303),
            ("school link slips, API   /api/v1/prereg/{token}/slips.pdf",
             f"/api/v1/prereg/{token}/slips.pdf", {}, 202),
            ("recap PDF, API           /api/v1/reports/recap.pdf",
             "/api/v1/reports/recap.pdf?from=2026-07-01&to=2027-06-30", api, 202)):
        if "prereg" in path:  # the page's job made the file already: another language's is new
            headers = {"Accept-Language": "en"}
        rows.append((label, *_file_times(client, path, headers, status, _run_job)))
    client.post("/login", data={"username": "koordinator", "password": "demo12345"})
    rows.append(("recap PDF, page          /koordinator/capaian/rekap.pdf", *_file_times(
        client, "/koordinator/capaian/rekap.pdf?dari=2026-07-01&sampai=2026-12-31&dasar=residence", {},
        302, _run_job)))
    print(f"{name}; slips of {SLIP_STUDENTS} students; recap of the demo season; "
          f"baseline GET /healthz {base:.1f} ms")
    print(f"  {'file':<58} {'not ready':>10} {'worker':>8} {'cached':>8} {'304':>8}")
    for label, asked, render, cached, not_modified in rows:
        print(f"  {label:<58} {asked:7.1f} ms {render:6.1f} s {cached:5.1f} ms {not_modified:5.1f} ms"
              f"   ({asked / base:.1f}x / {cached / base:.1f}x baseline)")

    for fmt in ("csv", "xlsx"):  # made in the request: the same counts, then csv/openpyxl
        url = f"/api/v1/reports/recap.{fmt}?from=2026-07-01&to=2027-06-30"
        assert client.get(url, headers=api).status_code == 200
        took = median_ms(lambda url=url: client.get(url, headers=api))
        print(f"  recap {fmt.upper():<4} in the request (API)  {took:6.1f} ms ({took / base:.0f}x baseline)")

    print("Dapodik upload through the page (POST /daftar/{token}/impor), median of 5:")
    for size in IMPORT_SIZES:
        data = make_dapodik_xlsx([student(i) for i in range(1, size + 1)])

        def upload(data=data):
            answer = client.post(f"/daftar/{token}/impor", content_type="multipart/form-data",
                                 data={"file": (io.BytesIO(data), "dapodik.xlsx")})
            assert answer.status_code == 303, answer.status_code
            assert "/impor/" in answer.headers["Location"] or "/pekerjaan/" in answer.headers["Location"], \
                answer.headers["Location"]
        app.config["IMPORT_JOB_ROWS"] = 0
        here = median_ms(upload, runs=5)
        app.config["IMPORT_JOB_ROWS"] = 1
        queued = median_ms(upload, runs=5, after=jobs.huey.flush)
        print(f"  {size:5d} rows ({len(data) / 1024:4.0f} KB): preview in the request {here:7.0f} ms "
              f"({here / base:5.0f}x); queued as a job {queued:5.0f} ms ({queued / base:4.0f}x)")


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    with database() as (url, name):
        app, token = _world(url)
        try:
            _measure(app, token, name)
        finally:  # nothing left open on the bench's schema, so it can be dropped
            from webapp.extensions import db

            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
