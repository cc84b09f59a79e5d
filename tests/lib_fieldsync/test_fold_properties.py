"""Property tests: the fold is a pure function of the SET of events."""

import copy
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from fieldsync import fold

BASE_MS = 1764205200000
DEVICES = ("hpA", "hpB", "hpC", "hpD")
NIKS = ("3672015508090731", "3672011203090002", "3604014707090005", None)
PRE = {"s1": NIKS[0], "s2": None, "s3": NIKS[1]}
# Walk-in ids clash with each other and with pre-registered NIKs; "ghost" is never a student.
# s1 is drawn most often so that one student collects contradictory events.
REFS = ("s1", "s1", "s1", "s1", "s2", "s3", "w1", "w2", "w3", "ghost")
KINDS = ("checkin", "enqueue", "call", "outcome", "outcome", "ikd", "walkin", "undo", "note")
REASONS = ("sidik_jari", "iris", "belum_padan")
SETTINGS = settings(deadline=None, max_examples=200)


def build_events(specs):
    """Turn drawn tuples into well-formed events from up to four devices."""
    seqs = dict.fromkeys(DEVICES, 0)
    events = []
    for dev, ms, counter, kind, a, b in specs:
        seqs[dev] += 1
        seq = seqs[dev]
        ev = {
            "id": f"{dev}:{seq}",
            "device_id": dev,
            "seq": seq,
            # A tiny clock range makes equal hlc values (tie-breaks) common.
            "hlc": f"{BASE_MS + ms:013d}-{counter:04d}",
            "at": f"2026-11-27T01:00:{ms % 60:02d}.000Z",
            "type": kind,
        }
        sid = REFS[a % len(REFS)]
        if kind == "walkin":
            ev["student"] = {"id": f"w{a % 3 + 1}", "name": "Walk In", "nik": NIKS[b % 4]}
        elif kind == "undo":
            ev["target"] = b  # resolved below, once every id is known
        else:
            ev["student_id"] = sid
        if kind == "enqueue":
            ev["ticket"] = f"{dev[-1]}-{b % 3:03d}"
        elif kind == "call":
            ev["station"] = b % 3 + 1
        elif kind == "outcome":
            ev["result"] = ("recorded", "failed")[b % 2]
            if ev["result"] == "failed":
                ev["reason"] = REASONS[b % 3]
        elif kind == "ikd":
            ev["status"] = ("scanned", "active", "failed")[b % 3]
        elif kind == "note":
            ev["text"] = f"catatan {b}"
        events.append(ev)
    ids = [ev["id"] for ev in events] + ["hpZ:1"]  # an undo may target a never-seen id
    for ev in events:
        if ev["type"] == "undo":
            # Any event, itself, another undo (undo of undo) or one sorted later.
            ev["target"] = ids[ev["target"] % len(ids)]
            ev["reason"] = "salah"
    return events


spec = st.tuples(
    st.sampled_from(DEVICES),
    st.integers(0, 30),
    st.integers(0, 2),
    st.sampled_from(KINDS),
    st.integers(0, 50),
    st.integers(0, 50),
)
event_sets = st.lists(spec, max_size=40).map(build_events)


def folded(events, closed=False):
    return fold(events, PRE, closed=closed).to_dict()


@SETTINGS
@given(event_sets, st.randoms(use_true_random=False))
def test_any_permutation_gives_the_same_state(events, rnd):
    expected = folded(events)
    for _ in range(3):
        shuffled = list(events)
        rnd.shuffle(shuffled)
        assert folded(shuffled) == expected


@SETTINGS
@given(event_sets, st.randoms(use_true_random=False))
def test_duplicates_change_nothing(events, rnd):
    expected = folded(events)
    # Copies, not the same objects: a re-sent event is a new dict with equal content.
    extra = [copy.deepcopy(rnd.choice(events)) for _ in range(len(events))] if events else []
    mixed = events + extra
    rnd.shuffle(mixed)
    assert folded(mixed) == expected


@SETTINGS
@given(event_sets, st.randoms(use_true_random=False), st.integers(1, 5))
def test_split_into_batches_and_refolded_converges(events, rnd, k):
    expected = folded(events)
    batches = [[] for _ in range(k)]
    for ev in events:
        batches[rnd.randrange(k)].append(ev)
    rnd.shuffle(batches)
    seen = []
    for batch in batches:
        # Each sync refolds the union known so far; a batch may carry events seen before.
        seen = seen + batch + rnd.sample(seen, k=min(len(seen), 2))
        prefix_state = folded(seen)
        assert prefix_state == folded(list(reversed(seen)))
    assert folded(seen) == expected


@SETTINGS
@given(event_sets, st.randoms(use_true_random=False))
def test_phones_gossiping_converge_to_the_fold_of_the_union(events, rnd):
    expected = folded(events)
    # Each phone starts with its own events and merges another phone's log in random rounds.
    logs = {d: [ev for ev in events if ev["device_id"] == d] for d in DEVICES}
    for _ in range(12):
        a, b = rnd.sample(DEVICES, 2)
        logs[a] = logs[a] + logs[b]
    for d in DEVICES:
        logs[d] = logs[d] + events  # the final full sync
        assert folded(logs[d]) == expected


def _live_ids(events):
    by_id = {ev["id"]: ev for ev in events}
    annulled = {
        ev["target"]
        for ev in events
        if ev["type"] == "undo" and ev["target"] in by_id and by_id[ev["target"]]["type"] != "undo"
    }
    return {i for i in by_id if i not in annulled}


@SETTINGS
@given(event_sets, st.integers(0, 100))
def test_undo_is_the_same_as_never_having_happened(events, pick):
    plain = [ev for ev in events if ev["type"] != "undo"]
    assume(plain)  # hypothesis draws another example instead of passing this one vacuously
    target = plain[pick % len(plain)]
    undo = {
        "id": "hpU:1",
        "device_id": "hpU",
        "seq": 1,
        "hlc": "0000000000001-0000",
        "at": "2026-11-27T00:00:00.000Z",
        "type": "undo",
        "target": target["id"],
        "reason": "x",
    }
    without = [ev for ev in events if ev["id"] != target["id"]]
    assert folded(events + [undo]) == folded(without)


@SETTINGS
@given(event_sets, st.integers(0, 100))
def test_undo_of_an_undo_changes_nothing(events, pick):
    undos = [ev for ev in events if ev["type"] == "undo"]
    assume(undos)  # hypothesis draws another example instead of passing this one vacuously
    target = undos[pick % len(undos)]
    undo = {
        "id": "hpU:1",
        "device_id": "hpU",
        "seq": 1,
        "hlc": "9999999999999-9999",
        "at": "2026-11-27T23:00:00.000Z",
        "type": "undo",
        "target": target["id"],
        "reason": "x",
    }
    assert folded(events + [undo]) == folded(events)


@SETTINGS
@given(event_sets)
def test_invariants_and_outcome_oracle(events):
    result = folded(events)
    closed = folded(events, closed=True)
    students = result["students"]
    assert set(PRE) <= set(students)
    assert set(result["walkins"]) == set(students) - set(PRE)
    for alias, canonical in result["aliases"].items():
        assert alias not in students and canonical in students
    keys = [(c["code"], c["student_id"], c["events"]) for c in result["conflicts"]]
    assert keys == sorted(keys)
    live = _live_ids(events)
    for sid, state in students.items():
        assert state["attendance"] in ("present", "not_arrived")
        expected_closed = "absent" if state["attendance"] == "not_arrived" else "present"
        assert closed["students"][sid]["attendance"] == expected_closed
        assert state["conflicts"] == sorted(set(state["conflicts"]))
        results = {
            ev["result"]
            for ev in events
            if ev["id"] in live
            and ev["type"] == "outcome"
            and result["aliases"].get(ev["student_id"], ev["student_id"]) == sid
        }
        oracle = "recorded" if "recorded" in results else ("failed" if results else None)
        assert state["outcome"] == oracle
        assert (state["reason"] is None) == (state["outcome"] != "failed")
        assert (state["ticket"] is None) == (state["enqueued_at"] is None)
        assert not any(c["code"] == "repeat_checkin" for c in result["conflicts"])


def test_order_of_a_hundred_random_shuffles_of_a_big_set_is_stable():
    rng = random.Random(7)
    specs = [
        (
            rng.choice(DEVICES),
            rng.randrange(30),
            rng.randrange(3),
            rng.choice(KINDS),
            rng.randrange(50),
            rng.randrange(50),
        )
        for _ in range(400)
    ]
    events = build_events(specs)
    expected = folded(events)
    for _ in range(100):
        rng.shuffle(events)
        assert folded(events) == expected
