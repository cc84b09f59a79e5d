"""Words for state codes, in the user's language (the UI words of the domain brief)."""
from flask_babel import lazy_gettext as _l

from webapp.visits.reasons import reason_label

ATTENDANCE = {
    "present": _l("Hadir"),
    "not_arrived": _l("Belum Hadir"),
    "absent": _l("Tidak Hadir"),
}
OUTCOME = {
    "recorded": _l("Sudah Rekam"),
    "failed": _l("Gagal"),
    "already_recorded": _l("Sudah Punya KTP-el"),
    None: _l("Belum Rekam"),
}
PRINT = {"printed": _l("Sudah Dicetak"), "not_printed": _l("Tidak Dicetak"), None: ""}
PRINT_REASON = {
    "no_blank": _l("Blangko habis"),
    "printer_fault": _l("Printer bermasalah"),
    "not_print_ready": _l("Belum siap cetak"),
    None: "",
}
IKD = {
    "scanned": _l("IKD dipindai, menunggu email"),
    "active": _l("IKD Aktif"),
    "failed": _l("IKD gagal"),
    None: "",
}
IKD_SHORT = {"scanned": _l("Dipindai"), "active": _l("Aktif"), "failed": _l("Gagal"), None: ""}
ELIGIBILITY = {
    "under_age": _l("Belum Cukup Umur"),
    "record_only": _l("Rekam (cetak saat 17 tahun)"),
    "record_and_print": _l("Rekam dan Cetak"),
}
# Short forms for the report's narrow table column; the legend above the table explains them.
ELIGIBILITY_SHORT = {
    "under_age": _l("Belum cukup umur"),
    "record_only": _l("Rekam"),
    "record_and_print": _l("Rekam + cetak"),
}
STATUS = {
    "planned": _l("Terjadwal"),
    "open": _l("Berlangsung"),
    "closed": _l("Selesai"),
    "cancelled": _l("Dibatalkan"),
}
# The six mutually exclusive states a student ends in, in chart and legend order.
SEGMENTS = ("recorded", "failed", "already_recorded", "waiting", "absent", "not_arrived")
SEGMENT = {
    "recorded": _l("Sudah Rekam"),
    "failed": _l("Gagal"),
    "already_recorded": _l("Sudah Punya KTP-el"),
    "waiting": _l("Hadir, belum ada hasil"),
    "absent": _l("Tidak Hadir"),
    "not_arrived": _l("Belum Hadir"),
}


def word(table, code):
    """The word for a code from one of the tables above ('' for an unknown code)."""
    value = table.get(code, code)
    return "" if value is None else str(value)


def reason(code, locale="id"):
    """The label of a failure reason code ('' when there is none)."""
    return reason_label(code, locale) if code else ""
