"""Admin page over the audit log: who saw or exported what, and when (UU PDP breach duty)."""
from flask import Blueprint, Response, render_template, request

from webapp.audit import log as audit_log
from webapp.auth.decorators import roles_required

bp = Blueprint("audit", __name__, url_prefix="/admin/audit")


@bp.route("/")
@roles_required("admin")
def log():
    shown, actions, bad = audit_log.page(request.args)
    return render_template("audit/log.html", entries=shown, actions=actions, bad=bad, page=audit_log.PAGE,
                           args=request.args)


@bp.route("/ekspor.csv")
@roles_required("admin")
def export():
    text = audit_log.export_csv(request.args, request.query_string.decode())
    return Response(text, mimetype="text/csv", headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'})
