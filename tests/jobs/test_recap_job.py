"""The recap PDF as a job (page and API): never rendered in the request, cached per set of figures."""
from datetime import date

import pytest
from reports_factories import bearer, count_renders, make_visit

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import JobFile
from webapp.jobs.queue import jobs

RANGE = "from=2026-11-01&to=2026-12-31"


@pytest.fixture
def renders(monkeypatch):
    """Every recap render, counted (the real render still runs)."""
    jobs.huey.flush()
    yield count_renders(monkeypatch, "reports/recap_pdf.html")
    jobs.huey.flush()


def test_api_recap_queues_then_serves_the_cached_file(demo, client, renders):
    from webapp.visits.services import add_student

    headers = bearer(client, "koordinator")
    url = f"/api/v1/reports/recap.pdf?{RANGE}&basis=residence"
    asked = client.get(url, headers=headers)
    body = asked.get_json()
    assert asked.status_code == 202 and body["kind"] == "recap" and body["state"] == "queued"
    assert asked.headers["Location"] == body["status_url"] and renders == [] and len(jobs.huey) == 1
    assert body["file_url"] == url
    assert client.get(url, headers=headers).get_json()["job"] == body["job"]  # one job per figures
    services.run(body["job"])  # what the worker does
    assert renders == [1]
    done = client.get(body["status_url"], headers=headers).get_json()
    assert done["state"] == "done" and done["file_url"] == url
    got = client.get(url, headers=headers)
    assert got.status_code == 200 and got.data.startswith(b"%PDF") and got.headers["ETag"]
    assert client.get(url, headers={**headers, "If-None-Match": got.headers["ETag"]}).status_code == 304
    assert renders == [1]
    # Other figures (a student added in the range), another basis or range: another file.
    other = client.get(f"/api/v1/reports/recap.pdf?{RANGE}&basis=school", headers=headers)
    assert other.status_code == 202 and other.get_json()["job"] != body["job"]
    visit = make_visit(3, day=date(2026, 12, 10))
    add_student(visit, {"name": "Siswa Rekap", "nik": "3672021003090099", "kk": "3672021501150001",
                        "gender": "P", "birth_date": date(2009, 3, 10), "class": "XII", "consent": True})
    moved = client.get(url, headers=headers)
    assert moved.status_code == 202 and moved.get_json()["job"] != body["job"]
    assert renders == [1] and db.session.query(JobFile).count() == 1


def test_recap_page_shows_progress_then_offers_the_file(demo, client, login, renders):
    login("koordinator")
    asked = client.get("/koordinator/capaian/rekap.pdf?dari=2026-11-01&sampai=2026-12-31")
    assert asked.status_code == 302 and "/koordinator/pekerjaan/" in asked.headers["Location"]
    assert renders == []
    page = client.get(asked.headers["Location"])
    assert b'data-state="queued"' in page.data and b'http-equiv="refresh"' in page.data
    services.run(asked.headers["Location"].rsplit("/", 1)[1])
    page = client.get(asked.headers["Location"])
    assert b'data-state="done"' in page.data and b'id="job-file"' in page.data
    assert b"Unduh Rekap (PDF)" in page.data
    file_url = page.data.split(b'id="job-file" href="', 1)[1].split(b'"', 1)[0].decode().replace("&amp;", "&")
    got = client.get(file_url)
    assert got.status_code == 200 and got.data.startswith(b"%PDF") and got.headers["ETag"]
    assert "attachment" in got.headers["Content-Disposition"] and renders == [1]


def test_recap_errors_name_the_field_and_officers_may_not_ask(demo, client, renders):
    headers = bearer(client, "koordinator")
    bad = client.get("/api/v1/reports/recap.pdf?from=2026-12-01&to=2026-11-01",
                     headers={**headers, "Accept-Language": "en"})
    assert bad.status_code == 422 and list(bad.get_json()["errors"]) == ["to"]
    assert bad.get_json()["errors"]["to"][0].startswith("The end date")
    assert client.get(f"/api/v1/reports/recap.pdf?{RANGE}",
                      headers=bearer(client, "petugas1")).status_code == 403
    assert renders == [] and len(jobs.huey) == 0
