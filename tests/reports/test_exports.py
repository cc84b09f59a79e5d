"""CSV/XLSX exports of a visit and the city recap; the school's still-to-record list; audit."""
import csv
import io
from datetime import datetime, timedelta

import reports_factories as rf
from flask_babel import refresh
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.reports.exports import safe
from webapp.sync.models import StudentState
from webapp.visits.models import Visit
from webapp.visits.reasons import failure_reasons


def closed_visit():
    return db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()


def audits(action="export_download"):
    return db.session.execute(select(AuditEntry).where(AuditEntry.action == action)).scalars().all()


def read_csv(answer):
    """An export as Excel in Indonesia reads it: UTF-8 with a BOM, `;` between fields."""
    raw = answer.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


def test_visit_csv_one_row_per_student_in_indonesian(demo, client):
    visit = closed_visit()
    headers = {**rf.bearer(client, "koordinator"), "Accept-Language": "en"}
    answer = client.get(f"/api/v1/visits/{visit.id}/export.csv", headers=headers)
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    assert "attachment" in answer.headers["Content-Disposition"]
    rows = read_csv(answer)  # Indonesian even for an English reader: the office's document
    assert len(rows) == len(visit.students)
    assert list(rows[0])[:3] == ["ID siswa", "Nama", "NIK"] and "Waktu hadir" in rows[0]
    st = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    niks = {s.id: s.nik for s in visit.students}
    words = {"present": "Hadir", "absent": "Tidak Hadir", "recorded": "Sudah Rekam",
             "failed": "Gagal", None: "Belum Rekam"}
    for row in rows:
        state = st[row["ID siswa"]]
        assert row["Kehadiran"] == words[state.attendance]
        assert row["Hasil"] == words[state.outcome] and (row["Kode alasan gagal"] or None) == state.reason
        assert row["NIK"] != niks[row["ID siswa"]] and "*" in row["NIK"]
        if state.checked_in_at:  # Asia/Jakarta: UTC+7, written as Excel reads it
            utc = datetime.fromisoformat(state.checked_in_at.replace("Z", "+00:00"))
            assert row["Waktu hadir"] == (utc + timedelta(hours=7)).strftime("%Y-%m-%d %H:%M")
    expected = rf.expected_counts(visit)
    assert sum(r["Hasil"] == "Sudah Rekam" for r in rows) == expected["recorded"]
    assert sum(r["Kehadiran"] == "Tidak Hadir" for r in rows) == expected["absent"]
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
    rows = read_csv(answer)
    assert len(rows) == 4  # every demo visit
    closed = closed_visit()
    line = next(r for r in rows if r["ID kunjungan"] == str(closed.id))
    expected = rf.expected_counts(closed)
    assert int(line["Sudah Rekam"]) == expected["recorded"]
    assert int(line["Tidak Hadir"]) == expected["absent"]
    labels = {r["code"]: r["label"] for r in failure_reasons("id")}
    for code, n in expected["reasons"].items():
        assert int(line[f"Gagal: {labels[code]}"]) == n
    later = client.get("/api/v1/reports/recap.csv?from=2026-11-20", headers=headers)
    assert len(read_csv(later)) == 3
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
    pdf = rf.get_report(client, f"/koordinator/laporan/{visit.id}/belum-rekam.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    text = rf.pdf_text(pdf.data, tmp_path)
    assert all(s.name.split()[0] in text for s in todo)
    only_done = {s.name for s in done} - {s.name for s in todo}
    assert not any(name in text for name in only_done)
    assert "Halaman 1 dari" in text
    assert len(audits()) == 2
