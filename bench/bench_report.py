"""Time to render the visit report of a 500-student visit, and to serve it from the cache.

Baselines, measured in the same run: WeasyPrint rendering a trivial one-paragraph page, and the
same report without its per-class tables (the summary, charts, follow-up lists and sign-off),
so the ratios show what the per-student pages cost.
"""
import copy
import time

from bench import best, demo_app, synced_closed_visit

STUDENTS = 500


def main():
    from weasyprint import HTML

    from webapp.clock import utcnow
    from webapp.extensions import db
    from webapp.reports import pdf
    from webapp.reports.reportdata import digest, report_data

    with demo_app():
        visit = synced_closed_visit(db, STUDENTS)
        trivial_s, _ = best(lambda: HTML(string="<p>Laporan</p>").write_pdf())
        data_s, data = best(lambda: report_data(visit))
        sha = digest(data)
        bare = copy.deepcopy(data)
        bare["classes"] = []
        now = utcnow()
        bare_s, (bare_pdf, bare_pages) = best(
            lambda: pdf.render_report(bare, version=1, sha=sha, generated_at=now))
        full_s, (full_pdf, pages) = best(
            lambda: pdf.render_report(data, version=1, sha=sha, generated_at=now))
        start = time.perf_counter()
        entry = pdf.current_report(visit)  # first request: data, checksum, render, store
        first_s = time.perf_counter() - start
        cached_s, again = best(lambda: pdf.current_report(visit), runs=5)
        assert again.id == entry.id
    print(f"baseline: trivial page (WeasyPrint)       {trivial_s * 1000:8.0f} ms")
    print(f"baseline: report without class tables     {bare_s * 1000:8.0f} ms  "
          f"{bare_pages} pages {len(bare_pdf) / 1024:6.0f} KB")
    print(f"report data for {STUDENTS} students        {data_s * 1000:8.0f} ms")
    print(f"render {STUDENTS}-student report             {full_s * 1000:8.0f} ms  "
          f"{pages} pages {len(full_pdf) / 1024:6.0f} KB")
    print(f"  ratio vs trivial page {full_s / trivial_s:6.1f}x, vs no class tables "
          f"{full_s / bare_s:5.1f}x, per student {(full_s - bare_s) / STUDENTS * 1000:5.1f} ms")
    print(f"first request (data+render+store)          {first_s * 1000:8.0f} ms")
    print(f"cached request (data+checksum+cache hit)   {cached_s * 1000:8.0f} ms  "
          f"{first_s / cached_s:5.1f}x faster")
    return {"trivial_ms": trivial_s * 1000, "bare_ms": bare_s * 1000, "full_ms": full_s * 1000,
            "first_ms": first_s * 1000, "cached_ms": cached_s * 1000, "pages": pages,
            "pdf_bytes": len(full_pdf), "data_ms": data_s * 1000}
