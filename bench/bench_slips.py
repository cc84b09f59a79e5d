"""QR slips PDF of 180 students vs the visit report PDF of the same students (issue 15: <= 3x).

Both are rendered as their jobs render them, interleaved in the same run (median of 5 after a
warm-up round): the slips by `webapp.prereg.slips.render_slips` (roster, QR codes, template,
WeasyPrint), the report by `report_data` + `webapp.reports.pdf.render_report` (the visit report of
the same 180 students after a synced visit day). Then the cached fetch a download does once the
`slips` job stored the file (`webapp.jobs.services.slips_file`, one roster-version query and one
row). SQLite in a temp dir; `python -m bench slips`.
"""
import statistics
import time

from bench import demo_app, synced_closed_visit

STUDENTS = 180
RUNS = 5
TARGET = 3.0


def median_times(*fns, runs=RUNS):
    """Median wall time of each of `fns`, called in turn `runs` times after a warm-up round."""
    times = [[] for _ in fns]
    for i in range(runs + 1):
        for fn, spent in zip(fns, times, strict=True):
            start = time.perf_counter()
            fn()
            if i:
                spent.append(time.perf_counter() - start)
    return [statistics.median(t) for t in times]


def main():
    from webapp.clock import utcnow
    from webapp.extensions import db
    from webapp.jobs.services import slips_file, slips_pdf
    from webapp.prereg.slips import render_slips, slip_students
    from webapp.reports import pdf
    from webapp.reports.reportdata import digest, report_data

    with demo_app():
        visit = synced_closed_visit(db, STUDENTS, printable_only=True)
        visit_id = visit.id
        assert len(slip_students(visit)) == STUDENTS
        out = {}

        def slips():
            v = db.session.get(type(visit), visit_id)
            out["slips"] = render_slips(v)
            db.session.rollback()

        def report():
            v = db.session.get(type(visit), visit_id)
            data = report_data(v)
            out["report"] = pdf.render_report(data, version=1, sha=digest(data), generated_at=utcnow())
            db.session.rollback()

        slips_s, report_s = median_times(slips, report)
        slips_pdf(db.session.get(type(visit), visit_id), "id")  # what the slips job stores

        def fetch():
            body, _etag, _name = slips_file(visit_id, "id")
            assert body[:5] == b"%PDF-"
            db.session.rollback()

        (fetch_s,) = median_times(fetch)
    report_pdf, report_pages = out["report"]
    ratio = slips_s / report_s
    print(f"{STUDENTS} students, median of {RUNS} (interleaved)")
    print(f"baseline: visit report PDF (data + render)  {report_s * 1000:8.0f} ms  "
          f"{report_pages} pages {len(report_pdf) / 1024:6.0f} KB")
    print(f"slips PDF (render_slips)                    {slips_s * 1000:8.0f} ms  "
          f"{-(-STUDENTS // 8)} pages {len(out['slips']) / 1024:6.0f} KB")
    print(f"  ratio slips / report {ratio:5.2f}x (target <= {TARGET:.0f}x)")
    print(f"cached slips fetch (slips_file)             {fetch_s * 1000:8.1f} ms")
    return {"slips_ms": slips_s * 1000, "report_ms": report_s * 1000, "ratio": ratio,
            "cached_ms": fetch_s * 1000, "slips_bytes": len(out["slips"])}
