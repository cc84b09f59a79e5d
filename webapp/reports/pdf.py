"""Visit report PDF: rendered once per state version, cached, verifiable by QR."""
import base64
import hmac
from pathlib import Path

import qrcode
import qrcode.image.svg
from flask import render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from weasyprint import CSS, HTML

from webapp.clock import utcnow
from webapp.extensions import db
from webapp.ops.proxy import public_base
from webapp.reports import charts, labels
from webapp.reports.models import ReportCache
from webapp.reports.reportdata import LOCALE, digest, report_data, summary
from webapp.transactions import end_transaction
from webapp.visits.models import Visit

STATIC = Path(__file__).resolve().parent.parent / "static"
PRINT_CSS = STATIC / "css" / "report-print.css"
VERIFY_PATH = "/verifikasi/{visit_id}/{version}/{short}"
SHORT = 12  # hex digits of the checksum in the QR (48 bits)


def short_sum(sha):
    return sha[:SHORT]


def verify_url(visit_id, version, sha):
    """The verification page of a report (PUBLIC_URL: the QR must not hold whichever host rendered it)."""
    return public_base() + VERIFY_PATH.format(visit_id=visit_id, version=version,
                                              short=short_sum(sha))


def qr_data_uri(text):
    """An SVG QR code as a data: URI (sharp at any print resolution)."""
    img = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=10, border=2)
    svg = img.to_string(encoding="unicode")
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


def report_charts(data):
    """The report's two charts, built from its data."""
    return {
        "states": charts.state_chart(data["counts"], data["visit"]["status"] == "closed",
                                     _("Status siswa")),
        "reasons": charts.reason_chart(data["reasons"], _("Gagal per alasan")),
    }


def render_document(template, **context):
    """Render an HTML template in Indonesian to PDF bytes; returns (bytes, page count)."""
    with force_locale(LOCALE):
        html = render_template(template, labels=labels, **context)
    document = HTML(string=html, base_url=str(STATIC)).render(
        stylesheets=[CSS(filename=str(PRINT_CSS))])
    return document.write_pdf(), len(document.pages)


def render_report(data, *, version, sha, generated_at):
    """The visit report PDF for this content and version: (bytes, pages)."""
    url = verify_url(data["visit"]["id"], version, sha)
    with force_locale(LOCALE):
        meta = {"version": version, "sha": sha, "short": short_sum(sha), "url": url,
                "qr": qr_data_uri(url), "generated_at": generated_at}
        return render_document("reports/visit_report.html", d=data, meta=meta,
                               charts=report_charts(data), photos=photo_uris(data))


def photo_uris(data):
    """{photo id: data URI} of the photos the report data names."""
    from webapp.desk.models import VisitPhoto

    ids = [p["id"] for p in data.get("photos", [])]
    rows = db.session.execute(select(VisitPhoto).where(VisitPhoto.id.in_(ids))).scalars() if ids else []
    return {p.id: "data:image/jpeg;base64," + base64.b64encode(p.jpeg).decode() for p in rows}


def cached(visit_id, version):
    return db.session.execute(select(ReportCache).where(
        ReportCache.visit_id == visit_id, ReportCache.state_version == version)).scalar_one_or_none()


def _stored(visit_id, version):
    return db.session.execute(select(ReportCache.id).where(
        ReportCache.visit_id == visit_id, ReportCache.state_version == version)).first() is not None


def _version(visit_id):
    return db.session.execute(
        select(Visit.state_version).where(Visit.id == visit_id)).scalar_one()


def _bump(visit_id, seen):
    """Give changed content a new version: atomic, so a concurrent sync's bump is never lost."""
    db.session.execute(update(Visit).where(Visit.id == visit_id, Visit.state_version == seen)
                       .values(state_version=Visit.state_version + 1))
    db.session.commit()
    return _version(visit_id)


def current_report(visit, render=True):
    """The ReportCache of the visit's current state, rendering and storing it if needed (only
    in a job: a request passes render=False and gets None when nothing is stored yet).

    The version is Visit.state_version. If a version's stored content no longer matches (a
    change that did not bump the version, e.g. a roster edit), the version is bumped first, so
    one version never names two different reports.
    """
    for _attempt in range(5):
        version = _version(visit.id)
        if not render and not _stored(visit.id, version):
            return None  # nothing to compare with: the job builds the data (a second for 1,500)
        data = report_data(visit)
        if _version(visit.id) != version:
            continue  # a sync landed while reading: read again
        sha = digest(data)
        entry = cached(visit.id, version)
        if entry is not None and entry.sha256 == sha:
            return entry
        if entry is not None:
            _bump(visit.id, version)
            continue
        if not render:
            return None
        generated_at = utcnow()
        end_transaction()  # the render takes seconds: phones must be able to sync meanwhile
        pdf, pages = render_report(data, version=version, sha=sha, generated_at=generated_at)
        entry = ReportCache(visit_id=visit.id, state_version=version, sha256=sha, pdf=pdf,
                            size=len(pdf), pages=pages, summary=summary(data, pages),
                            created_at=generated_at)
        db.session.add(entry)
        try:
            db.session.commit()
            return entry
        except IntegrityError:  # another request stored this version first: serve that one
            db.session.rollback()
    raise RuntimeError(f"visit {visit.id}: state kept changing while the report was built")


def etag(entry):
    return f"r{entry.visit_id}-v{entry.state_version}-{entry.sha256[:16]}"


def verify(visit_id, version, short):
    """(entry, the visit's current state version) when the short checksum matches, else None."""
    short = (short or "").lower()
    if len(short) < 8 or any(ch not in "0123456789abcdef" for ch in short):
        return None
    entry = cached(visit_id, version)
    if entry is None or not hmac.compare_digest(entry.sha256[: len(short)], short):
        return None
    return entry, _version(visit_id)


def versions(visit_id):
    """Stored report versions of a visit, newest first (without the PDF bytes)."""
    return db.session.execute(
        select(ReportCache.state_version, ReportCache.sha256, ReportCache.created_at,
               ReportCache.size, ReportCache.pages)
        .where(ReportCache.visit_id == visit_id).order_by(ReportCache.state_version.desc())
    ).all()
