"""School staff pages: notice, counts, list, add / edit / remove with CSRF, lock, headers."""
import re

import pytest
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.visits.models import Student


def form_data(student_data, **change):
    data = student_data(**change)
    data["class_name"] = data.pop("class")
    data["consent"] = "y" if data["consent"] else ""
    return {k: v for k, v in data.items() if v not in (None, "")}


def test_home_shows_visit_notice_consent_counts_and_masked_list(client, token, upcoming):
    response = client.get(f"/daftar/{token}")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert upcoming.school.name in page and "Jumat, 04 Desember 2026" in page
    assert "Pemberitahuan Privasi" in page and "Persetujuan Orang Tua/Wali" in page
    assert "UU No. 27 Tahun 2022" in page
    assert re.search(r'data-count="registered">60<', page)
    for label in ("Memenuhi Syarat", "Belum Cukup Umur", "Perlu Dicek", "Tanpa Persetujuan"):
        assert label in page
    for s in upcoming.students:
        assert s.nik not in page
    assert response.headers["Referrer-Policy"] == "no-referrer"
    assert response.headers["Cache-Control"] == "no-store"
    assert "noindex" in response.headers["X-Robots-Tag"]


def test_home_in_english(client, token):
    client.post("/lang/en", data={"next": "/"})
    page = client.get(f"/daftar/{token}").get_data(as_text=True)
    assert "Privacy notice" in page and "Parent/guardian consent" in page
    assert "Add student" in page and "Download QR slips (PDF)" in page


def test_add_with_bad_nik_then_fix(client, token, student_data):
    url = f"/daftar/{token}/siswa/baru"
    assert 'name="nik"' in client.get(url).get_data(as_text=True)
    bad = client.post(url, data=form_data(student_data, nik="36720210030900"))
    assert bad.status_code == 422
    assert "NIK harus 16 digit angka (terisi 14 digit)." in bad.get_data(as_text=True)
    assert db.session.execute(select(Student).where(Student.nik == "36720210030900")).first() is None
    good = client.post(url, data=form_data(student_data, kk="3672021003090001"))
    assert good.status_code == 303
    home = client.get(good.location.split("#")[0]).get_data(as_text=True)
    assert "Data Budi Santoso disimpan." in home
    assert "NIK sama dengan No. KK; kemungkinan tertukar." in home  # a warning, shown
    saved = db.session.execute(select(Student).where(Student.nik == "3672021003090001")).scalar_one()
    assert saved.consent is True and saved.class_name == "XII IPA 1"


def test_duplicate_is_refused_on_the_page(client, token, student_data):
    url = f"/daftar/{token}/siswa/baru"
    client.post(url, data=form_data(student_data))
    again = client.post(url, data=form_data(student_data, name="Budi Kembar"))
    assert again.status_code == 422 and "Data Ganda" in again.get_data(as_text=True)


def test_edit_shows_full_nik_audited_and_remove(client, token, upcoming):
    student = upcoming.students[0]
    url = f"/daftar/{token}/siswa/{student.id}"
    page = client.get(url).get_data(as_text=True)
    assert f'value="{student.nik}"' in page
    audit = db.session.execute(select(AuditEntry).where(
        AuditEntry.action == "nik_viewed", AuditEntry.object_id == student.id)).scalar_one()
    assert audit.actor.startswith("tautan:")
    data = {"name": "Nama Baru", "nik": student.nik, "kk": student.kk or "",
            "gender": student.gender, "birth_date": student.birth_date.isoformat(),
            "class_name": "XII IPS 9", "consent": "y"}
    assert client.post(url, data=data).status_code == 303
    db.session.refresh(student)
    assert (student.name, student.class_name) == ("Nama Baru", "XII IPS 9")
    assert client.post(f"{url}/hapus").status_code == 303
    assert db.session.get(Student, student.id) is None
    assert client.get(url).status_code == 404


@pytest.fixture
def csrf_on(app):
    app.config["WTF_CSRF_ENABLED"] = True
    yield
    app.config["WTF_CSRF_ENABLED"] = False


def test_forms_need_the_csrf_token(client, token, student_data, csrf_on):
    url = f"/daftar/{token}/siswa/baru"
    assert client.post(url, data=form_data(student_data)).status_code == 400
    page = client.get(url).get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post(url, data=form_data(student_data) | {"csrf_token": csrf})
    assert response.status_code == 303


def test_locked_list_hides_the_forms(client, token, upcoming, student_data):
    upcoming.status = "open"
    db.session.commit()
    page = client.get(f"/daftar/{token}").get_data(as_text=True)
    assert "Daftar sudah dikunci" in page and "Tambah Siswa" not in page
    response = client.post(f"/daftar/{token}/siswa/baru", data=form_data(student_data))
    assert response.status_code == 303
    assert "Daftar sudah dikunci" in client.get(response.location).get_data(as_text=True)
    assert client.get(f"/daftar/{token}/impor").status_code == 303


def test_page_for_a_wrong_link_is_a_plain_404(client, upcoming):
    response = client.get("/daftar/bukan-tautan-yang-benar")
    assert response.status_code == 404
    assert upcoming.school.name not in response.get_data(as_text=True)
