"""Coverage counts per visit, school, kelurahan, kecamatan and city (kept apart from HTTP)."""
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.regions.models import Kecamatan, Kelurahan
from webapp.reports import counting
from webapp.visits.models import Visit

BASES = ("school", "residence")
UNKNOWN = "-"



class ReportError(DomainError):
    """A refused report request (codes in webapp.errors.ERRORS)."""


@dataclass
class Counts:
    """Headline numbers of a set of students (one visit, a school, an area, the city)."""

    registered: int = 0
    eligible: int = 0
    under_age: int = 0
    present: int = 0
    not_arrived: int = 0
    absent: int = 0
    recorded: int = 0
    failed: int = 0
    waiting: int = 0  # checked in, no outcome yet (left the queue or still in it)
    ikd_scanned: int = 0
    ikd_active: int = 0
    ikd_failed: int = 0
    already_recorded: int = 0  # "Sudah punya KTP-el" (docs/desk.md)
    printed: int = 0
    blanks_brought: int = 0
    blanks_used: int = 0
    blanks_left: int = 0
    target: int = 0
    visits: int = 0
    reasons: Counter = field(default_factory=Counter)

    def add(self, row):
        """Count one StudentRow."""
        self.registered += 1
        self.eligible += row.eligible
        self.under_age += not row.eligible
        setattr(self, row.attendance, getattr(self, row.attendance) + 1)
        if row.outcome == "recorded":
            self.recorded += 1
        elif row.outcome == "failed":
            self.failed += 1
            self.reasons[row.reason or UNKNOWN] += 1
        elif row.outcome == "already_recorded":
            self.already_recorded += 1
        elif row.attendance == "present":
            self.waiting += 1
        self.printed += row.print == "printed"
        if row.ikd in ("scanned", "active", "failed"):
            name = f"ikd_{row.ikd}"
            setattr(self, name, getattr(self, name) + 1)

    def merge(self, other):
        """Add another Counts into this one."""
        for name in self.__dataclass_fields__:
            if name == "reasons":
                self.reasons.update(other.reasons)
            else:
                setattr(self, name, getattr(self, name) + getattr(other, name))
        return self

    @property
    def achievement(self):
        """Recorded as a percentage of the eligible students (None when nobody is eligible)."""
        return round(100.0 * self.recorded / self.eligible, 1) if self.eligible else None

    def to_dict(self):
        out = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "reasons"}
        out["failed_by_reason"] = dict(sorted(self.reasons.items()))
        out["achievement"] = self.achievement
        return out


@dataclass
class Group:
    """One line of a coverage table."""

    key: str
    label: str
    detail: str = ""
    counts: Counts = field(default_factory=Counts)


@dataclass
class Coverage:
    """Everything the dashboard shows for one date range."""

    date_from: date | None
    date_to: date | None
    basis: str
    visits: list
    schools: list
    kelurahan: list
    kecamatan: list
    unvisited_kelurahan: list
    city: Counts
    city_target: int
    city_base: int = 0  # recorded before or outside Jemput (CITY_RECORDED_BASE)

    @property
    def city_recorded_total(self):
        """The city's recorded residents: its own count plus those recorded with Jemput."""
        return self.city_base + self.city.recorded

    @property
    def city_achievement(self):
        """The city's recorded residents against its wajib-KTP target, in percent."""
        return round(100.0 * self.city_recorded_total / self.city_target, 2) if self.city_target else None


def tally(rows, visit=None):
    """Counts of a list of StudentRows (with the visit's target if given)."""
    counts = Counts()
    for row in rows:
        counts.add(row)
    if visit is not None:
        counts.target, counts.visits = visit.target or 0, 1
        set_blanks(counts, counting.blanks([visit], lambda v: v.id).get(visit.id))
    return counts


def set_blanks(counts, found):
    """Put counting.blanks' (brought, used, left) of one group into its Counts."""
    if found is not None:
        counts.blanks_brought, counts.blanks_used, counts.blanks_left = found
    return counts


def season(today, start_month=7):
    """The season holding `today`: the school year, 1 July to 30 June (SEASON_START_MONTH)."""
    first = date(today.year if today.month >= start_month else today.year - 1, start_month, 1)
    return first, date(first.year + 1, start_month, 1) - timedelta(days=1)


def visits_in_range(date_from=None, date_to=None):
    """Visits that are not cancelled (with their school loaded) whose date lies in the range,
    newest first. Areas come from `_regions`: joining them here cost a third of the baseline."""
    if date_from and date_to and date_to < date_from:
        raise ReportError("bad_range", "sampai")
    query = (select(Visit).options(joinedload(Visit.school)).where(Visit.status != "cancelled")
             .order_by(Visit.date.desc(), Visit.id.desc()))
    if date_from:
        query = query.where(Visit.date >= date_from)
    if date_to:
        query = query.where(Visit.date <= date_to)
    return db.session.execute(query).scalars().all()


def _regions():
    kel = {k.code: k for k in db.session.execute(select(Kelurahan)).scalars()}
    kec = {k.code: k for k in db.session.execute(select(Kecamatan)).scalars()}
    return kel, kec


def _group(groups, key, label, detail=""):
    if key not in groups:
        groups[key] = Group(key=key, label=label, detail=detail)
    return groups[key]


def _counts(found, target=0, visits=0):
    """Counts from counting.aggregate's (sums, reasons) of one group (None: nobody)."""
    counts = Counts(target=target, visits=visits)
    if found is not None:
        sums, reasons = found
        for name, value in sums.items():
            setattr(counts, name, value)
        counts.under_age = counts.registered - counts.eligible
        counts.reasons = reasons
    return counts


def coverage(date_from=None, date_to=None, basis="school"):
    """Coverage of the visits in a range (cancelled ones left out), grouped; each person counts
    once with their latest state (webapp.reports.counting). `basis` places a person at the
    school's kelurahan ("school") or at their own ("residence")."""
    if basis not in BASES:
        raise ReportError("bad_basis", "dasar")
    visits = visits_in_range(date_from, date_to)
    kel, kec = _regions()
    kec_of = {code: k.kecamatan_code for code, k in kel.items()}
    outside = str(_l("Luar kota / tidak diketahui"))
    # One GROUP BY for every figure (webapp.reports.counting.partials), summed per place here.
    parts = counting.partials(visits, home=basis == "residence")
    own = counting.rollup(visits, parts, "visit", once=False)
    per_visit = [Group(str(v.id), v.school.name, v.date.isoformat(),
                       set_blanks(_counts(own.get(v.id), v.target or 0, 1),
                                  counting.blanks([v], lambda x: x.id).get(v.id))) for v in visits]

    def groups(by, place, label):
        """{key: Group} of `by`; `place(visit)` is where a visit's target and count go."""
        found = counting.rollup(visits, parts, by, kec_of)
        placed = by == "school" or basis == "school"
        targets = counting.targets(visits, place) if placed else Counter()
        visit_counts = Counter(place(v) for v in visits) if placed else Counter()
        blanks = counting.blanks(visits, place) if placed else {}
        out = {}
        for key in set(found) | set(visit_counts):
            name, detail = label(key)
            group = _group(out, str(key) if name else UNKNOWN, name or outside, detail or "")
            group.counts.merge(set_blanks(_counts(found.get(key), targets[key], visit_counts[key]),
                                          blanks.get(key)))
        return out

    schools = {v.school_id: v.school for v in visits}
    school_groups = groups("school", lambda v: v.school_id,
                           lambda k: (schools[k].name, schools[k].npsn))
    kel_groups = groups(f"kelurahan_{basis}", lambda v: v.school.kelurahan_code,
                        lambda k: (kel[k].name, kel[k].kecamatan.name) if k in kel else (None, None))
    kec_groups = {code: Group(code, k.name, code) for code, k in sorted(kec.items())}
    for key, group in groups(f"kecamatan_{basis}", lambda v: kec_of.get(v.school.kelurahan_code),
                             lambda k: (kec[k].name, k) if k in kec else (None, None)).items():
        kec_groups[key] = group
    city = set_blanks(_counts(counting.rollup(visits, parts, "city").get("city"),
                              sum(counting.targets(visits, lambda v: "city").values()), len(visits)),
                      counting.blanks(visits, lambda v: "city").get("city"))
    by_label = lambda g: (g.key == UNKNOWN, g.label.casefold())  # noqa: E731
    return Coverage(
        date_from=date_from, date_to=date_to, basis=basis, visits=per_visit,
        schools=sorted(school_groups.values(), key=by_label),
        kelurahan=sorted(kel_groups.values(), key=by_label),
        kecamatan=sorted(kec_groups.values(), key=lambda g: (g.key == UNKNOWN, g.key)),
        unvisited_kelurahan=sorted((k.name for c, k in kel.items() if c not in kel_groups),
                                   key=str.casefold),
        city=city, city_target=current_app.config.get("CITY_TARGET") or 0,
        city_base=current_app.config.get("CITY_RECORDED_BASE") or 0,
    )


def coverage_dict(cov):
    """The JSON shape of a Coverage (API and city recap)."""
    def groups(items):
        return [{"key": g.key, "label": g.label, "detail": g.detail, **g.counts.to_dict()}
                for g in items]

    return {
        "date_from": cov.date_from, "date_to": cov.date_to,
        "basis": cov.basis,
        "city": {**cov.city.to_dict(), "city_target": cov.city_target, "city_recorded_base": cov.city_base,
                 "city_recorded_total": cov.city_recorded_total,
                 "city_achievement": cov.city_achievement},
        "visits": groups(cov.visits), "schools": groups(cov.schools),
        "kelurahan": groups(cov.kelurahan), "kecamatan": groups(cov.kecamatan),
        "unvisited_kelurahan": cov.unvisited_kelurahan,
    }
