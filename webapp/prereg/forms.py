"""School staff forms (Flask-WTF, CSRF on); the student service judges every value."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, SelectField, StringField

NUMERIC = {"inputmode": "numeric", "autocomplete": "off"}


class StudentForm(FlaskForm):
    """Add or edit one student; names match the API (class_name is sent as "class")."""

    name = StringField(_l("Nama lengkap (sesuai KK)"),
                       render_kw={"autocomplete": "off", "maxlength": 120})
    nik = StringField(_l("NIK"), render_kw=NUMERIC | {"maxlength": 20})
    kk = StringField(_l("No. KK"), render_kw=NUMERIC | {"maxlength": 20})
    gender = SelectField(_l("Jenis kelamin"), validate_choice=False,
                         choices=[("", _l("— pilih —")), ("L", _l("Laki-laki (L)")),
                                  ("P", _l("Perempuan (P)"))])
    birth_place = StringField(_l("Tempat lahir"), render_kw={"maxlength": 80})
    birth_date = StringField(_l("Tanggal lahir"), render_kw={"type": "date"})
    class_name = StringField(_l("Kelas (rombel)"), render_kw={"maxlength": 40})
    nisn = StringField(_l("NISN"), render_kw=NUMERIC | {"maxlength": 12})
    nipd = StringField(_l("NIPD"), render_kw={"maxlength": 30})
    kelurahan_code = SelectField(_l("Kelurahan tempat tinggal"), validate_choice=False)
    consent = BooleanField(_l("Orang tua/wali siswa sudah memberikan persetujuan"))

    def values(self):
        """The form in the API's names, as validate_student reads it."""
        data = {f: getattr(self, f).data for f in
                ("name", "nik", "kk", "gender", "birth_place", "birth_date", "nisn", "nipd",
                 "kelurahan_code", "consent")}
        data["class"] = self.class_name.data
        return data

    def fill(self, student):
        """Put a stored student into the form (edit page)."""
        for f in ("name", "nik", "kk", "gender", "birth_place", "nisn", "nipd",
                  "kelurahan_code", "consent", "class_name"):
            getattr(self, f).data = getattr(student, f)
        self.birth_date.data = student.birth_date.isoformat()

    def field_for(self, api_name):
        """The form field of an API field name (errors land beside it)."""
        return getattr(self, "class_name" if api_name == "class" else api_name, None)


class UploadForm(FlaskForm):
    """The Dapodik file."""

    file = FileField(_l("Berkas Dapodik (.xlsx) atau .csv"),
                     render_kw={"accept": ".xlsx,.csv,application/vnd.openxmlformats-"
                                          "officedocument.spreadsheetml.sheet,text/csv"})


class ConfirmForm(FlaskForm):
    """Confirm an import preview."""

    consent = BooleanField(_l("Sekolah sudah memegang persetujuan orang tua/wali untuk "
                              "siswa dalam berkas ini"))


class PlainForm(FlaskForm):
    """A button that only needs the CSRF token (remove)."""
