"""Conflicts and the audit log in words; a phone's actions carry the officer and the phone."""
import html

from sqlalchemy import func, select
from sync_phone import Phone

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.visits.models import Student, Visit


def _setup(client):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    s1 = db.session.execute(select(Student).where(Student.visit_id == visit.id)
                            .order_by(Student.id)).scalars().first()
    a, b = Phone(client, label="HP Gerbang"), Phone(client, "petugas2", label="HP Meja 2")
    assert a.get(f"/api/v1/visits/{visit.id}/roster").status_code == 200
    a.sync(visit.id, [a.event("enqueue", student_id=s1.id, ticket=f"{a.prefix}-014")])
    b.ms += 60_000  # later in the total order: A's ticket stands
    b.sync(visit.id, [b.event("enqueue", student_id=s1.id, ticket=f"{b.prefix}-003")])
    return visit, s1, a, b


def test_conflict_says_which_ticket_stands_and_names_the_phones(demo, client, login):
    visit, s1, a, b = _setup(client)
    login("koordinator")
    page = html.unescape(client.get(f"/koordinator/kunjungan/{visit.id}/sinkron").get_data(as_text=True))
    assert f"Dua nomor antrean: {a.prefix}-014 berlaku, {b.prefix}-003 diabaikan." in page
    assert "HP Gerbang (" in page and "HP Meja 2 (" in page
    assert f"{a.id}:1" not in page  # no raw event ids


def test_phone_actions_carry_the_officer_and_the_phone(demo, client, login):
    before = db.session.execute(select(func.max(AuditEntry.id))).scalar() or 0  # the demo's seed
    visit, _s1, a, b = _setup(client)
    entries = db.session.execute(select(AuditEntry).where(
        AuditEntry.action.in_(("roster_download", "sync")), AuditEntry.id > before)
        .order_by(AuditEntry.id)).scalars().all()
    assert [(e.action, e.actor, e.device_id) for e in entries] == [
        ("roster_download", "petugas1", a.id), ("sync", "petugas1", a.id), ("sync", "petugas2", b.id)]
    assert all(e.user_id is not None for e in entries)
    login("admin")
    page = html.unescape(client.get("/admin/audit/").get_data(as_text=True))
    assert "Daftar siswa diunduh ke HP" in page and "Sinkronisasi HP" in page
    assert "HP: HP Gerbang (" in page and "1 kejadian diterima, 0 ditolak" in page
    assert ">roster_download<" not in page and "students" not in page
    client.post("/lang/en", data={"next": "/admin/audit/"})
    english = html.unescape(client.get("/admin/audit/").get_data(as_text=True))
    assert "Daftar siswa diunduh ke HP" not in english
