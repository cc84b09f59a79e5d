"""The coordinator's desk pages: the live visit page, a correction, the blank cards."""
from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.auth.decorators import roles_required
from webapp.desk import blanks, corrections, live, photos
from webapp.desk.forms import BlanksForm, CorrectionForm, PhotoForm
from webapp.errors import DomainError, page_answer
from webapp.extensions import db
from webapp.reports import labels
from webapp.reports.state import visit_rows
from webapp.visits.models import Visit
from webapp.visits.reasons import failure_reasons

bp = Blueprint("desk", __name__, url_prefix="/koordinator/kunjungan")
COORDINATORS = ("coordinator", "admin")
# Filter buttons of the live page, in order (codes of webapp.desk.live.FILTERS).
FILTER_ORDER = ("", "not_arrived", "waiting", "recorded", "failed", "already_recorded", "to_print",
                "printed", "conflicts", "absent", "under_age")


def _locale():
    return str(get_locale() or "id")


def words():
    """Every word the page's script shows for a code, in the user's language."""
    def table(t):
        return {("" if k is None else k): str(v) for k, v in t.items()}

    return {"attendance": table(labels.ATTENDANCE), "outcome": table(labels.OUTCOME),
            "ikd": table(labels.IKD_SHORT), "print": table(labels.PRINT),
            "print_reason": table(labels.PRINT_REASON), "conflict": table(CONFLICTS),
            "correct": _("Koreksi"), "corrected": _("dikoreksi"), "none": _("Tidak ada siswa.")}


# Short words for the conflict codes on a student's row.
CONFLICTS = {
    "double_ticket": _l("Dua nomor antrean"),
    "recorded_then_failed": _l("Rekam lalu gagal"),
    "walkin_duplicate": _l("Siswa susulan ganda"),
    "recorded_twice": _l("Direkam dua kali"),
    "double_call": _l("Dipanggil dua meja"),
}


def filter_words():
    return {"": _("Semua"), "not_arrived": _("Belum Hadir"), "waiting": _("Hadir, belum ada hasil"),
            "recorded": _("Sudah Rekam"), "failed": _("Gagal"),
            "already_recorded": _("Sudah Punya KTP-el"), "to_print": _("Perlu dicetak"),
            "printed": _("Sudah Dicetak"), "conflicts": _("Konflik"), "absent": _("Tidak Hadir"),
            "under_age": _("Belum Cukup Umur")}


@bp.route("/<int:visit_id>/langsung")
@roles_required(*COORDINATORS)
def live_page(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    q, status = request.args.get("q", "")[:100], request.args.get("status", "")
    data = live.students(visit, q, status if status in live.FILTERS else "", _locale())
    form = BlanksForm(data={"blanks_brought": visit.blanks_brought, "blanks_left": visit.blanks_left})
    return render_template("desk/live.html", visit=visit, data=data, q=q, status=status,
                           filters=[(code, filter_words()[code]) for code in FILTER_ORDER],
                           words=words(), blanks_form=form, photo_form=PhotoForm(),
                           photos=photos.photos_of(visit.id), max_photos=photos.MAX_PHOTOS)


@bp.route("/<int:visit_id>/foto", methods=["POST"])
@roles_required(*COORDINATORS)
def add_photo(visit_id):
    form = PhotoForm()
    if form.validate_on_submit():
        upload = request.files.get("photo")
        try:
            photos.add_photo(visit_id, upload.read() if upload else b"", form.caption.data, current_user)
        except DomainError as exc:  # refused before anything was written
            page_answer(exc)
        else:
            flash(_("Foto disimpan dan masuk ke laporan."), "success")
    return redirect(url_for("desk.live_page", visit_id=visit_id) + "#foto", 303)


@bp.route("/<int:visit_id>/foto/<int:photo_id>.jpg")
@roles_required(*COORDINATORS)
def photo(visit_id, photo_id):
    found = photos.get_photo(visit_id, photo_id)
    return Response(found.jpeg, mimetype="image/jpeg", headers={"Cache-Control": "private, max-age=3600"})


@bp.route("/<int:visit_id>/foto/<int:photo_id>/hapus", methods=["POST"])
@roles_required(*COORDINATORS)
def delete_photo(visit_id, photo_id):
    if PhotoForm().validate_on_submit():
        try:
            photos.delete_photo(visit_id, photo_id, current_user)
        except DomainError as exc:
            page_answer(exc)
        else:
            flash(_("Foto dihapus."), "success")
    return redirect(url_for("desk.live_page", visit_id=visit_id) + "#foto", 303)


@bp.route("/<int:visit_id>/blangko", methods=["POST"])
@roles_required(*COORDINATORS)
def set_blanks(visit_id):
    form = BlanksForm()
    if form.validate_on_submit():
        try:
            blanks.set_blanks(visit_id, form.blanks_brought.data, form.blanks_left.data, current_user)
        except DomainError as exc:  # refused before anything was written
            page_answer(exc)
        else:
            flash(_("Jumlah blangko disimpan."), "success")
    return redirect(url_for("desk.live_page", visit_id=visit_id) + "#blangko", 303)


def _value_choices(form):
    result, ikd = _("Hasil"), _("IKD")
    form.value.choices = (
        [(f"outcome:{k}", f"{result}: {v}") for k, v in labels.OUTCOME.items() if k]
        + [("outcome:", f"{result}: {_('kosongkan')}")]
        + [(f"ikd:{k}", f"{ikd}: {v}") for k, v in labels.IKD_SHORT.items() if k]
        + [("ikd:", f"{ikd}: {_('kosongkan')}")])
    form.failure_reason.choices = [("", "—")] + [(r["code"], r["label"]) for r in failure_reasons(_locale())]


@bp.route("/<int:visit_id>/koreksi/<student_id>", methods=["GET", "POST"])
@roles_required(*COORDINATORS)
def correct(visit_id, student_id):
    visit = db.get_or_404(Visit, visit_id)
    row = next((r for r in visit_rows(visit) if r.id == student_id), None)
    if row is None:
        return page_answer(DomainError("student_not_found"))
    form = CorrectionForm()
    _value_choices(form)
    if form.validate_on_submit():
        try:
            corrections.correct(visit.id, current_user, form.values(student_id))
        except DomainError as exc:
            page_answer(exc, form)
        else:
            flash(_("Koreksi disimpan dan tercatat di log audit."), "success")
            return redirect(url_for("desk.live_page", visit_id=visit.id), 303)
    status = 422 if request.method == "POST" else 200
    return render_template("desk/correct.html", visit=visit, row=row, form=form, words=words()), status
