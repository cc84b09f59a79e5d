"""Dapodik import in two steps: preview (nothing stored but the batch), then confirm."""
from __future__ import annotations

import re
from datetime import date, timedelta
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from webapp.audit import service as audit
from webapp.clock import utcnow
from webapp.extensions import db
from webapp.identity import Issue, mask_nik
from webapp.prereg.dapodik import parse_roster
from webapp.prereg.models import ImportBatch
from webapp.prereg.services import PreregError, actor, ensure_editable
from webapp.regions.models import Kelurahan
from webapp.visits import rules as texts
from webapp.visits import services as students
from webapp.visits.models import Student

BATCH_HOURS = 24  # an unconfirmed preview (with its personal data) is kept this long
MAX_ROWS = 5000
# Parser field -> student field (the import keeps only these: data minimisation).
KEEP = ("name", "nik", "kk", "nisn", "nipd", "gender", "birth_place", "birth_date", "class")


class ImportRefused(Exception):
    """The file as a whole cannot be used; `issues` say why (file_type, column_missing...)."""

    code = "import_refused"

    def __init__(self, issues):
        super().__init__("import refused")
        self.issues = issues


def _place_key(name: str) -> str:
    text = re.sub(r"\s+", " ", name or "").strip().casefold()
    return re.sub(r"^(kel\.?|kelurahan|desa|ds\.?)\s*", "", text)


def _kelurahan_by_name() -> dict[str, str]:
    """This city's kelurahan, by simplified name (Dapodik writes names, not codes)."""
    city = current_app.config["CITY_CODE"]
    prefix = f"{city[:2]}.{city[2:]}."
    rows = db.session.execute(select(Kelurahan.code, Kelurahan.name)
                              .where(Kelurahan.code.startswith(prefix)))
    return {_place_key(name): code for code, name in rows}


def _issue(level, fld, issue: Issue) -> dict:
    return {"level": level, "field": fld, "code": issue.code, "params": dict(issue.params)}


def _purge_stale(visit_id):
    db.session.execute(delete(ImportBatch).where(
        ImportBatch.visit_id == visit_id, ImportBatch.confirmed_at.is_(None),
        ImportBatch.created_at < utcnow() - timedelta(hours=BATCH_HOURS)))


def preview(link, filename: str, data: bytes) -> ImportBatch:
    """Parse and check every row; store the preview batch only. Raises ImportRefused."""
    visit = link.visit
    ensure_editable(visit)
    parsed = parse_roster(filename or "", data, max_rows=MAX_ROWS,
                          city_code=current_app.config["CITY_CODE"])
    if parsed.file_errors:
        raise ImportRefused(parsed.file_errors)
    rules = students.rules_for(visit, preload_niks=True)
    places = _kelurahan_by_name()
    rows = []
    for prow in parsed.rows:
        picked = {f: prow.student.get(f) for f in KEEP}
        issues = [_issue("error", None, i) for i in prow.errors]
        issues += [_issue("warning", None, i) for i in prow.warnings]
        kelurahan = prow.student.get("kelurahan")
        picked["kelurahan_code"] = places.get(_place_key(kelurahan)) if kelurahan else None
        if kelurahan and picked["kelurahan_code"] is None:
            issues.append(_issue("warning", "kelurahan_code",
                                 Issue("kelurahan_name_unknown", {"value": kelurahan})))
        holder = rules.niks.get(picked["nik"]) if picked["nik"] else None
        if not prow.errors:
            # consent=True: consent is given once for the file when it is confirmed.
            clean, errors, warnings = students.validate_student(
                picked | {"consent": True}, visit, rules=rules,
                student=SimpleNamespace(id=holder) if holder else None)
            # Keep the service's normalised values (spaces, gender, kelurahan code).
            picked = {f: clean[students.ATTR.get(f, f)] for f in picked}
            seen = {i["code"] for i in issues}
            for level, found in (("error", errors), ("warning", warnings)):
                issues += [_issue(level, f, i) for f, lst in found.items() for i in lst
                           if i.code not in seen]
        status = ("error" if any(i["level"] == "error" for i in issues)
                  else "warning" if issues else "ok")
        born = picked["birth_date"]
        rows.append({
            "row": prow.row, "status": status, "issues": issues,
            "action": "skip" if status == "error" else "update" if holder else "add",
            "name": picked["name"], "nik_masked": mask_nik(picked["nik"]),
            "class": picked["class"],
            # Only rows that will be saved keep their data until confirmation.
            "student": None if status == "error" else
            picked | {"birth_date": born.isoformat() if isinstance(born, date) else born},
        })
    summary = {
        "total": len(rows), **{s: sum(r["status"] == s for r in rows)
                               for s in ("ok", "warning", "error")},
        "to_add": sum(r["action"] == "add" for r in rows),
        "to_update": sum(r["action"] == "update" for r in rows),
    }
    _purge_stale(visit.id)
    batch = ImportBatch(visit_id=visit.id, link_id=link.id, filename=(filename or "")[:200],
                        rows=rows, summary=summary)
    db.session.add(batch)
    audit.record("import_previewed", object_type="visit", object_id=visit.id,
                 actor=actor(link), detail=f"{filename} rows {len(rows)}")
    db.session.commit()
    return batch


def get_batch(link, import_id: str) -> ImportBatch:
    """The link's visit's batch, unexpired; else import_not_found."""
    batch = db.session.get(ImportBatch, str(import_id)[:36])
    if (batch is None or batch.visit_id != link.visit_id
            or batch.created_at < utcnow() - timedelta(hours=BATCH_HOURS)):
        raise PreregError("import_not_found")
    return batch


def confirm(link, import_id: str, *, consent: bool = False) -> dict:
    """Add new rows and update existing ones by NIK, in one transaction -> summary."""
    batch = get_batch(link, import_id)
    if batch.confirmed_at is not None:
        raise PreregError("import_confirmed")
    visit = link.visit
    ensure_editable(visit)
    rules = students.rules_for(visit, preload_niks=True)
    existing = {s.nik: s for s in db.session.execute(
        select(Student).where(Student.visit_id == visit.id)).scalars()}
    added = updated = skipped = 0
    for row in batch.rows:
        picked = row.get("student")
        if row["status"] == "error" or not picked:
            skipped += 1
            continue
        current = existing.get(picked["nik"])
        if current is None:
            try:
                student, _ = students.add_student(
                    visit, picked | {"consent": consent}, source="import", rules=rules,
                    commit=False)
            except students.StudentInvalid:
                skipped += 1
                continue
            existing[student.nik] = student
            added += 1
            continue
        # Update by NIK: only what the file fills in; consent given here is never taken back.
        data = students.student_input(current)
        data |= {k: v for k, v in picked.items() if v not in (None, "")}
        data["consent"] = current.consent or consent
        clean, errors, _ = students.validate_student(data, visit, student=current, rules=rules)
        if errors:
            skipped += 1
            continue
        for attr, value in clean.items():
            setattr(current, attr, value)
        updated += 1
    result = {"total": len(batch.rows), "added": added, "updated": updated, "skipped": skipped}
    batch.confirmed_at = utcnow()
    batch.summary = {**batch.summary, "result": result}
    batch.rows = [{k: v for k, v in r.items() if k != "student"} for r in batch.rows]
    audit.record("import_confirmed", object_type="visit", object_id=visit.id, actor=actor(link),
                 detail=f"batch {batch.id}: {result}")
    try:
        db.session.commit()
    except IntegrityError as exc:  # a NIK added by someone else meanwhile: nothing is kept
        db.session.rollback()
        raise PreregError("import_conflict") from exc
    return result


def row_messages(row: dict, lang: str) -> list[str]:
    """A preview row's messages in the reader's language."""
    return [texts.text(Issue(i["code"], i["params"]), lang) for i in row.get("issues", [])]


def file_messages(issues, lang: str) -> list[str]:
    """File-level problems in the reader's language."""
    return [texts.text(i, lang) for i in issues]
