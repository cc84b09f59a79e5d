"""Coverage counts as SQL aggregates over the stored state, each person once (docs/coverage.md).

A person is the NIK within the city; a student row whose NIK was purged is its own person
(through `origin_id`, the row a follow-up copied it from). Across visits a person counts once,
with the state of one representative row: a row where they were recorded if there is one (recorded
is sticky), else the row of their latest visit that has begun (a planned follow-up has not
happened yet), else their latest row. Visit lines count a visit's own rows.
"""
from collections import Counter, namedtuple
from datetime import date

from flask import current_app
from sqlalchemy import and_, case, func, literal_column, or_, select
from sqlalchemy.orm import joinedload
from sqlalchemy.sql.functions import aggregate_strings

from webapp.extensions import db
from webapp.regions.models import Kelurahan
from webapp.sync.models import StudentState
from webapp.visits.models import Student, Visit

COUNTED = ("registered", "eligible", "present", "not_arrived", "absent", "recorded", "failed",
           "waiting", "ikd_scanned", "ikd_active", "ikd_failed", "already_recorded", "printed")
PLACES = ("visit", "school", "kelurahan_school", "kelurahan_residence", "kecamatan_school",
          "kecamatan_residence", "city")
# Sums of one visit (and home kelurahan): `own` lines add up to the visit's own rows; the others
# (negative) take away rows that do not stand for their person (seen on another visit too).
Part = namedtuple("Part", "visit_id home_kel sums reasons own")
SEP = "\x1f"  # between the failure reasons of a visit (codes: never hold a control character)
SUMMED = ("registered", "eligible", "present", "recorded", "failed", "already_recorded", "waiting",
          "ikd_scanned", "ikd_active", "ikd_failed", "printed")


def person_key():
    """The person a student row is: its NIK, or for a purged NIK the first row of its line."""
    return case((Student.nik.like("X%"), func.coalesce(Student.origin_id, Student.id)),
                else_=Student.nik)


def cutoff(on, min_age):
    """The latest birth date old enough on `on`: the same day `min_age` years earlier (28 February
    for 29 February), the rule of webapp.identity.add_years, so it can be a plain comparison."""
    try:
        return on.replace(year=on.year - min_age)
    except ValueError:
        return date(on.year - min_age, 2, 28)


def _eligible(visits):
    min_age = current_app.config.get("MIN_RECORD_AGE", 16)
    # A comparison with each visit's cut-off date: per-row date arithmetic cost more than the
    # whole GROUP BY. Born before every cut-off or after every one needs no visit; the rest find
    # theirs by halving the sorted visit ids (a flat CASE compared half of them per row).
    cuts = sorted((v.id, cutoff(v.date, min_age)) for v in visits)
    dates = [c for _, c in cuts]
    return case((Student.married.is_(True), 1), (Student.birth_date <= min(dates), 1),
                (Student.birth_date > max(dates), 0), (literal_column(_old_enough(cuts)), 1), else_=0)


def _old_enough(cuts):
    """birth_date <= the cut-off of the row's visit, as SQL: a CASE tree over (visit id, cut-off).
    Written as text from integers and ISO dates (nothing a user typed): built as expression
    objects, a season's tree cost more than running it."""
    if len(cuts) == 1:
        return f"student.birth_date <= '{cuts[0][1].isoformat()}'"
    mid = len(cuts) // 2
    return (f"CASE WHEN student.visit_id < {int(cuts[mid][0])} THEN {_old_enough(cuts[:mid])} "
            f"ELSE {_old_enough(cuts[mid:])} END")


def _conditions(eligible):
    """The condition each SUMMED figure but `registered` counts, over student ⟕ student_state."""
    present = StudentState.attendance == "present"
    return {"eligible": eligible == 1, "present": present,
            "recorded": StudentState.outcome == "recorded",
            "failed": StudentState.outcome == "failed",
            "already_recorded": StudentState.outcome == "already_recorded",
            "waiting": and_(present, StudentState.outcome.is_(None)),
            "ikd_scanned": StudentState.ikd == "scanned", "ikd_active": StudentState.ikd == "active",
            "ikd_failed": StudentState.ikd == "failed", "printed": StudentState.print == "printed"}


def _summed(eligible):
    """The SUMMED columns as SUM(CASE ...) over student ⟕ student_state."""
    conditions = _conditions(eligible)
    return [func.count().label("registered"),
            *[func.sum(case((conditions[name], 1), else_=0)).label(name) for name in SUMMED[1:]]]


def partials(visits, *, home=False):
    """Sums per visit (and home kelurahan if `home`): a few SQL GROUP BYs over every row, and the
    rows of persons seen on more than one visit that do not stand for them (few: carried over by
    a follow-up). Every coverage figure adds these up."""
    if not visits:
        return []
    ids = [v.id for v in visits]
    eligible = _eligible(visits)
    if home:
        return _by_home(ids, eligible) + _not_standing(eligible, ids, home)
    parts, twice = _by_visit(ids, eligible)
    return parts + _not_standing(eligible, ids, home, twice)


def _by_visit(ids, eligible):
    """(lines per visit, persons on more than one row), in two passes that need no join and no
    sort: the student rows (registered, eligible, their persons concatenated), and the
    student_state rows by their visit_id index (the failures' reasons concatenated: a GROUP BY
    visit, reason sorted every row). The join cost more than both."""
    purged = case((_is_purged(), _purged_person()))  # NULL (left out) unless purged
    rows = (select(Student.visit_id, func.count(), func.count().filter(eligible == 1),
                   aggregate_strings(Student.nik, SEP), aggregate_strings(purged, SEP))
            .where(Student.visit_id.in_(ids)).group_by(Student.visit_id))
    sums, persons = {}, ([], [])
    for vid, n, e, *keys in db.session.execute(rows):
        sums[vid] = dict.fromkeys(SUMMED, 0) | {"registered": n, "eligible": e}
        for found, into in zip(keys, persons, strict=True):
            into.extend(found.split(SEP) if found else ())
    # The persons on more than one row (NIKs, purged lines), without a sort in SQL; usually
    # none, which one set() tells.
    twice = [[key for key, n in Counter(keys).items() if n > 1] if len(set(keys)) < len(keys) else []
             for keys in persons]
    conditions = _conditions(eligible)
    stated = SUMMED[2:]
    failed = aggregate_strings(func.coalesce(StudentState.reason, "-"), SEP).filter(
        StudentState.outcome == "failed")
    states = (select(StudentState.visit_id, failed, *[func.count().filter(conditions[name]) for name in stated])
              .where(StudentState.visit_id.in_(ids)).group_by(StudentState.visit_id))
    reasons = {}
    for vid, why, *counts in db.session.execute(states):
        line = sums.setdefault(vid, dict.fromkeys(SUMMED, 0))
        line.update(zip(stated, counts, strict=True))
        reasons[vid] = Counter(why.split(SEP)) if why else Counter()
    return [Part(vid, None, line, reasons.get(vid, Counter()), True) for vid, line in sums.items()], twice


def _by_home(ids, eligible):
    """Per visit and home kelurahan: one GROUP BY over student ⟕ student_state, and one over
    the failures by reason."""
    keys = [Student.visit_id, Student.kelurahan_code]
    failed = (select(*keys, StudentState.reason, func.count())
              .join(Student, Student.id == StudentState.student_id)
              .where(StudentState.visit_id.in_(ids), StudentState.outcome == "failed")
              .group_by(*keys, StudentState.reason))
    reasons = {}
    for vid, kel, reason, n in db.session.execute(failed):
        reasons.setdefault((vid, kel), Counter())[reason or "-"] += n
    every = (select(*keys, *_summed(eligible)).outerjoin(StudentState, StudentState.student_id == Student.id)
             .where(Student.visit_id.in_(ids)).group_by(*keys))
    return [Part(row[0], row[1], {name: int(row._mapping[name] or 0) for name in SUMMED},
                 reasons.get((row[0], row[1]), Counter()), True) for row in db.session.execute(every)]


def _is_purged():
    # "X..." as a range rather than LIKE: the (visit_id, nik) index finds them.
    return and_(Student.nik >= "X", Student.nik < "Y")


def _purged_person():
    return func.coalesce(Student.origin_id, Student.id)


def _not_standing(eligible, ids, home, twice=None):
    """-1 lines for each row whose person another row of these visits stands for (rank > 1);
    `twice`: the (NIKs, purged lines) seen on more than one row, if already known."""
    person = person_key()
    # The persons first, as plain values (usually none: then no window query at all). Grouping
    # by the NIK column is cheaper than by `person`.
    purged, is_purged = _purged_person(), _is_purged()
    if twice is None:
        twice = [db.session.execute(select(key).where(Student.visit_id.in_(ids), *where)
                                    .group_by(key).having(func.count() > 1)).scalars().all()
                 for key, where in ((Student.nik, ()), (purged, (is_purged,)))]
    twice_nik, twice_purged = (sorted(keys) for keys in twice)
    if not twice_nik and not twice_purged:
        return []
    rank = func.row_number().over(partition_by=person, order_by=(
        case((StudentState.outcome == "recorded", 0), (Visit.status == "planned", 2), else_=1),
        Visit.date.desc(), Visit.id.desc()))
    rows = (select(Student.visit_id, Student.kelurahan_code, eligible.label("eligible"),
                   StudentState.attendance, StudentState.outcome, StudentState.reason,
                   StudentState.ikd, StudentState.print, rank.label("rank"))
            .join(Visit, Visit.id == Student.visit_id)
            .outerjoin(StudentState, StudentState.student_id == Student.id)
            .where(Student.visit_id.in_(ids),
                   or_(and_(~is_purged, Student.nik.in_(twice_nik)),
                       and_(is_purged, purged.in_(twice_purged)))))
    out = []
    for row in db.session.execute(rows):
        if row.rank == 1:
            continue
        present = row.attendance == "present"
        flags = {"registered": 1, "eligible": row.eligible, "present": present,
                 "recorded": row.outcome == "recorded", "failed": row.outcome == "failed",
                 "already_recorded": row.outcome == "already_recorded",
                 "waiting": present and row.outcome is None, "ikd_scanned": row.ikd == "scanned",
                 "ikd_active": row.ikd == "active", "ikd_failed": row.ikd == "failed",
                 "printed": row.print == "printed"}
        reasons = Counter({row.reason or "-": -1}) if row.outcome == "failed" else Counter()
        out.append(Part(row.visit_id, row.kelurahan_code if home else None,
                        {name: -int(flag) for name, flag in flags.items()}, reasons, False))
    return out


def place(visit, part, by, kecamatan_of):
    """The group key of a partial line of `visit` for `by` (kecamatan_of: kelurahan -> kecamatan)."""
    if by == "visit":
        return visit.id
    if by == "school":
        return visit.school_id
    if by == "city":
        return "city"
    kel = part.home_kel if by.endswith("residence") else visit.school.kelurahan_code
    return kel if by.startswith("kelurahan") else kecamatan_of.get(kel)


def rollup(visits, parts, by, kecamatan_of=None, *, once=True):
    """{group key: (counts dict, Counter of failure reasons)} from `partials` lines of `visits`:
    each person once, unless `once` is false (a visit's own rows). Not seen: absent once the
    visit closed, else not arrived."""
    by_id, out = {v.id: v for v in visits}, {}
    for part in parts:
        if not once and not part.own:
            continue
        visit = by_id[part.visit_id]
        key = place(visit, part, by, kecamatan_of or {})
        if key not in out:
            out[key] = (dict.fromkeys(COUNTED, 0), Counter())
        sums, reasons = out[key]
        for name, value in part.sums.items():
            sums[name] += value
        sums["absent" if visit.status == "closed" else "not_arrived"] += (
            part.sums["registered"] - part.sums["present"])
        reasons.update(part.reasons)
    for _sums, reasons in out.values():
        for reason in [r for r, n in reasons.items() if not n]:
            del reasons[reason]
    return out


def kecamatan_map():
    """Kelurahan code -> kecamatan code."""
    return dict(db.session.execute(select(Kelurahan.code, Kelurahan.kecamatan_code)).all())


def aggregate(visit_ids, by, *, once=True):
    """{group key: (counts dict, Counter of failure reasons)}; `by` is one of PLACES."""
    visits = db.session.execute(select(Visit).options(joinedload(Visit.school))
                                .where(Visit.id.in_(visit_ids))).scalars().all()
    parts = partials(visits, home=by.endswith("residence"))
    return rollup(visits, parts, by, kecamatan_map() if by.startswith("kecamatan") else None, once=once)


def targets(visits, by):
    """Sasaran per group: the targets of the first visits only (a follow-up's target is the
    number it carried over, already inside its origin's)."""
    out = Counter()
    for visit in visits:
        if visit.follow_up_of_id is None:
            out[by(visit)] += visit.target or 0
    return out


def blanks(visits, by):
    """Blank cards per group: (brought, used, left) summed over the visits that recorded them."""
    out = {}
    for visit in visits:
        brought, left = visit.blanks_brought, visit.blanks_left
        if brought is None and left is None:
            continue
        b, u, rest = out.get(by(visit), (0, 0, 0))
        used = brought - left if brought is not None and left is not None else 0
        out[by(visit)] = (b + (brought or 0), u + used, rest + (left or 0))
    return out


def recorded_elsewhere(visit_id):
    """Ids of the visit's students whose person was recorded on another visit (not cancelled)."""
    other = Student.__table__.alias("other")
    other_state = StudentState.__table__.alias("other_state")
    other_visit = Visit.__table__.alias("other_visit")
    same_person = case((other.c.nik.like("X%"), func.coalesce(other.c.origin_id, other.c.id)),
                       else_=other.c.nik) == person_key()
    query = (select(Student.id).where(Student.visit_id == visit_id)
             .where(select(other.c.id)
                    .join(other_state, other_state.c.student_id == other.c.id)
                    .join(other_visit, other_visit.c.id == other.c.visit_id)
                    .where(other.c.visit_id != visit_id, other_state.c.outcome == "recorded",
                           other_visit.c.status != "cancelled", same_person)
                    .exists()))
    return set(db.session.execute(query).scalars())
