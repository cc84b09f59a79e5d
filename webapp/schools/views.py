"""Coordinator and admin pages: the school list, add and edit (deactivate) a school."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField

from webapp.auth.decorators import roles_required
from webapp.extensions import db
from webapp.regions import services as regions
from webapp.schools import services
from webapp.schools.models import LEVELS, School

bp = Blueprint("schools", __name__, url_prefix="/koordinator/sekolah")
STAFF = ("coordinator", "admin")


class SchoolForm(FlaskForm):
    """Text fields: every rule and message is the service's."""

    npsn = StringField(_l("NPSN"), render_kw={"inputmode": "numeric", "maxlength": 8,
                                              "autocomplete": "off"})
    name = StringField(_l("Nama sekolah"), render_kw={"maxlength": 120})
    level = SelectField(_l("Jenjang"), choices=[(v, v) for v in LEVELS], validate_choice=False)
    address = StringField(_l("Alamat"), render_kw={"maxlength": 200})
    kelurahan_code = SelectField(_l("Kelurahan"), validate_choice=False)
    active = BooleanField(_l("Aktif (dapat dijadwalkan kunjungan)"), default=True)

    def values(self, editing):
        data = {f: getattr(self, f).data for f in services.FIELDS}
        if editing:
            data["active"] = bool(self.active.data)
        return data


@bp.route("/")
@roles_required(*STAFF)
def index():
    schools, counts = services.school_list()
    return render_template("schools/list.html", schools=schools, visits=counts)


@bp.route("/baru", methods=["GET", "POST"], defaults={"school_id": None})
@bp.route("/<int:school_id>/ubah", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit(school_id):
    school = db.get_or_404(School, school_id) if school_id else None
    form = SchoolForm(obj=school if request.method == "GET" else None)
    areas = regions.kelurahan_by_code()
    form.kelurahan_code.choices = [("", _("— pilih kelurahan —"))] + [
        (k.code, f"{k.name} · {k.kecamatan.name} ({k.code})") for k in areas]
    if form.validate_on_submit():
        try:
            saved = services.save_school(form.values(school is not None), school)
        except services.SchoolInvalid as exc:  # the service wrote nothing, or rolled back
            for name, texts in services.describe(exc.errors, str(get_locale() or "id")).items():
                target = getattr(form, name, form.npsn)
                target.errors = list(target.errors) + texts
        else:
            flash(_("Sekolah %(name)s disimpan.", name=saved.name), "success")
            return redirect(url_for("schools.index"), 303)
    status = 422 if form.errors else 200
    return render_template("schools/form.html", form=form, school=school), status
