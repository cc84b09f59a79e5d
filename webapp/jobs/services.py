"""Ask for a slow file, run its job, tell its state, serve it once ready (docs/jobs.md)."""
import hashlib
import uuid

from flask_babel import force_locale
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from webapp.clock import utcnow
from webapp.errors import DomainError
from webapp.extensions import db
from webapp.jobs.models import Job, SlipsFile
from webapp.jobs.queue import jobs
from webapp.visits.models import Student, Visit

KINDS = ("report", "slips")
# Files of one visit stored in slips_file by key (purged with the visit): the slips, and the
# school's list of students still to record (its key starts with "r").
VISIT_FILES = ("slips", "remaining")


def _visit(visit_id):
    visit = db.session.get(Visit, visit_id)
    if visit is None:
        raise DomainError("visit_not_found")
    return visit


def slips_key(visit, locale):
    """The roster version the slips show: any student added, removed or edited changes it."""
    count, newest = db.session.execute(select(func.count(Student.id), func.max(Student.updated_at))
                                       .where(Student.visit_id == visit.id)).one()
    from webapp.visits.eligibility import configured_ages

    raw = f"{visit.id}:{count}:{newest}:{visit.school_id}:{visit.date}:{configured_ages()}:{locale}"
    return hashlib.sha256(raw.encode()).hexdigest()[:32]


def remaining_key(visit, locale):
    """The list of students still to record changes with the roster and with every outcome."""
    raw = f"{slips_key(visit, locale)}:{visit.state_version}"
    return "r" + hashlib.sha256(raw.encode()).hexdigest()[:31]


def _key(kind, visit, locale):
    if kind == "report":
        return f"v{visit.state_version}"
    return remaining_key(visit, locale) if kind == "remaining" else slips_key(visit, locale)


def _ready(kind, visit, key):
    if kind == "report":
        from webapp.reports.pdf import cached

        return cached(visit.id, visit.state_version) is not None
    return _kept(visit, key, SlipsFile.id) is not None


def _kept(visit, key, column=SlipsFile.pdf):
    """`column` of the visit's file kept under `key` in slips_file (the PDF by default), or None."""
    return db.session.execute(select(column).where(
        SlipsFile.visit_id == visit.id, SlipsFile.key == key)).scalar()


def _keep(visit, key, render):
    """The visit's file under `key`: the kept one, else `render()` now and kept."""
    body = _kept(visit, key)
    if body is not None:
        return body
    body = render()
    db.session.add(SlipsFile(visit_id=visit.id, key=key, pdf=body))
    try:
        db.session.commit()
    except IntegrityError:  # rendered meanwhile by another job or request: that file stands
        db.session.rollback()
    return body


def request_file(kind, visit_id, locale="id"):
    """The job rendering `kind` for the visit's current state: (job, ready now?). Commits.

    A file already rendered for this state is ready at once; a job already queued or running for
    it is reused, so a user pressing twice queues one render.
    """
    visit = _visit(visit_id)
    key = _key(kind, visit, locale)
    if _ready(kind, visit, key):
        return None, True
    return request_job(kind, key, visit_id=visit.id, locale=locale), False


def request_job(kind, key, *, visit_id=None, locale="id", params=None):
    """The queued or running job of (kind, key, visit, locale), else a new one, queued. Commits."""
    job = db.session.execute(select(Job).where(
        Job.kind == kind, Job.visit_id == visit_id, Job.key == key, Job.locale == locale,
        Job.state.in_(("queued", "running")))).scalars().first()
    if job is None:
        job = Job(id=uuid.uuid4().hex, kind=kind, visit_id=visit_id, key=key, locale=locale,
                  params=params)
        db.session.add(job)
        db.session.commit()
        jobs.enqueue(job.id)
    return job


def run(job_id):
    """Render a job's file (in the worker). A failure is recorded on the job and re-raised."""
    job = db.session.get(Job, job_id)
    if job is None or job.state == "done":
        return
    job.state, job.started_at = "running", utcnow()
    db.session.commit()
    try:
        with force_locale(job.locale):
            _render(job)
    except Exception as exc:
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.state, job.error, job.finished_at = "failed", f"{type(exc).__name__}: {exc}"[:500], utcnow()
        db.session.commit()
        raise
    job = db.session.get(Job, job_id)
    job.state, job.finished_at = "done", utcnow()
    db.session.commit()


def _render(job):
    if job.kind == "recap":
        from webapp.reports.recapfile import render_recap

        render_recap(job)
        return
    if job.kind == "import":
        from webapp.prereg.importjob import run_preview

        run_preview(job)
        return
    visit = _visit(job.visit_id)
    if job.kind == "report":
        from webapp.reports.pdf import current_report

        current_report(visit)
        return
    if job.kind == "remaining":
        from webapp.reports.downloads import render_remaining

        _keep(visit, remaining_key(visit, job.locale), lambda: render_remaining(visit))
        return
    slips_pdf(visit, job.locale)


def visit_file(kind, visit_id, locale="id"):
    """(pdf, etag) of a visit's file of the current state when rendered, else (None, its job)."""
    visit = _visit(visit_id)
    key = _key(kind, visit, locale)
    body = _kept(visit, key)
    if body is not None:
        return (body, f"{key[0]}{visit.id}-{key[1:17]}"), None
    return None, request_job(kind, key, visit_id=visit.id, locale=locale)


def slips_pdf(visit, locale):
    """The slips PDF of the visit's current roster: cached, else rendered now and cached."""
    from webapp.prereg.slips import render_slips

    return _keep(visit, slips_key(visit, locale), lambda: render_slips(visit))


def status(job_id):
    """A job's state as the API shows it; raises job_not_found."""
    job = db.session.get(Job, job_id) if isinstance(job_id, str) else None
    if job is None:
        raise DomainError("job_not_found")
    return job


def cached_slips(visit, locale="id"):
    """(pdf bytes, etag) of the slips of the visit's current roster when rendered, else None."""
    key = slips_key(visit, locale)
    body = _kept(visit, key)
    return None if body is None else (body, f"s{visit.id}-{key[:16]}")


def slips_file(visit_id, locale="id"):
    """(pdf bytes, etag, filename) of the slips of the current roster; raises file_not_ready."""
    visit = _visit(visit_id)
    found = cached_slips(visit, locale)
    if found is None:
        raise DomainError("file_not_ready")
    return *found, f"slip-qr-{visit.school.npsn}.pdf"


def visit_job(job_id, visit_id, kinds=KINDS):
    """A job of this visit and kind, else job_not_found: a school's link sees its own jobs only."""
    job = status(job_id)
    if job.visit_id != visit_id or job.kind not in kinds:
        raise DomainError("job_not_found")
    return job
