"""The fold: every student's derived state as a pure function of the set of sync events."""

import copy
import json
from dataclasses import dataclass, field

from .arbitration import apply_call, note_outcome, recorded_twice
from .codes import (
    CONFLICT_CODES,
    DOUBLE_CALL,
    DOUBLE_TICKET,
    INFO_CODES,
    RECORDED_THEN_FAILED,
    RECORDED_TWICE,
    REPEAT_CHECKIN,
    WALKIN_DUPLICATE,
)
from .desk import NOT_RECORDED, apply_correction, apply_print
from .hlc import order_key

PRESENCE_TYPES = frozenset({"checkin", "enqueue", "call", "outcome", "print"})


@dataclass
class StudentState:
    """Derived state of one student (the five protocol fields first)."""

    attendance: str = "not_arrived"
    ticket: str | None = None
    outcome: str | None = None
    reason: str | None = None
    ikd: str | None = None
    ikd_reason: str | None = None
    station: int | None = None
    checked_in_at: str | None = None
    enqueued_at: str | None = None
    called_at: str | None = None
    call_id: str | None = None
    outcome_at: str | None = None
    notes: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    consent: bool | None = None  # recorded at the gate (docs/consent.md); None: nothing recorded
    print: str | None = None  # printed | not_printed (docs/desk.md)
    print_reason: str | None = None
    corrections: list = field(default_factory=list)
    # Working fields of the fold, never exported.
    _present: bool = field(default=False, repr=False)
    _checkins: list = field(default_factory=list, repr=False)
    _ticket_event: str | None = field(default=None, repr=False)
    _recorded_event: str | None = field(default=None, repr=False)
    _call: dict | None = field(default=None, repr=False)
    _contests: list = field(default_factory=list, repr=False)
    _recorders: set = field(default_factory=set, repr=False)

    def to_dict(self):
        return {
            "attendance": self.attendance,
            "ticket": self.ticket,
            "outcome": self.outcome,
            "reason": self.reason,
            "ikd": self.ikd,
            "ikd_reason": self.ikd_reason,
            "station": self.station,
            "checked_in_at": self.checked_in_at,
            "enqueued_at": self.enqueued_at,
            "called_at": self.called_at,
            "call_id": self.call_id,
            "outcome_at": self.outcome_at,
            "notes": [dict(n) for n in self.notes],
            "conflicts": list(self.conflicts),
            "consent": self.consent,
            "print": self.print,
            "print_reason": self.print_reason,
            "corrections": [dict(c) for c in self.corrections],
        }


@dataclass
class FoldResult:
    """What the fold derives; `to_dict()` is the JSON shape shared with fold.js."""

    students: dict = field(default_factory=dict)
    aliases: dict = field(default_factory=dict)
    walkins: dict = field(default_factory=dict)
    conflicts: list = field(default_factory=list)
    info: list = field(default_factory=list)

    def canonical_id(self, student_id):
        """The student an id stands for (itself unless it is a walk-in alias)."""
        return self.aliases.get(student_id, student_id)

    def state_of(self, student_id):
        """The StudentState of a student id or alias, or None if unknown."""
        return self.students.get(self.canonical_id(student_id))

    def to_dict(self):
        return {
            "students": {sid: st.to_dict() for sid, st in self.students.items()},
            "aliases": dict(self.aliases),
            "walkins": copy.deepcopy(self.walkins),
            "conflicts": copy.deepcopy(self.conflicts),
            "info": copy.deepcopy(self.info),
        }


def canonical_json(value):
    """Key-sorted compact JSON, the same text fold.js produces for plain JSON data."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _well_formed(ev):
    # The fold trusts validation, but skipping junk keeps the order key well-typed.
    return (
        isinstance(ev, dict)
        and isinstance(ev.get("id"), str)
        and isinstance(ev.get("hlc"), str)
        and isinstance(ev.get("device_id"), str)
        and isinstance(ev.get("type"), str)
        and isinstance(ev.get("seq"), int)
        and not isinstance(ev.get("seq"), bool)
    )


def dedupe(events):
    """Map id -> event; on an id carried by two different events keep the smaller canonical JSON."""
    by_id = {}
    for ev in events:
        if not _well_formed(ev):
            continue
        seen = by_id.get(ev["id"])
        # Validation refuses a reused seq; this tie-break only keeps the fold order-free if
        # such a pair ever slips through.
        # JSON text, not ==, because in Python True == 1 and the two folds must agree.
        if seen is None or (seen is not ev and canonical_json(ev) < canonical_json(seen)):
            by_id[ev["id"]] = ev
    return by_id


def annulled_ids(by_id):
    """Ids annulled by an undo; an undo whose target is an undo (or absent) annuls nothing."""
    out = set()
    for ev in by_id.values():
        if ev.get("type") != "undo":
            continue
        target_id = ev.get("target")
        target = by_id.get(target_id) if isinstance(target_id, str) else None
        if target is not None and target.get("type") != "undo":
            out.add(target["id"])
    return out


def _nik_of(student):
    nik = student.get("nik") if isinstance(student, dict) else None
    return nik if isinstance(nik, str) and nik else None


def ticket_conflict(standing_event, standing_ticket, new_ticket):
    """A later enqueue conflicts only if it hands out another ticket than the standing one."""
    return standing_event is not None and new_ticket != standing_ticket


def outcome_conflict(current, result):
    """A failed (or already recorded) after recorded conflicts; failed then recorded is a retry."""
    return current == "recorded" and result in NOT_RECORDED


def alias_target(nik, niks):
    """The student a walk-in's NIK already belongs to, or None (a new student)."""
    return niks.get(nik) if nik is not None else None


def _issue(issues, code, sid, *event_ids):
    # A dict keeps insertion (= total) order and makes the membership test O(1).
    ids = issues.setdefault((code, sid), {})
    for eid in event_ids:
        if eid is not None:
            ids[eid] = True


def _resolve_walkins(walkin_events, states, niks, issues):
    """Create walk-in students in total order; a NIK seen before makes the walk-in an alias."""
    walkins, aliases, origin = {}, {}, {}
    for ev in walkin_events:
        student = ev.get("student")
        wid = student.get("id") if isinstance(student, dict) else None
        # A second walk-in reusing a known id (or an alias) changes nothing.
        if not isinstance(wid, str) or not wid or wid in states or wid in aliases:
            continue
        nik = _nik_of(student)
        canonical = alias_target(nik, niks)
        if canonical is not None:
            aliases[wid] = canonical
            _issue(issues, WALKIN_DUPLICATE, canonical, origin.get(canonical), ev["id"])
            continue
        states[wid] = StudentState()
        walkins[wid] = copy.deepcopy(student)
        origin[wid] = ev["id"]
        if nik is not None:
            niks[nik] = wid
    return walkins, aliases


def _apply(st, ev, sid, issues):
    """Apply one live event to its (canonical) student's working state."""
    kind, eid, at = ev.get("type"), ev["id"], ev.get("at")
    if kind in PRESENCE_TYPES:
        st._present = True
    if kind == "checkin":
        st._checkins.append(eid)
        if len(st._checkins) == 1:
            st.checked_in_at = at
        else:
            _issue(issues, REPEAT_CHECKIN, sid, st._checkins[0], eid)
    elif kind == "enqueue":
        if ticket_conflict(st._ticket_event, st.ticket, ev.get("ticket")):
            _issue(issues, DOUBLE_TICKET, sid, st._ticket_event, eid)
        elif st._ticket_event is None:
            st.ticket, st.enqueued_at, st._ticket_event = ev.get("ticket"), at, eid
    elif kind == "call":
        apply_call(st, ev)
    elif kind == "outcome":
        result = ev.get("result")
        for standing_id, losing_id in note_outcome(st, ev):
            _issue(issues, DOUBLE_CALL, sid, standing_id, losing_id)
        if recorded_twice(st.outcome, result):
            _issue(issues, RECORDED_TWICE, sid, st._recorded_event, eid)
        elif outcome_conflict(st.outcome, result):
            _issue(issues, RECORDED_THEN_FAILED, sid, st._recorded_event, eid)
        elif result == "recorded" and st.outcome != "recorded":
            # The first recorded sets the outcome; later ones change nothing.
            st.outcome, st.reason, st.outcome_at, st._recorded_event = "recorded", None, at, eid
        elif result in NOT_RECORDED:
            st.outcome, st.reason, st.outcome_at = result, ev.get("reason"), at
    elif kind == "ikd":
        st.ikd, st.ikd_reason = ev.get("status"), ev.get("reason")
    elif kind == "note":
        st.notes.append({"id": eid, "device_id": ev["device_id"], "at": at, "text": ev.get("text")})
    elif kind == "consent":
        apply_consent(st, ev)
    elif kind == "print":
        apply_print(st, ev)
    elif kind == "correction":
        apply_correction(st, ev)


def apply_consent(st, ev):
    """Consent recorded at the gate: the last `consent` event in the total order holds."""
    st.consent = ev.get("given")


def _issue_list(issues, codes):
    out = [
        {"code": code, "student_id": sid, "events": list(ids)}
        for (code, sid), ids in issues.items()
        if code in codes
    ]
    out.sort(key=lambda c: (c["code"], c["student_id"], c["events"]))
    return out


def _normalise_students(students):
    # The vectors give a plain list of ids; the server gives {id: nik or None}. Ids are
    # strings on the wire (and JavaScript object keys always are), so integer keys are too.
    if isinstance(students, dict):
        return {str(sid): nik for sid, nik in students.items()}
    return dict.fromkeys(str(sid) for sid in students or ())


def unseen_attendance(closed):
    """A student nobody checked in: `not_arrived`, and `absent` once the visit is closed."""
    return "absent" if closed else "not_arrived"


def fold(events, students, *, closed=False):
    """Fold a set of events over the pre-registered students into a FoldResult."""
    registered = _normalise_students(students)
    by_id = dedupe(events)
    annulled = annulled_ids(by_id)
    live = [ev for ev in sorted(by_id.values(), key=order_key) if ev["id"] not in annulled]

    states = {sid: StudentState() for sid in registered}
    niks = {}
    # Sorted so that two pre-registered students sharing a NIK resolve the same everywhere.
    for sid in sorted(registered):
        nik = registered[sid]
        if isinstance(nik, str) and nik and nik not in niks:
            niks[nik] = sid

    issues = {}
    walkin_events = [ev for ev in live if ev.get("type") == "walkin"]
    walkins, aliases = _resolve_walkins(walkin_events, states, niks, issues)

    for ev in live:
        sid = ev.get("student_id")
        if ev.get("type") in ("walkin", "undo") or not isinstance(sid, str):
            continue
        sid = aliases.get(sid, sid)
        st = states.get(sid)
        if st is not None:
            _apply(st, ev, sid, issues)

    conflicts = _issue_list(issues, CONFLICT_CODES)
    for c in conflicts:
        st = states[c["student_id"]]
        if c["code"] not in st.conflicts:
            st.conflicts.append(c["code"])
    for st in states.values():
        st.conflicts.sort()
        st.attendance = "present" if st._present else unseen_attendance(closed)

    return FoldResult(
        students={sid: states[sid] for sid in sorted(states)},
        aliases={a: aliases[a] for a in sorted(aliases)},
        walkins={w: walkins[w] for w in sorted(walkins)},
        conflicts=conflicts,
        info=_issue_list(issues, INFO_CODES),
    )
