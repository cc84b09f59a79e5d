"""Schools: API (POST, PATCH; 422 with field errors), pages, `flask import-schools`."""
from datetime import timedelta

import reports_factories as rf
from openpyxl import Workbook
from sqlalchemy import func, select

from webapp.auth.models import Team
from webapp.clock import local_today
from webapp.extensions import db
from webapp.schools.models import School

GOOD = {"npsn": "20600123", "name": "SMK Negeri Uji", "level": "SMK",
        "address": "Jl. Uji 1", "kelurahan_code": "36.72.04.1002"}


def count():
    return db.session.execute(select(func.count(School.id))).scalar_one()


def test_add_and_change_a_school_by_api(demo, client):
    coord = rf.bearer(client, "koordinator")
    made = client.post("/api/v1/schools", json=GOOD, headers=coord)
    assert made.status_code == 201 and made.get_json()["npsn"] == "20600123"
    sid = made.get_json()["id"]
    assert made.get_json()["active"] is True
    changed = client.patch(f"/api/v1/schools/{sid}", json={"name": "SMK Negeri 9 Uji"}, headers=coord)
    assert changed.status_code == 200 and changed.get_json()["name"] == "SMK Negeri 9 Uji"
    assert changed.get_json()["level"] == "SMK"  # fields not sent stay
    listed = client.get("/api/v1/schools", headers=coord).get_json()
    assert any(s["id"] == sid and s["name"] == "SMK Negeri 9 Uji" for s in listed)
    missing = client.patch("/api/v1/schools/9999", json={"name": "x"}, headers=coord)
    assert missing.status_code == 404 and missing.get_json()["code"] == "school_not_found"
    assert client.post("/api/v1/schools", json=GOOD, headers=rf.bearer(client, "petugas1")).status_code == 403


def test_bad_school_answers_422_naming_each_field(demo, client):
    coord = rf.bearer(client, "koordinator")
    before = count()
    taken = db.session.execute(select(School.npsn)).scalars().first()
    cases = [({"npsn": "1234567"}, "npsn"), ({"npsn": "abcdefgh"}, "npsn"), ({"npsn": taken}, "npsn"),
             ({"level": "SD"}, "level"), ({"kelurahan_code": "36.72.09.9999"}, "kelurahan_code"),
             ({"name": "  "}, "name"), ({"name": "x" * 121}, "name")]
    for change, field in cases:
        answer = client.post("/api/v1/schools", json={**GOOD, **change}, headers=coord)
        body = answer.get_json()
        assert answer.status_code == 422 and body["code"] == "validation_error", change
        assert list(body["errors"]) == [field], change
    english = client.post("/api/v1/schools", json={**GOOD, "npsn": "1"},
                          headers={**coord, "Accept-Language": "en"})
    assert english.get_json()["errors"]["npsn"] == ["The NPSN must be 8 digits."]
    assert count() == before  # nothing half-stored


def test_a_school_with_visits_is_deactivated_not_deleted(demo, client):
    coord = rf.bearer(client, "koordinator")
    school = db.session.execute(select(School).order_by(School.id)).scalars().first()
    assert client.delete(f"/api/v1/schools/{school.id}", headers=coord).status_code == 405
    off = client.patch(f"/api/v1/schools/{school.id}", json={"active": False}, headers=coord)
    assert off.status_code == 200 and off.get_json()["active"] is False
    team = db.session.execute(select(Team)).scalars().first()
    day = (local_today() + timedelta(days=30)).isoformat()
    plan = client.post("/api/v1/visits", json={"school_id": school.id, "team_id": team.id,
                                               "date": day}, headers=coord)
    assert plan.status_code == 422 and list(plan.get_json()["errors"]) == ["school_id"]
    assert db.session.get(School, school.id) is not None


def test_school_pages(demo, client, login):
    login("koordinator")
    page = client.get("/koordinator/sekolah/")
    assert page.status_code == 200 and "SMA Negeri Demo 1" in page.get_data(as_text=True)
    bad = client.post("/koordinator/sekolah/baru", data={**GOOD, "npsn": "12"})
    assert bad.status_code == 422 and "NPSN harus 8 angka." in bad.get_data(as_text=True)
    assert 'aria-describedby="None"' not in bad.get_data(as_text=True)
    good = client.post("/koordinator/sekolah/baru", data=GOOD)
    assert good.status_code == 303
    school = db.session.execute(select(School).where(School.npsn == GOOD["npsn"])).scalar_one()
    form = client.get(f"/koordinator/sekolah/{school.id}/ubah").get_data(as_text=True)
    assert 'value="20600123"' in form
    edit = client.post(f"/koordinator/sekolah/{school.id}/ubah", data={**GOOD, "name": "SMK Baru"})
    assert edit.status_code == 303
    db.session.expire_all()
    assert db.session.get(School, school.id).name == "SMK Baru"
    assert db.session.get(School, school.id).active is False  # the box was not ticked
    client.post("/logout")
    login("petugas1")
    assert client.get("/koordinator/sekolah/").status_code == 403


def run_import(app, path):
    return app.test_cli_runner().invoke(args=["import-schools", str(path)])


def test_import_schools_csv_and_xlsx(ctx, tmp_path):
    csv_file = tmp_path / "sekolah.csv"
    csv_file.write_text("NPSN;Nama;Jenjang;Alamat;Kode Kelurahan\n"
                        "20600001;SMA Satu;SMA;Jl. A;36.72.01.1001\n"
                        "20600002;MA Dua;ma;;3672021002\n", encoding="utf-8-sig")
    result = run_import(ctx, csv_file)
    assert result.exit_code == 0, result.output
    assert "2 ditambahkan" in result.output and count() == 2
    assert db.session.execute(select(School.level).where(School.npsn == "20600002")).scalar_one() == "MA"
    wb = Workbook()
    ws = wb.active
    ws.append(["npsn", "nama sekolah", "bentuk pendidikan", "alamat", "kode_kelurahan"])
    ws.append([20600001, "SMA Satu Cilegon", "SMA", "Jl. A", "36.72.01.1001"])
    ws.append(["20600003", "SLB Tiga", "SLB", None, "36.72.08.1007"])
    wb.save(tmp_path / "sekolah.xlsx")
    result = run_import(ctx, tmp_path / "sekolah.xlsx")
    assert result.exit_code == 0, result.output
    assert "1 ditambahkan, 1 diperbarui" in result.output and count() == 3
    assert db.session.execute(select(School.name).where(School.npsn == "20600001")).scalar_one() == "SMA Satu Cilegon"


def test_import_with_bad_rows_saves_nothing(ctx, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("NPSN,Nama,Jenjang,Alamat,Kode Kelurahan\n"
                    "20600001,SMA Satu,SMA,,36.72.01.1001\n"
                    "123,SMA Dua,SMA,,36.72.01.1001\n"
                    "20600001,SMA Lagi,SD,,99.99.99.9999\n")
    result = run_import(ctx, path)
    assert result.exit_code == 1
    assert "baris 3, npsn" in result.output and "baris 4, npsn" in result.output
    assert "baris 4, level" in result.output and "baris 4, kelurahan_code" in result.output
    assert count() == 0
    missing = tmp_path / "cols.csv"
    missing.write_text("NPSN,Nama\n20600001,SMA\n")
    result = run_import(ctx, missing)
    assert result.exit_code == 1 and "level" in result.output and count() == 0
