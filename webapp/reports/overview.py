"""What the coordinator pages show: one visit's overview and the dashboard's charts."""
from dataclasses import dataclass

from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.reports import charts, labels, pdf
from webapp.reports.followup import follow_up_counts, still_to_record
from webapp.reports.services import ReportError, tally
from webapp.reports.state import get_visit, visit_rows
from webapp.visits.reasons import reason_counts


def _locale():
    return str(get_locale() or "id")


@dataclass
class VisitOverview:
    """A visit with its counts, charts, stored report versions and follow-up candidates."""

    visit: object
    counts: object
    reasons: list
    charts: dict
    versions: list
    follow_up: dict


def visit_overview(visit_id):
    """Everything the visit page needs; raises ReportError("visit_not_found")."""
    visit = get_visit(visit_id)
    if visit is None:
        raise ReportError("visit_not_found")
    rows = visit_rows(visit)
    counts = tally(rows, visit)
    reasons = reason_counts(counts.reasons, _locale())
    picked = still_to_record(visit, rows) if visit.status == "closed" else []
    return VisitOverview(
        visit=visit, counts=counts, reasons=reasons,
        charts={"states": charts.state_chart(counts.to_dict(), visit.status == "closed",
                                             _("Status siswa")),
                "reasons": charts.reason_chart(reasons, _("Gagal per alasan"))},
        versions=pdf.versions(visit.id),
        follow_up=follow_up_counts(picked),
    )


def dashboard_charts(cov):
    """City progress against the target, the funnel, per-kecamatan bars and failure reasons."""
    city = cov.city
    total = cov.city_recorded_total
    caption = _("%(recorded)s dari %(target)s wajib KTP (%(pct)s)",
                recorded=charts.number(total), target=charts.number(cov.city_target),
                pct=charts.percent(total, cov.city_target, 2))
    funnel = [("registered", _("Terdaftar"), city.registered),
              ("eligible", _("Memenuhi Syarat"), city.eligible),
              ("present", _("Hadir"), city.present),
              ("recorded", _("Sudah Rekam"), city.recorded)]
    keys = [k for k in labels.SEGMENTS]
    legend = {k: labels.word(labels.SEGMENT, k) for k in keys}
    rows = [(g.label, g.counts.to_dict(),
             _("%(recorded)s/%(registered)s rekam", recorded=charts.number(g.counts.recorded),
               registered=charts.number(g.counts.registered)))
            for g in cov.kecamatan]
    return {
        "city": charts.progress(total, cov.city_target, _("Capaian kota"), caption),
        "funnel": charts.bars(funnel, _("Dari terdaftar sampai sudah rekam")),
        "kecamatan": charts.stacked_rows(rows, keys, legend, _("Capaian per kecamatan"),
                                         _("belum ada kunjungan")),
        "reasons": charts.reason_chart(reason_counts(city.reasons, _locale()), _("Gagal per alasan")),
    }
