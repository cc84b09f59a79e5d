"""QR slips PDF of 180 students vs the visit report PDF of the same students (issue 15: <= 3x).

Both are rendered as their jobs render them, interleaved in the same run (median of 5 after a
warm-up round): the slips by `webapp.prereg.slips.render_slips` (roster, QR codes, template,
WeasyPrint), the report by `report_data` + `webapp.reports.pdf.render_report` (the visit report of
the same 180 students after a synced visit day). Then the cached fetch a download does once the
`slips` job stored the file (`webapp.jobs.services.slips_file`, one roster-version query and one
row). SQLite in a temp dir; `python -m bench slips`.
"""
import random
import statistics
import tempfile
import time
from datetime import date
from pathlib import Path

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


def _visit(db):
    """A closed visit of 180 students who all get a slip (eligible, consent on record), whose day
    went through the real sync service (so the report has every table filled)."""
    from sqlalchemy import select

    from webapp.auth.models import Team, User
    from webapp.demo import make_students
    from webapp.regions.models import Kelurahan
    from webapp.schools.models import School
    from webapp.sync.simulate import demo_device, sync_all, visit_day_events
    from webapp.visits import services as students
    from webapp.visits.lifecycle import transition
    from webapp.visits.models import Visit

    school = db.session.execute(select(School).order_by(School.id)).scalars().first()
    team = db.session.execute(select(Team).order_by(Team.id)).scalars().first()
    visit = Visit(school=school, team=team, date=date(2026, 11, 20), status="open", stations=4,
                  target=STUDENTS)
    db.session.add(visit)
    kel = db.session.execute(select(Kelurahan.code)).scalars().all()
    draft = Visit(date=visit.date)  # not in the session: only the picked students are added
    picked = []
    for s in make_students(random.Random(11), draft, kel, STUDENTS * 2, set()):
        if len(picked) < STUDENTS and students.student_eligibility(s, draft).status != "under_age":
            s.visit, s.consent = visit, True
            picked.append(s)
    db.session.add_all(picked)
    db.session.commit()
    devices = [demo_device(u, f"HP {u.full_name}") for u in team.members]
    db.session.commit()
    sync_all(visit, visit_day_events(visit, devices, random.Random(5)))
    coordinator = db.session.execute(select(User).where(User.username == "koordinator")).scalar_one()
    return transition(visit.id, "close", user=coordinator)[0]


def main():
    from flask_migrate import upgrade

    from webapp.app import create_app
    from webapp.clock import utcnow
    from webapp.demo import seed
    from webapp.extensions import db
    from webapp.jobs.services import slips_file, slips_pdf
    from webapp.prereg.slips import render_slips, slip_students
    from webapp.regions.loader import load_regions
    from webapp.reports import pdf
    from webapp.reports.reportdata import digest, report_data

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "SYNC_MAX_EVENTS": 5000})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        load_regions()
        seed(app.config)
        visit = _visit(db)
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
