"""Every report and export download goes through here: built, then audited (who, what, when)."""
from dataclasses import dataclass

from flask import Response, request

from webapp.audit import service as audit
from webapp.extensions import db
from webapp.jobs import services as job_services
from webapp.reports import exports, pdf, recapfile
from webapp.reports.services import ReportError, coverage, tally
from webapp.reports.state import get_visit, visit_rows
from webapp.transactions import end_transaction

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MIMETYPES = {"csv": "text/csv", "xlsx": XLSX, "pdf": "application/pdf"}


@dataclass
class Download:
    """A file to send: its bytes, name, type and (for cached reports) an ETag."""

    body: bytes
    filename: str
    mimetype: str
    etag: str | None = None


def _audit(user, action, object_type, object_id, detail):
    entry = audit.record(action, object_type=object_type, object_id=object_id,
                         actor=user.username, detail=detail)
    entry.user_id = user.id
    db.session.commit()


def _visit(visit_id):
    visit = get_visit(visit_id)
    if visit is None:
        raise ReportError("visit_not_found")
    return visit


def visit_report(visit_id, *, user, locale="id"):
    """The visit report PDF of the current state as a Download when it is rendered, else the
    job that renders it (webapp.jobs: a render takes seconds to a minute, never in a request)."""
    visit = _visit(visit_id)
    entry = pdf.current_report(visit, render=False)
    if entry is None:
        job, _ready = job_services.request_file("report", visit_id, locale)
        entry = pdf.current_report(visit, render=False)  # rendered meanwhile (or JOBS_IMMEDIATE)
        if entry is None:
            return job
    _audit(user, "report_download", "visit", visit_id,
           f"pdf v{entry.state_version} {pdf.short_sum(entry.sha256)}")
    return Download(entry.pdf, f"laporan-kunjungan-{visit_id}-v{entry.state_version}.pdf",
                    MIMETYPES["pdf"], pdf.etag(entry))


def visit_export(visit_id, fmt, *, user):
    """A visit's students with their state as CSV or XLSX."""
    visit = _visit(visit_id)
    rows = visit_rows(visit)
    counts, version = tally(rows, visit), visit.state_version
    end_transaction()
    if fmt == "csv":
        body = exports.visit_csv(rows)
    else:
        body = exports.visit_xlsx(visit, rows, counts, version)
    _audit(user, "export_download", "visit", visit_id,
           f"{fmt} v{visit.state_version} {len(rows)} students")
    return Download(body, f"kunjungan-{visit_id}-{visit.date.isoformat()}.{fmt}", MIMETYPES[fmt])


def remaining_list(visit_id, *, user, as_pdf, locale="id"):
    """The school's list of students still to record: (visit, rows), or as_pdf a Download when its
    PDF is rendered for the current roster and outcomes, else the job rendering it."""
    visit = _visit(visit_id)
    if not as_pdf:
        rows = [r for r in visit_rows(visit) if r.still_to_record]
        _audit(user, "export_download", "visit", visit_id, f"remaining list {len(rows)}")
        return visit, rows
    found, job = job_services.visit_file("remaining", visit_id, locale)
    if job is not None:
        return job
    body, etag = found
    _audit(user, "export_download", "visit", visit_id, f"remaining pdf {etag}")
    return Download(body, f"belum-rekam-{visit_id}.pdf", MIMETYPES["pdf"], etag)


def render_remaining(visit):
    """The remaining list's PDF (in the worker: one page per ~40 students, seconds for a school)."""
    rows = [r for r in visit_rows(visit) if r.still_to_record]
    end_transaction()
    body, _pages = pdf.render_document("reports/remaining_pdf.html", visit=visit, rows=rows)
    return body


def city_recap(date_from, date_to, fmt, *, user, basis="school"):
    """The city recap (every visit in the range) as CSV or XLSX, made here (the figures come from
    the aggregate queries: tens of milliseconds), or as PDF: its file when rendered for the
    current figures, else the job rendering it (webapp.reports.recapfile)."""
    period = recapfile.period_of(date_from, date_to)
    if fmt == "pdf":
        found, job = recapfile.recap_file(date_from, date_to, basis)
        if job is not None:
            return job
        _audit(user, "export_download", "recap", None, f"pdf {period} {found.key[:12]}")
        return Download(found.body, found.filename, MIMETYPES["pdf"], recapfile.etag(found.key))
    cov = coverage(date_from, date_to, basis)
    end_transaction()
    body = exports.recap_csv(cov) if fmt == "csv" else exports.recap_xlsx(cov, period)
    _audit(user, "export_download", "recap", None, f"{fmt} {period} {len(cov.visits)} visits")
    stamp = period.replace(" – ", "_").replace("…", "semua")
    return Download(body, f"rekap-capaian-{stamp}.{fmt}", MIMETYPES[fmt])


def response(download, inline=False):
    """The HTTP response of a Download: ETag and 304 for cached reports, never stored publicly."""
    resp = Response(download.body, mimetype=download.mimetype)
    disposition = "inline" if inline else "attachment"
    resp.headers["Content-Disposition"] = f'{disposition}; filename="{download.filename}"'
    resp.headers["Cache-Control"] = "private, no-cache"
    if download.etag:
        resp.set_etag(download.etag)
        resp.make_conditional(request)
    return resp
