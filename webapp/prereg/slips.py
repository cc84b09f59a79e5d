"""Printable A4 QR slips (WeasyPrint): eight a page, sorted by class, no full NIK."""
from __future__ import annotations

import base64
from io import BytesIO
from itertools import groupby

import qrcode
from flask import render_template
from PIL import Image
from qrcode.image.svg import SvgPathImage
from sqlalchemy import select

from webapp.extensions import db
from webapp.identity import mask_nik
from webapp.transactions import end_transaction
from webapp.visits import services as students
from webapp.visits.models import Student, Visit
from webapp.visits.slipcode import printed, slip_code

PER_PAGE = 8  # 2 columns x 4 rows of about 95 x 68 mm: big enough to cut with scissors
# Pixels per module of a slip's PNG code (printed with image-rendering: pixelated, so edges stay
# sharp at any size): 4 decodes from pages rasterised at 100 dpi as well as 150 and 300, where 1
# pixel a module lost codes at 100 dpi to the viewer's uneven rounding (docs/benchmarks.md).
PNG_BOX = 4


def slip_qr(payload: str, image_factory=None) -> qrcode.QRCode:
    """The slip's QR code of a token (bench/scanner_frames.py renders the same code)."""
    # Level Q (25 % recovery) rather than M: a 16-character token stays version 2 (25x25
    # modules, same size on paper) and survives more glare, smudge and thumb (docs/benchmarks.md).
    # Border 4 is the quiet zone scanners need.
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_Q, border=4,
                         image_factory=image_factory)
    code.add_data(payload)
    code.make(fit=True)
    return code


def qr_data_uri(payload: str) -> str:
    """A QR code as an SVG data URI (vector: sharp at any size; the visit page's share link)."""
    svg = slip_qr(payload, SvgPathImage).make_image().to_string()
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode()


def qr_png_uri(payload: str) -> str:
    """A slip's QR code as a small black-and-white PNG data URI: WeasyPrint draws 180 of these in
    a fraction of the time it parses and draws 180 SVG paths (docs/benchmarks.md, "QR slips")."""
    matrix = slip_qr(payload).get_matrix()
    size = len(matrix)
    pixels = bytes(0 if dark else 255 for row in matrix for dark in row)
    image = Image.frombytes("L", (size, size), pixels).resize(
        (size * PNG_BOX, size * PNG_BOX), Image.NEAREST).convert("1")
    out = BytesIO()
    image.save(out, "PNG")
    return "data:image/png;base64," + base64.b64encode(out.getvalue()).decode()


def slip_students(visit: Visit):
    """Students who get a slip, by class then name: eligible on the visit date and with a
    parent/guardian consent on record (docs/consent.md)."""
    rows = db.session.execute(select(Student).where(Student.visit_id == visit.id)
                              .order_by(Student.class_name, Student.name)).scalars().all()
    out = []
    for s in rows:
        elig = students.student_eligibility(s, visit)
        if elig.status != "under_age" and s.consent:
            out.append((s, elig))
    return out


def build_pages(visit: Visit):
    """[{"classes", "slips"}]: PER_PAGE slips a page, packed across classes (sorted by class,
    each slip names its class), so small classes do not each waste a sheet."""
    picked = slip_students(visit)
    pages = []
    for start in range(0, len(picked), PER_PAGE):
        chunk = picked[start:start + PER_PAGE]
        classes = [name for name, _ in groupby(s.class_name or "" for s, _ in chunk)]
        pages.append({"classes": classes, "slips": [{
            "id": s.id, "name": s.name, "class": s.class_name or "",
            "nik_masked": mask_nik(s.nik), "qr": qr_png_uri(s.qr_token), "eligibility": elig,
            "code": printed(slip_code(s.qr_token)),
        } for s, elig in chunk]})
    return pages


def render_slips(visit: Visit) -> bytes:
    """The slips PDF of a visit, in the request's language."""
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    pages = build_pages(visit)
    html = render_template("prereg/slips.html", visit=visit, pages=pages,
                           place=_place(visit))
    end_transaction()  # the PDF takes seconds: hold no lock meanwhile
    return HTML(string=html).write_pdf()


def _place(visit: Visit) -> str:
    school = visit.school
    parts = [school.name, school.address, school.kelurahan.name if school.kelurahan else None]
    return ", ".join(p for p in parts if p)


def download_slips(link, locale="id"):
    """The slips of the link's visit: a Download of the current roster's file when it is rendered
    (audited), else the job rendering it (a render takes seconds to a minute: never in a
    request, docs/jobs.md). Commits."""
    from webapp.audit import service as audit
    from webapp.jobs import services as jobs
    from webapp.prereg import services
    from webapp.reports.downloads import Download

    visit = link.visit
    found = jobs.cached_slips(visit, locale)
    if found is None:
        job, _ready = jobs.request_file("slips", visit.id, locale)
        found = jobs.cached_slips(visit, locale)  # rendered meanwhile (or JOBS_IMMEDIATE)
        if found is None:
            return job
    audit.record("slips_downloaded", object_type="visit", object_id=visit.id, actor=services.actor(link))
    db.session.commit()
    return Download(found[0], f"slip-qr-{visit.school.npsn}.pdf", "application/pdf", found[1])
