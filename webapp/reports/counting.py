"""Coverage counts as SQL aggregates over the stored state, each person once (docs/coverage.md).

A person is the NIK within the city; a student row whose NIK was purged is its own person
(through `origin_id`, the row a follow-up copied it from). Across visits a person counts once,
with the state of one representative row: a row where they were recorded if there is one (recorded
is sticky), else the row of their latest visit that has begun (a planned follow-up has not
happened yet), else their latest row. Visit lines count a visit's own rows.
"""
from collections import Counter

from flask import current_app
from sqlalchemy import and_, case, extract, func, literal, select

from webapp.extensions import db
from webapp.regions.models import Kelurahan
from webapp.schools.models import School
from webapp.sync.models import StudentState
from webapp.visits.models import Student, Visit

COUNTED = ("registered", "eligible", "present", "not_arrived", "absent", "recorded", "failed",
           "waiting", "ikd_scanned", "ikd_active", "ikd_failed", "already_recorded", "printed")


def _ymd(column):
    """A date as the integer YYYYMMDD: age in whole years = (ymd(on) - ymd(born)) // 10000."""
    return (extract("year", column) * 10000 + extract("month", column) * 100
            + extract("day", column))


def person_key():
    """The person a student row is: its NIK, or for a purged NIK the first row of its line."""
    return case((Student.nik.like("X%"), func.coalesce(Student.origin_id, Student.id)),
                else_=Student.nik)


def _rows(visit_ids, *, once):
    """One row per student of the visits (per person when `once`), with its effective state."""
    min_age = current_app.config.get("MIN_RECORD_AGE", 16)
    stored = func.coalesce(StudentState.attendance, "not_arrived")
    attendance = case((stored == "present", "present"), (Visit.status == "closed", "absent"),
                      else_="not_arrived")
    eligible = case((Student.married.is_(True), 1),
                    (_ymd(Visit.date) - _ymd(Student.birth_date) >= min_age * 10000, 1), else_=0)
    rank = func.row_number().over(
        partition_by=person_key(),
        order_by=(case((StudentState.outcome == "recorded", 0), (Visit.status == "planned", 2),
                       else_=1), Visit.date.desc(), Visit.id.desc())) if once else literal(1)
    query = (select(Student.visit_id.label("visit_id"), Visit.school_id.label("school_id"),
                    School.kelurahan_code.label("school_kel"),
                    Student.kelurahan_code.label("home_kel"), eligible.label("eligible"),
                    attendance.label("attendance"), StudentState.outcome.label("outcome"),
                    StudentState.reason.label("reason"), StudentState.ikd.label("ikd"),
                    StudentState.print.label("print"),
                    rank.label("rank"))
             .join(Visit, Visit.id == Student.visit_id)
             .join(School, School.id == Visit.school_id)
             .outerjoin(StudentState, StudentState.student_id == Student.id)
             .where(Student.visit_id.in_(visit_ids)))
    return query.subquery()


def _sums(rows):
    """The counted columns as SUM(CASE ...) over `rows`."""
    def n(condition):
        return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)
    return [
        func.count().label("registered"), func.coalesce(func.sum(rows.c.eligible), 0).label("eligible"),
        n(rows.c.attendance == "present").label("present"),
        n(rows.c.attendance == "not_arrived").label("not_arrived"),
        n(rows.c.attendance == "absent").label("absent"),
        n(rows.c.outcome == "recorded").label("recorded"),
        n(rows.c.outcome == "failed").label("failed"),
        n(and_(rows.c.attendance == "present", rows.c.outcome.is_(None))).label("waiting"),
        n(rows.c.ikd == "scanned").label("ikd_scanned"), n(rows.c.ikd == "active").label("ikd_active"),
        n(rows.c.ikd == "failed").label("ikd_failed"),
        n(rows.c.outcome == "already_recorded").label("already_recorded"),
        n(rows.c.print == "printed").label("printed"),
    ]


def _key(rows, by):
    """The grouping column: visit, school, kelurahan (of the school or the home), kecamatan, city."""
    if by == "visit":
        return rows.c.visit_id, None
    if by == "school":
        return rows.c.school_id, None
    kel = rows.c.home_kel if by.endswith("residence") else rows.c.school_kel
    if by.startswith("kelurahan"):
        return kel, None
    if by.startswith("kecamatan"):
        return Kelurahan.kecamatan_code, kel
    return literal("city"), None


def aggregate(visit_ids, by, *, once=True):
    """{group key: (counts dict, Counter of failure reasons)}; `by` is visit, school,
    kelurahan_school, kelurahan_residence, kecamatan_school, kecamatan_residence or city."""
    if not visit_ids:
        return {}
    rows = _rows(visit_ids, once=once)
    key, via = _key(rows, by)
    out = {}
    for row in db.session.execute(_grouped(rows, key, via, _sums(rows))).all():
        out[row.key] = ({name: int(getattr(row, name)) for name in COUNTED}, Counter())
    failed = _grouped(rows, key, via, [rows.c.reason, func.count().label("n")],
                      where=rows.c.outcome == "failed", extra_group=rows.c.reason)
    for row in db.session.execute(failed).all():
        out[row.key][1][row.reason or "-"] += int(row.n)
    return out


def _grouped(rows, key, via, columns, *, where=None, extra_group=None):
    """SELECT key, columns FROM rows (joined to the kecamatan if needed) GROUP BY key."""
    query = select(key.label("key"), *columns).select_from(rows)
    if via is not None:
        query = query.outerjoin(Kelurahan, Kelurahan.code == via)
    query = query.where(rows.c.rank == 1)
    if where is not None:
        query = query.where(where)
    return query.group_by(key, *([extra_group] if extra_group is not None else []))


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
