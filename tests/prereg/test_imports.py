"""Dapodik import through the API and the pages: preview, confirm, re-import, file errors."""
import io
import json
from datetime import date

import pytest
from dapodik_factory import PARENT_NIKS, SENSITIVE, make_dapodik_csv, make_dapodik_xlsx, student
from sqlalchemy import func, select

from webapp.extensions import db
from webapp.prereg.models import ImportBatch
from webapp.visits.models import Student

EN = {"Accept-Language": "en"}


def roster(n=5):
    """n valid students for the upcoming visit (born 2009: 17 on the visit day)."""
    people = []
    for i in range(1, n + 1):
        gender = "P" if i % 2 else "L"
        day = 10 + (40 if gender == "P" else 0)
        people.append(student(i, name=f"Siswa Impor {i}", gender=gender,
                              birth_date=date(2009, 3, 10), nik=f"36720{2}{day}0309{i:04d}",
                              kk=f"367202150115{i:04d}", **{"class": f"XII IPA {1 + i % 2}"}))
    return people


BAD_ROWS = [
    student(91, name="NIK Angka", nik=3672021003090091),           # Excel number
    student(92, name="Tanggal Aneh", birth_date="10 Maret 2009"),  # unknown date format
    student(93, name="NIK Pendek", nik="36720210030"),
    student(94, name="Lain Kota", nik="3604011003090094", birth_date=date(2009, 3, 10)),
]


def upload(client, token, data, filename="Daftar Peserta Didik.xlsx", headers=None):
    return client.post(f"/api/v1/prereg/{token}/imports", headers=headers or {},
                       data={"file": (io.BytesIO(data), filename)},
                       content_type="multipart/form-data")


def count(visit):
    return db.session.execute(select(func.count(Student.id)).where(
        Student.visit_id == visit.id)).scalar_one()


def test_preview_then_confirm_then_reimport_updates_by_nik(client, token, upcoming):
    before = count(upcoming)
    data = make_dapodik_xlsx(roster(5), extra_bad_rows=BAD_ROWS)
    response = upload(client, token, data)
    assert response.status_code == 201
    body = response.get_json()
    assert body["summary"] == {"total": 9, "ok": 5, "warning": 1, "error": 3,
                               "to_add": 6, "to_update": 0}
    by_name = {r["name"]: r for r in body["rows"]}
    assert by_name["NIK Angka"]["status"] == "error"
    assert "tersimpan sebagai angka" in by_name["NIK Angka"]["messages"][0]
    assert "tidak dikenali" in by_name["Tanggal Aneh"]["messages"][0]
    assert by_name["Lain Kota"]["status"] == "warning"
    assert all(set(r) >= {"row", "status", "messages"} for r in body["rows"])
    assert count(upcoming) == before  # nothing added before the confirmation

    confirm = client.post(f"/api/v1/prereg/{token}/imports/{body['import_id']}/confirm",
                          json={"consent": True})
    assert confirm.status_code == 200
    assert confirm.get_json()["summary"] == {"total": 9, "added": 6, "updated": 0, "skipped": 3}
    assert count(upcoming) == before + 6
    saved = db.session.execute(select(Student).where(Student.name == "Siswa Impor 1")).scalar_one()
    assert (saved.source, saved.consent, saved.class_name) == ("import", True, "XII IPA 2")
    assert saved.kelurahan_code == "36.72.02.1001"  # "Bagendung" mapped to its code
    again = client.post(f"/api/v1/prereg/{token}/imports/{body['import_id']}/confirm")
    assert again.status_code == 409 and again.get_json()["code"] == "import_confirmed"

    changed = roster(5)
    changed[0]["class"] = "XII IPS 1"
    second = upload(client, token, make_dapodik_xlsx(changed, extra_bad_rows=BAD_ROWS)).get_json()
    assert second["summary"]["to_add"] == 0 and second["summary"]["to_update"] == 6
    result = client.post(f"/api/v1/prereg/{token}/imports/{second['import_id']}/confirm").get_json()
    assert result["summary"]["updated"] == 6 and result["summary"]["added"] == 0
    assert count(upcoming) == before + 6  # no duplicates
    db.session.refresh(saved)
    assert saved.class_name == "XII IPS 1" and saved.consent is True  # consent kept


def test_only_the_needed_columns_are_kept(client, token):
    body = upload(client, token, make_dapodik_xlsx(roster(3))).get_json()
    batch = db.session.get(ImportBatch, body["import_id"])
    stored = json.dumps(batch.rows)
    for secret in list(PARENT_NIKS.values()) + list(SENSITIVE.values()):
        assert secret not in stored
    assert set(batch.rows[0]["student"]) == {"name", "nik", "kk", "nisn", "nipd", "gender",
                                             "birth_place", "birth_date", "class",
                                             "kelurahan_code"}
    client.post(f"/api/v1/prereg/{token}/imports/{body['import_id']}/confirm")
    db.session.refresh(batch)
    assert all("student" not in r for r in batch.rows)  # the preview copy is dropped
    assert "3672025003090001" not in json.dumps(batch.rows)


def test_csv_works_too(client, token):
    body = upload(client, token, make_dapodik_csv(roster(2)), "siswa.csv").get_json()
    assert body["summary"]["ok"] == 2


@pytest.mark.parametrize("data, filename, message", [
    (b"%PDF-1.4", "daftar.pdf", "Unsupported file type (.pdf); upload the Dapodik .xlsx or a .csv."),
    (b"", "kosong.xlsx", "The file is empty."),
    (b"  \n", "kosong.csv", "The file is empty."),
    (b"not a zip", "rusak.xlsx", "The file cannot be read; save it again as .xlsx and upload it again."),
])
def test_file_errors_are_clear(client, token, data, filename, message):
    response = upload(client, token, data, filename, headers=EN)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "import_refused" and body["errors"] == {"file": [message]}


def test_missing_required_column(client, token):
    data = make_dapodik_xlsx(roster(2), drop=("NIK",))
    body = upload(client, token, data, headers=EN).get_json()
    assert body["errors"]["file"] == ['Required column "NIK" is missing.']
    indonesian = upload(client, token, data).get_json()
    assert indonesian["errors"]["file"] == ['Kolom wajib "NIK" tidak ada.']


@pytest.fixture
def small_limit(app):
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    yield
    app.config["MAX_CONTENT_LENGTH"] = 5 * 1024 * 1024


def test_size_limit_has_its_own_message(client, token, small_limit):
    big = b"x" * (1024 * 1024 + 10)
    response = upload(client, token, big, "besar.csv")
    assert response.status_code == 413
    body = response.get_json()
    assert body["code"] == "file_too_large" and body["max_bytes"] == 1024 * 1024
    assert "paling besar 1 MB" in body["message"]
    page = client.post(f"/daftar/{token}/impor", data={"file": (io.BytesIO(big), "besar.csv")},
                       content_type="multipart/form-data")
    assert page.status_code == 413 and "paling besar 1 MB" in page.get_data(as_text=True)


def test_import_through_the_pages(client, token, upcoming):
    before = count(upcoming)
    assert "Impor Data Dapodik" in client.get(f"/daftar/{token}/impor").get_data(as_text=True)
    response = client.post(f"/daftar/{token}/impor", content_type="multipart/form-data", data={
        "file": (io.BytesIO(make_dapodik_xlsx(roster(3), extra_bad_rows=BAD_ROWS[:1])),
                 "dapodik.xlsx")})
    assert response.status_code == 303
    page = client.get(response.location).get_data(as_text=True)
    assert 'data-status="error"' in page and "Baris 13" in page and "Simpan 3 siswa" in page
    assert count(upcoming) == before
    batch_id = response.location.rsplit("/", 1)[1]
    done = client.post(f"/daftar/{token}/impor/{batch_id}/simpan", data={"consent": "y"})
    assert done.status_code == 303
    home = client.get(done.location.split("#")[0]).get_data(as_text=True)
    assert "3 ditambahkan" in home and count(upcoming) == before + 3
    twice = client.post(f"/daftar/{token}/impor/{batch_id}/simpan", data={"consent": "y"})
    assert twice.status_code == 303 and count(upcoming) == before + 3
    assert "Impor ini sudah disimpan." in client.get(twice.location).get_data(as_text=True)
    wrong = client.post(f"/daftar/{token}/impor", content_type="multipart/form-data",
                        data={"file": (io.BytesIO(b"hello"), "catatan.txt")})
    assert wrong.status_code == 422
    assert "Jenis berkas tidak didukung (.txt)" in wrong.get_data(as_text=True)


def test_a_batch_belongs_to_its_visit(client, token, upcoming):
    from webapp.prereg.links import create_link
    from webapp.visits.models import Visit

    other = db.session.execute(select(Visit).where(Visit.id != upcoming.id,
                                                   Visit.status == "planned")).scalars().first()
    _, other_token = create_link(other)
    body = upload(client, token, make_dapodik_xlsx(roster(1))).get_json()
    response = client.post(f"/api/v1/prereg/{other_token}/imports/{body['import_id']}/confirm")
    assert response.status_code == 404 and response.get_json()["code"] == "import_not_found"
