"""The shared worked vectors hold the Python fold to the protocol."""

import json
import random
from pathlib import Path

import pytest

from fieldsync import fold

VECTORS = Path(__file__).resolve().parents[1] / "vectors"
FILES = sorted(VECTORS.glob("*.json"))
FIVE = ("attendance", "ticket", "outcome", "reason", "ikd")
# The protocol's own vectors (copied unchanged from shared/vectors).
SHARED = {
    "double_check_in_two_tickets",
    "ikd_last_wins_and_undo_of_checkin",
    "recorded_is_sticky",
    "recorded_twice",
    "recorded_twice_undone",
    "retry_after_failure",
    "same_timestamp_tie_break",
    "undo_arrives_first",
    "walk_in_registered_twice",
}


def _load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def _fold(vector, events=None):
    events = vector["events"] if events is None else events
    return fold(events, vector["students"], closed=vector.get("closed", False)).to_dict()


def _pairs(items):
    return {(c["code"], c["student_id"]) for c in items}


def check_vector(vector, result):
    """Compare a fold result with a vector: five fields, aliases, conflicts (and extras)."""
    assert set(result["students"]) == set(vector["expected"])
    for sid, expected in vector["expected"].items():
        assert {k: result["students"][sid][k] for k in FIVE} == expected, sid
    assert result["aliases"] == vector.get("aliases", {})
    assert _pairs(result["conflicts"]) == _pairs(vector["conflicts"])
    # Optional keys of our own vectors: more derived fields, and info codes.
    for sid, detail in vector.get("expected_detail", {}).items():
        assert {k: result["students"][sid][k] for k in detail} == detail, sid
    if "info" in vector:
        assert _pairs(result["info"]) == _pairs(vector["info"])


def test_all_shared_vectors_are_present_and_we_add_our_own():
    names = {p.stem for p in FILES}
    assert SHARED <= names
    assert len(names - SHARED) >= 6


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector(path):
    vector = _load(path)
    assert vector["name"] == path.stem
    check_vector(vector, _fold(vector))


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_vector_in_any_delivery_order_with_duplicates(path):
    vector = _load(path)
    expected = _fold(vector)
    rng = random.Random(path.stem)
    for _ in range(20):
        events = list(vector["events"]) + rng.sample(vector["events"], k=len(vector["events"]) // 2)
        rng.shuffle(events)
        assert _fold(vector, events) == expected


@pytest.mark.parametrize("path", FILES, ids=[p.stem for p in FILES])
def test_conflict_codes_are_on_the_students(path):
    result = _fold(_load(path))
    for conflict in result["conflicts"]:
        assert conflict["code"] in result["students"][conflict["student_id"]]["conflicts"]
        assert conflict["events"]
    for info in result["info"]:
        assert info["code"] not in result["students"][info["student_id"]]["conflicts"]


def test_students_may_be_a_list_or_an_object():
    vector = _load(VECTORS / "walk_in_registered_twice.json")
    as_list = fold(vector["events"], ["s9"]).to_dict()
    as_dict = fold(vector["events"], {"s9": None}).to_dict()
    assert as_list == as_dict


def test_walkin_duplicate_lists_both_walkin_events():
    result = _fold(_load(VECTORS / "walk_in_registered_twice.json"))
    assert result["conflicts"] == [
        {"code": "walkin_duplicate", "student_id": "w-a", "events": ["hpA:1", "hpB:1"]}
    ]
    assert set(result["walkins"]) == {"w-a"}
    assert result["walkins"]["w-a"]["nik"] == "3672015508090731"


def test_double_ticket_lists_standing_enqueue_first():
    result = _fold(_load(VECTORS / "double_check_in_two_tickets.json"))
    assert result["conflicts"][0]["events"] == ["hpA:2", "hpB:2"]
    assert result["info"] == [
        {"code": "repeat_checkin", "student_id": "s1", "events": ["hpA:1", "hpB:1"]}
    ]
    s1 = result["students"]["s1"]
    assert s1["checked_in_at"] == "2026-11-27T01:00:03.000Z"
    assert s1["enqueued_at"] == "2026-11-27T01:00:03.000Z"
