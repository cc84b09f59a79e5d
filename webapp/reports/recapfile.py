"""The recap PDF as a job: rendered once per (range, basis, figures), then served at once (ETag)."""
import hashlib
import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.jobs import services as jobs
from webapp.jobs.models import JobFile
from webapp.reports import pdf
from webapp.reports.services import coverage, coverage_dict
from webapp.transactions import end_transaction
from webapp.visits.reasons import failure_reasons

KIND = "recap"


def period_of(date_from, date_to):
    """The range as the recap names it ('…' for an open end)."""
    return "{} – {}".format(date_from.isoformat() if date_from else "…",
                            date_to.isoformat() if date_to else "…")


def recap_key(cov, period):
    """The recap's content key: a digest of every figure it prints (the aggregate queries take tens
    of milliseconds), so a sync, a roster edit or a cancelled visit anywhere in the range gives a
    new file and nothing else does. The PDF is always in Indonesian: no language in the key."""
    raw = json.dumps([period, coverage_dict(cov)], sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def cached_recap(key):
    return db.session.execute(select(JobFile).where(
        JobFile.kind == KIND, JobFile.key == key)).scalar_one_or_none()


def etag(key):
    return f"k{key[:24]}"


def recap_file(date_from, date_to, basis="school"):
    """(JobFile, None) when the recap of the current figures is rendered, else (None, its job).

    The request only counts (one set of GROUP BYs) and looks up the file: the render (WeasyPrint,
    seconds for a season) runs in the worker. Raises ReportError for a bad range or basis.
    """
    period = period_of(date_from, date_to)
    key = recap_key(coverage(date_from, date_to, basis), period)
    found = cached_recap(key)
    if found is None:
        params = {"from": date_from and date_from.isoformat(), "to": date_to and date_to.isoformat(),
                  "basis": basis}
        job = jobs.request_job(KIND, key, params=params)
        found = cached_recap(key)  # rendered meanwhile (or JOBS_IMMEDIATE)
        if found is None:
            return None, job
    return found, None


def render_recap(job):
    """Render a recap job's PDF for the figures as they are now (in the worker)."""
    params = job.params or {}
    date_from, date_to = (date.fromisoformat(params[k]) if params.get(k) else None
                          for k in ("from", "to"))
    cov = coverage(date_from, date_to, params.get("basis", "school"))
    period = period_of(date_from, date_to)
    key = recap_key(cov, period)  # the figures may have moved since it was asked: name them
    if cached_recap(key) is not None:
        return
    end_transaction()
    body, _pages = pdf.render_document("reports/recap_pdf.html", cov=cov, period=period,
                                       reasons=failure_reasons("id"))
    stamp = period.replace(" – ", "_").replace("…", "semua")
    db.session.add(JobFile(kind=KIND, key=key, filename=f"rekap-capaian-{stamp}.pdf", body=body))
    try:
        db.session.commit()
    except IntegrityError:  # another job stored the same figures first: that file stands
        db.session.rollback()
