"""Time a 1,000-row Dapodik import: parse + check + preview, then confirm (and a re-import).

Baseline, measured in the same run: openpyxl reading every cell of the same .xlsx in
read-only mode, which is the least any import of that file must do.
"""
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from bench import best, once

ROWS = 1000






def _openpyxl_read(data):
    import io

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    cells = sum(len(row) for row in book.active.iter_rows(values_only=True))
    book.close()
    return cells


def main():
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from dapodik_factory import make_dapodik_xlsx, student
    from flask_migrate import upgrade
    from sqlalchemy import func, select

    from webapp.app import create_app
    from webapp.auth.models import Team
    from webapp.extensions import db
    from webapp.prereg import imports, links
    from webapp.regions.loader import load_regions
    from webapp.schools.models import School
    from webapp.visits.models import Student, Visit

    data = make_dapodik_xlsx([student(i) for i in range(1, ROWS + 1)])
    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "RATELIMIT_ENABLED": False})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        load_regions()
        school = School(npsn="69900199", name="SMA Bench", level="SMA",
                        kelurahan_code="36.72.02.1001")
        team = Team(name="Tim Bench")
        visit = Visit(school=school, team=team, date=date.today() + timedelta(days=10))
        db.session.add(visit)
        db.session.commit()
        link, _token = links.create_link(visit)

        base_s, cells = best(lambda: _openpyxl_read(data))
        preview_s, batch = best(lambda: imports.preview(link, "dapodik.xlsx", data))
        assert batch.summary["to_add"] == ROWS, batch.summary
        confirm_s, result = once(lambda: imports.confirm(link, batch.id, consent=True))
        assert result["added"] == ROWS, result
        again_s, again = best(lambda: imports.preview(link, "dapodik.xlsx", data))
        update_s, updated = once(lambda: imports.confirm(link, again.id))
        assert updated["updated"] == ROWS, updated
        stored = db.session.execute(select(func.count(Student.id))).scalar_one()
        assert stored == ROWS, stored

    print(f"file: {ROWS} rows, {len(data) / 1024:.0f} KB, {cells} cells")
    rows = [
        ("baseline: openpyxl read-only read of every cell", base_s),
        ("parse + check + preview (nothing added)", preview_s),
        ("confirm: add 1,000 students, one transaction", confirm_s),
        ("re-import preview (every NIK known)", again_s),
        ("re-import confirm: update 1,000 by NIK", update_s),
    ]
    for label, seconds in rows:
        print(f"  {label:<50} {seconds * 1000:8.0f} ms  {seconds / base_s:6.1f}x")


if __name__ == "__main__":
    main()
