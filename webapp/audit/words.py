"""The audit log in the user's language: action names, objects and details in words (docs/desk.md).

Details are stored as short English-like text by each service; the patterns below say them in
words when shown. A detail no pattern knows is shown as stored.
"""
import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ACTIONS = {
    "login": _l("Masuk"),
    "user_saved": _l("Pengguna disimpan"),
    "audit_exported": _l("Log audit diekspor"),
    "device_registered": _l("HP didaftarkan"),
    "device_revoked": _l("Akses HP dicabut"),
    "roster_download": _l("Daftar siswa diunduh ke HP"),
    "sync": _l("Sinkronisasi HP"),
    "correction": _l("Koreksi oleh koordinator"),
    "blanks": _l("Blangko dicatat"),
    "photo_added": _l("Foto kegiatan diunggah"),
    "photo_removed": _l("Foto kegiatan dihapus"),
    "conflict_resolved": _l("Konflik diselesaikan"),
    "nik_viewed": _l("NIK lengkap dilihat"),
    "slips_downloaded": _l("Slip QR diunduh"),
    "prereg_link_created": _l("Tautan pendaftaran dibuat"),
    "prereg_link_revoked": _l("Tautan pendaftaran dicabut"),
    "prereg_link_shown": _l("Tautan pendaftaran ditampilkan"),
    "import_previewed": _l("Impor Dapodik diperiksa"),
    "import_confirmed": _l("Impor Dapodik disimpan"),
    "student_added": _l("Siswa ditambahkan"),
    "student_updated": _l("Data siswa diubah"),
    "student_removed": _l("Siswa dihapus"),
    "school_created": _l("Sekolah ditambahkan"),
    "school_updated": _l("Sekolah diubah"),
    "schools_imported": _l("Sekolah diimpor"),
    "visit_planned": _l("Kunjungan direncanakan"),
    "visit_updated": _l("Kunjungan diubah"),
    "visit_opened": _l("Kunjungan dibuka"),
    "visit_closed": _l("Kunjungan ditutup"),
    "visit_reopened": _l("Kunjungan dibuka kembali"),
    "visit_cancelled": _l("Kunjungan dibatalkan"),
    "visit_follow_up": _l("Kunjungan susulan dibuat"),
    "visit_purged": _l("Data pribadi kunjungan dihapus"),
    "report_download": _l("Laporan diunduh"),
    "export_download": _l("Ekspor diunduh"),
}
OBJECTS = {"visit": _l("kunjungan"), "student": _l("siswa"), "device": _l("HP"), "user": _l("pengguna"),
           "school": _l("sekolah"), "prereg_link": _l("tautan"), "sync_conflict": _l("konflik"),
           "import": _l("impor")}
FIELDS = {"outcome": _l("hasil"), "ikd": _l("IKD")}

# action -> [(pattern, message with %(name)s of the pattern's groups)].
DETAILS = {
    "roster_download": [(r"(?P<n>\d+) students", _l("%(n)s siswa"))],
    "sync": [(r"accepted (?P<a>\d+), rejected (?P<r>\d+)", _l("%(a)s kejadian diterima, %(r)s ditolak"))],
    "blanks": [(r"(?P<b>[\d-]+)/(?P<l>[\d-]+)", _l("dibawa %(b)s, tersisa %(l)s"))],
    "prereg_link_created": [(r"link (?P<id>\d+) expires (?P<at>\S+)", _l("tautan %(id)s, berlaku sampai %(at)s"))],
    "prereg_link_shown": [(r"link (?P<id>\d+)", _l("tautan %(id)s"))],
    "prereg_link_revoked": [(r"(?P<n>\d+) link\(s\)", _l("%(n)s tautan"))],
    "import_previewed": [(r"(?P<f>.+) rows (?P<n>\d+)", _l("%(f)s, %(n)s baris"))],
    "visit_follow_up": [(r"from visit (?P<v>\d+): (?P<n>\d+) students",
                         _l("dari kunjungan %(v)s: %(n)s siswa"))],
    "schools_imported": [(r"(?P<a>\d+) added, (?P<u>\d+) updated", _l("%(a)s ditambah, %(u)s diperbarui"))],
    "visit_purged": [(r"closed (?P<d>\S+)", _l("ditutup %(d)s"))],
    "student_added": [(r"visit (?P<v>\d+) source (?P<s>\S+)", _l("kunjungan %(v)s, sumber %(s)s"))],
    "student_updated": [(r"visit (?P<v>\d+)", _l("kunjungan %(v)s"))],
    "student_removed": [(r"visit (?P<v>\d+)", _l("kunjungan %(v)s"))],
    "visit_planned": [(r"school (?P<s>\d+) date (?P<d>\S+)", _l("sekolah %(s)s, tanggal %(d)s"))],
    "photo_added": [(r"photo (?P<id>\d+)", _l("foto %(id)s"))],
    "photo_removed": [(r"photo (?P<id>\d+)", _l("foto %(id)s"))],
    "user_saved": [(r"role=(?P<r>\S+)", _l("peran %(r)s"))],
    "report_download": [(r"pdf v(?P<v>\d+) (?P<s>\S+)", _l("PDF versi %(v)s (%(s)s)"))],
    "export_download": [
        (r"(?P<f>csv|xlsx) v(?P<v>\d+) (?P<n>\d+) students", _l("%(f)s versi %(v)s, %(n)s siswa")),
        (r"remaining list (?P<n>\d+)", _l("daftar belum rekam, %(n)s siswa")),
        (r"remaining pdf (?P<n>\d+)", _l("PDF belum rekam, %(n)s siswa")),
        (r"(?P<f>\w+) (?P<p>.+) (?P<n>\d+) visits", _l("rekap %(f)s %(p)s, %(n)s kunjungan")),
    ],
}
for _action in ("visit_opened", "visit_closed", "visit_reopened", "visit_cancelled"):
    DETAILS[_action] = [(r"was (?P<s>\w+); (?P<rest>.*)", _l("sebelumnya %(s)s; %(rest)s"))]


def action_word(action):
    """The action's name in the user's language (the code if unknown)."""
    return str(ACTIONS[action]) if action in ACTIONS else action


def object_word(object_type):
    return str(OBJECTS[object_type]) if object_type in OBJECTS else (object_type or "")


def _correction(detail):
    m = re.fullmatch(r"(?P<f>\w+): (?P<a>\S+) -> (?P<b>\S+); (?P<why>.*)", detail, re.S)
    if not m:
        return detail
    from webapp.reports import labels

    table = labels.OUTCOME if m["f"] == "outcome" else labels.IKD_SHORT

    def say(v):
        return "–" if v == "-" else (str(table.get(v)) or v)

    return _("%(field)s: %(old)s → %(new)s; alasan: %(why)s", field=str(FIELDS.get(m["f"], m["f"])),
             old=say(m["a"]), new=say(m["b"]), why=m["why"])


def detail_words(action, detail):
    """The stored detail said in the user's language (as stored when no pattern matches)."""
    if not detail:
        return ""
    if action == "correction":
        return _correction(detail)
    for pattern, message in DETAILS.get(action, ()):
        m = re.fullmatch(pattern, detail, re.S)
        if m:
            return str(message) % m.groupdict()
    return detail


def devices_of(entries):
    """{device_id: "label (officer)"} of the phones named by some audit entries."""
    from sqlalchemy import select

    from webapp.extensions import db
    from webapp.sync.models import Device

    ids = {e.device_id for e in entries if e.device_id}
    if not ids:
        return {}
    rows = db.session.execute(select(Device).where(Device.id.in_(ids))).scalars()
    return {d.id: f"{d.label} ({d.user.full_name})" for d in rows}
