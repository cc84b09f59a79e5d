"""Forms of the coordinator's desk (Flask-WTF, CSRF on); the services are the authority on every rule."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField, StringField, TextAreaField


class CorrectionForm(FlaskForm):
    """Correct one student's outcome or IKD status, with the reason (docs/desk.md)."""

    # "field:value" in one list ("outcome:failed", "ikd:" clears the IKD status): no script needed.
    value = SelectField(_l("Koreksi menjadi"), validate_choice=False)
    failure_reason = SelectField(_l("Alasan gagal (jika Gagal)"), validate_choice=False)
    reason = TextAreaField(_l("Alasan koreksi"), render_kw={"rows": 2, "maxlength": 500})

    def values(self, student_id):
        """The form as the correction service reads it."""
        field, _sep, value = (self.value.data or "outcome:").partition(":")
        value = value or None
        return {"student_id": student_id, "field": field, "value": value,
                "failure_reason": (self.failure_reason.data or None) if value == "failed" else None,
                "reason": self.reason.data or ""}


class BlanksForm(FlaskForm):
    """Blank KTP-el cards brought to the visit and left at its end."""

    blanks_brought = StringField(_l("Blangko dibawa"), render_kw={"type": "number", "min": 0,
                                                                  "inputmode": "numeric"})
    blanks_left = StringField(_l("Blangko tersisa"), render_kw={"type": "number", "min": 0,
                                                                "inputmode": "numeric"})


class PhotoForm(FlaskForm):
    """One photo of the activity (the file comes in request.files["photo"]) and its caption."""

    caption = StringField(_l("Keterangan foto"), render_kw={"maxlength": 200})
