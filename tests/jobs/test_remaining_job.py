"""The school's list of students still to record, as a PDF job: never rendered in the request,
kept per roster and outcome state, served with an ETag, purged with the visit."""
import pytest
from reports_factories import count_renders, make_visit

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import SlipsFile
from webapp.jobs.queue import jobs


@pytest.fixture
def renders(monkeypatch):
    """Every render of the remaining list, counted (the real render still runs)."""
    jobs.huey.flush()
    yield count_renders(monkeypatch, "reports/remaining_pdf.html")
    jobs.huey.flush()


def test_remaining_pdf_is_made_by_a_job_then_served_at_once(demo, client, login, renders):
    visit = make_visit(60)
    login("koordinator")
    url = f"/koordinator/laporan/{visit.id}/belum-rekam.pdf"
    asked = client.get(url)
    assert asked.status_code == 302 and "/koordinator/pekerjaan/" in asked.headers["Location"]
    assert renders == [] and len(jobs.huey) == 1
    assert client.get(url).headers["Location"] == asked.headers["Location"]  # one job per state
    job_page = asked.headers["Location"]
    assert 'data-state="queued"' in client.get(job_page).get_data(as_text=True)

    jobs.huey.flush()
    services.run(job_page.rsplit("/", 1)[1])  # the worker
    assert renders == [1]
    page = client.get(job_page).get_data(as_text=True)
    assert 'data-state="done"' in page and 'id="job-file"' in page and url in page
    got = client.get(url)
    assert got.status_code == 200 and got.data.startswith(b"%PDF") and renders == [1]
    assert client.get(url, headers={"If-None-Match": got.headers["ETag"]}).status_code == 304

    # An outcome recorded since: the list it printed is out of date, the next ask is a new job.
    visit.state_version += 1
    db.session.commit()
    moved = client.get(url)
    assert moved.status_code == 302 and moved.headers["Location"] != job_page and renders == [1]


def test_remaining_file_is_kept_apart_from_the_slips_of_the_same_roster(demo, client, renders):
    visit = make_visit(20)
    assert services.remaining_key(visit, "id") != services.slips_key(visit, "id")
    _found, job = services.visit_file("remaining", visit.id)
    jobs.huey.flush()
    services.run(job.id)
    (body, etag), none = services.visit_file("remaining", visit.id)
    assert none is None and body.startswith(b"%PDF") and etag.startswith("r")
    assert db.session.query(SlipsFile).filter_by(visit_id=visit.id).count() == 1
