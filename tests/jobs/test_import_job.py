"""Large Dapodik imports: the preview runs in the worker, the school's page follows it, small files stay here."""
import io

import pytest
from dapodik_factory import make_dapodik_csv, make_dapodik_xlsx, student
from reports_factories import make_visit
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.jobs import services
from webapp.jobs.models import JobFile
from webapp.jobs.queue import jobs
from webapp.prereg import importjob, imports, links

EN = {"Accept-Language": "en"}


@pytest.fixture
def previews(ctx, monkeypatch):
    """Every preview counted (the real one still runs); files of more than 12 rows (7 of them heading) are large."""
    done = []
    real = imports.preview
    monkeypatch.setattr(imports, "preview", lambda *a, **k: done.append(1) or real(*a, **k))
    monkeypatch.setitem(ctx.config, "IMPORT_JOB_ROWS", 12)
    jobs.huey.flush()
    yield done
    jobs.huey.flush()


def _file(n):
    return make_dapodik_xlsx([student(i) for i in range(1, n + 1)])


def _page_upload(client, token, data, name="dapodik.xlsx"):
    return client.post(f"/daftar/{token}/impor", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def _uploads():
    return db.session.execute(select(func.count(JobFile.id)).where(JobFile.kind == "upload")).scalar_one()


def test_row_count_without_parsing():
    assert importjob.row_count("a.xlsx", _file(12)) >= 12
    assert importjob.row_count("a.csv", make_dapodik_csv([student(i) for i in range(1, 8)])) >= 7
    assert importjob.row_count("a.xlsx", b"not a zip") == 0


def test_large_file_is_previewed_by_the_worker_then_shown_as_usual(client, token, upcoming, previews):
    asked = _page_upload(client, token, _file(9))
    assert asked.status_code == 303 and f"/daftar/{token}/pekerjaan/" in asked.headers["Location"]
    assert previews == [] and len(jobs.huey) == 1 and _uploads() == 1  # nothing parsed here
    page = client.get(asked.headers["Location"])
    assert b'data-state="queued"' in page.data and b'data-kind="import"' in page.data
    assert b'http-equiv="refresh" content="2"' in page.data
    services.run(asked.headers["Location"].rsplit("/", 1)[1])  # what the worker does
    assert previews == [1] and _uploads() == 0  # the upload (personal data) is gone once read
    done = client.get(asked.headers["Location"])
    assert done.status_code == 303 and "/impor/" in done.headers["Location"]
    preview = client.get(done.headers["Location"])
    assert preview.status_code == 200 and b'data-count="to_add">9<' in preview.data
    import_id = done.headers["Location"].rsplit("/", 1)[1]
    saved = client.post(f"/daftar/{token}/impor/{import_id}/simpan", data={"consent": "y"})
    assert saved.status_code == 303


def test_small_file_stays_in_the_request(client, token, upcoming, previews):
    asked = _page_upload(client, token, _file(3))
    assert asked.status_code == 303 and "/impor/" in asked.headers["Location"]
    assert previews == [1] and len(jobs.huey) == 0


def test_refused_large_file_names_the_problem_in_the_readers_language(client, token, upcoming, previews):
    bad_csv = "Nama;Kelas\n" + "".join(f"Siswa {i};X\n" for i in range(14))  # no NIK column
    asked = _page_upload(client, token, bad_csv.encode(), "data.csv")
    services.run(asked.headers["Location"].rsplit("/", 1)[1])
    client.post("/lang/en", data={"next": "/"})
    page = client.get(asked.headers["Location"])
    assert page.status_code == 422 and b'id="file"' in page.data  # the upload form again
    assert "NIK" in page.get_data(as_text=True)
    api = client.post(f"/api/v1/prereg/{token}/imports", headers=EN,
                      data={"file": (io.BytesIO(bad_csv.encode()), "data.csv")},
                      content_type="multipart/form-data").get_json()
    services.run(api["job"])
    status = client.get(api["status_url"], headers=EN).get_json()
    assert status["state"] == "done" and status["code"] == "import_refused"
    assert list(status["errors"]) == ["file"] and status["errors"]["file"][0] == status["message"]


def test_api_answers_202_then_the_preview(client, token, upcoming, previews):
    posted = client.post(f"/api/v1/prereg/{token}/imports",
                         data={"file": (io.BytesIO(_file(9)), "dapodik.xlsx")},
                         content_type="multipart/form-data")
    body = posted.get_json()
    assert posted.status_code == 202 and body["kind"] == "import" and body["state"] == "queued"
    assert posted.headers["Location"] == body["status_url"] and previews == []
    services.run(body["job"])
    status = client.get(body["status_url"]).get_json()
    assert status["state"] == "done" and status["import_url"].endswith(status["import_id"])
    shown = client.get(status["import_url"]).get_json()
    assert shown["summary"]["to_add"] == 9
    confirm = client.post(f"{status['import_url']}/confirm", json={"consent": True}).get_json()
    assert confirm["summary"]["added"] == 9


def test_another_link_cannot_follow_the_import(demo, client, token, upcoming, previews):
    other = make_visit(2)
    _link, other_token = links.create_link(other)
    asked = _page_upload(client, token, _file(9))
    job_id = asked.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"/daftar/{other_token}/pekerjaan/{job_id}").status_code == 404
    answer = client.get(f"/api/v1/prereg/{other_token}/jobs/{job_id}")
    assert answer.status_code == 404 and answer.get_json()["code"] == "job_not_found"


def test_a_failed_preview_keeps_no_upload_and_says_upload_again(client, token, upcoming, previews,
                                                                 monkeypatch):
    asked = _page_upload(client, token, _file(9))
    job_id = asked.headers["Location"].rsplit("/", 1)[1]

    def broken(*a, **k):
        raise RuntimeError("disk full")
    monkeypatch.setattr(imports, "preview", broken)
    for _try in range(2):  # the queue's retry finds no upload and fails again
        with pytest.raises(RuntimeError):
            services.run(job_id)
    assert _uploads() == 0
    page = client.get(asked.headers["Location"])
    assert b'data-state="failed"' in page.data and b'id="job-retry"' in page.data
    assert b"disk full" not in page.data
