"""Benchmarks: each bench_*.py has main(), compares with a baseline measured in the same run."""
import time
from contextlib import contextmanager


def best(fn, runs=3):
    """(fastest wall time of `runs` calls, the last result)."""
    times, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
    return min(times), result


def once(fn):
    """(wall time of one call, its result): for steps that change state."""
    return best(fn, runs=1)


def synced_closed_visit(db, students, *, printable_only=False):
    """A closed visit of `students` fictional students whose day went through the real sync
    service (so its report has every table filled); `printable_only`: every student gets a slip
    (not under age, consent on record). Used by the report and slips benchmarks."""
    import random
    from datetime import date

    from sqlalchemy import select

    from webapp.auth.models import Team, User
    from webapp.demo import make_students
    from webapp.regions.models import Kelurahan
    from webapp.schools.models import School
    from webapp.sync.simulate import demo_device, sync_all, visit_day_events
    from webapp.visits import services as student_rules
    from webapp.visits.lifecycle import transition
    from webapp.visits.models import Visit

    school = db.session.execute(select(School).order_by(School.id)).scalars().first()
    team = db.session.execute(select(Team).order_by(Team.id)).scalars().first()
    visit = Visit(school=school, team=team, date=date(2026, 11, 20), status="open", stations=4,
                  target=students)
    db.session.add(visit)
    kel = db.session.execute(select(Kelurahan.code)).scalars().all()
    if printable_only:
        draft = Visit(date=visit.date)  # not in the session: only the picked students are added
        picked = []
        for s in make_students(random.Random(11), draft, kel, students * 2, set()):
            if len(picked) < students and student_rules.student_eligibility(s, draft).status != "under_age":
                s.visit, s.consent = visit, True
                picked.append(s)
    else:
        picked = make_students(random.Random(11), visit, kel, students, set())
    db.session.add_all(picked)
    db.session.commit()
    devices = [demo_device(u, f"HP {u.full_name}") for u in team.members]
    db.session.commit()
    sync_all(visit, visit_day_events(visit, devices, random.Random(5)))
    coordinator = db.session.execute(select(User).where(User.username == "koordinator")).scalar_one()
    return transition(visit.id, "close", user=coordinator)[0]


@contextmanager
def demo_app():
    """The app on a new SQLite file in a temp dir: schema, regions and the demo data, inside an
    app and request context (the report and slips benchmarks)."""
    import tempfile
    from pathlib import Path

    from flask_migrate import upgrade

    from webapp.app import create_app
    from webapp.demo import seed
    from webapp.regions.loader import load_regions

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}",
                      "SECRET_KEY": "bench", "SYNC_MAX_EVENTS": 5000})
    with app.app_context(), app.test_request_context():
        upgrade(revision="heads")
        load_regions()
        seed(app.config)
        yield app
