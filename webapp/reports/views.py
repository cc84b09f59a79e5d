"""Coordinator pages: dashboard, visit report page, downloads, close, follow-up; public
verification page. Thin: validate, call one service function, map its error."""
import functools
from datetime import date, datetime, timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_date, format_datetime, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.decorators import roles_required
from webapp.clock import local_today
from webapp.extensions import limiter
from webapp.jobs.models import Job
from webapp.reports import charts, downloads, followup, labels, pdf
from webapp.reports.forms import FollowUpForm, RangeForm
from webapp.reports.overview import dashboard_charts, visit_overview
from webapp.reports.services import ReportError, coverage
from webapp.visits import rules
from webapp.visits.planning import VisitInvalid
from webapp.visits.reasons import failure_reasons

bp = Blueprint("reports", __name__)
COORDINATORS = ("coordinator", "admin")


@bp.app_template_filter("isodate")
def isodate(value, fmt="d MMM yyyy"):
    """An ISO date (or date) in the current locale; '-' when empty."""
    if not value:
        return "-"
    if not isinstance(value, date):
        value = date.fromisoformat(value)
    if isinstance(value, datetime):
        return format_date(value, fmt)  # rebased to the office's time zone
    return _date_text(value, fmt, str(get_locale()))


@functools.lru_cache(maxsize=4096)
def _date_text(value, fmt, _locale):
    """A plain date in a locale: the same few dates fill a city's tables (Babel parses the pattern
    on each call)."""
    return format_date(value, fmt)


@bp.app_template_filter("isotime")
def isotime(value, fmt="d MMM yyyy HH.mm"):
    """An ISO UTC time (event `at` or a stored naive UTC time) in the office's time zone."""
    if not value:
        return "-"
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(
        value.replace("Z", "+00:00"))
    return format_datetime(moment, fmt)


@bp.app_template_filter("number")
def number(value):
    return charts.number(value)


@bp.app_template_filter("pct")
def pct(part, whole):
    return charts.percent(part, whole)


def _visit_page(visit_id):
    return redirect(url_for("reports.visit", visit_id=visit_id))


def _refused(exc, visit_id):
    if exc.code == "visit_not_found":
        abort(404)
    flash(exc.message, "error")
    return _visit_page(visit_id)


def _range_form():
    """The range filter; empty, it is the current season."""
    return RangeForm(formdata=request.args).default_to_season(
        local_today(), current_app.config.get("SEASON_START_MONTH", 7))


@bp.route("/koordinator/capaian")
@roles_required(*COORDINATORS)
def dashboard():
    form = _range_form()
    cov = None
    if form.validate():
        cov = coverage(form.dari.data, form.sampai.data, form.dasar.data or "school")
    return render_template("reports/dashboard.html", form=form, cov=cov, labels=labels,
                           charts=dashboard_charts(cov) if cov else {}, query=request.args)


@bp.route("/koordinator/capaian/rekap")
@roles_required(*COORDINATORS)
def recap_page():
    """The recap an office sends to the province: per school and kecamatan (docs/desk.md)."""
    form = _range_form()
    cov = coverage(form.dari.data, form.sampai.data, "school") if form.validate() else None
    period = "{} – {}".format(form.dari.data.isoformat() if form.dari.data else "…",
                              form.sampai.data.isoformat() if form.sampai.data else "…")
    return render_template("reports/recap.html", form=form, cov=cov, period=period,
                           reasons=failure_reasons(str(get_locale() or "id")),
                           query={k: v for k, v in request.args.items() if k in ("dari", "sampai")})


@bp.route("/koordinator/capaian/rekap.<any(csv, xlsx, pdf):fmt>")
@roles_required(*COORDINATORS)
def recap(fmt):
    form = _range_form()
    if not form.validate():
        flash(_("Periksa kembali isian yang ditandai."), "error")
        return redirect(url_for("reports.dashboard", **request.args))
    found = downloads.city_recap(form.dari.data, form.sampai.data, fmt, user=current_user,
                                 basis=form.dasar.data or "school")
    if isinstance(found, Job):  # the PDF not rendered yet for these figures: its job's page
        return redirect(url_for("jobs.job_page", job_id=found.id))
    return downloads.response(found)


@bp.route("/koordinator/laporan/<int:visit_id>")
@roles_required(*COORDINATORS)
def visit(visit_id):
    try:
        overview = visit_overview(visit_id)
    except ReportError:
        abort(404)
    form = FollowUpForm(data={"tanggal": local_today() + timedelta(days=7)})
    return render_template("reports/visit.html", o=overview, labels=labels,
                           form=form, today=local_today())


@bp.route("/koordinator/laporan/<int:visit_id>/laporan.pdf")
@roles_required(*COORDINATORS)
def report_pdf(visit_id):
    try:
        found = downloads.visit_report(visit_id, user=current_user, locale=str(get_locale()))
    except ReportError:
        abort(404)
    if isinstance(found, Job):  # not rendered yet: its job's progress page offers it when done
        return redirect(url_for("jobs.job_page", job_id=found.id))
    return downloads.response(found, inline=True)


@bp.route("/koordinator/laporan/<int:visit_id>/ekspor.<any(csv, xlsx):fmt>")
@roles_required(*COORDINATORS)
def export(visit_id, fmt):
    try:
        return downloads.response(downloads.visit_export(visit_id, fmt, user=current_user))
    except ReportError:
        abort(404)


@bp.route("/koordinator/laporan/<int:visit_id>/belum-rekam")
@roles_required(*COORDINATORS)
def remaining(visit_id):
    try:
        visit, rows = downloads.remaining_list(visit_id, user=current_user, as_pdf=False)
    except ReportError:
        abort(404)
    return render_template("reports/remaining.html", visit=visit, rows=rows, labels=labels,
                           locale=str(get_locale()))


@bp.route("/koordinator/laporan/<int:visit_id>/belum-rekam.pdf")
@roles_required(*COORDINATORS)
def remaining_pdf(visit_id):
    try:
        found = downloads.remaining_list(visit_id, user=current_user, as_pdf=True,
                                         locale=str(get_locale()))
    except ReportError:
        abort(404)
    if isinstance(found, Job):  # not rendered for this state yet: its job's page offers it
        return redirect(url_for("jobs.job_page", job_id=found.id))
    return downloads.response(found)


@bp.route("/koordinator/laporan/<int:visit_id>/susulan", methods=["POST"])
@roles_required(*COORDINATORS)
def follow_up(visit_id):
    form = FollowUpForm()
    if not form.validate_on_submit():
        for message in form.tanggal.errors:
            flash(f"{form.tanggal.label.text}: {message}", "error")
        return _visit_page(visit_id)
    try:
        new, counts = followup.plan_follow_up(visit_id, form.tanggal.data, user=current_user)
    except ReportError as exc:
        return _refused(exc, visit_id)
    except VisitInvalid as exc:
        for field, messages in rules.describe(exc.errors, str(get_locale())).items():
            for message in messages:
                flash(f"{form.tanggal.label.text}: {message}" if field == "date" else message,
                      "error")
        return _visit_page(visit_id)
    flash(_("Kunjungan susulan dibuat untuk %(date)s dengan %(n)s siswa.",
            date=format_date(new.date, "full"), n=counts["students"]), "success")
    return _visit_page(new.id)


@bp.route("/verifikasi/<int:visit_id>/<int:version>/<short>")
@limiter.limit("60 per minute")
def verify(visit_id, version, short):
    found = pdf.verify(visit_id, version, short)
    if found is None:
        return render_template("reports/verify.html", entry=None), 404
    entry, current = found
    response = render_template("reports/verify.html", entry=entry, current=current, labels=labels)
    return response, 200, {"X-Robots-Tag": "noindex"}
