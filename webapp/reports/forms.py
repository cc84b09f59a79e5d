"""Forms of the coordinator pages: dashboard filter (GET), follow-up (POST, CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField
from wtforms.validators import InputRequired, Optional

BAD_DATE = _l("Tanggal tidak valid (format YYYY-MM-DD).")


class LocalDateField(DateField):
    """A date field whose parse error speaks the user's language (WTForms has no Indonesian)."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(str(BAD_DATE)) from exc


class RangeForm(FlaskForm):
    """Dashboard filter: date range and where a student is counted."""

    class Meta:
        csrf = False  # a GET filter changes nothing

    dari = LocalDateField(_l("Dari tanggal"), validators=[Optional()])
    sampai = LocalDateField(_l("Sampai tanggal"), validators=[Optional()])
    dasar = SelectField(_l("Kelurahan menurut"), default="school", validators=[Optional()],
                        choices=[("school", _l("Lokasi sekolah")),
                                 ("residence", _l("Domisili siswa"))])

    def default_to_season(self, today, start_month=7):
        """An empty range means the current season (webapp.reports.services.season)."""
        from webapp.reports.services import season

        if self.dari.data is None and self.sampai.data is None and not self.dari.raw_data \
                and not self.sampai.raw_data:
            self.dari.data, self.sampai.data = season(today, start_month)
        return self

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if ok and self.dari.data and self.sampai.data and self.sampai.data < self.dari.data:
            self.sampai.errors = [_l("Tanggal akhir tidak boleh sebelum tanggal awal.")]
            ok = False
        return ok


class FollowUpForm(FlaskForm):
    """The date of a follow-up visit."""

    tanggal = LocalDateField(_l("Tanggal kunjungan susulan"), validators=[
        InputRequired(_l("Tanggal kunjungan susulan wajib diisi."))])
