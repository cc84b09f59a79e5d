"""School staff pages behind the pre-registration link (no account; the link is the key)."""
from functools import wraps

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _

from webapp.errors import DomainError, message_of, page_answer
from webapp.extensions import limiter
from webapp.identity import mask_nik
from webapp.jobs import services as job_services
from webapp.jobs.models import Job
from webapp.prereg import importjob, imports, present, services, slips
from webapp.prereg.forms import ConfirmForm, PlainForm, StudentForm, UploadForm
from webapp.prereg.limits import HEAVY_LIMIT, link_limit
from webapp.regions import services as regions
from webapp.reports import downloads
from webapp.visits import rules
from webapp.visits import services as students

bp = Blueprint("prereg", __name__, url_prefix="/daftar")


def link_page(view):
    """Resolve the token into g.link (404 page otherwise) and share the link budget."""

    @link_limit
    @wraps(view)
    def wrapped(token, **kwargs):
        try:
            g.link = services.open_link(token)
        except services.PreregError:
            # Wrong, expired or revoked alike: say whom to call, show nothing of the visit.
            return render_template("prereg/link_gone.html"), 404
        g.token = token
        try:
            return view(**kwargs)
        except DomainError as exc:
            page_answer(exc)  # a missing thing is a 404 page; a refusal goes back to the list
            return redirect(url_for("prereg.home", token=token), 303)

    return wrapped


@bp.after_request
def private(response):
    """The token is in the URL: never leak it as a referrer, never cache or index the page."""
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex, nofollow"
    return response


@bp.errorhandler(413)
def too_large(_exc):
    token = (request.view_args or {}).get("token")
    back = url_for("prereg.upload", token=token) if token else None
    return render_template("prereg/too_large.html", message=present.too_large_message(),
                           back=back), 413


def _kelurahan_choices():
    groups = {"": [("", _("— tidak diisi —"))]}
    for kec in regions.kecamatan_by_name():
        groups[kec.name] = [(k.code, k.name) for k in kec.kelurahan]
    return groups


def _student_form(student=None):
    form = StudentForm()
    form.kelurahan_code.choices = _kelurahan_choices()
    if student is not None and request.method == "GET":
        form.fill(student)
    return form


def _show_problems(form, errors, warnings):
    language = present.lang()
    form_errors = {}
    for name, texts in rules.describe(errors, language).items():
        target = form.field_for(name)
        if target is not None:
            target.errors = list(target.errors) + texts
        else:
            form_errors[name] = texts
    return rules.describe(warnings, language), form_errors


@bp.route("/<token>")
@link_page
def home():
    visit = g.link.visit
    return render_template("prereg/home.html", link=g.link, token=g.token, visit=visit,
                           data=services.overview(visit), locked=services.is_locked(visit),
                           lang=present.lang(), describe=rules.describe, mask=mask_nik)


def _save_student(student=None):
    form = _student_form(student)
    warnings, other = {}, {}
    if form.validate_on_submit():
        try:
            if student is None:
                saved, found = services.add(g.link, form.values())
            else:
                saved, found = services.update(g.link, student.id, form.values())
        except students.StudentInvalid as exc:
            warnings, other = _show_problems(form, exc.errors, exc.warnings)
        else:
            flash(_("Data %(name)s disimpan.", name=saved.name), "success")
            for texts in rules.describe(found, present.lang()).values():
                for text in texts:
                    flash(text, "warning")
            return redirect(url_for("prereg.home", token=g.token) + "#daftar", 303)
    status = 422 if request.method == "POST" else 200
    return render_template("prereg/student_form.html", form=form, student=student,
                           visit=g.link.visit, token=g.token, warnings=warnings,
                           other_errors=other), status


@bp.route("/<token>/siswa/baru", methods=["GET", "POST"])
@link_page
def new_student():
    services.ensure_editable(g.link.visit)
    return _save_student()


@bp.route("/<token>/siswa/<student_id>", methods=["GET", "POST"])
@link_page
def edit_student(student_id):
    services.ensure_editable(g.link.visit)
    student = services.get_student(g.link, student_id)
    if request.method == "GET":
        services.view_full_nik(g.link, student)
    return _save_student(student)


@bp.route("/<token>/siswa/<student_id>/hapus", methods=["POST"])
@link_page
def remove_student(student_id):
    if PlainForm().validate_on_submit():
        name = services.get_student(g.link, student_id).name
        services.remove(g.link, student_id)
        flash(_("%(name)s dihapus dari daftar.", name=name), "success")
    return redirect(url_for("prereg.home", token=g.token) + "#daftar", 303)


@bp.route("/<token>/impor", methods=["GET", "POST"])
@link_page
@limiter.limit(HEAVY_LIMIT, methods=["POST"])
def upload():
    services.ensure_editable(g.link.visit)
    form = UploadForm()
    file_errors = []
    if form.validate_on_submit():
        upload = form.file.data
        if not upload or not upload.filename:
            file_errors = [_("Pilih berkas Dapodik (.xlsx) atau .csv terlebih dahulu.")]
        else:
            data = upload.read()
            if importjob.is_large(upload.filename, data):  # seconds of checking: the worker's
                job = importjob.queue_preview(g.link, upload.filename, data, str(get_locale()))
                return redirect(url_for("prereg.job_page", token=g.token, job_id=job.id), 303)
            try:
                batch = imports.preview(g.link, upload.filename, data)
            except imports.ImportRefused as exc:
                file_errors = imports.file_messages(exc.issues, present.lang())
            else:
                return redirect(url_for("prereg.preview", token=g.token, import_id=batch.id), 303)
    status = 422 if file_errors else 200
    return render_template("prereg/upload.html", form=form, visit=g.link.visit, token=g.token,
                           file_errors=file_errors,
                           max_size=present.size_text(current_app.config["MAX_CONTENT_LENGTH"])
                           ), status


@bp.route("/<token>/impor/<import_id>", methods=["GET"])
@link_page
def preview(import_id):
    batch = imports.get_batch(g.link, import_id)
    language = present.lang()
    rows = [r | {"messages": imports.row_messages(r, language)} for r in batch.rows]
    return render_template("prereg/preview.html", batch=batch, rows=rows, visit=g.link.visit,
                           token=g.token, form=ConfirmForm(),
                           locked=services.is_locked(g.link.visit))


@bp.route("/<token>/impor/<import_id>/simpan", methods=["POST"])
@link_page
def confirm(import_id):
    form = ConfirmForm()
    if not form.validate_on_submit():
        return redirect(url_for("prereg.preview", token=g.token, import_id=import_id), 303)
    summary = imports.confirm(g.link, import_id, consent=form.consent.data)
    flash(_("Impor disimpan: %(added)d ditambahkan, %(updated)d diperbarui, %(skipped)d "
            "dilewati.", **{k: summary[k] for k in ("added", "updated", "skipped")}), "success")
    return redirect(url_for("prereg.home", token=g.token) + "#daftar", 303)


@bp.route("/<token>/slip.pdf")
@link_page
@limiter.limit(HEAVY_LIMIT)
def slips_pdf():
    """The slips of the current roster at once when rendered, else its job's progress page."""
    found = slips.download_slips(g.link, str(get_locale()))
    if isinstance(found, Job):
        return redirect(url_for("prereg.job_page", token=g.token, job_id=found.id), 303)
    return downloads.response(found)


@bp.route("/<token>/pekerjaan/<job_id>")
@link_page
def job_page(job_id):
    """A job of this link's visit: its state, refreshing itself until the file or preview is ready."""
    job = job_services.visit_job(job_id, g.link.visit_id, kinds=("slips", "import"))
    if job.kind == "slips":
        return render_template("prereg/job.html", job=job, visit=g.link.visit, token=g.token,
                               file_url=url_for("prereg.slips_pdf", token=g.token))
    import_id, file_errors, refused = importjob.outcome(job, present.lang())
    if job.state == "done" and import_id:
        return redirect(url_for("prereg.preview", token=g.token, import_id=import_id), 303)
    if job.state == "done":  # the file refused as a whole: the upload form with the reasons
        if refused:
            file_errors = [message_of(refused)]
        return render_template("prereg/upload.html", form=UploadForm(), visit=g.link.visit,
                               token=g.token, file_errors=file_errors,
                               max_size=present.size_text(current_app.config["MAX_CONTENT_LENGTH"])
                               ), 422
    return render_template("prereg/job.html", job=job, visit=g.link.visit, token=g.token,
                           file_url=url_for("prereg.upload", token=g.token))
