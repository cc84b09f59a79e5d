"""Codes and bilingual texts of the student and visit checks (webapp.identity's pattern)."""
from collections.abc import Mapping

from webapp.identity import MESSAGES as IDENTITY_MESSAGES
from webapp.identity import Issue, format_issue
from webapp.prereg.dapodik import MESSAGES as DAPODIK_MESSAGES

# code -> (Bahasa Indonesia, English); placeholders are Issue.params names.
MESSAGES = {
    "name_required": ("Nama wajib diisi.", "Name is required."),
    "name_invalid": ("Nama harus berisi huruf.", "The name must contain letters."),
    "too_long": ("Paling banyak {max} karakter.", "At most {max} characters."),
    "gender_required": ("Jenis kelamin wajib diisi (L atau P).",
                        "Gender is required (L or P)."),
    "gender_choice": ("Jenis kelamin harus L atau P.", "Gender must be L or P."),
    "birth_date_missing": ("Tanggal lahir wajib diisi.", "Birth date is required."),
    "birth_date_invalid": (
        "Tanggal lahir \"{value}\" tidak dikenali (pakai YYYY-MM-DD atau DD-MM-YYYY).",
        "Birth date \"{value}\" not recognised (use YYYY-MM-DD or DD-MM-YYYY).",
    ),
    "birth_date_after_visit": (
        "Tanggal lahir sesudah tanggal kunjungan; periksa tahunnya.",
        "The birth date is after the visit date; check the year.",
    ),
    "birth_date_too_old": ("Tanggal lahir sebelum tahun 1900; periksa tahunnya.",
                           "The birth date is before 1900; check the year."),
    "nik_duplicate": (
        "NIK ini sudah terdaftar untuk siswa lain di kunjungan ini (Data Ganda).",
        "This NIK is already registered for another student of this visit (duplicate).",
    ),
    "nik_looks_like_kk": (
        "NIK ini tampak seperti No. KK (tanggalnya tanggal terbit KK, bukan tanggal lahir); "
        "periksa kembali.",
        "This NIK looks like a KK number (its date is the card's issue date, not a birth "
        "date); please check.",
    ),
    "kelurahan_unknown": ("Kode kelurahan \"{value}\" tidak dikenal.",
                          "Unknown kelurahan code \"{value}\"."),
    "kelurahan_name_unknown": (
        "Kelurahan \"{value}\" tidak ada di daftar wilayah kota ini; dikosongkan.",
        "Kelurahan \"{value}\" is not in this city's region list; left empty.",
    ),
    "boolean_invalid": ("Harus ya atau tidak (true/false).", "Must be yes or no (true/false)."),
    "consent_missing": (
        "Persetujuan orang tua/wali belum dicatat.",
        "The parent/guardian consent is not recorded yet.",
    ),
    "not_a_text": ("Harus berupa teks.", "Must be text."),
    # Visit planning.
    "school_unknown": ("Sekolah tidak ditemukan.", "School not found."),
    "school_inactive": ("Sekolah ini sudah dinonaktifkan.", "This school is deactivated."),
    "team_unknown": ("Tim tidak ditemukan.", "Team not found."),
    "date_missing": ("Tanggal kunjungan wajib diisi.", "The visit date is required."),
    "date_invalid": ("Tanggal \"{value}\" tidak valid (format YYYY-MM-DD).",
                     "Date \"{value}\" is not valid (format YYYY-MM-DD)."),
    "date_past": ("Tanggal kunjungan sudah lewat.", "The visit date is in the past."),
    "stations_range": ("Jumlah meja harus 1 sampai 20.", "Desks must be 1 to 20."),
    "target_range": ("Sasaran harus bilangan bulat 0 atau lebih.",
                     "The target must be a whole number, 0 or more."),
    "required": ("Wajib diisi.", "Required."),
    "visit_closed": ("Kunjungan sudah selesai dan tidak dapat diubah.",
                     "The visit is closed and cannot be changed."),
    "school_busy": ("Sekolah ini sudah punya kunjungan pada tanggal itu.",
                    "This school already has a visit on that date."),
}

ALL_MESSAGES = {**IDENTITY_MESSAGES, **DAPODIK_MESSAGES, **MESSAGES}


def describe(problems: Mapping[str, list[Issue]], lang: str = "id") -> dict[str, list[str]]:
    """{field: [Issue]} -> {field: [text in `lang`]} (texts from identity, dapodik, here)."""
    return {f: [format_issue(i, lang, ALL_MESSAGES) for i in issues]
            for f, issues in problems.items() if issues}


def codes(problems: Mapping[str, list[Issue]]) -> dict[str, list[str]]:
    """{field: [Issue]} -> {field: [stable code]}."""
    return {f: [i.code for i in issues] for f, issues in problems.items() if issues}


def text(issue: Issue, lang: str = "id") -> str:
    """One issue in `lang`."""
    return format_issue(issue, lang, ALL_MESSAGES)
