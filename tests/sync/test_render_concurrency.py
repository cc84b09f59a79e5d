"""Phones never fail because a report is rendering (issue 11.2; docs/transactions.md)."""
import threading
import time

import pytest
import reports_factories as rf
from sqlalchemy import select
from sync_phone import NamedPhone, Phone

from webapp.extensions import db
from webapp.reports import pdf
from webapp.sync.models import Device
from webapp.visits.models import Student, Visit

PHONES = 20


def test_twenty_phone_syncs_during_a_report_render(demo, client, app, monkeypatch):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    students = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                                  .order_by(Student.id).limit(PHONES * 2)).scalars().all()
    coordinator = Phone(client, "koordinator")
    phones = [NamedPhone(client, f"hpR{i:02d}") for i in range(PHONES)]
    batches = {p.id: [p.event("checkin", student_id=sid) for sid in students[2 * i:2 * i + 2]]
               for i, p in enumerate(phones)}
    visit_id = visit.id
    db.session.remove()

    # The real render, held open until every phone has synced: the syncs run while it renders.
    rendering, phones_done = threading.Event(), threading.Event()
    real_render = pdf.render_report

    def held_render(*args, **kwargs):
        rendering.set()
        phones_done.wait(120)
        return real_render(*args, **kwargs)

    monkeypatch.setattr(pdf, "render_report", held_render)
    report, errors, seconds = {}, [], []

    def download():
        with app.test_client() as c:
            # The report is a job now: the request answers 202 at once; this thread then does
            # the worker's part (the render the phones must not wait for) and fetches the file.
            r = rf.get_report(c, f"/api/v1/visits/{visit_id}/report.pdf", coordinator.headers)
            report.update(status=r.status_code, body=r.data)

    def sync(phone):
        try:
            with app.test_client() as c:
                started = time.monotonic()
                listed = c.get("/api/v1/visits", headers=phone.headers)
                r = c.post(f"/api/v1/visits/{visit_id}/sync", headers=phone.headers, json={
                    "device_id": phone.id, "cursor": None, "events": batches[phone.id]})
                seconds.append(time.monotonic() - started)
                if listed.status_code != 200 or r.status_code != 200 or r.get_json()["rejected"]:
                    errors.append((phone.id, listed.status_code, r.status_code, r.get_data(as_text=True)[:200]))
        except Exception as exc:  # noqa: BLE001 - counted as an error below
            errors.append((phone.id, repr(exc)))

    renderer = threading.Thread(target=download)
    renderer.start()
    assert rendering.wait(120), "the report never started rendering"
    threads = [threading.Thread(target=sync, args=(p,)) for p in phones]
    for t in threads:
        t.start()
    for t in threads:
        t.join(180)
    still_rendering = renderer.is_alive()
    phones_done.set()
    renderer.join(180)

    print(f"report-render test: {len(errors)} errors in {PHONES} syncs, slowest {max(seconds, default=0):.2f} s")
    assert errors == []
    # Every phone was answered while the render was still open (times depend on the machine's
    # load: syncs of one visit take turns on its row lock, never on the render).
    assert len(seconds) == PHONES and still_rendering
    # The report of the state it read was rendered and stored; the phones' events made a newer
    # state meanwhile, so asking again queues that one (202) rather than serving a stale file.
    from webapp.reports.models import ReportCache

    stored = db.session.execute(select(ReportCache.pdf).where(ReportCache.visit_id == visit_id)).scalars().all()
    assert report["status"] in (200, 202) and len(stored) == 1 and stored[0].startswith(b"%PDF")
    seen = db.session.execute(select(Device.last_seen_at).where(Device.id.in_(batches))).scalars().all()
    assert len(seen) == PHONES and None not in seen


def test_bearer_check_writes_last_seen_apart_and_leaves_the_session_clean(demo, client):
    phone = NamedPhone(client, "hpSeen")
    with client:  # keep the request's context to look at its session
        assert client.get("/api/v1/visits", headers=phone.headers).status_code == 200
        device = db.session.get(Device, "hpSeen")
        first = device.last_seen_at
        assert first is not None and not db.session.dirty
    assert client.get("/api/v1/visits", headers=phone.headers).status_code == 200
    db.session.expire_all()
    assert db.session.get(Device, "hpSeen").last_seen_at == first  # at most once per SEEN_EVERY


def test_slow_work_refuses_pending_writes(demo):
    from webapp.transactions import PendingWrites, end_transaction

    visit = db.session.execute(select(Visit)).scalars().first()
    visit.stations += 1
    with pytest.raises(PendingWrites):
        end_transaction()
    db.session.rollback()
