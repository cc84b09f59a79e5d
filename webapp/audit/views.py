"""Admin page over the audit log: who saw or exported what, and when (UU PDP breach duty)."""
import csv
import io
from datetime import datetime, time, timedelta

from flask import Blueprint, Response, render_template, request
from sqlalchemy import select

from webapp.audit import service as audit
from webapp.audit import words
from webapp.audit.models import AuditEntry
from webapp.auth.decorators import roles_required
from webapp.extensions import db

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")
PAGE = 200


def _day(value):
    try:
        return datetime.strptime(value, "%Y-%m-%d").date() if value else None
    except ValueError:
        return None


def _query(args):
    """The filtered select() and the filters as understood (bad dates are ignored, and said)."""
    query = select(AuditEntry).order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
    start, end = _day(args.get("dari")), _day(args.get("sampai"))
    if start:
        query = query.where(AuditEntry.at >= datetime.combine(start, time.min))
    if end:
        query = query.where(AuditEntry.at < datetime.combine(end + timedelta(days=1), time.min))
    if args.get("aksi"):
        query = query.where(AuditEntry.action == args["aksi"])
    if args.get("pelaku"):
        query = query.where(AuditEntry.actor.ilike(f"%{args['pelaku'].strip()}%"))
    bad = [f for f in ("dari", "sampai") if args.get(f) and _day(args.get(f)) is None]
    return query, bad


@bp.route("/")
@roles_required("admin")
def log():
    query, bad = _query(request.args)
    entries = db.session.execute(query.limit(PAGE)).scalars().all()
    actions = db.session.execute(select(AuditEntry.action).distinct().order_by(AuditEntry.action)).scalars().all()
    phones = words.devices_of(entries)
    shown = [{"entry": e, "action": words.action_word(e.action), "object": words.object_word(e.object_type),
              "detail": words.detail_words(e.action, e.detail), "phone": phones.get(e.device_id)}
             for e in entries]
    return render_template("audit/log.html", entries=shown, actions=[(a, words.action_word(a)) for a in actions],
                           bad=bad, page=PAGE, args=request.args)


@bp.route("/ekspor.csv")
@roles_required("admin")
def export():
    query, _bad = _query(request.args)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["at_utc", "actor", "action", "object_type", "object_id", "detail", "ip", "device_id"])
    for e in db.session.execute(query).scalars():
        writer.writerow([e.at.isoformat(), e.actor, e.action, e.object_type, e.object_id, e.detail, e.ip,
                         e.device_id])
    audit.record("audit_exported", detail=request.query_string.decode()[:200])
    db.session.commit()
    return Response(out.getvalue(), mimetype="text/csv",
                    headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
