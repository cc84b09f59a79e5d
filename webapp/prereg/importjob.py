"""Large Dapodik imports: the preview (parse and check of every row) runs in the worker.

A file of more than IMPORT_JOB_ROWS rows is stored with its job and previewed by the worker;
the school's page follows the job, then shows the preview as for a small file (docs/jobs.md).
The stored upload is deleted as soon as the worker has read it (it holds personal data).
"""
import hashlib
import io
import re
import uuid
import zipfile

from flask import current_app
from sqlalchemy import delete, select

from webapp.errors import DomainError
from webapp.extensions import db
from webapp.identity import Issue
from webapp.jobs import services as jobs
from webapp.jobs.models import Job, JobFile
from webapp.prereg import imports
from webapp.prereg.models import PreregLink
from webapp.prereg.services import ensure_editable

KIND = "import"
ROW = re.compile(rb"<(?:\w+:)?row[\s>]")


def row_count(filename, data):
    """About how many rows a file holds, without parsing it (a few milliseconds for 1,000 rows):
    lines of a CSV, <row> elements of the largest sheet of an .xlsx; 0 when unreadable (the
    request's own parse then names the problem)."""
    if (filename or "").casefold().endswith(".csv"):
        return data.count(b"\n")
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as book:
            sheets = [n for n in book.namelist() if n.startswith("xl/worksheets/") and n.endswith(".xml")]
            return max((len(ROW.findall(book.read(n))) for n in sheets), default=0)
    except (zipfile.BadZipFile, OSError, ValueError):
        return 0


def is_large(filename, data):
    """Whether the preview of this file runs as a job (IMPORT_JOB_ROWS; 0 turns jobs off)."""
    limit = current_app.config.get("IMPORT_JOB_ROWS", 0)
    return bool(limit) and row_count(filename, data) > limit


def queue_preview(link, filename, data, locale="id"):
    """Store the upload with a new import job and queue it -> the job. Commits."""
    ensure_editable(link.visit)
    job = Job(id=uuid.uuid4().hex, kind=KIND, visit_id=link.visit_id, locale=locale,
              key=hashlib.sha256(data).hexdigest()[:32],
              params={"link_id": link.id, "filename": (filename or "")[:200]})
    db.session.add(job)
    db.session.add(JobFile(kind="upload", key=job.id, filename=(filename or "")[:200], body=data))
    db.session.commit()
    jobs.jobs.enqueue(job.id)
    return job


def _forget_upload(job_id):
    db.session.execute(delete(JobFile).where(JobFile.kind == "upload", JobFile.key == job_id))


def run_preview(job):
    """The worker's part: the preview of the stored upload; the upload is deleted whatever happens
    (a failed preview is not tried again with it: the school uploads the file again)."""
    params = dict(job.params or {})
    upload = db.session.execute(select(JobFile).where(
        JobFile.kind == "upload", JobFile.key == job.id)).scalar_one_or_none()
    if upload is None:
        raise RuntimeError("the upload is gone (an earlier try failed): upload the file again")
    link = db.session.get(PreregLink, params["link_id"])
    filename, data, job_id = upload.filename, upload.body, job.id
    try:
        params["import_id"] = imports.preview(link, filename, data).id
    except imports.ImportRefused as exc:
        params["refused"] = [{"code": i.code, "params": dict(i.params)} for i in exc.issues]
    except DomainError as exc:  # e.g. the list locked meanwhile: said on the job's page
        db.session.rollback()
        params["refused_code"] = exc.code
    except Exception:
        db.session.rollback()
        _forget_upload(job_id)
        db.session.commit()
        raise
    db.session.get(Job, job_id).params = params
    _forget_upload(job_id)
    db.session.commit()


def outcome(job, lang):
    """(import id, file messages in `lang`, refusal code) of a finished import job."""
    params = job.params or {}
    messages = imports.file_messages(
        [Issue(i["code"], i["params"]) for i in params.get("refused", [])], lang)
    return params.get("import_id"), messages, params.get("refused_code")
