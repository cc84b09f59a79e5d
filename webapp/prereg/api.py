"""Link-holder API: the school's list, students, Dapodik imports, QR slips (no account)."""
from datetime import UTC
from functools import wraps

from flask import current_app, g, jsonify, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_smorest import Blueprint

from webapp.api import error
from webapp.errors import message_of
from webapp.extensions import limiter
from webapp.jobs import services as job_services
from webapp.jobs.models import Job
from webapp.prereg import importjob, imports, present, services, slips
from webapp.prereg.limits import HEAVY_LIMIT, link_limit
from webapp.prereg.schemas import (
    CheckInSchema,
    CheckOutSchema,
    ConfirmInSchema,
    ConfirmOutSchema,
    ImportOutSchema,
    PreregOutSchema,
    StudentFullSchema,
    StudentInSchema,
    UploadSchema,
)
from webapp.reports.downloads import response
from webapp.visits import rules
from webapp.visits import services as students
from webapp.visits.schemas import visit_dict

blp = Blueprint("prereg_api", __name__, url_prefix="/api/v1/prereg",
                description="Pre-registration by link: school staff, no account; the token "
                            "in the path is the key")
def with_link(view):
    """Resolve the token in the path into g.link, or answer 404."""

    @wraps(view)
    def wrapped(*args, token, **kwargs):
        g.link = services.open_link(token)  # a bad link: link_not_found, saying nothing of any visit
        return view(*args, **kwargs)

    return wrapped


@blp.errorhandler(413)
def too_large(_exc):
    """The upload limit, named (the app-wide 413 page does not say it)."""
    limit = current_app.config.get("MAX_CONTENT_LENGTH")
    return error("file_too_large", present.too_large_message(), 413, max_bytes=limit)


def _student_body(body):
    data = dict(body)
    data["class"] = data.pop("class_", None)
    return data


def _invalid(exc):
    """422 {"errors": {field: [message]}} plus the warnings seen on the way."""
    language = present.lang()
    return error("validation_error", _("Periksa kembali isian yang ditandai."), 422,
                 errors=rules.describe(exc.errors, language), issues=rules.codes(exc.errors),
                 warnings=rules.describe(exc.warnings, language))


@blp.route("/<token>", methods=["GET"])
@link_limit
@with_link
@blp.response(200, PreregOutSchema)
def overview():
    """The visit, its school, the counts and the students so far (NIK masked)."""
    visit = g.link.visit
    data = services.overview(visit)
    language = present.lang()
    return {
        "visit": visit_dict(visit), "school": visit.school, "locked": services.is_locked(visit),
        "expires_at": g.link.expires_at.replace(tzinfo=UTC), "counts": data.counts,
        "students": [present.student_dict(v.student, visit, warnings=v.warnings,
                                          elig=v.eligibility, language=language)
                     for v in data.students],
    }


@blp.route("/<token>/validate", methods=["POST"])
@link_limit
@with_link
@blp.arguments(CheckInSchema)
@blp.response(200, CheckOutSchema)
def check(body):
    """Check a student as typed (nothing stored): errors, warnings, eligibility."""
    visit = g.link.visit
    data = _student_body(body)
    editing = data.pop("id", None)
    other = services.get_student(g.link, editing) if editing else None
    clean, errors, warnings = students.validate_student(data, visit, student=other)
    language = present.lang()
    elig = None
    if clean.get("birth_date") and "birth_date" not in errors:
        elig = present.eligibility_dict(students.student_eligibility(clean["birth_date"], visit))
    return {"valid": not errors, "errors": rules.describe(errors, language),
            "warnings": rules.describe(warnings, language), "eligibility": elig}


@blp.route("/<token>/students", methods=["POST"])
@link_limit
@with_link
@blp.arguments(StudentInSchema)
@blp.response(201, StudentFullSchema)
@blp.alt_response(422, description="{\"errors\": {field: [message]}, \"warnings\": {...}}")
def add_student(body):
    """Add a student; warnings never block, errors answer 422 naming the fields."""
    try:
        student, warnings = services.add(g.link, _student_body(body))
    except students.StudentInvalid as exc:
        return _invalid(exc)
    return present.student_dict(student, g.link.visit, warnings=warnings, full=True)


@blp.route("/<token>/students/<student_id>", methods=["GET"])
@link_limit
@with_link
@blp.response(200, StudentFullSchema)
def get_student(student_id):
    """One student with the full NIK (the view is audited)."""
    student = services.view_full_nik(g.link, services.get_student(g.link, student_id))
    return present.student_dict(student, g.link.visit, full=True)


@blp.route("/<token>/students/<student_id>", methods=["PUT"])
@link_limit
@with_link
@blp.arguments(StudentInSchema)
@blp.response(200, StudentFullSchema)
def replace_student(body, student_id):
    """Replace a student's fields (send them all)."""
    try:
        student, warnings = services.update(g.link, student_id, _student_body(body))
    except students.StudentInvalid as exc:
        return _invalid(exc)
    return present.student_dict(student, g.link.visit, warnings=warnings, full=True)


@blp.route("/<token>/students/<student_id>", methods=["DELETE"])
@link_limit
@with_link
@blp.response(204)
def delete_student(student_id):
    """Remove a student from the list."""
    services.remove(g.link, student_id)
    return ""


def _import_dict(batch, language):
    rows = [{**{k: r.get(k) for k in ("row", "status", "action", "name", "nik_masked")},
             "class_": r.get("class"), "messages": imports.row_messages(r, language)}
            for r in batch.rows]
    return {"import_id": batch.id, "filename": batch.filename, "summary": batch.summary,
            "confirmed": batch.confirmed_at is not None, "rows": rows}


@blp.route("/<token>/imports", methods=["POST"])
@link_limit
@limiter.limit(HEAVY_LIMIT)
@with_link
@blp.arguments(UploadSchema, location="files")
@blp.response(201, ImportOutSchema)
@blp.alt_response(202, description="A large file (more than IMPORT_JOB_ROWS rows): its preview is "
                                   "made by a job; follow status_url, whose answer names import_url")
def upload(files):
    """Upload a Dapodik .xlsx or .csv: a preview per row; nothing is added yet."""
    upload = files["file"]
    data = upload.read()
    if importjob.is_large(upload.filename, data):  # seconds of checking: the worker's
        body = _job_body(importjob.queue_preview(g.link, upload.filename, data, str(get_locale())))
        answer = jsonify(body)  # a Response: not shaped by the 201's schema
        answer.status_code, answer.headers["Location"] = 202, body["status_url"]
        return answer
    try:
        batch = imports.preview(g.link, upload.filename, data)
    except imports.ImportRefused as exc:
        messages = imports.file_messages(exc.issues, present.lang())
        return error("import_refused", messages[0], 422, errors={"file": messages})
    return _import_dict(batch, present.lang())


@blp.route("/<token>/imports/<import_id>", methods=["GET"])
@link_limit
@with_link
@blp.response(200, ImportOutSchema)
def show_import(import_id):
    """A preview again (rows and messages)."""
    return _import_dict(imports.get_batch(g.link, import_id), present.lang())


@blp.route("/<token>/imports/<import_id>/confirm", methods=["POST"])
@link_limit
@with_link
@blp.arguments(ConfirmInSchema, required=False)
@blp.response(200, ConfirmOutSchema)
def confirm_import(body, import_id):
    """Save the valid rows: new NIKs are added, known NIKs updated."""
    summary = imports.confirm(g.link, import_id, consent=bool((body or {}).get("consent")))
    return {"summary": summary}


def _job_body(job):
    token = request.view_args["token"]
    body = {"job": job.id, "kind": job.kind, "state": job.state,
            "status_url": url_for("prereg_api.job_status", token=token, job_id=job.id)}
    if job.kind == "slips":
        body["file_url"] = url_for("prereg_api.slips_pdf", token=token)
    elif job.state == "done":
        import_id, messages, refused = importjob.outcome(job, present.lang())
        if import_id:
            body |= {"import_id": import_id,
                     "import_url": url_for("prereg_api.show_import", token=token, import_id=import_id)}
        elif refused:
            body |= {"code": refused, "message": message_of(refused)}
        else:  # the file as a whole refused, as the upload itself answers for a small file
            body |= {"code": "import_refused", "message": messages[0], "errors": {"file": messages}}
    if job.state == "failed":  # what failed stays in the coordinator's log, not in the school's answer
        body |= {"code": "job_failed", "message": message_of("job_failed")}
    return body


@blp.route("/<token>/slips.pdf", methods=["GET"])
@link_limit
@limiter.limit(HEAVY_LIMIT)
@with_link
@blp.doc(responses={
    "200": {"description": "A4 PDF, eight QR slips a page, grouped by class; rendered once per "
                           "roster version by a job, then served at once (ETag)",
            "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}}},
    "202": {"description": "Not rendered yet: queued as a job; follow status_url (Location), "
                           "then fetch file_url"},
    "304": {"description": "Not modified (If-None-Match matched the ETag)"}})
def slips_pdf():
    """Printable QR slips of every eligible student (never rendered in the request)."""
    found = slips.download_slips(g.link, str(get_locale()))
    if isinstance(found, Job):
        body = _job_body(found)
        return body, 202, {"Location": body["status_url"]}
    answer = response(found)
    answer.headers["Content-Disposition"] = f'inline; filename="{found.filename}"'
    answer.headers["Cache-Control"] = "no-store"  # names of minors: never kept by a shared browser
    return answer


@blp.route("/<token>/jobs/<job_id>", methods=["GET"])
@link_limit
@with_link
@blp.doc(responses={"200": {"description": "The job's state: queued, running, done or failed"},
                    "404": {"description": "No such job for this link's visit"}})
def job_status(job_id):
    """The progress of this link's slips or import job; when `done`, `file_url` serves the slips,
    `import_url` the import's preview (or `code` and `errors` say why the file was refused)."""
    return _job_body(job_services.visit_job(job_id, g.link.visit_id, kinds=("slips", "import")))
