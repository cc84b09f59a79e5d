"""CSV/XLSX exports of a visit and the city recap; the school's still-to-record list; audit."""
import csv
import io

import reports_factories as rf
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.reports.exports import safe
from webapp.sync.models import StudentState
from webapp.visits.models import Visit


def closed_visit():
    return db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()


def audits(action="export_download"):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def test_visit_csv_one_row_per_student_with_state(demo, client):
    visit = closed_visit()
    answer = client.get(f"/api/v1/visits/{visit.id}/export.csv", headers=rf.bearer(client, "koordinator"))
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == len(visit.students)
    assert list(rows[0])[:3] == ["id", "name", "nik_masked"]
    st = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    niks = {s.id: s.nik for s in visit.students}
    for row in rows:
        state = st[row["id"]]
        assert row["attendance"] == state.attendance and (row["outcome"] or None) == state.outcome
        assert (row["reason"] or None) == state.reason
        assert row["nik_masked"] != niks[row["id"]] and "*" in row["nik_masked"]
    expected = rf.expected_counts(visit)
    assert sum(r["outcome"] == "recorded" for r in rows) == expected["recorded"]
    assert sum(r["attendance"] == "absent" for r in rows) == expected["absent"]
    [entry] = audits()
    assert entry.actor == "koordinator" and entry.object_id == str(visit.id) and "csv" in entry.detail


def test_visit_xlsx_for_people(demo, client, login):
    visit = closed_visit()
    login("koordinator")
    answer = client.get(f"/koordinator/laporan/{visit.id}/ekspor.xlsx")
    assert answer.status_code == 200
    wb = load_workbook(io.BytesIO(answer.data))
    ws = wb["Siswa"]
    header = [c.value for c in ws[3]]
    assert header[:3] == ["ID siswa", "Nama", "NIK"] and "Alasan Gagal" in header
    values = [[c.value for c in row] for row in ws.iter_rows(min_row=4)]
    assert len(values) == len(visit.students)
    col = header.index("Hasil")
    expected = rf.expected_counts(visit)
    assert sum(v[col] == "Sudah Rekam" for v in values) == expected["recorded"]
    assert sum(v[col] == "Gagal" for v in values) == expected["failed"]
    summary = {r[0].value: r[1].value for r in wb["Ringkasan"].iter_rows(min_row=3)}
    assert summary["Terdaftar"] == expected["registered"] and summary["Sudah Rekam"] == expected["recorded"]
    assert len(audits()) == 1
    client.post("/lang/en", data={"next": "/"})  # headers and words follow the UI language
    refresh()  # the test's long-lived app context caches the locale between requests
    wb = load_workbook(io.BytesIO(client.get(f"/koordinator/laporan/{visit.id}/ekspor.xlsx").data))
    assert [c.value for c in wb.worksheets[0][3]][:2] == ["Student ID", "Name"]


def test_spreadsheet_formulas_are_defused(demo, client):
    visit = closed_visit()
    student = visit.students[0]
    student.name = "=HYPERLINK(\"http://x\",\"klik\")"
    db.session.commit()
    headers = rf.bearer(client, "koordinator")
    text = client.get(f"/api/v1/visits/{visit.id}/export.csv", headers=headers).get_data(as_text=True)
    assert "'=HYPERLINK" in text
    wb = load_workbook(io.BytesIO(client.get(f"/api/v1/visits/{visit.id}/export.xlsx", headers=headers).data))
    names = [c.value for c in wb["Siswa"]["B"]]
    assert "'=HYPERLINK(\"http://x\",\"klik\")" in names
    assert safe("-") == "-" and safe("+62") == "'+62" and safe(5) == 5


def test_city_recap_csv_and_xlsx(demo, client):
    headers = rf.bearer(client, "koordinator")
    answer = client.get("/api/v1/reports/recap.csv", headers=headers)
    assert answer.status_code == 200
    rows = list(csv.DictReader(io.StringIO(answer.get_data(as_text=True))))
    assert len(rows) == 4  # every demo visit
    closed = closed_visit()
    line = next(r for r in rows if r["visit_id"] == str(closed.id))
    expected = rf.expected_counts(closed)
    assert int(line["recorded"]) == expected["recorded"] and int(line["absent"]) == expected["absent"]
    for code, n in expected["reasons"].items():
        assert int(line[f"failed_{code}"]) == n
    later = client.get("/api/v1/reports/recap.csv?from=2026-11-20", headers=headers)
    assert len(list(csv.DictReader(io.StringIO(later.get_data(as_text=True))))) == 3
    wb = load_workbook(io.BytesIO(client.get("/api/v1/reports/recap.xlsx", headers=headers).data))
    assert wb.sheetnames == ["Kunjungan", "Sekolah", "Kelurahan", "Kecamatan", "Kota"]
    city = {r[0].value: r[1].value for r in wb["Kota"].iter_rows(min_row=3)}
    assert city["Sudah Rekam"] == expected["recorded"]  # only one visit has outcomes
    assert city["Sasaran kota (wajib KTP)"] == 335837
    bad = client.get("/api/v1/reports/recap.csv?from=2026-12-01&to=2026-11-01", headers=headers)
    assert bad.status_code == 422 and "to" in bad.get_json()["errors"]
    assert len(audits()) == 3


def test_school_list_of_who_still_has_to_be_recorded(demo, client, login, tmp_path):
    visit = closed_visit()
    st = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    todo = [s for s in visit.students if st[s.id].outcome != "recorded"]
    done = [s for s in visit.students if st[s.id].outcome == "recorded"]
    login("koordinator")
    page = client.get(f"/koordinator/laporan/{visit.id}/belum-rekam").get_data(as_text=True)
    assert all(s.name in page for s in todo)
    assert not any(s.nik in page for s in visit.students)
    pdf = client.get(f"/koordinator/laporan/{visit.id}/belum-rekam.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = rf.pdf_text(pdf.data, tmp_path)
    assert all(s.name.split()[0] in text for s in todo)
    only_done = {s.name for s in done} - {s.name for s in todo}
    assert not any(name in text for name in only_done)
    assert "Halaman 1 dari" in text
    assert len(audits()) == 2
