"""Coverage numbers (service and API), the dashboard page, charts and small pure helpers."""
from datetime import date
from types import SimpleNamespace

import reports_factories as rf
from flask_babel import force_locale
from sqlalchemy import select

import fieldsync
from webapp.extensions import db
from webapp.reports import charts
from webapp.reports.services import ReportError, coverage
from webapp.reports.state import make_row
from webapp.visits.models import Visit


def closed_visit():
    return db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()


def test_coverage_adds_up_per_visit_school_area_and_city(demo):
    opened = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    rf.run_day(opened)
    cov = coverage()
    visits = db.session.execute(select(Visit)).scalars().all()
    expected = {v.id: rf.expected_counts(v) for v in visits}
    for group in cov.visits:
        want = expected[int(group.key)]
        got = group.counts
        assert (got.registered, got.eligible, got.present, got.recorded, got.failed, got.absent,
                got.ikd_active) == (want["registered"], want["eligible"], want["present"],
                                    want["recorded"], want["failed"], want["absent"], want["ikd_active"])
        assert dict(got.reasons) == want["reasons"]
    total = sum(e["recorded"] for e in expected.values())
    assert cov.city.recorded == total == sum(g.counts.recorded for g in cov.kecamatan)
    assert sum(g.counts.registered for g in cov.kelurahan) == cov.city.registered
    assert sum(g.counts.registered for g in cov.schools) == cov.city.registered
    assert len(cov.kecamatan) == 8  # every kecamatan, visited or not
    assert cov.city_target == 335837 and cov.city_base == 331246
    assert cov.city_achievement == round(100 * (331246 + total) / 335837, 2)
    assert len(cov.unvisited_kelurahan) == 43 - len(cov.kelurahan)
    by_home = coverage(basis="residence")
    assert sum(g.counts.registered for g in by_home.kecamatan) == cov.city.registered
    assert len(by_home.kelurahan) > len(cov.kelurahan)  # students live all over the city


def test_date_range_filters_visits(demo):
    closed = closed_visit()
    only = coverage(closed.date, closed.date)
    assert [g.key for g in only.visits] == [str(closed.id)]
    assert only.city.recorded == rf.expected_counts(closed)["recorded"]
    try:
        coverage(date(2026, 12, 1), date(2026, 11, 1))
    except ReportError as exc:
        assert exc.code == "bad_range" and exc.field == "sampai"
    else:
        raise AssertionError("a reversed range must be refused")


def test_coverage_api(demo, client):
    headers = {**rf.bearer(client, "koordinator"), "Accept-Language": "en"}
    body = client.get("/api/v1/reports/coverage", headers=headers).get_json()
    closed = closed_visit()
    line = next(v for v in body["visits"] if v["key"] == str(closed.id))
    assert line["recorded"] == rf.expected_counts(closed)["recorded"]
    assert body["city"]["city_target"] == 335837 and len(body["kecamatan"]) == 8
    bad = client.get("/api/v1/reports/coverage?from=2026-12-01&to=2026-11-01", headers=headers)
    assert bad.status_code == 422
    assert bad.get_json()["errors"] == {"to": ["The end date may not be before the start date."]}
    wrong = client.get("/api/v1/reports/coverage?basis=moon", headers=headers)
    assert wrong.status_code == 422 and "basis" in wrong.get_json()["errors"]
    assert client.get("/api/v1/reports/coverage", headers=rf.bearer(client, "petugas1")).status_code == 403


def test_dashboard_page(demo, client, login):
    login("petugas1")
    assert client.get("/koordinator/capaian").status_code == 403
    client.post("/logout")
    login("koordinator")
    page = client.get("/koordinator/capaian").get_data(as_text=True)
    assert "Capaian Kota" in page and page.count("<svg") >= 3 and "Cibeber" in page
    assert "335.837" in page  # the configured target, in Indonesian number format
    closed = closed_visit()
    assert f"/koordinator/laporan/{closed.id}" in page
    home = client.get("/koordinator").get_data(as_text=True)
    assert "/koordinator/capaian" in home
    bad = client.get("/koordinator/capaian?dari=2026-12-01&sampai=2026-11-01").get_data(as_text=True)
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in bad and "Capaian Kota" not in bad
    junk = client.get("/koordinator/capaian?dari=besok").get_data(as_text=True)
    assert "Dari tanggal: Tanggal tidak valid (format YYYY-MM-DD)." in junk
    csv_link = client.get("/koordinator/capaian/rekap.csv?dari=2026-11-01")
    assert csv_link.status_code == 200 and csv_link.mimetype == "text/csv"


def test_charts_escape_labels_and_format_numbers(ctx):
    with ctx.test_request_context(), force_locale("id"):
        svg = charts.bars([("failed", "<script>alert(1)</script>", 1234)], "T & U")
        assert "<script>" not in svg and "&lt;script&gt;" in svg and "1.234" in svg
        assert 'aria-label="T &amp; U"' in svg
        assert charts.percent(1, 3) == "33,3%" and charts.percent(1, 0) == "-"
        stacked = charts.stacked_bar([("recorded", "Rekam", 3), ("failed", "Gagal", 1)], "x")
        assert "75,0%" in stacked and "url(#hatch" in stacked
        empty = charts.stacked_rows([("Cibeber", {}, "0/0")], ["recorded"], {"recorded": "R"}, "t", "kosong")
        assert "kosong" in empty


def test_a_student_without_a_stored_state_has_the_folds_unseen_attendance():
    student = SimpleNamespace(id="s1", visit_id=1, name="A", nik="3671015501080001", gender="P",
                              birth_date=date(2008, 1, 15), married=False, class_name="XII",
                              kelurahan_code=None, nisn=None)
    for status, closed in (("open", False), ("closed", True)):
        row = make_row(student, None, date(2026, 11, 27), status)
        folded = fieldsync.fold([], ["s1"], closed=closed).students["s1"]
        assert row.attendance == folded.attendance == ("absent" if closed else "not_arrived")


def test_an_empty_range_is_the_current_season(demo, client, login):
    from datetime import timedelta

    from webapp.clock import local_today
    from webapp.reports.services import season

    first, last = season(local_today())
    assert first.month == 7 and first.day == 1 and (last - first).days in (364, 365)
    assert season(date(2027, 6, 30)) == (date(2026, 7, 1), date(2027, 6, 30))
    old = rf.make_visit(4, status="closed", day=first - timedelta(days=30))  # last season
    login("koordinator")
    page = client.get("/koordinator/capaian").get_data(as_text=True)
    assert f'value="{first.isoformat()}"' in page and f'value="{last.isoformat()}"' in page
    assert f"/koordinator/laporan/{old.id}\"" not in page
    wide = client.get(f"/koordinator/capaian?dari={old.date.isoformat()}").get_data(as_text=True)
    assert f"/koordinator/laporan/{old.id}\"" in wide
