"""Incremental sync equals the full refold after any sequence of manifests (the oracle)."""
import itertools
from datetime import date

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sync_phone import statements

import fieldsync
from fieldsync import tick, touch
from webapp.auth.models import Team, User
from webapp.extensions import db
from webapp.schools.models import School
from webapp.sync import folding, services, sortout, store
from webapp.sync.devices import next_prefix
from webapp.sync.models import Device
from webapp.visits import lifecycle
from webapp.visits.models import Student, Visit

DAY = date(2026, 12, 4)
# Valid NIKs of one birth date (the walk-in rules check them); the first three are pre-registered.
NIKS = [f"367202100309{n:04d}" for n in range(1, 6)]
KINDS = ("checkin", "enqueue", "call", "recorded", "failed", "ikd", "walkin", "walkin", "undo", "note",
         "consent")
_counter = itertools.count()

action = st.tuples(st.sampled_from(KINDS), st.integers(0, 6), st.integers(0, 4), st.integers(0, 60),
                   st.integers(0, 2), st.integers(1, 2), st.integers(1, 400_000))
step = st.tuples(st.integers(0, 2), st.lists(action, min_size=1, max_size=6), st.booleans())
plan = st.tuples(st.lists(st.integers(0, 900_000), min_size=3, max_size=3),
                 st.lists(step, min_size=1, max_size=6))


def _world(n):
    """A fresh open visit with three pre-registered students and three phones."""
    user = db.session.execute(select(User).where(User.username == "prop")).scalar_one_or_none()
    if user is None:
        user = User(username="prop", full_name="Prop", role="officer", password_hash="x",
                    team=Team(name="Tim Prop"))
        db.session.add(user)
    visit = Visit(school=School(npsn=f"7{n:07d}", name=f"SMA Prop {n}", level="SMA",
                                kelurahan_code="36.72.02.1002"),
                  team=user.team, date=DAY, status="open")
    db.session.add(visit)
    for i in range(3):
        db.session.add(Student(id=f"x{n}s{i}", visit=visit, name=f"Siswa {i}", nik=NIKS[i], gender="L",
                               birth_date=date(2009, 3, 10), source="prereg"))
    devices = []
    for i in range(3):
        device = Device(id=f"x{n}d{i}", user=user, label="hp", token_hash=f"{n}-{i}".ljust(64, "0"),
                        ticket_prefix=next_prefix())
        db.session.add(device)
        db.session.flush()
        devices.append(device)
    db.session.commit()
    return visit, devices


def _events(n, visit, devices, offsets, steps):
    """[(device, [new events], resend)] from a drawn plan."""
    pool = [f"x{n}s{i}" for i in range(3)] + [f"x{n}w{i}" for i in range(4)]
    clocks = {d.id: [0, None, 1764205200000 + offsets[i]] for i, d in enumerate(devices)}
    made, out = [], []
    for phone, actions, resend in steps:
        device = devices[phone]
        clock, evs = clocks[device.id], []
        for kind, who, nik, target, ticket, station, dt in actions:
            clock[0] += 1
            clock[2] += dt
            clock[1] = tick(clock[1], clock[2])
            ev = {"id": f"{device.id}:{clock[0]}", "seq": clock[0], "hlc": clock[1],
                  "at": "2026-12-04T01:00:00.000Z", "type": kind, "student_id": pool[who]}
            if kind == "enqueue":
                ev["ticket"] = f"T-{ticket}"
            elif kind == "call":
                ev["station"] = station
            elif kind in ("recorded", "failed"):
                ev.update(type="outcome", result=kind, **({"reason": "sidik_jari"} if kind == "failed" else {}))
            elif kind == "ikd":
                ev["status"] = "scanned"
            elif kind == "note":
                ev["text"] = "catatan"
            elif kind == "consent":
                ev["given"] = bool(ticket)
            elif kind == "walkin":
                del ev["student_id"]
                ev["student"] = {"id": pool[3 + who % 4], "name": "Tamu", "nik": NIKS[nik], "gender": "L",
                                 "birth_date": "2009-03-10"}
            elif kind == "undo":
                del ev["student_id"]
                ev["target"] = made[target % len(made)] if made else f"{device.id}:999"
            made.append(ev["id"])
            evs.append(ev)
        out.append((device, evs, resend))
    return out


def _stored(visit):
    """What the sync wrote: states (empty for a student no event names), aliases, conflicts, walk-ins."""
    db.session.expire_all()
    state = services.visit_state(visit)
    walkins = set(db.session.execute(select(Student.id).where(
        Student.visit_id == visit.id, Student.source == "walkin")).scalars())
    return {"students": state["students"], "aliases": state["aliases"], "conflicts": state["conflicts"],
            "walkins": walkins}


def _oracle(visit):
    full = fieldsync.fold(store.visit_events(visit.id), store.registered_students(visit.id),
                          closed=visit.status == "closed").to_dict()
    return {"students": full["students"], "aliases": full["aliases"], "conflicts": full["conflicts"],
            "walkins": set(full["walkins"])}


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(plan)
def test_incremental_equals_full_refold(ctx, drawn):
    n = next(_counter)
    visit, devices = _world(n)
    offsets, steps = drawn
    sent = {}
    for device, evs, resend in _events(n, visit, devices, offsets, steps):
        batch = sent.get(device.id, []) + evs if resend else evs
        sent[device.id] = sent.get(device.id, []) + evs
        services.apply_sync(visit.id, device, {"device_id": device.id, "cursor": None, "events": batch})
        assert _stored(visit) == _oracle(visit)
    before = _stored(visit)
    services.refold(db.session.get(Visit, visit.id))
    db.session.commit()
    assert _stored(visit) == before


def test_walkin_undone_frees_its_alias(ctx):
    """An undo of the first walk-in of a NIK makes the later one a student of its own."""
    visit, (a, b, _c) = _world(next(_counter))
    person = {"name": "Tamu", "nik": NIKS[4], "gender": "L", "birth_date": "2009-03-10"}
    w1 = {"id": f"{a.id}:1", "seq": 1, "hlc": "1764205200000-0000", "at": "2026-12-04T01:00:00.000Z",
          "type": "walkin", "student": {"id": "wa-" + a.id, **person}}
    w2 = {"id": f"{b.id}:1", "seq": 1, "hlc": "1764205300000-0000", "at": "2026-12-04T01:00:00.000Z",
          "type": "walkin", "student": {"id": "wb-" + b.id, **person}}
    chk = {**w2, "id": f"{b.id}:2", "seq": 2, "hlc": "1764205301000-0000", "type": "checkin",
           "student_id": "wb-" + b.id}
    del chk["student"]
    services.apply_sync(visit.id, a, {"device_id": a.id, "cursor": None, "events": [w1]})
    services.apply_sync(visit.id, b, {"device_id": b.id, "cursor": None, "events": [w2, chk]})
    assert _stored(visit)["aliases"] == {"wb-" + b.id: "wa-" + a.id}
    undo = {"id": f"{a.id}:2", "seq": 2, "hlc": "1764205400000-0000", "at": "2026-12-04T01:00:00.000Z",
            "type": "undo", "target": w1["id"]}
    answer = services.apply_sync(visit.id, a, {"device_id": a.id, "cursor": None, "events": [undo]})
    got = _stored(visit)
    assert got == _oracle(visit) and got["walkins"] == {"wb-" + b.id} and got["aliases"] == {}
    assert got["students"]["wb-" + b.id]["attendance"] == "present"
    assert answer["conflicts"] == []


def test_touched_students_are_named_or_coupled():
    """The pure part: an undo touches its target's student, a walk-in its own id."""
    target = {"id": "a:1", "type": "checkin", "student_id": "s1"}
    new = [{"id": "a:2", "type": "undo", "target": "a:1"},
           {"id": "a:3", "type": "walkin", "student": {"id": "w1", "nik": "1"}},
           {"id": "a:4", "type": "undo", "target": "b:9"}]
    assert touch.seed_ids(new, {"a:1": target}) == {"s1", "w1"}
    coupled = {"w1": {"s2"}, "s2": {"w1", "w3"}}
    assert touch.closure({"w1"}, lambda f: set().union(*(coupled.get(i, set()) for i in f))) == {"w1", "s2", "w3"}
    assert touch.walkin_nik(new[1]) == "1" and touch.walkin_nik(target) is None


def test_active_conflicts_are_sorted_like_the_fold(ctx):
    visit, (a, _b, _c) = _world(next(_counter))
    sid = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                             .order_by(Student.id)).scalars().first()
    evs = [{"id": f"{a.id}:{i}", "seq": i, "hlc": f"17642052{i:05d}-0000", "at": "2026-12-04T01:00:00.000Z",
            "type": "enqueue", "student_id": sid, "ticket": f"T-{i}"} for i in (1, 2, 3)]
    services.apply_sync(visit.id, a, {"device_id": a.id, "cursor": None, "events": evs})
    assert folding.active_conflicts(visit.id) == _oracle(visit)["conflicts"] != []


def test_flask_refold_recomputes_every_visit(ctx):
    visit, (a, _b, _c) = _world(next(_counter))
    sid = db.session.execute(select(Student.id).where(Student.visit_id == visit.id)
                             .order_by(Student.id)).scalars().first()
    ev = {"id": f"{a.id}:1", "seq": 1, "hlc": "1764205200000-0000", "at": "2026-12-04T01:00:00.000Z",
          "type": "checkin", "student_id": sid}
    services.apply_sync(visit.id, a, {"device_id": a.id, "cursor": None, "events": [ev]})
    before = _stored(visit)
    result = ctx.test_cli_runner().invoke(args=["refold", "--visit", str(visit.id)])
    assert result.exit_code == 0 and f"visit {visit.id}: state version" in result.output
    assert _stored(visit) == before and before["students"][sid]["attendance"] == "present"


def _event(device, seq, ms, kind, **fields):
    return {"id": f"{device.id}:{seq}", "seq": seq, "hlc": f"{1764205200000 + ms}-0000",
            "at": "2026-12-04T01:00:00.000Z", "type": kind, **fields}


@pytest.mark.parametrize("meanwhile", ["same student", "other student", "walk-in of its NIK", "close"])
def test_a_fold_made_before_the_lock_is_kept_only_if_nothing_it_read_changed(ctx, meanwhile):
    """Sync A folds its student without the lock; sync B commits in between; A then takes the lock.
    A keeps its fold only when B touched none of A's students and coupled none (§7), and the state
    always equals the full fold."""
    n = next(_counter)
    visit, (a, b, _c) = _world(n)
    s0, s1 = f"x{n}s0", f"x{n}s1"
    mine = [_event(a, 1, 1000, "enqueue", student_id=s0, ticket="T-1")]
    device, visit_id = a, visit.id
    prepared = services._prepare(mine, device, visit, "id", sortout.stored_rows(mine, device))
    theirs = {"same student": [_event(b, 1, 2000, "enqueue", student_id=s0, ticket="T-2")],
              "other student": [_event(b, 1, 2000, "checkin", student_id=s1)],
              "walk-in of its NIK": [_event(b, 1, 500, "walkin", student={
                  "id": f"x{n}w0", "name": "Tamu", "nik": NIKS[0], "gender": "L", "birth_date": "2009-03-10"})],
              "close": []}[meanwhile]
    if theirs:
        services.apply_sync(visit_id, b, {"device_id": b.id, "cursor": None, "events": theirs})
    else:
        lifecycle.transition(visit_id, "close", user=None, today=DAY)
    with statements() as seen:
        services._finish(mine, device, "id", *prepared)
        db.session.commit()
    refolded = any("student_alias" in s for s in seen)  # the touched students' couplings read again
    assert refolded == (meanwhile != "other student")
    visit = db.session.get(Visit, visit_id)
    assert _stored(visit) == _oracle(visit)
    if meanwhile == "same student":
        assert [c["code"] for c in _stored(visit)["conflicts"]] == ["double_ticket"]


def test_a_walkin_id_reused_with_another_nik_moves_its_row_to_the_first(ctx):
    """Two phones made walk-ins of one id with two NIKs: the row follows the first in total order,
    and the NIK it frees can be taken by a later walk-in (a stale NIK broke the unique NIK)."""
    n = next(_counter)
    visit, (a, b, c) = _world(n)
    person = {"name": "Tamu", "gender": "L", "birth_date": "2009-03-10"}
    w0, w1, w2 = f"x{n}w0", f"x{n}w1", f"x{n}w2"
    steps = [(b, _event(b, 1, 2000, "walkin", student={"id": w1, "nik": NIKS[4], **person})),
             (a, _event(a, 1, 1000, "walkin", student={"id": w0, "nik": NIKS[3], **person})),
             (c, _event(c, 1, 0, "walkin", student={"id": w1, "nik": NIKS[3], **person})),
             (a, _event(a, 2, 3000, "walkin", student={"id": w2, "nik": NIKS[4], **person}))]
    for device, ev in steps:
        answer = services.apply_sync(visit.id, device, {"device_id": device.id, "cursor": None, "events": [ev]})
        assert answer["accepted"] == [ev["id"]]
        assert _stored(visit) == _oracle(visit)
    niks = dict(db.session.execute(select(Student.id, Student.nik).where(Student.source == "walkin",
                                                                         Student.visit_id == visit.id)).all())
    assert niks == {w1: NIKS[3], w2: NIKS[4]} and _stored(visit)["aliases"] == {w0: w1}
