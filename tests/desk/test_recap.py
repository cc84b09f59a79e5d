"""The province recap (page, XLSX, PDF): per school and per kecamatan, against the derived state of
several visits folded straight from their events (docs/desk.md)."""
import io
import random
import re
from collections import Counter, defaultdict
from datetime import date
from urllib.parse import urlencode

import reports_factories as rf
from openpyxl import load_workbook
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import eligibility
from webapp.regions.models import Kelurahan
from webapp.schools.models import School
from webapp.visits.models import Student
from webapp.visits.reasons import reason_label

DAYS = (date(2027, 3, 1), date(2027, 3, 2), date(2027, 3, 3))
KEYS = ("target", "recorded", "failed", "under_age", "already_recorded", "absent", "printed",
        "blanks_used", "blanks_left", "ikd_active")


def desk_events(visit, device, result, seed):
    """Print results for recorded students of the card age, 'already has one' for some others."""
    rng = random.Random(seed)
    clock = rf.Phone(device, rf.datetime.combine(visit.date, rf.time(6, 0), tzinfo=rf.UTC))
    clock.seq = device.max_seq  # after the day's events of this device
    events = []
    for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)
                                .order_by(Student.id)).scalars():
        st = result.students[s.id]
        printable = eligibility(s.birth_date, visit.date).status == "record_and_print"
        if st.outcome == "recorded" and printable:
            if rng.random() < 0.7:
                events.append(clock.event("print", student_id=s.id, result="printed"))
            else:
                events.append(clock.event("print", student_id=s.id, result="not_printed", reason="no_blank"))
        elif st.outcome is None and rng.random() < 0.4:
            events.append(clock.event("outcome", student_id=s.id, result="already_recorded"))
    return events


def make_world():
    """Three visits in March 2027 at two schools of different kecamatan, and one outside the range."""
    schools = db.session.execute(select(School).order_by(School.id)).scalars().all()
    kec = {s.id: db.session.get(Kelurahan, s.kelurahan_code).kecamatan_code for s in schools}
    first = schools[0]
    second = next(s for s in schools if kec[s.id] != kec[first.id])
    plan = [(first, DAYS[0], "closed", 30, (40, 22)), (second, DAYS[1], "closed", 25, (30, 30)),
            (first, DAYS[2], "open", 20, (None, None))]
    visits = []
    for n, (school, day, status, size, (brought, left)) in enumerate(plan):
        visit = rf.make_visit(size, status=status, day=day, school=school, seed=10 + n)
        visit.blanks_brought, visit.blanks_left = brought, left
        device = rf.make_device(rf.user("petugas1"))[0]
        rf.store_events(visit, rf.day_events(visit, [device], seed=20 + n))
        result = rf.fold_states(visit)
        rf.store_events(visit, desk_events(visit, device, result, seed=30 + n))
        visits.append((visit, rf.fold_states(visit)))
    outside = rf.make_visit(15, status="closed", day=date(2027, 4, 1), school=first, seed=99)
    rf.run_day(outside)
    return visits, kec


def expected(visits, kec):
    """Per school and per kecamatan, counted from the fold results (not through the reports code)."""
    out = {"school": defaultdict(Counter), "kecamatan": defaultdict(Counter)}
    reasons = defaultdict(Counter)
    for visit, result in visits:
        keys = {"school": str(visit.school_id), "kecamatan": kec[visit.school_id]}
        for group, key in keys.items():
            c = out[group][key]
            c["target"] += visit.target
            if visit.blanks_brought is not None:
                c["blanks_used"] += visit.blanks_brought - visit.blanks_left
                c["blanks_left"] += visit.blanks_left
            for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars():
                st = result.students[s.id]
                c["under_age"] += eligibility(s.birth_date, visit.date).status == "under_age"
                c["absent"] += st.attendance == "absent"
                c["printed"] += st.print == "printed"
                c["ikd_active"] += st.ikd == "active"
                if st.outcome in ("recorded", "failed", "already_recorded"):
                    c[st.outcome] += 1
                if st.outcome == "failed" and group == "school":
                    reasons[key][st.reason] += 1
    return out, reasons


def test_recap_figures_match_the_derived_state(demo, client, login):
    visits, kec = make_world()
    want, want_reasons = expected(visits, kec)
    assert len(want["school"]) == len(want["kecamatan"]) == 2 and want_reasons
    assert sum(c["printed"] for c in want["school"].values()) > 0
    assert sum(c["already_recorded"] for c in want["school"].values()) > 0
    assert sum(c["absent"] for c in want["school"].values()) > 0
    headers = rf.bearer(client, "koordinator")
    query = {"from": "2027-03-01", "to": "2027-03-31"}
    answer = client.get("/api/v1/reports/recap.xlsx", headers=headers, query_string=query)
    assert answer.status_code == 200
    book = load_workbook(io.BytesIO(answer.data), read_only=True)
    for sheet, group in (("Sekolah", "school"), ("Kecamatan", "kecamatan")):
        rows = list(book[sheet].iter_rows(values_only=True))
        at = next(i for i, r in enumerate(rows) if r and r[0] in ("ID", "Kode"))
        header = list(rows[at])
        col = {k: header.index(h) for k, h in (
            ("target", "Sasaran"), ("recorded", "Sudah Rekam"), ("failed", "Gagal"),
            ("under_age", "Belum Cukup Umur"), ("already_recorded", "Sudah Punya KTP-el"),
            ("absent", "Tidak Hadir"), ("printed", "Dicetak"), ("blanks_used", "Blangko terpakai"),
            ("blanks_left", "Blangko tersisa"), ("ikd_active", "IKD Aktif"))}
        got = {str(r[0]): {k: r[i] for k, i in col.items()} for r in rows[at + 1:]
               if r and r[0] is not None and (r[col["target"]] or r[header.index("Terdaftar")])}
        assert len(got) == 2
        assert got == {key: {k: c[k] for k in KEYS} for key, c in want[group].items()}, sheet
        if group == "school":
            for key, counts in want_reasons.items():
                row = next(r for r in rows[at + 1:] if str(r[0]) == key)
                for code, n in counts.items():
                    assert row[header.index(f"Gagal: {reason_label(code)}")] == n, (key, code)
    pdf = rf.get_report(client, "/api/v1/reports/recap.pdf?" + urlencode(query), headers)  # a job
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF") and pdf.mimetype == "application/pdf"
    login("koordinator")
    page = client.get("/koordinator/capaian/rekap", query_string={"dari": "2027-03-01", "sampai": "2027-03-31"})
    html = page.get_data(as_text=True)
    for key, counts in want_reasons.items():
        for code, n in counts.items():
            row = html.split(f'<tr data-key="{key}" data-reason="{code}">', 1)[1].split("</tr>", 1)[0]
            assert row.endswith(f'<td class="n">{n}</td>'), (key, code)
    for key, c in want["kecamatan"].items():
        assert f'<tr data-key="{key}">' in html
        row = html.split(f'<tr data-key="{key}">', 1)[1].split("</tr>", 1)[0]
        for k in KEYS:
            assert f'data-k="{k}">{c[k]}<' in row, (key, k)


def test_visit_report_shows_the_desk_categories_per_class(demo, client, tmp_path):
    visits, _kec = make_world()
    visit, result = visits[0]
    want = defaultdict(Counter)
    for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars():
        st = result.students[s.id]
        want[s.class_name]["already"] += st.outcome == "already_recorded"
        want[s.class_name]["printed"] += st.print == "printed"
    pdf = rf.get_report(client, f"/api/v1/visits/{visit.id}/report.pdf", rf.bearer(client, "koordinator"))
    text = rf.pdf_text(pdf.data, tmp_path)
    got = {m[0]: {"already": int(m[1]), "printed": int(m[2])} for m in re.findall(
        r"^ {0,3}Kelas (.+?)\s*\n.*?Sudah Punya KTP-el (\d+) · Dicetak (\d+)", text, re.M)}
    assert got == {k: dict(v) for k, v in want.items()}
    total = sum(v["already"] for v in want.values())
    assert re.search(rf"Sudah Punya KTP-el\s+{total}\b", text)
    assert re.search(r"Blangko dibawa / terpakai / tersisa\s+40 / 18 / 22", text)
