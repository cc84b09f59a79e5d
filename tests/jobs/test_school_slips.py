"""The school's link: slips PDF as a job (page and API), cached per roster version, its own jobs only."""
import pytest
from reports_factories import make_visit

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.queue import jobs
from webapp.prereg import links, slips

EN = {"Accept-Language": "en"}


@pytest.fixture
def renders(monkeypatch):
    """Every slips render, counted (the real render still runs)."""
    done = []
    real = slips.render_slips
    monkeypatch.setattr(slips, "render_slips", lambda *a, **k: done.append(1) or real(*a, **k))
    jobs.huey.flush()
    yield done
    jobs.huey.flush()


def _job_id(location):
    return location.rstrip("/").rsplit("/", 1)[1]


def test_link_page_queues_the_slips_shows_progress_then_serves_the_cached_file(
        client, token, upcoming, student_data, renders):
    from webapp.visits.services import add_student

    asked = client.get(f"/daftar/{token}/slip.pdf")
    assert asked.status_code == 303 and f"/daftar/{token}/pekerjaan/" in asked.headers["Location"]
    assert renders == [] and len(jobs.huey) == 1  # nothing rendered in the request
    again = client.get(f"/daftar/{token}/slip.pdf")
    assert again.headers["Location"] == asked.headers["Location"] and len(jobs.huey) == 1
    page = client.get(asked.headers["Location"])
    assert page.status_code == 200 and b'data-state="queued"' in page.data
    assert b'http-equiv="refresh" content="2"' in page.data and b"Menunggu giliran" in page.data
    assert page.headers["Cache-Control"] == "no-store"

    services.run(_job_id(asked.headers["Location"]))  # what the worker does
    assert renders == [1]
    page = client.get(asked.headers["Location"])
    assert b'data-state="done"' in page.data and b'id="job-file"' in page.data
    assert b"http-equiv" not in page.data and b"Unduh Slip QR (PDF)" in page.data

    pdf = client.get(f"/daftar/{token}/slip.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["ETag"]
    assert "attachment" in pdf.headers["Content-Disposition"]
    cached = client.get(f"/daftar/{token}/slip.pdf", headers={"If-None-Match": pdf.headers["ETag"]})
    assert cached.status_code == 304 and renders == [1]

    add_student(upcoming, student_data(nik="3672021003090002", name="Siswa Baru"))
    changed = client.get(f"/daftar/{token}/slip.pdf")  # a new roster version: a new job
    assert changed.status_code == 303 and changed.headers["Location"] != asked.headers["Location"]
    assert renders == [1]


def test_a_failed_job_says_so_and_offers_another_try(client, token, upcoming, renders):
    asked = client.get(f"/daftar/{token}/slip.pdf")
    job_id = _job_id(asked.headers["Location"])
    from webapp.jobs.models import Job

    job = db.session.get(Job, job_id)
    job.state, job.error = "failed", "RuntimeError: boom"
    db.session.commit()
    client.post("/lang/en", data={"next": "/"})
    page = client.get(asked.headers["Location"])
    assert b'data-state="failed"' in page.data and b'id="job-retry"' in page.data
    assert b"The QR slips could not be made" in page.data
    assert b"boom" not in page.data and b"http-equiv" not in page.data
    retry = client.get(f"/daftar/{token}/slip.pdf")
    assert retry.status_code == 303 and _job_id(retry.headers["Location"]) != job_id


def test_a_link_sees_only_its_own_visits_jobs(demo, client, token, upcoming, renders):
    other = make_visit(4)
    _link, other_token = links.create_link(other)
    theirs = _job_id(client.get(f"/daftar/{other_token}/slip.pdf").headers["Location"])
    ours = _job_id(client.get(f"/daftar/{token}/slip.pdf").headers["Location"])
    report, _ready = services.request_file("report", upcoming.id)  # a coordinator's job of our visit
    assert client.get(f"/daftar/{token}/pekerjaan/{ours}").status_code == 200
    for job_id in (theirs, report.id, "nope"):
        assert client.get(f"/daftar/{token}/pekerjaan/{job_id}").status_code == 404
        answer = client.get(f"/api/v1/prereg/{token}/jobs/{job_id}")
        assert answer.status_code == 404 and answer.get_json()["code"] == "job_not_found"
    assert client.get(f"/daftar/wrong-token/pekerjaan/{ours}").status_code == 404


def test_api_answers_202_then_the_file_with_etag(client, token, upcoming, renders):
    url = f"/api/v1/prereg/{token}/slips.pdf"
    asked = client.get(url)
    body = asked.get_json()
    assert asked.status_code == 202 and body["state"] == "queued" and body["kind"] == "slips"
    assert asked.headers["Location"] == body["status_url"] and body["file_url"] == url
    assert renders == [] and len(jobs.huey) == 1
    assert client.get(body["status_url"]).get_json()["state"] == "queued"
    services.run(body["job"])
    done = client.get(body["status_url"]).get_json()
    assert done["state"] == "done" and "code" not in done
    pdf = client.get(done["file_url"])
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.headers["ETag"]
    assert pdf.headers["Cache-Control"] == "no-store"
    assert client.get(url, headers={"If-None-Match": pdf.headers["ETag"]}).status_code == 304
    assert renders == [1]


def test_api_names_a_failed_job_in_the_readers_language(client, token, upcoming, renders):
    from webapp.jobs.models import Job

    body = client.get(f"/api/v1/prereg/{token}/slips.pdf").get_json()
    job = db.session.get(Job, body["job"])
    job.state, job.error = "failed", "RuntimeError: boom"
    db.session.commit()
    failed = client.get(body["status_url"], headers=EN).get_json()
    assert failed["state"] == "failed" and failed["code"] == "job_failed"
    assert failed["message"].startswith("The file could not be made") and "boom" not in str(failed)
