"""Report and slips PDFs as jobs: 202 + job, a real Huey consumer renders them, then a cached file."""
import signal
import time

import pytest
from reports_factories import bearer, make_visit

from webapp.extensions import db
from webapp.jobs.models import Job
from webapp.jobs.queue import jobs


@pytest.fixture
def consumer(ctx):
    """A real Huey consumer (scheduler and worker threads) on the test app's queue."""
    saved = {s: signal.getsignal(s) for s in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP)}
    jobs.huey.flush()
    running = jobs.consumer(workers=1)
    running.start()
    yield running
    running.stop(graceful=True)
    for s, handler in saved.items():
        signal.signal(s, handler)


def wait_done(client, headers, status_url, timeout=120):
    """Follow a job's status URL until it is done or failed (the condition, not a fixed sleep)."""
    deadline = time.monotonic() + timeout
    while True:
        body = client.get(status_url, headers=headers).get_json()
        if body["state"] in ("done", "failed") or time.monotonic() > deadline:
            return body
        time.sleep(0.1)


def test_report_and_slips_rendered_by_a_real_consumer(demo, client, consumer):
    visit = make_visit(12)
    headers = bearer(client, "koordinator")
    for kind in ("report", "slips"):
        asked = client.post(f"/api/v1/visits/{visit.id}/{kind}.pdf/job", headers=headers)
        assert asked.status_code == 202, asked.get_json()
        body = asked.get_json()
        assert body["state"] == "queued" and asked.headers["Location"] == body["status_url"]
        done = wait_done(client, headers, body["status_url"])
        assert done["state"] == "done", done
        pdf = client.get(done["file_url"], headers=headers)
        assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["ETag"]
        again = client.get(done["file_url"], headers={**headers, "If-None-Match": pdf.headers["ETag"]})
        assert again.status_code == 304
        # The same state asked again: the cached file at once, no new job.
        ready = client.post(f"/api/v1/visits/{visit.id}/{kind}.pdf/job", headers=headers)
        assert ready.status_code == 200 and ready.get_json()["file_url"] == done["file_url"]


def test_pressing_twice_queues_one_job(demo, client):
    visit = make_visit(5)
    headers = bearer(client, "koordinator")
    jobs.huey.flush()
    first = client.post(f"/api/v1/visits/{visit.id}/slips.pdf/job", headers=headers).get_json()
    second = client.post(f"/api/v1/visits/{visit.id}/slips.pdf/job", headers=headers).get_json()
    assert first["job"] == second["job"] and len(jobs.huey) == 1
    assert db.session.get(Job, first["job"]).state == "queued"
    jobs.huey.flush()


def test_codes_for_missing_job_file_and_visit(demo, client):
    visit = make_visit(3)
    headers = bearer(client, "koordinator")
    assert client.get("/api/v1/jobs/nope", headers=headers).get_json()["code"] == "job_not_found"
    missing = client.get(f"/api/v1/visits/{visit.id}/slips.pdf", headers=headers)
    assert missing.status_code == 404 and missing.get_json()["code"] == "file_not_ready"
    gone = client.post("/api/v1/visits/99999/report.pdf/job", headers=headers)
    assert gone.status_code == 404 and gone.get_json()["code"] == "visit_not_found"


def test_officers_may_not_ask(demo, client):
    visit = make_visit(3)
    answer = client.post(f"/api/v1/visits/{visit.id}/report.pdf/job", headers=bearer(client, "petugas1"))
    assert answer.status_code == 403


def test_redis_storage_when_redis_url_is_set():
    """REDIS_URL puts the queue in Redis (the real server at 127.0.0.1:6379) for many machines."""
    from flask import Flask
    from huey import RedisHuey

    from webapp.jobs.queue import Jobs

    app = Flask("redis-queue")
    app.config.update(REDIS_URL="redis://127.0.0.1:6379/15", JOBS_DB="unused")
    queue = Jobs()
    queue.init_app(app)
    assert isinstance(queue.huey, RedisHuey)
    queue.huey.flush()
    queue.enqueue("job-1")
    assert len(queue.huey) == 1
    assert queue.huey.dequeue().args == ("job-1",)
    queue.huey.flush()


def test_report_page_queues_shows_progress_then_offers_the_file(demo, client, login):
    from webapp.jobs import services

    visit = make_visit(6)
    login("koordinator")
    asked = client.post(f"/koordinator/laporan/{visit.id}/laporan-pdf")
    assert asked.status_code == 302 and "/koordinator/pekerjaan/" in asked.headers["Location"]
    page = client.get(asked.headers["Location"])
    assert b'data-state="queued"' in page.data and b'http-equiv="refresh"' in page.data
    job_id = asked.headers["Location"].rsplit("/", 1)[1]
    jobs.huey.flush()
    services.run(job_id)  # what the worker does (the consumer itself is tested above)
    page = client.get(asked.headers["Location"])
    assert b'data-state="done"' in page.data and b'id="job-file"' in page.data
    again = client.post(f"/koordinator/laporan/{visit.id}/laporan-pdf")
    assert again.headers["Location"].endswith(f"/koordinator/laporan/{visit.id}/laporan.pdf")


def test_report_get_never_renders_in_the_request(demo, client, monkeypatch):
    """GET of a report not rendered yet queues its job and answers 202 at once (issue 15: a
    1,500-student render took a gunicorn worker past its timeout); the worker renders it."""
    import reports_factories as rf

    from webapp.jobs import services
    from webapp.reports import pdf
    from webapp.reports.models import ReportCache

    visit = make_visit(300)
    headers = bearer(client, "koordinator")
    rendered = []
    real = pdf.render_report
    monkeypatch.setattr(pdf, "render_report", lambda *a, **k: rendered.append(1) or real(*a, **k))
    jobs.huey.flush()
    started = time.monotonic()
    asked = client.get(f"/api/v1/visits/{visit.id}/report.pdf", headers=headers)
    took = time.monotonic() - started
    body = asked.get_json()
    assert asked.status_code == 202 and body["state"] == "queued" and asked.headers["Location"] == body["status_url"]
    assert rendered == [] and len(jobs.huey) == 1 and took < 5
    assert db.session.query(ReportCache).count() == 0
    again = client.get(f"/api/v1/visits/{visit.id}/report.pdf", headers=headers)
    assert again.status_code == 202 and again.get_json()["job"] == body["job"]  # one job per state
    jobs.huey.flush()
    services.run(body["job"])  # the worker
    assert rendered == [1]
    done = client.get(body["status_url"], headers=headers).get_json()
    assert done["state"] == "done"
    pdf_answer = rf.get_report(client, done["file_url"], headers)
    assert pdf_answer.status_code == 200 and pdf_answer.data.startswith(b"%PDF") and rendered == [1]


def test_link_slips_recap_and_large_import_by_a_real_consumer(client, token, consumer, monkeypatch):
    """The school link's slips, the recap and a large Dapodik import, each run by the worker."""
    import io

    from dapodik_factory import make_dapodik_xlsx, student

    monkeypatch.setitem(client.application.config, "IMPORT_JOB_ROWS", 12)
    headers = bearer(client, "koordinator")
    link = f"/api/v1/prereg/{token}"
    slips = client.get(f"{link}/slips.pdf")
    recap = client.get("/api/v1/reports/recap.pdf?from=2026-07-01&to=2027-06-30", headers=headers)
    upload = client.post(f"{link}/imports", content_type="multipart/form-data", data={
        "file": (io.BytesIO(make_dapodik_xlsx([student(i) for i in range(1, 21)])), "dapodik.xlsx")})
    assert slips.status_code == recap.status_code == upload.status_code == 202
    for asked, auth in ((slips, {}), (recap, headers)):
        done = wait_done(client, auth, asked.get_json()["status_url"])
        assert done["state"] == "done", done
        got = client.get(done["file_url"], headers=auth)
        assert got.status_code == 200 and got.data.startswith(b"%PDF") and got.headers["ETag"]
    done = wait_done(client, {}, upload.get_json()["status_url"])
    assert done["state"] == "done" and client.get(done["import_url"]).get_json()["summary"]["to_add"] == 20
