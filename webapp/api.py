"""JSON API plumbing: blueprint registration, error bodies, marshmallow message translation."""
from flask import jsonify
from flask_babel import lazy_gettext as _l

from webapp.errors import message_of
from webapp.extensions import api, csrf

# marshmallow's built-in messages, said in the user's language (msgids in Indonesian).
MARSHMALLOW_MESSAGES = {
    "Missing data for required field.": _l("Wajib diisi."),
    "Field may not be null.": _l("Tidak boleh kosong."),
    "Unknown field.": _l("Kolom tidak dikenal."),
    "Not a valid string.": _l("Harus berupa teks."),
    "Not a valid integer.": _l("Harus berupa bilangan bulat."),
    "Not a valid boolean.": _l("Harus benar atau salah (true/false)."),
    "Not a valid date.": _l("Tanggal tidak valid (format YYYY-MM-DD)."),
    "Not a valid datetime.": _l("Waktu tidak valid (ISO 8601)."),
    "Not a valid list.": _l("Harus berupa daftar."),
    "Invalid input type.": _l("Jenis data tidak valid."),
    "Invalid value.": _l("Nilai tidak valid."),
    "Must be one of: {choices}.": _l("Harus salah satu dari: {choices}."),
    "Length must be between {min} and {max}.": _l("Panjang harus antara {min} dan {max}."),
    "Must be greater than or equal to {min} and less than or equal to {max}.":
        _l("Harus antara {min} dan {max}."),
}


def translate(message):
    """Translate one marshmallow message, keeping unknown ones as they are."""
    for english, local in MARSHMALLOW_MESSAGES.items():
        if message == english:
            return str(local)
        if "{" in english:
            head = english.split("{")[0]
            if message.startswith(head) and head:
                # Keep the concrete values marshmallow filled in after the fixed head.
                return str(local).split("{")[0] + message[len(head):]
    return message


def flatten_errors(messages):
    """{location: {field: [msg]}} or nested dicts -> {"field" or "a.b": [translated msgs]}."""
    out = {}

    def walk(prefix, value):
        if isinstance(value, dict):
            for key, sub in value.items():
                walk(f"{prefix}.{key}" if prefix else str(key), sub)
        elif isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[prefix or "_schema"] = [translate(v) for v in value]
        else:
            out[prefix or "_schema"] = [translate(str(value))]

    for location, fields in (messages or {}).items():
        walk("" if location in ("json", "form", "files", "query") else location, fields)
    return out


def error(code, message, status, **extra):
    """A JSON error response with a stable code."""
    return jsonify({"code": code, "message": message, **extra}), status


def validation_error(errors, issues=None):
    """422 with {"errors": {field: [message]}} and, when known, {"issues": {field: [stable code]}}."""
    extra = {"issues": issues} if issues is not None else {}
    return error("validation_error", message_of("validation_error"), 422, errors=errors, **extra)


def register(app, *blueprints):
    """Register flask-smorest blueprints: CSRF-exempt (bearer tokens), listed in OpenAPI."""
    for bp in blueprints:
        csrf.exempt(bp)
        api.register_blueprint(bp)


def install_error_handler(app):
    """Make flask-smorest's 422 look like the protocol's {"errors": {field: [msg]}}."""

    @app.errorhandler(422)
    def unprocessable(err):
        data = getattr(err, "data", {}) or {}
        return validation_error(flatten_errors(data.get("messages", {})))

