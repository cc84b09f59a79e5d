"""Shapes shared by the school pages and the link-holder API (masked NIK by default)."""
from flask import current_app
from flask_babel import format_date, get_locale
from flask_babel import gettext as _

from webapp.identity import Issue, mask_nik
from webapp.visits import rules
from webapp.visits import services as students


def lang() -> str:
    """The request's language code for issue texts ('id' or 'en')."""
    return str(get_locale() or "id")


def eligibility_dict(elig, language=None):
    """Eligibility for JSON, with a label whose dates read like dates ("1 Januari 2027")."""
    dates = {k: format_date(v, "long") for k, v in
             (("eligible_on", elig.eligible_on), ("card_on", elig.card_on)) if v}
    return {"status": elig.status, "age": elig.age, "eligible_on": elig.eligible_on,
            "card_on": elig.card_on,
            "label": rules.text(Issue(elig.status, dates), language or lang())}


def student_dict(student, visit, *, warnings=None, elig=None, full=False, language=None):
    """A student for JSON; `full` adds the NIK and KK (only right after saving or auditing)."""
    language = language or lang()
    elig = elig or students.student_eligibility(student, visit)
    if warnings is None:
        warnings = students.student_warnings(student, visit)
    out = {
        "id": student.id, "name": student.name, "nik_masked": mask_nik(student.nik),
        "kk_masked": mask_nik(student.kk) if student.kk else None, "nisn": student.nisn,
        "nipd": student.nipd, "gender": student.gender, "birth_place": student.birth_place,
        "birth_date": student.birth_date.isoformat(), "class_": student.class_name,
        "kelurahan_code": student.kelurahan_code, "consent": student.consent,
        "married": student.married, "source": student.source,
        "eligibility": eligibility_dict(elig, language),
        "warnings": rules.describe(warnings, language),
    }
    if full:
        out |= {"nik": student.nik, "kk": student.kk}
    return out


def size_text(n: int) -> str:
    """5242880 -> '5 MB', 1536 -> '1.5 KB'."""
    for unit, size in (("MB", 1024 * 1024), ("KB", 1024)):
        if n >= size:
            value = n / size
            return f"{value:.0f} {unit}" if value.is_integer() else f"{value:.1f} {unit}"
    return f"{n} B"


def too_large_message() -> str:
    limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
    return _("Berkas terlalu besar: paling besar %(size)s. Simpan hanya lembar daftar siswa, "
             "atau bagi menjadi beberapa berkas.", size=size_text(limit))
