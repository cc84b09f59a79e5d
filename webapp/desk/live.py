"""The live visit page's rows and progress, from the state the report reads (webapp/reports/state.py)."""
from webapp.reports.state import rows_for_visits, visit_rows
from webapp.visits.reasons import reason_label

# status filter -> which StudentRow it keeps (the page's filter buttons, the API's ?status=).
FILTERS = {
    "not_arrived": lambda r: r.attendance == "not_arrived",
    "present": lambda r: r.attendance == "present",
    "absent": lambda r: r.attendance == "absent",
    "waiting": lambda r: r.attendance == "present" and r.outcome is None,
    "recorded": lambda r: r.outcome == "recorded",
    "failed": lambda r: r.outcome == "failed",
    "already_recorded": lambda r: r.outcome == "already_recorded",
    "to_print": lambda r: r.printable and r.outcome == "recorded" and r.print != "printed",
    "printed": lambda r: r.print == "printed",
    "ikd": lambda r: r.ikd is not None,
    "conflicts": lambda r: bool(r.conflicts),
    "under_age": lambda r: not r.eligible,
}


def matches(row, q):
    """Search by name, NISN or class, case-insensitive; an empty query matches everyone."""
    q = (q or "").strip().casefold()
    return not q or any(q in (text or "").casefold() for text in (row.name, row.nisn, row.class_name))


def progress(rows, target):
    """Registered, present, recorded, failed, already recorded, printed and % of the visit's target."""
    out = {"registered": len(rows), "present": 0, "recorded": 0, "failed": 0,
           "already_recorded": 0, "printed": 0, "target": target}
    for row in rows:
        out["present"] += row.attendance == "present"
        out["printed"] += row.print == "printed"
        if row.outcome in ("recorded", "failed", "already_recorded"):
            out[row.outcome] += 1
    out["percent_of_target"] = round(100.0 * out["recorded"] / target, 1) if target else None
    return out


def desk_row(row, locale="id"):
    """One student as the live page and GET /visits/{id}/students show it (NIK masked)."""
    return {
        "id": row.id, "name": row.name, "nisn": row.nisn, "class_name": row.class_name,
        "nik_masked": row.nik_masked, "eligibility": row.eligibility, "attendance": row.attendance,
        "ticket": row.ticket, "outcome": row.outcome, "reason": row.reason,
        "reason_label": reason_label(row.reason, locale) if row.reason else None,
        "ikd": row.ikd, "print": row.print, "print_reason": row.print_reason,
        "conflicts": list(row.conflicts), "corrections": len(row.corrections),
    }


def students(visit, q="", status="", locale="id"):
    """{"version", "status", "progress", "students": [row]} of a visit, filtered by `q` and `status`.

    Progress counts every student; the list holds those the filters keep. An unknown status
    filters nothing.
    """
    rows = visit_rows(visit)
    keep = FILTERS.get(status)
    shown = [r for r in rows if matches(r, q) and (keep is None or keep(r))]
    return {"version": visit.state_version, "status": visit.status,
            "progress": progress(rows, visit.target),
            "students": [desk_row(r, locale) for r in shown]}


def progress_of_visits(visits):
    """{visit_id: progress} for the visit list (one query for all visits)."""
    rows = rows_for_visits(visits)
    return {v.id: progress(rows[v.id], v.target) for v in visits}
