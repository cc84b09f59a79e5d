"""Time to apply a 1,000-event manifest and to replay it (all duplicates), on SQLite.

Baseline, measured in the same run: folding the same 1,000 events in memory with fieldsync
(the pure work every sync does), so the ratio shows what storage and HTTP add.
"""
import random
import tempfile
import time
from pathlib import Path

from sqlalchemy import select

import fieldsync
from bench import best


def main():
    from flask_migrate import upgrade

    from webapp.app import create_app
    from webapp.auth.models import User
    from webapp.demo import seed
    from webapp.extensions import db
    from webapp.regions.loader import load_regions
    from webapp.sync import services
    from webapp.sync.simulate import demo_device, visit_day_events
    from webapp.visits.models import Visit

    tmp = Path(tempfile.mkdtemp())
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp / 'bench.db'}", "SECRET_KEY": "bench",
                      "SYNC_MAX_EVENTS": 5000})
    with app.app_context():
        upgrade(revision="heads")
        load_regions()
        seed(app.config)
        visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
        user = db.session.execute(select(User).where(User.username == "petugas1")).scalar_one()
        device = demo_device(user, "bench")
        db.session.commit()
        rng = random.Random(1)
        events = []
        while len(events) < 1000:  # several "days" of the 180 students, one phone
            device.max_seq = len(events)
            events += visit_day_events(visit, [device], rng, show_rate=1.0)[device.id]
        events = events[:1000]
        device.max_seq = 0
        db.session.commit()
        students = {s.id: s.nik for s in visit.students}
        with_dev = [{**e, "device_id": device.id} for e in events]
        baseline, _ = best(lambda: fieldsync.fold(with_dev, students))
        manifest = {"device_id": device.id, "cursor": None, "events": events}
        start = time.perf_counter()
        first = services.apply_sync(visit.id, device, manifest)
        apply_s = time.perf_counter() - start
        assert len(first["accepted"]) == 1000, first["rejected"][:3]
        replay_s, _ = best(lambda: services.apply_sync(visit.id, device, manifest))
    print(f"fold 1,000 events in memory (baseline): {baseline * 1000:8.1f} ms")
    print(f"apply 1,000-event manifest:             {apply_s * 1000:8.1f} ms  ratio {apply_s / baseline:5.1f}x")
    print(f"replay it (1,000 duplicates):           {replay_s * 1000:8.1f} ms  ratio {replay_s / baseline:5.1f}x")
    return {"baseline_ms": baseline * 1000, "apply_ms": apply_s * 1000, "replay_ms": replay_s * 1000}
