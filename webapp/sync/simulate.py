"""A fictional visit day as real phones would sync it (demo data and benchmarks)."""
import random
from datetime import UTC, datetime, time, timedelta

from sqlalchemy import select

from fieldsync import tick
from webapp.api_auth import hash_token, new_token
from webapp.extensions import db
from webapp.sync import services
from webapp.sync.devices import next_prefix
from webapp.sync.models import Device
from webapp.visits.eligibility import eligibility_on
from webapp.visits.models import Student
from webapp.visits.reasons import REASON_CODES

FAIL_REASONS = [r for r in REASON_CODES if r != "lainnya"]


def demo_device(user, label):
    """A registered device for a user (token thrown away: demo phones never sync again)."""
    prefix = next_prefix()
    device = Device(id=f"demo{prefix.lower()}{user.id}", user_id=user.id, label=label,
                    token_hash=hash_token(new_token()), ticket_prefix=prefix)
    db.session.add(device)
    db.session.flush()
    return device


class PhoneClock:
    """Seq, HLC and wall time of one simulated phone."""

    def __init__(self, device, start):
        self.device, self.seq, self.hlc, self.now = device, device.max_seq, None, start

    def event(self, type_, minutes=0.5, **fields):
        self.now += timedelta(minutes=minutes)
        self.seq += 1
        self.hlc = tick(self.hlc, int(self.now.timestamp() * 1000))
        at = self.now.strftime("%Y-%m-%dT%H:%M:%S.") + f"{self.now.microsecond // 1000:03d}Z"
        return {"id": f"{self.device.id}:{self.seq}", "device_id": self.device.id, "seq": self.seq,
                "hlc": self.hlc, "at": at, "type": type_, **fields}


def visit_day_events(visit, devices, rng, *, show_rate=0.88, success_rate=0.9):
    """{device: [events]}: check-in, ticket, call, outcome (some retries), some IKD."""
    start = datetime.combine(visit.date, time(1, 0), tzinfo=UTC)  # 08:00 WIB
    clocks = [PhoneClock(d, start) for d in devices]
    students = db.session.execute(select(Student.id, Student.birth_date).where(Student.visit_id == visit.id)
                                  .order_by(Student.name)).all()
    out = {d.id: [] for d in devices}
    for n, (sid, born) in enumerate(students):
        # Under-age students stay in class (the school lists them for a later visit).
        if eligibility_on(born, visit.date).status == "under_age" or rng.random() > show_rate:
            continue
        c = clocks[n % len(clocks)]
        evs = [c.event("checkin", student_id=sid),
               c.event("enqueue", 0.1, student_id=sid, ticket=f"{c.device.ticket_prefix}-{n + 1:03d}"),
               c.event("call", 2, student_id=sid, station=1 + n % visit.stations)]
        if rng.random() < success_rate:
            evs.append(c.event("outcome", 3, student_id=sid, result="recorded"))
        else:
            evs.append(c.event("outcome", 3, student_id=sid, result="failed", reason=rng.choice(FAIL_REASONS)))
            if rng.random() < 0.3:  # retried later in the day
                evs.append(c.event("outcome", 20, student_id=sid, result="recorded"))
        if rng.random() < 0.4:
            evs.append(c.event("ikd", 1, student_id=sid, status=rng.choice(["scanned", "active", "active"])))
        out[c.device.id].extend(evs)
    return out


def sync_all(visit, device_events, batch=500):
    """Send each device's events through the real sync service, in batches."""
    for device in db.session.execute(select(Device).where(Device.id.in_(list(device_events)))).scalars():
        evs = device_events[device.id]
        for i in range(0, len(evs), batch):
            answer = services.apply_sync(visit.id, device, {"device_id": device.id, "cursor": None,
                                                            "events": evs[i:i + batch]})
            if answer["rejected"]:
                raise RuntimeError(f"demo events rejected: {answer['rejected'][:3]}")


def simulate_visit(visit, users, seed=7):
    """Run a fictional visit day on `users`' phones and sync it."""
    rng = random.Random(seed)
    devices = [demo_device(u, f"HP {u.full_name}") for u in users]
    db.session.commit()
    sync_all(visit, visit_day_events(visit, devices, rng))
