"""Coordinator forms (Flask-WTF, CSRF on); the service is the authority on every rule."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField


class VisitForm(FlaskForm):
    """Plan or edit a visit; text fields so every message comes from the service."""

    school_id = SelectField(_l("Sekolah"), validate_choice=False)
    date = StringField(_l("Tanggal kunjungan"), render_kw={"type": "date"})
    team_id = SelectField(_l("Tim"), validate_choice=False)
    stations = StringField(_l("Jumlah meja perekaman"), default="2",
                           render_kw={"type": "number", "min": 1, "max": 20,
                                      "inputmode": "numeric"})
    target = StringField(_l("Sasaran (jumlah siswa)"),
                         render_kw={"type": "number", "min": 0, "inputmode": "numeric"})
    notes = TextAreaField(_l("Catatan"), render_kw={"rows": 3, "maxlength": 2000})

    def values(self):
        """The form as the planning service reads it."""
        return {f: getattr(self, f).data for f in
                ("school_id", "date", "team_id", "stations", "target", "notes")}


class LinkForm(FlaskForm):
    """Open (or replace) the pre-registration link."""

    expires_on = StringField(_l("Berlaku sampai (tanggal)"), render_kw={"type": "date"})


class PlainForm(FlaskForm):
    """A button that only needs the CSRF token (revoke)."""


class TransitionForm(FlaskForm):
    """Confirm a lifecycle step (close, reopen, cancel); the reason goes to the audit log."""

    reason = TextAreaField(_l("Alasan"), render_kw={"rows": 2, "maxlength": 500})
