"""Retention purge: personal data goes, coverage figures and report verification stay."""
from datetime import timedelta

from sqlalchemy import select

from webapp.audit.models import AuditEntry
from webapp.clock import utcnow
from webapp.commands import purge_expired_cmd
from webapp.extensions import db
from webapp.retention import SCRUBBED, purge_expired
from webapp.sync import services
from webapp.sync.models import SyncEvent
from webapp.visits.models import Student, Visit


def closed_visit():
    return db.session.execute(select(Visit).where(Visit.status == "closed")).scalars().first()


def test_nothing_purged_before_retention_ends(demo):
    visit = closed_visit()
    visit.closed_at = utcnow() - timedelta(days=10)
    db.session.commit()
    assert purge_expired(utcnow(), 365) == []
    assert db.session.execute(select(Student.name).where(Student.visit_id == visit.id)).first()[0] != SCRUBBED


def test_purge_removes_identity_keeps_state(demo):
    visit = closed_visit()
    visit.closed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    before = services.visit_state(visit)["students"]
    recorded = sum(s["outcome"] == "recorded" for s in before.values())
    assert purge_expired(utcnow(), 365) == [visit.id]
    students = db.session.execute(select(Student).where(Student.visit_id == visit.id)).scalars().all()
    assert {s.name for s in students} == {SCRUBBED}
    assert all(s.nik.startswith("X") and s.kk is None and s.nisn is None for s in students)
    after = services.visit_state(visit)["students"]
    assert sum(s["outcome"] == "recorded" for s in after.values()) == recorded
    assert visit.purged_at is not None
    assert db.session.execute(select(AuditEntry).where(AuditEntry.action == "visit_purged")).scalar_one()
    assert purge_expired(utcnow(), 365) == []  # once


def test_purge_scrubs_walkin_identity_and_notes(demo, client):
    from sync_phone import Phone

    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    phone = Phone(client)
    walk = phone.event("walkin", student={"id": "w-ret", "name": "Rahasia", "nik": "3672015508090731",
                                          "gender": "P", "birth_date": "2009-08-15"})
    note = phone.event("note", student_id="w-ret", text="alamat rumah ...")
    assert phone.sync(visit.id, [walk, note]).get_json()["rejected"] == []
    visit.status, visit.closed_at = "closed", utcnow() - timedelta(days=400)
    db.session.commit()
    purge_expired(utcnow(), 365)
    bodies = db.session.execute(select(SyncEvent.body).where(SyncEvent.visit_id == visit.id)).scalars().all()
    text = repr(bodies)
    assert "Rahasia" not in text and "3672015508090731" not in text and "alamat rumah" not in text


def test_cli_reports_what_it_purged(demo, app):
    visit = closed_visit()
    visit.closed_at = utcnow() - timedelta(days=400)
    db.session.commit()
    result = app.test_cli_runner().invoke(purge_expired_cmd)
    assert f"[{visit.id}]" in result.output


def test_purge_deletes_the_slips_and_unread_uploads_of_the_visit(demo):
    from webapp.jobs.models import Job, JobFile, SlipsFile

    visit = closed_visit()
    visit.closed_at = utcnow() - timedelta(days=400)
    db.session.add_all([SlipsFile(visit_id=visit.id, key="k", pdf=b"%PDF names"),
                        Job(id="j1", kind="import", visit_id=visit.id, key="k", locale="id"),
                        JobFile(kind="upload", key="j1", filename="dapodik.xlsx", body=b"rows"),
                        JobFile(kind="recap", key="r", filename="rekap.pdf", body=b"%PDF figures")])
    db.session.commit()
    assert purge_expired(utcnow(), 365) == [visit.id]
    assert db.session.execute(select(SlipsFile.id)).first() is None
    assert db.session.execute(select(JobFile.kind)).scalars().all() == ["recap"]  # figures only
