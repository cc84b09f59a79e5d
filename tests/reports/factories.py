"""Test data for the reports: visits, devices, protocol events and the derived state they fold to.

Independent of the sync service: events are stored as SyncEvent rows and folded with the pure
`fieldsync.fold`, written to StudentState exactly as the fold says.
"""
import random
import subprocess
from datetime import UTC, datetime, time

from components import require_tools
from sqlalchemy import select

import fieldsync
from webapp.api_auth import hash_token, new_token
from webapp.auth.models import Team, User
from webapp.demo import make_students
from webapp.extensions import db
from webapp.regions.models import Kelurahan
from webapp.schools.models import School
from webapp.sync.models import STATE_FIELDS, Device, StudentState, SyncEvent
from webapp.sync.simulate import PhoneClock
from webapp.visits.models import Student, Visit

REASONS = ["nik_tidak_ditemukan", "belum_padan", "data_ganda", "sidik_jari", "perangkat",
           "tanpa_kk"]


def user(username):
    return db.session.execute(select(User).where(User.username == username)).scalar_one()


def make_device(owner, label=None, prefix=None):
    """A registered device of `owner`; returns (device, bearer token)."""
    count = len(db.session.execute(select(Device.id)).all())
    token = new_token()
    device = Device(id=f"t{owner.id}x{count}", user_id=owner.id, label=label or f"HP {owner.full_name}",
                    token_hash=hash_token(token), ticket_prefix=prefix or f"T{count}")
    db.session.add(device)
    db.session.flush()
    return device, token


def bearer(client, username, password="demo12345"):
    """Authorization headers of a token minted the real way (POST /api/v1/devices)."""
    answer = client.post("/api/v1/devices", json={"username": username, "password": password,
                                                  "label": "test"})
    assert answer.status_code == 201, answer.get_json()
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def get_report(client, url, headers=None):
    """GET a file URL (report, slips, recap); a file not rendered yet answers 202 (API) or the
    job's page (web): then do what the worker does (run the job) and ask again."""
    from webapp.jobs import services
    from webapp.jobs.queue import jobs

    answer = client.get(url, headers=headers or {})
    if answer.status_code == 202:
        job_id = answer.get_json()["job"]
    elif answer.status_code in (302, 303) and "/pekerjaan/" in answer.headers["Location"]:
        job_id = answer.headers["Location"].rsplit("/", 1)[1]
    else:
        return answer
    jobs.huey.flush()
    services.run(job_id)
    return client.get(url, headers=headers or {})


def make_visit(students=40, *, status="open", day=None, school=None, team=None, seed=3,
               classes=None):
    """A visit with fictional students (the demo's generator) on an existing school and team."""
    rng = random.Random(seed)
    school = school or db.session.execute(select(School).order_by(School.id)).scalars().first()
    team = team or db.session.execute(select(Team).order_by(Team.id)).scalars().first()
    visit = Visit(school=school, team=team, date=day or datetime.now(UTC).date(), status=status,
                  stations=3, target=students)
    db.session.add(visit)
    kel = db.session.execute(select(Kelurahan.code)).scalars().all()
    used = set(db.session.execute(select(Student.nik)).scalars())
    rows = make_students(rng, visit, kel, students, used)
    if classes:
        for i, s in enumerate(rows):
            s.class_name = classes[i % len(classes)]
    db.session.add_all(rows)
    db.session.commit()
    return visit


# One device's seq, HLC and wall clock: the simulated day's own (30 s a step).
Phone = PhoneClock




def day_events(visit, devices, seed=5):
    """A plausible day: most students recorded, some failed (a few retried), some never came,
    a few checked in and left, some IKD. Returns the event bodies."""
    rng = random.Random(seed)
    start = datetime.combine(visit.date, time(1, 0), tzinfo=UTC)
    phones = [Phone(d, start) for d in devices]
    ids = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                             .order_by(Student.id)).scalars().all()
    events = []
    for n, sid in enumerate(ids):
        p = phones[n % len(phones)]
        roll = rng.random()
        if roll > 0.85:
            continue  # never came
        events.append(p.event("checkin", student_id=sid))
        events.append(p.event("enqueue", student_id=sid, ticket=f"{p.device.ticket_prefix}-{n:03d}"))
        if roll > 0.80:
            continue  # left the queue
        events.append(p.event("call", student_id=sid, station=1 + n % visit.stations))
        if roll < 0.62:
            events.append(p.event("outcome", student_id=sid, result="recorded"))
        else:
            events.append(p.event("outcome", student_id=sid, result="failed",
                                  reason=rng.choice(REASONS)))
            if roll < 0.68:
                events.append(p.event("outcome", student_id=sid, result="recorded"))
        if rng.random() < 0.3:
            events.append(p.event("ikd", student_id=sid,
                                  status=rng.choice(["scanned", "active", "active", "failed"])))
    return events


def store_events(visit, events):
    """Store event bodies as the sync service would (SyncEvent rows, device seq bookkeeping)."""
    for ev in events:
        db.session.add(SyncEvent(event_id=ev["id"], visit_id=visit.id, device_id=ev["device_id"],
                                 seq=ev["seq"], type=ev["type"], student_id=ev.get("student_id"),
                                 target_id=ev.get("target"), hlc=ev["hlc"], at=ev["at"], body=ev))
        device = db.session.get(Device, ev["device_id"])
        device.max_seq = device.contiguous_seq = max(device.max_seq, ev["seq"])
    db.session.flush()


def fold_states(visit):
    """Derive every student's state from the visit's events (pure fold) into StudentState."""
    events = db.session.execute(select(SyncEvent.body).where(SyncEvent.visit_id == visit.id)).scalars().all()
    students = dict(db.session.execute(select(Student.id, Student.nik).where(Student.visit_id == visit.id)).all())
    result = fieldsync.fold(events, students, closed=visit.status == "closed")
    existing = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    for sid, st in result.students.items():
        data = st.to_dict()
        row = existing.get(sid) or StudentState(student_id=sid, visit_id=visit.id)
        for col in STATE_FIELDS:
            setattr(row, col, data[col])
        row.data, row.version = data, visit.state_version + 1
        db.session.add(row)
    visit.state_version += 1
    db.session.commit()
    return result


def run_day(visit, usernames=("petugas1", "petugas2"), seed=5):
    """Devices for the officers, a day of events, folded state. Returns the events."""
    devices = [make_device(user(u))[0] for u in usernames]
    events = day_events(visit, devices, seed)
    store_events(visit, events)
    fold_states(visit)
    return events


def expected_counts(visit):
    """The headline numbers straight from the rows (not through the reports code)."""
    from webapp.identity import eligibility

    states = {s.student_id: s for s in db.session.execute(
        select(StudentState).where(StudentState.visit_id == visit.id)).scalars()}
    out = dict(registered=0, eligible=0, under_age=0, present=0, recorded=0, failed=0, absent=0,
               not_arrived=0, ikd_active=0, ikd_scanned=0, ikd_failed=0, reasons={})
    for s in db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars():
        st = states.get(s.id)
        out["registered"] += 1
        under = eligibility(s.birth_date, visit.date, married=s.married).status == "under_age"
        out["under_age" if under else "eligible"] += 1
        attendance = st.attendance if st else "not_arrived"
        if attendance == "not_arrived" and visit.status == "closed":
            attendance = "absent"
        out[attendance] += 1
        if st and st.outcome in ("recorded", "failed"):
            out[st.outcome] += 1
            if st.outcome == "failed":
                out["reasons"][st.reason] = out["reasons"].get(st.reason, 0) + 1
        if st and st.ikd:
            out[f"ikd_{st.ikd}"] += 1
    return out

need = require_tools


def pdf_text(pdf_bytes, tmp_path):
    """pdftotext -layout of a PDF."""
    need("pdftotext")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True,
                          capture_output=True, text=True).stdout


def pdf_pages_png(pdf_bytes, tmp_path, dpi=150, first=1, last=1):
    """PNG images of pages first..last (pdftoppm)."""
    need("pdftoppm")
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_bytes)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(first), "-l", str(last), "-png",
                    str(path), str(tmp_path / "page")], check=True)
    return sorted(tmp_path.glob("page-*.png"))


def zbar(png):
    """Decoded QR texts of an image (zbarimg)."""
    need("zbarimg")
    out = subprocess.run(["zbarimg", "-q", "--raw", "--nodbus", str(png)], capture_output=True,
                         text=True)
    return [line for line in out.stdout.splitlines() if line]


def count_renders(monkeypatch, template):
    """A list that gets one item per render of `template` (the real render still runs)."""
    from webapp.reports import pdf

    done = []
    real = pdf.render_document

    def counted(name, **context):
        if name == template:
            done.append(1)
        return real(name, **context)

    monkeypatch.setattr(pdf, "render_document", counted)
    return done
