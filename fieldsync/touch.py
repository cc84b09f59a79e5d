"""Which students a set of new events touches: the part of a visit an incremental sync refolds.

The fold couples students in only two ways (docs/sync-algorithm.md §8): an `undo` acts on the
student of its target, and walk-ins sharing a NIK (or an id) resolve against each other and
against the pre-registered student of that NIK (first in total order is the student, the rest
become aliases). Every other rule (tickets, calls, outcomes, conflicts, info) reads and writes
one canonical student only. So the fold restricted to a closed set of students, fed every event
naming any of them, gives exactly what the full fold gives for those students.
"""


def named_ids(ev):
    """The student ids an event names itself: its `student_id`, or a walk-in's own id."""
    out = set()
    if not isinstance(ev, dict):
        return out
    sid = ev.get("student_id")
    if isinstance(sid, str) and sid:
        out.add(sid)
    student = ev.get("student")
    if ev.get("type") == "walkin" and isinstance(student, dict):
        wid = student.get("id")
        if isinstance(wid, str) and wid:
            out.add(wid)
    return out


def undo_target(ev):
    """The event id an undo names, else None."""
    if isinstance(ev, dict) and ev.get("type") == "undo" and isinstance(ev.get("target"), str):
        return ev["target"]
    return None


def walkin_nik(ev):
    """The NIK a walk-in event carries (what couples it to other students), else None."""
    student = ev.get("student") if isinstance(ev, dict) and ev.get("type") == "walkin" else None
    nik = student.get("nik") if isinstance(student, dict) else None
    return nik if isinstance(nik, str) and nik else None


def seed_ids(new_events, target_events):
    """Ids named by the new events and, for their undos, by the targets found in `target_events`.

    `target_events` maps event id -> event body for the undo targets already stored (an undo
    whose target has not arrived touches nobody yet: it annuls nothing until the target comes,
    and the target's arrival then touches its student).
    """
    out = set()
    for ev in new_events:
        out |= named_ids(ev)
        target = target_events.get(undo_target(ev))
        if target is not None:
            out |= named_ids(target)
    return out


def closure(seed, expand):
    """The smallest superset of `seed` closed under `expand(ids) -> coupled ids`.

    `expand` is given only the ids not yet expanded (the frontier), so each is looked up once.
    """
    done, frontier = set(), set(seed)
    while frontier:
        done |= frontier
        frontier = set(expand(frontier)) - done
    return done
