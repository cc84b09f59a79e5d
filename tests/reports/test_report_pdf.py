"""The visit report PDF: its numbers against the derived state, its QR, versions and cache."""
import re
from collections import Counter
from urllib.parse import urlparse

import reports_factories as rf
from sqlalchemy import func, select

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.identity import eligibility
from webapp.reports.models import ReportCache
from webapp.sync.models import StudentState
from webapp.visits.models import Student, Visit
from webapp.visits.reasons import reason_label

SUMMARY = [("Terdaftar", "registered"), ("Memenuhi Syarat", "eligible"),
           ("Belum Cukup Umur", "under_age"), ("Hadir (check-in)", "present"),
           ("Sudah Rekam", "recorded"), ("Gagal", "failed"), ("Tidak Hadir", "absent"),
           ("IKD Aktif", "ikd_active"), ("IKD dipindai, menunggu email", "ikd_scanned"),
           ("IKD gagal", "ikd_failed")]


def visit_by_status(status):
    return db.session.execute(select(Visit).where(Visit.status == status).order_by(Visit.id)).scalars().first()


def line_number(text, label):
    """The number after `label` on a line that starts with it (the summary's left column)."""
    found = re.findall(rf"^ {{0,3}}{re.escape(label)}\s+([\d.]+)(?:\s|$)", text, re.M)
    assert found, f"{label!r} not in the report: {text[text.find(label)-20:text.find(label)+60]!r}"
    return int(found[0].replace(".", ""))


def class_numbers(visit):
    """{class: (students, recorded, failed, absent)} straight from the rows."""
    states = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    out = {}
    for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars():
        st = states.get(s.id)
        c = out.setdefault(s.class_name, Counter())
        c["n"] += 1
        c[st.outcome if st and st.outcome else "none"] += 1
        absent = (st is None or st.attendance in ("absent", "not_arrived")) and visit.status == "closed"
        c["absent"] += bool(absent)
    return {k: (v["n"], v["recorded"], v["failed"], v["absent"]) for k, v in out.items()}


def check_report_against_state(text, visit):
    expected = rf.expected_counts(visit)
    for label, key in SUMMARY:
        assert line_number(text, label) == expected[key], label
    if visit.status != "closed":
        assert line_number(text, "Belum Hadir") == expected["not_arrived"]
    for code, n in expected["reasons"].items():
        assert line_number(text, reason_label(code, "id")) == n, code
    assert line_number(text, "Jumlah gagal") == expected["failed"] if expected["failed"] else True
    assert re.search(rf"^ {{0,3}}Versi laporan\s+{visit.state_version}\b", text, re.M)
    printed = {m[0]: tuple(int(x) for x in m[1:]) for m in re.findall(
        r"^ {0,3}Kelas (.+?)\s*\n {0,3}(\d+) siswa · Sudah Rekam (\d+) · Gagal (\d+) · Tidak Hadir (\d+)",
        text, re.M)}
    assert printed == class_numbers(visit)
    absent_title = "Tidak Hadir" if visit.status == "closed" else "Belum Hadir"
    absent = expected["absent"] if visit.status == "closed" else expected["not_arrived"]
    assert re.search(rf"^ {{0,3}}{absent_title} \({absent}\)$", text, re.M)
    assert re.search(rf"^ {{0,3}}Gagal \({expected['failed']}\)$", text, re.M)
    # Personal data: masked NIKs only. (The printed SHA-256 checksum is hex: about 1 in 40 has a
    # run of 16 digits, which is no NIK; it is taken out before looking.)
    assert not re.search(r"(?<!\d)\d{16}(?!\d)", re.sub(r"[0-9a-f]{20,}", "", text))
    assert re.search(r"\d{4}\*{10}\d{2}", text)
    assert "Halaman 1 dari" in text and "PIC Sekolah" in text and "Ketua Tim" in text


def report(client, headers, visit_id, **extra):
    return rf.get_report(client, f"/api/v1/visits/{visit_id}/report.pdf", {**headers, **extra})


def test_pdf_numbers_match_derived_state_of_demo_visits(demo, client, tmp_path):
    headers = rf.bearer(client, "koordinator")
    closed = visit_by_status("closed")  # seeded through the real sync service
    opened = visit_by_status("open")
    rf.run_day(opened)  # the open visit gets a morning of events
    for visit in (closed, opened):
        answer = report(client, headers, visit.id)
        assert answer.status_code == 200 and answer.mimetype == "application/pdf"
        db.session.refresh(visit)
        text = rf.pdf_text(answer.data, tmp_path)
        check_report_against_state(text, visit)
    # Under-age students carry the date they become eligible.
    recorded = set(db.session.execute(select(StudentState.student_id).where(
        StudentState.outcome == "recorded")).scalars())
    under = [s for s in opened.students if s.id not in recorded
             and eligibility(s.birth_date, opened.date).status == "under_age"]
    assert under and re.search(rf"^ {{0,3}}Belum Cukup Umur \({len(under)}\)$", text, re.M)
    for s in under:
        when = eligibility(s.birth_date, opened.date).eligible_on.strftime("%d-%m-%Y")
        assert re.search(rf"{re.escape(s.name)}.*{when}", text), s.name
    assert "HP Rina Marlina" in text and "petugas1" in text


def test_qr_decodes_to_verification_url_that_confirms(demo, client, tmp_path):
    headers = rf.bearer(client, "koordinator")
    visit = visit_by_status("closed")
    answer = report(client, headers, visit.id)
    entry = db.session.execute(select(ReportCache)).scalar_one()
    [png] = rf.pdf_pages_png(answer.data, tmp_path, dpi=150)
    [url] = rf.zbar(png)
    path = urlparse(url).path
    assert path == f"/verifikasi/{visit.id}/{entry.state_version}/{entry.sha256[:12]}"
    page = client.get(path)  # public: no login, no token
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert f'id="report-version">{entry.state_version}<' in html
    assert entry.sha256 in html and "Laporan asli" in html
    assert str(entry.summary["recorded"]) in html
    assert client.get(path[:-1] + ("0" if path[-1] != "0" else "1")).status_code == 404
    assert client.get(f"/verifikasi/{visit.id}/{entry.state_version + 1}/{entry.sha256[:12]}").status_code == 404
    assert client.get(f"/verifikasi/{visit.id}/{entry.state_version}/zz").status_code == 404


def test_rendered_once_per_version_then_etag_and_304(demo, client):
    headers = rf.bearer(client, "koordinator")
    visit = visit_by_status("closed")
    first = report(client, headers, visit.id)
    second = report(client, headers, visit.id)
    assert first.data == second.data and first.headers["ETag"] == second.headers["ETag"]
    assert "no-cache" in first.headers["Cache-Control"]
    again = report(client, headers, visit.id, **{"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""
    assert db.session.execute(select(func.count(ReportCache.id))).scalar_one() == 1
    audits = db.session.execute(select(AuditEntry).where(AuditEntry.action == "report_download")).scalars().all()
    assert len(audits) == 3 and all(a.actor == "koordinator" and a.user_id for a in audits)


def test_late_events_after_close_give_a_new_version(demo, client, tmp_path):
    headers = rf.bearer(client, "koordinator")
    visit = visit_by_status("closed")
    old = report(client, headers, visit.id)
    old_entry = db.session.execute(select(ReportCache)).scalar_one()
    absent = db.session.execute(select(StudentState).where(
        StudentState.visit_id == visit.id, StudentState.attendance == "absent")).scalars().first()
    device, _ = rf.make_device(rf.user("petugas2"), "HP offline")
    phone = rf.Phone(device, rf.datetime.combine(visit.date, rf.time(5, 0), tzinfo=rf.UTC))
    rf.store_events(visit, [phone.event("checkin", student_id=absent.student_id),
                            phone.event("outcome", student_id=absent.student_id, result="recorded")])
    rf.fold_states(visit)  # what the sync service does: refold, bump the version
    new = report(client, headers, visit.id)
    assert new.headers["ETag"] != old.headers["ETag"]
    db.session.refresh(visit)
    assert visit.state_version == old_entry.state_version + 1
    check_report_against_state(rf.pdf_text(new.data, tmp_path), visit)
    # The old printout still verifies, and says that a newer state exists.
    old_page = client.get(f"/verifikasi/{visit.id}/{old_entry.state_version}/{old_entry.sha256[:12]}")
    assert old_page.status_code == 200 and "sudah berubah" in old_page.get_data(as_text=True)


def test_changed_content_without_version_bump_still_gets_new_version(demo, client):
    headers = rf.bearer(client, "koordinator")
    visit = visit_by_status("closed")
    report(client, headers, visit.id)
    version = visit.state_version
    student = visit.students[0]
    student.name = "Nama Dikoreksi"  # a roster edit that no sync bumped
    db.session.commit()
    answer = report(client, headers, visit.id)
    db.session.refresh(visit)
    assert answer.status_code == 200 and visit.state_version == version + 1
    versions = db.session.execute(select(ReportCache.state_version).order_by(ReportCache.state_version)).scalars().all()
    assert versions == [version, version + 1]


def test_api_needs_a_coordinator_token(demo, client):
    visit = visit_by_status("closed")
    assert client.get(f"/api/v1/visits/{visit.id}/report.pdf").status_code == 401
    officer = rf.bearer(client, "petugas1")
    answer = report(client, officer, visit.id)
    assert answer.status_code == 403 and answer.get_json()["code"] == "forbidden"
    missing = report(client, rf.bearer(client, "koordinator"), 9999)
    assert missing.status_code == 404 and missing.get_json()["code"] == "visit_not_found"


def test_web_download_for_signed_in_coordinator(demo, client, login):
    visit = visit_by_status("closed")
    assert client.get(f"/koordinator/laporan/{visit.id}/laporan.pdf").status_code == 302
    login("koordinator")
    queued = client.get(f"/koordinator/laporan/{visit.id}/laporan.pdf")
    assert queued.status_code == 302 and "/koordinator/pekerjaan/" in queued.headers["Location"]
    answer = rf.get_report(client, f"/koordinator/laporan/{visit.id}/laporan.pdf")
    assert answer.status_code == 200 and answer.data.startswith(b"%PDF")
    page = client.get(f"/koordinator/laporan/{visit.id}")
    assert page.status_code == 200 and "Versi" in page.get_data(as_text=True)
    assert client.get("/koordinator/laporan/9999").status_code == 404


def test_late_sync_through_the_api_after_closing_makes_a_new_report(demo, client, tmp_path):
    coordinator = rf.bearer(client, "koordinator")
    visit = visit_by_status("open")
    assert client.post(f"/api/v1/visits/{visit.id}/close", headers=coordinator).status_code == 200
    first = report(client, coordinator, visit.id)
    before = db.session.execute(select(ReportCache)).scalar_one()
    phone = client.post("/api/v1/devices", json={"username": "petugas1", "password": "demo12345",
                                                 "label": "HP luring"}).get_json()
    student = visit.students[0]
    events = [{"id": f"{phone['device_id']}:{n}", "seq": n, "hlc": f"17642052{n:05d}-0000",
               "at": "2026-11-27T01:00:00.000Z", "type": kind, "student_id": student.id, **extra}
              for n, (kind, extra) in enumerate([("checkin", {}),
                                                 ("outcome", {"result": "recorded"})], 1)]
    answer = client.post(f"/api/v1/visits/{visit.id}/sync",
                         headers={"Authorization": f"Bearer {phone['token']}"},
                         json={"device_id": phone["device_id"], "cursor": None, "events": events})
    assert answer.status_code == 200 and len(answer.get_json()["accepted"]) == 2
    later = report(client, coordinator, visit.id)
    db.session.expire_all()
    visit = db.session.get(Visit, visit.id)
    assert later.headers["ETag"] != first.headers["ETag"] and visit.state_version > before.state_version
    text = rf.pdf_text(later.data, tmp_path)
    check_report_against_state(text, visit)
    assert line_number(text, "Sudah Rekam") == 1
