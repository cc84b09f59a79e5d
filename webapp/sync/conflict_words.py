"""A conflict said in words: what happened, what stands, what is ignored, which phones (docs/desk.md)."""
from flask_babel import gettext as _
from sqlalchemy import select

from webapp.extensions import db
from webapp.reports import labels
from webapp.sync.models import Device, SyncEvent


def _events(ids):
    rows = db.session.execute(select(SyncEvent).where(SyncEvent.event_id.in_(list(ids)))).scalars()
    return {e.event_id: e for e in rows}


def _phones(device_ids):
    rows = db.session.execute(select(Device).where(Device.id.in_(list(device_ids)))).scalars()
    return {d.id: _("%(label)s (%(officer)s)", label=d.label, officer=d.user.full_name) for d in rows}


def _what(ev):
    """The fact an event states, in words (its ticket, its outcome, its desk)."""
    body = ev.body or {}
    if ev.type == "enqueue":
        return body.get("ticket") or "?"
    if ev.type == "outcome":
        return labels.word(labels.OUTCOME, body.get("result"))
    if ev.type == "call":
        return _("meja %(n)s", n=body.get("station"))
    if ev.type == "correction":
        return _("koreksi koordinator")
    return ev.type


def _summary(code, standing, ignored):
    if code == "double_ticket":
        return _("Dua nomor antrean: %(standing)s berlaku, %(ignored)s diabaikan.",
                 standing=standing, ignored=ignored)
    if code == "recorded_then_failed":
        return _("Sudah Rekam lalu %(ignored)s: hasil %(standing)s tetap berlaku, %(ignored)s diabaikan.",
                 standing=standing, ignored=ignored)
    if code == "recorded_twice":
        return _("Direkam dua kali: periksa rekaman ganda di SIAK (DUPLICATE_RECORD).")
    if code == "double_call":
        return _("Dua meja memanggil siswa yang sama: %(standing)s berlaku, %(ignored)s diabaikan.",
                 standing=standing, ignored=ignored)
    if code == "walkin_duplicate":
        return _("Siswa susulan didaftarkan dua kali dengan NIK yang sama: digabung menjadi satu siswa.")
    return code


def describe(conflicts):
    """Add "summary", "events" [{what, phone, standing}] and "correctable" to monitor.conflicts() items."""
    ids = {eid for c in conflicts for eid in (c["row"].events or [])}
    events = _events(ids)
    phones = _phones({e.device_id for e in events.values()})
    for c in conflicts:
        listed = [events[eid] for eid in (c["row"].events or []) if eid in events]
        said = [{"what": _what(e), "phone": phones.get(e.device_id, e.device_id), "standing": i == 0}
                for i, e in enumerate(listed)]
        standing = said[0]["what"] if said else "?"
        ignored = ", ".join(s["what"] for s in said[1:]) or "?"
        c["summary"] = _summary(c["row"].code, standing, ignored)
        c["events"] = said
        c["correctable"] = c["row"].code in ("recorded_then_failed", "recorded_twice", "double_call")
    return conflicts
