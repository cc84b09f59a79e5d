"""Reading the audit log: the admin's filters, one page of entries in words, the CSV export (no HTTP)."""
import csv
import io
from datetime import datetime, time, timedelta

from sqlalchemy import select

from webapp.audit import service as audit
from webapp.audit import words
from webapp.audit.models import AuditEntry
from webapp.extensions import db

PAGE = 200
CSV_COLUMNS = ["at_utc", "actor", "action", "object_type", "object_id", "detail", "ip", "device_id"]


def _day(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


def _query(filters):
    """The filtered select() and the filters not understood (bad dates are ignored, and said)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    start, end = _day(filters.get("dari")), _day(filters.get("sampai"))
    if start:
        query = query.where(AuditEntry.at >= datetime.combine(start, time.min))
    if end:
        query = query.where(AuditEntry.at < datetime.combine(end + timedelta(days=1), time.min))
    if filters.get("aksi"):
        query = query.where(AuditEntry.action == filters["aksi"])
    if filters.get("pelaku"):
        query = query.where(AuditEntry.actor.ilike(f"%{filters['pelaku'].strip()}%"))
    bad = [f for f in ("dari", "sampai") if filters.get(f) and _day(filters.get(f)) is None]
    return query, bad


def page(filters):
    """(entries in words, [(action, word)] for the filter, bad filters) for the newest PAGE entries."""
    query, bad = _query(filters)
    entries = db.session.execute(query.limit(PAGE)).scalars().all()
    actions = db.session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars().all()
    phones = words.devices_of(entries)
    shown = [{"entry": e, "action": words.action_word(e.action), "object": words.object_word(e.object_type),
              "detail": words.detail_words(e.action, e.detail), "phone": phones.get(e.device_id)}
             for e in entries]
    return shown, [(a, words.action_word(a)) for a in actions], bad


def export_csv(filters, described):
    """The filtered log as CSV text; the export itself is audited (`described`: the filters as asked)."""
    query, _bad = _query(filters)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for e in db.session.execute(query).scalars():
        writer.writerow([e.at.isoformat(), e.actor, e.action, e.object_type, e.object_id, e.detail, e.ip,
                         e.device_id])
    audit.record("audit_exported", detail=described[:200])
    db.session.commit()
    return out.getvalue()
