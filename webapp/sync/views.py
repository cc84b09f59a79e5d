"""Coordinator page per visit: phones, last sync, missing events, conflicts to resolve."""
from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from webapp.auth.decorators import roles_required
from webapp.errors import page_answer
from webapp.extensions import db
from webapp.sync import conflict_words, devices, monitor
from webapp.sync.models import Device
from webapp.visits.models import Visit
from webapp.visits.reasons import reason_label

bp = Blueprint("sync", __name__, url_prefix="/koordinator/kunjungan")

CONFLICT_HELP = {
    "double_ticket": _l("Dua HP memberi nomor antrean berbeda. Nomor pertama yang berlaku; panggil siswa dengan "
                     "nomor itu dan beri tahu petugas HP lain."),
    "recorded_then_failed": _l("Siswa sudah Berhasil direkam, lalu HP lain mencatat Gagal. Status tetap Sudah Rekam; "
                            "cek di perangkat rekam apakah ada perekaman ganda (Data Ganda)."),
    "walkin_duplicate": _l("Siswa datang langsung didaftarkan dua kali (NIK sama). Data digabung menjadi satu siswa."),
    "recorded_twice": _l("Siswa direkam dua kali (dua hasil Berhasil). Di SIAK ini menjadi DUPLICATE_RECORD: "
                         "ajukan penghapusan rekaman ganda."),
    "double_call": _l("Dua meja memanggil siswa yang sama tanpa saling tahu dan keduanya mencatat hasil. "
                      "Panggilan yang lebih awal berlaku; periksa hasil meja yang lain."),
}


@bp.route("/<int:visit_id>/sinkron")
@roles_required("coordinator", "admin")
def visit_sync(visit_id):
    visit = db.get_or_404(Visit, visit_id)
    return render_template(
        "sync/visit_sync.html", visit=visit, devices=monitor.visit_devices(visit.id),
        conflicts=conflict_words.describe(monitor.conflicts(visit.id)), rejections=monitor.rejections(visit.id),
        help={k: str(v) for k, v in CONFLICT_HELP.items()}, reason_label=reason_label)


@bp.route("/<int:visit_id>/konflik/<int:conflict_id>", methods=["POST"])
@roles_required("coordinator", "admin")
def resolve(visit_id, conflict_id):
    try:
        monitor.resolve_conflict(visit_id, conflict_id, current_user, request.form.get("note"))
    except monitor.MonitorError as exc:
        page_answer(exc)
    else:
        flash(_("Konflik ditandai selesai."), "success")
    return redirect(url_for("sync.visit_sync", visit_id=visit_id))


@bp.route("/<int:visit_id>/perangkat/<device_id>/cabut", methods=["POST"])
@roles_required("coordinator", "admin")
def revoke(visit_id, device_id):
    device = db.get_or_404(Device, device_id)
    devices.revoke_device(device, current_user)
    flash(_("Akses HP %(label)s dicabut. HP itu harus masuk lagi.", label=device.label), "success")
    return redirect(url_for("sync.visit_sync", visit_id=visit_id))
