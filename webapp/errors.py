"""The one error registry: DomainError, the code -> (HTTP status, message) table, API and page answers.

Services raise DomainError(code, field, **params); views never write a message or a status of their own.
Messages are Indonesian msgids translated by gettext (the .po files are the one catalogue); fieldsync's
rejection codes are in the same table, so the sync answer words them like any other refusal.
See docs/architecture.md.
"""
from flask import abort, flash, jsonify
from flask_babel import gettext
from marshmallow import INCLUDE, Schema, fields

from webapp.catalogue import N_, translate


class DomainError(Exception):
    """A refused request: a stable `code`, the input `field` at fault (if any), message `params`."""

    def __init__(self, code, field=None, **params):
        super().__init__(code)
        self.code, self.field, self.params = code, field, params

    @property
    def status(self):
        return status_of(self.code)

    @property
    def message(self):
        return message_of(self.code, **self.params)


# Stable code -> (HTTP status, message). One line per refusal the app can give.
ERRORS = {
    # Generic HTTP answers (werkzeug errors on /api/ paths).
    "bad_request": (400, N_("Permintaan tidak dapat dibaca (JSON atau formulir rusak).")),
    "unauthorized": (401, N_("Token tidak valid atau sudah dicabut. Masuk lagi.")),
    "forbidden": (403, N_("Anda tidak punya akses.")),
    "not_found": (404, N_("Tidak ditemukan.")),
    "method_not_allowed": (405, N_("Metode HTTP ini tidak dipakai di alamat ini.")),
    "too_large": (413, N_("Data terlalu besar.")),
    "rate_limited": (429, N_("Terlalu banyak permintaan, coba lagi sebentar lagi.")),
    "server_error": (500, N_("Terjadi kesalahan di server. Data tidak disimpan; coba lagi.")),
    "validation_error": (422, N_("Periksa kembali isian yang ditandai.")),
    "nul_character": (422, N_("Teks tidak boleh berisi karakter NUL (kode 0).")),
    # Accounts and devices.
    "bad_credentials": (401, N_("Nama pengguna atau kata sandi salah.")),
    "username_taken": (409, N_("Nama pengguna sudah dipakai.")),
    "password_required": (422, N_("Kata sandi wajib diisi untuk pengguna baru.")),
    "team_taken": (409, N_("Nama tim sudah dipakai.")),
    "device_not_found": (404, N_("Perangkat tidak ditemukan.")),
    "account_locked": (429, N_("Akun ini dikunci sementara karena kata sandi salah berkali-kali. Coba lagi "
                               "dalam %(minutes)d menit, atau minta admin membukanya.")),
    # Visits.
    "visit_not_found": (404, N_("Kunjungan tidak ditemukan.")),
    "job_not_found": (404, N_("Pekerjaan tidak ditemukan.")),
    "job_failed": (500, N_("Berkas gagal dibuat. Minta lagi sebentar lagi; jika tetap gagal, hubungi petugas.")),
    "file_not_ready": (404, N_("Berkas belum dibuat. Minta dibuatkan dulu, lalu tunggu sampai selesai.")),
    "visit_closed": (409, N_("Kunjungan sudah selesai.")),
    "visit_not_closed": (409, N_("Tutup kunjungan ini dulu: siswa yang belum hadir baru tercatat "
                                 "Tidak Hadir setelah kunjungan ditutup.")),
    "nothing_to_follow_up": (409, N_("Tidak ada siswa Tidak Hadir atau Gagal untuk disusulkan.")),
    # Visit lifecycle (docs/lifecycle.md).
    "visit_not_open": (409, N_("Kunjungan belum dibuka: kunjungan terjadwal tidak ditutup, "
                               "tetapi dibatalkan.")),
    "visit_cancelled": (409, N_("Kunjungan sudah dibatalkan.")),
    "visit_not_due": (409, N_("Kunjungan baru dapat dibuka pada tanggal kunjungannya.")),
    "visit_purged": (409, N_("Data pribadi kunjungan ini sudah dihapus (masa simpan habis); "
                             "kunjungan tidak dapat dibuka kembali.")),
    "visit_has_events": (409, N_("HP petugas sudah mengirim data kunjungan ini: tutup "
                                 "kunjungan, jangan dibatalkan.")),
    "reason_required": (422, N_("Alasan wajib diisi.")),
    "school_not_found": (404, N_("Sekolah tidak ditemukan.")),
    # Sync.
    "device_mismatch": (403, N_("device_id tidak sama dengan perangkat token ini.")),
    "too_many_events": (413, N_("Terlalu banyak kejadian dalam satu permintaan (maksimal %(limit)d). "
                                "Kirim bertahap.")),
    "display_code_unknown": (404, N_("Kode layar tidak dikenal atau sudah kedaluwarsa. Minta kode baru "
                                     "dari HP petugas (Antrean > Kode layar TV).")),
    "display_expired": (401, N_("Layar ini tidak lagi terhubung ke kunjungan yang berjalan. "
                                "Masukkan kode baru.")),
    "conflict_not_found": (404, N_("Konflik tidak ditemukan.")),
    "note_required": (422, N_("Catatan penyelesaian wajib diisi.")),
    # Corrections at the coordinator's desk (docs/desk.md).
    "failure_reason_required": (422, N_("Pilih alasan gagal untuk hasil Gagal.")),
    "unknown_reason": (422, N_("Alasan gagal tidak ada dalam daftar.")),
    "bad_correction_value": (422, N_("Nilai koreksi tidak berlaku untuk kolom ini.")),
    "bad_count": (422, N_("Isi dengan bilangan bulat 0 atau lebih.")),
    "bad_photo": (422, N_("Berkas ini bukan foto yang dapat dibaca (JPEG atau PNG).")),
    "too_many_photos": (409, N_("Paling banyak %(limit)d foto per kunjungan.")),
    "photo_not_found": (404, N_("Foto tidak ditemukan.")),
    "blanks_left_too_many": (422, N_("Blangko tersisa tidak boleh lebih dari blangko dibawa.")),
    # Reports.
    "bad_range": (422, N_("Tanggal akhir tidak boleh sebelum tanggal awal.")),
    "bad_basis": (422, N_("Dasar pengelompokan tidak dikenal.")),
    # Pre-registration links and imports.
    "link_not_found": (404, N_("Tautan tidak ditemukan atau sudah tidak berlaku.")),
    "expires_past": (422, N_("Waktu kedaluwarsa harus di masa depan.")),
    "expires_too_far": (422, N_("Tautan paling lama berlaku satu tahun.")),
    "bad_datetime": (422, N_("Waktu tidak valid (ISO 8601).")),
    "student_not_found": (404, N_("Siswa tidak ditemukan.")),
    "list_locked": (409, N_("Daftar sudah dikunci karena kunjungan sudah dimulai.")),
    "import_not_found": (404, N_("Pratinjau impor tidak ditemukan atau sudah kedaluwarsa; "
                                 "unggah berkasnya lagi.")),
    "import_confirmed": (409, N_("Impor ini sudah disimpan.")),
    "import_conflict": (409, N_("Data berubah saat disimpan; unggah berkasnya lagi.")),
    # A phone's event refused by sync (fieldsync.codes.REJECTION_CODES; unknown_reason is above). The
    # manifest itself is answered 200: the status says what the event would have been on its own.
    "invalid_event": (422, N_("Event bukan objek JSON.")),
    "unknown_type": (422, N_("Jenis event tidak dikenal.")),
    "missing_field": (422, N_("Kolom wajib '%(field)s' tidak ada.")),
    "invalid_field": (422, N_("Nilai kolom '%(field)s' tidak valid.")),
    "unknown_field": (422, N_("Kolom '%(field)s' tidak dikenal.")),
    "bad_id": (422, N_("ID event harus berbentuk '{device_id}:{seq}' dari perangkat ini.")),
    "unknown_student": (422, N_("Siswa tidak dikenal dalam kunjungan ini.")),
    "invalid_station": (422, N_("Nomor meja di luar rentang meja kunjungan ini.")),
    "undo_of_undo": (422, N_("Pembatalan tidak dapat membatalkan pembatalan lain.")),
    "seq_reused": (409, N_("Nomor urut (seq) sudah dipakai untuk event lain.")),
    "not_printable": (422, N_("Siswa ini belum boleh dicetak KTP-el (usia cetak belum tercapai).")),
    "coordinator_only": (403, N_("Koreksi hanya dibuat koordinator di halaman kunjungan.")),
}

# Werkzeug's HTTP errors, answered with the code of the same status above.
HTTP_CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
              405: "method_not_allowed", 413: "too_large", 429: "rate_limited", 500: "server_error"}


def status_of(code):
    """The HTTP status of `code` (500 for a code missing from the table: a bug, not a refusal)."""
    return ERRORS.get(code, ERRORS["server_error"])[0]


def message_of(code, lang=None, **params):
    """The message of `code` in `lang` (default: the request's language), its %(name)s filled from `params`."""
    msgid = ERRORS.get(code, ERRORS["server_error"])[1]
    text = gettext(msgid) if lang is None else translate(msgid, lang)
    return text % params if params else text


def api_answer(error, **extra):
    """The JSON answer to a DomainError: {"code", "message", "field"?, **params, **extra} and its status."""
    body = {"code": error.code, "message": error.message, **error.params, **extra}
    if error.field:
        body["field"] = error.field
        body.setdefault("errors", {error.field: [error.message]})
    response = jsonify(body)
    if "retry_after" in error.params:  # account_locked: when to try again, in seconds
        response.headers["Retry-After"] = str(error.params["retry_after"])
    return response, error.status


def page_answer(error, form=None):
    """A page's answer to a DomainError: a 404 page for a missing thing, else the message shown.

    With a `form` whose field matches, the message goes under that field; otherwise it is flashed.
    The caller then renders or redirects as it would after any failed submit.
    """
    if error.status == 404:
        abort(404)
    target = getattr(form, error.field, None) if form is not None and error.field else None
    if target is not None:
        target.errors = [*target.errors, error.message]
    else:
        flash(error.message, "error")


def install(app):
    """API paths answer an uncaught DomainError as JSON; pages get the error page of its status."""
    from flask import render_template, request

    @app.errorhandler(DomainError)
    def domain_error(error):
        if request.path.startswith("/api/"):
            return api_answer(error)
        return render_template("error.html", code=error.status, message=error.message), error.status


class ErrorSchema(Schema):
    """The body of every API error, as api_answer() (and webapp.api.error) sends it: the OpenAPI default."""

    class Meta:
        unknown = INCLUDE  # documented as additionalProperties: a code's parameters, e.g. limit

    code = fields.String(required=True, metadata={
        "description": "stable machine code (ERRORS in webapp/errors.py; sync rejections: fieldsync.codes)"})
    message = fields.String(required=True, metadata={
        "description": "for people, in the request's language (Indonesian, or English with Accept-Language: en)"})
    field = fields.String(metadata={"description": "the input field at fault, when there is one"})
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), metadata={
        "description": "field -> messages (validation errors; nested fields as a.b)"})
