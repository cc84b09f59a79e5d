"""The coordinator's sync page: phones, missing events, conflicts, revocation."""
from sqlalchemy import select
from sync_phone import Phone

from webapp.audit.models import AuditEntry
from webapp.extensions import db
from webapp.sync.models import Device, SyncConflict
from webapp.visits.models import Student, Visit


def test_page_shows_gaps_and_conflicts_and_resolves(demo, client, login):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    s1 = db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars().first()
    a, b = Phone(client, label="HP Meja 1"), Phone(client, "petugas2", label="HP Meja 2")
    e1 = a.event("enqueue", student_id=s1.id, ticket="A-001")
    a.event("note", student_id=s1.id, text="hilang")  # seq 2 never sent
    e3 = a.event("checkin", student_id=s1.id)
    a.sync(visit.id, [e1, e3])
    b.sync(visit.id, [b.event("enqueue", student_id=s1.id, ticket="B-001")])
    login("koordinator")
    page = client.get(f"/koordinator/kunjungan/{visit.id}/sinkron").get_data(as_text=True)
    assert "HP Meja 1" in page and "HP Meja 2" in page
    assert "1 kejadian belum terkirim: 2" in page
    assert "double_ticket" in page and s1.name in page
    conflict = db.session.execute(select(SyncConflict).where(SyncConflict.visit_id == visit.id)).scalar_one()
    missing_note = client.post(f"/koordinator/kunjungan/{visit.id}/konflik/{conflict.id}", data={"note": " "})
    assert "Catatan penyelesaian wajib diisi." in client.get(missing_note.headers["Location"]).get_data(as_text=True)
    client.post(f"/koordinator/kunjungan/{visit.id}/konflik/{conflict.id}", data={"note": "Dipanggil A-001"})
    db.session.expire_all()
    assert conflict.resolution == "Dipanggil A-001" and conflict.resolved_at is not None
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "conflict_resolved")).scalar_one()


def test_revoke_from_page_stops_the_phone(demo, client, login):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    phone = Phone(client)
    login("koordinator")
    client.post(f"/koordinator/kunjungan/{visit.id}/perangkat/{phone.id}/cabut")
    assert db.session.get(Device, phone.id).revoked_at is not None
    assert phone.get("/api/v1/visits").status_code == 401


def test_officer_cannot_open_the_page(demo, client, login):
    visit = db.session.execute(select(Visit)).scalars().first()
    login("petugas1")
    assert client.get(f"/koordinator/kunjungan/{visit.id}/sinkron").status_code == 403
