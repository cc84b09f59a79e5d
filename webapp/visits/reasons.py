"""Failure reasons at the recording desk: the configurable list (codes are the protocol's)."""
import json
import os

# (code, Indonesian label, English label); FAILURE_REASONS_FILE may replace the list.
DEFAULT_REASONS = [
    ("nik_tidak_ditemukan", "NIK Tidak Ditemukan (SIAK)", "NIK not found in SIAK"),
    ("belum_padan", "Belum Padan (data tidak cocok dengan KK)", "Data mismatch with KK"),
    ("data_ganda", "Data Ganda (sudah pernah rekam)", "Already recorded / duplicate"),
    ("sidik_jari", "Sidik jari gagal direkam", "Fingerprint capture failed"),
    ("iris", "Iris gagal direkam", "Iris capture failed"),
    ("perangkat", "Gangguan perangkat", "Device fault"),
    ("jaringan", "Jaringan atau server terputus", "Network or server down"),
    ("tanpa_kk", "Tidak membawa fotokopi KK", "No KK copy"),
    ("menolak", "Menolak direkam", "Refused"),
    ("lainnya", "Lainnya (tulis catatan)", "Other (add a note)"),
]


def _load():
    path = os.environ.get("FAILURE_REASONS_FILE")
    if not path:
        return DEFAULT_REASONS
    with open(path, encoding="utf-8") as f:
        return [(r["code"], r["label_id"], r.get("label_en", r["label_id"])) for r in json.load(f)]


FAILURE_REASONS = _load()
REASON_CODES = [code for code, _, _ in FAILURE_REASONS]


def failure_reasons(locale="id"):
    """[{"code", "label"}] in the given language, as the roster sends them."""
    english = str(locale).startswith("en")
    return [{"code": c, "label": en if english else id_} for c, id_, en in FAILURE_REASONS]


def reason_counts(counts, locale="id"):
    """[{"code", "label", "count"}] of the failures counted in `counts` ({code: n}), in the configured
    order; a reason dropped from the configured list still counts, under its code."""
    known = failure_reasons(locale)
    listed = {r["code"] for r in known}
    out = [{**r, "count": counts[r["code"]]} for r in known if counts.get(r["code"])]
    return out + [{"code": c, "label": c, "count": n} for c, n in sorted(counts.items())
                  if c not in listed and n]


def reason_label(code, locale="id"):
    """The label of a reason code (the code itself if unknown)."""
    for item in failure_reasons(locale):
        if item["code"] == code:
            return item["label"]
    return code
