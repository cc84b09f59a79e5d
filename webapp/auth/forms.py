"""Login and user-management forms (Flask-WTF: validation + CSRF)."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from webapp.auth.models import ROLES

ROLE_LABELS = {"officer": _l("Petugas"), "coordinator": _l("Koordinator"), "admin": _l("Admin")}


class LoginForm(FlaskForm):
    """Username and password."""

    username = StringField(_l("Nama pengguna"), validators=[DataRequired(_l("Nama pengguna wajib diisi."))])
    password = PasswordField(_l("Kata sandi"), validators=[DataRequired(_l("Kata sandi wajib diisi."))])


class UserForm(FlaskForm):
    """Create or edit a user; the password is optional when editing."""

    username = StringField(_l("Nama pengguna"), validators=[
        DataRequired(_l("Nama pengguna wajib diisi.")), Length(3, 40, _l("Nama pengguna 3 sampai 40 karakter.")),
        Regexp(r"^[a-z0-9._-]+$", message=_l("Nama pengguna hanya huruf kecil, angka, titik, garis bawah atau strip.")),
    ])
    full_name = StringField(_l("Nama lengkap"), validators=[
        DataRequired(_l("Nama lengkap wajib diisi.")),
        Length(max=120, message=_l("Nama lengkap paling banyak 120 karakter.")),
    ])
    role = SelectField(_l("Peran"), choices=[(r, ROLE_LABELS[r]) for r in ROLES])
    team_id = SelectField(_l("Tim"), coerce=lambda v: int(v) if v not in (None, "", "None") else None,
                          validators=[Optional()])
    password = PasswordField(_l("Kata sandi"), validators=[
        Optional(), Length(8, 128, _l("Kata sandi minimal 8 karakter."))])
    active = BooleanField(_l("Aktif"), default=True)

    def validate(self, extra_validators=None):
        ok = super().validate(extra_validators)
        if self.role.data == "officer" and not self.team_id.data:
            self.team_id.errors = list(self.team_id.errors) + [_l("Petugas harus masuk ke sebuah tim.")]
            ok = False
        return ok


class TeamForm(FlaskForm):
    """Create or rename a team."""

    name = StringField(_l("Nama tim"), validators=[
        DataRequired(_l("Nama tim wajib diisi.")), Length(max=80, message=_l("Nama tim paling banyak 80 karakter."))])
