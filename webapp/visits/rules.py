"""Codes and msgids of the student and visit checks (webapp.identity's pattern; English in the .po)."""
from collections.abc import Mapping

from webapp.catalogue import N_
from webapp.identity import MESSAGES as IDENTITY_MESSAGES
from webapp.identity import Issue, format_issue
from webapp.prereg.dapodik import MESSAGES as DAPODIK_MESSAGES

# code -> Indonesian msgid; placeholders are Issue.params names.
MESSAGES = {
    "name_required": N_("Nama wajib diisi."),
    "name_invalid": N_("Nama harus berisi huruf."),
    "too_long": N_("Paling banyak {max} karakter."),
    "gender_required": N_("Jenis kelamin wajib diisi (L atau P)."),
    "gender_choice": N_("Jenis kelamin harus L atau P."),
    "birth_date_missing": N_("Tanggal lahir wajib diisi."),
    "birth_date_invalid": N_("Tanggal lahir \"{value}\" tidak dikenali (pakai YYYY-MM-DD atau DD-MM-YYYY)."),
    "birth_date_after_visit": N_("Tanggal lahir sesudah tanggal kunjungan; periksa tahunnya."),
    "birth_date_too_old": N_("Tanggal lahir sebelum tahun 1900; periksa tahunnya."),
    "nik_duplicate": N_("NIK ini sudah terdaftar untuk siswa lain di kunjungan ini (Data Ganda)."),
    "nik_looks_like_kk": N_(
        "NIK ini tampak seperti No. KK (tanggalnya tanggal terbit KK, bukan tanggal lahir); periksa kembali."
    ),
    "kelurahan_unknown": N_("Kode kelurahan \"{value}\" tidak dikenal."),
    "kelurahan_name_unknown": N_("Kelurahan \"{value}\" tidak ada di daftar wilayah kota ini; dikosongkan."),
    "boolean_invalid": N_("Harus ya atau tidak (true/false)."),
    "consent_missing": N_("Persetujuan orang tua/wali belum dicatat."),
    "not_a_text": N_("Harus berupa teks."),
    "school_unknown": N_("Sekolah tidak ditemukan."),
    "school_inactive": N_("Sekolah ini sudah dinonaktifkan."),
    "team_unknown": N_("Tim tidak ditemukan."),
    "date_missing": N_("Tanggal kunjungan wajib diisi."),
    "date_invalid": N_("Tanggal \"{value}\" tidak valid (format YYYY-MM-DD)."),
    "date_past": N_("Tanggal kunjungan sudah lewat."),
    "stations_range": N_("Jumlah meja harus 1 sampai 20."),
    "target_range": N_("Sasaran harus bilangan bulat 0 atau lebih."),
    "required": N_("Wajib diisi."),
    "visit_closed": N_("Kunjungan sudah selesai dan tidak dapat diubah."),
    "school_busy": N_("Sekolah ini sudah punya kunjungan pada tanggal itu."),
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
