"""A coordinator's season in a real browser at 360 px: plan, open, run, close (confirmed),
reopen, close, follow up, then the dashboard counts each student once.

Set JEMPUT_SCREENSHOTS=docs/screenshots to refresh the screenshots in the docs.
"""
import os
import random
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_phone import Phone

from webapp.clock import local_today
from webapp.demo import make_students
from webapp.extensions import db
from webapp.regions.models import Kelurahan
from webapp.schools.models import School
from webapp.visits.models import Student, Visit

SCHOOL = "MA Demo Al-Khairiyah"  # a demo school without visits


def shoot(page, out, name):
    if out is not None:
        page.screenshot(path=str(out / name), full_page=True)


def registered_on_dashboard(page, base):
    page.goto(f"{base}/koordinator/capaian")
    row = page.locator("section:has(#h-school) tr", has_text=SCHOOL)
    return int(row.locator("td[data-label='Terdaftar']").inner_text())


@pytest.mark.browser
def test_plan_open_run_close_reopen_follow_up(demo, live_server, browser, client):
    out = Path(os.environ["JEMPUT_SCREENSHOTS"]) if os.environ.get("JEMPUT_SCREENSHOTS") else None
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/login")
    page.fill("#username", "koordinator")
    page.fill("#password", "demo12345")
    page.click("main button[type=submit]")

    # Plan.
    page.goto(f"{base}/koordinator/kunjungan/baru")
    school = db.session.execute(select(School).where(School.name == SCHOOL)).scalar_one()
    page.select_option("#school_id", str(school.id))
    page.fill("#date", local_today().isoformat())
    page.select_option("#team_id", index=1)
    page.click("main button[type=submit]")
    page.wait_for_url("**/koordinator/kunjungan/*")
    visit = db.session.execute(select(Visit).where(Visit.school_id == school.id)).scalar_one()
    used = set(db.session.execute(select(Student.nik)).scalars())
    kel = db.session.execute(select(Kelurahan.code)).scalars().all()
    db.session.add_all(make_students(random.Random(4), visit, kel, 8, used))
    db.session.commit()
    page.reload()
    assert page.locator(".badge.status-planned").count() == 1
    assert page.locator("#status a[href$='/tutup']").count() == 0  # planned: cancel, not close
    shoot(page, out, "season-visit-planned-360.png")

    # Open.
    page.click("#status button:has-text('Buka Kunjungan')")
    assert page.locator(".badge.status-open").count() == 1

    # Run: a phone records two students and fails one.
    ids = [s.id for s in db.session.get(Visit, visit.id).students]
    phone = Phone(client, "petugas1")
    events = []
    for sid, result in zip(ids[:3], ("recorded", "recorded", "failed"), strict=True):
        events.append(phone.event("checkin", student_id=sid))
        extra = {"reason": "belum_padan"} if result == "failed" else {}
        events.append(phone.event("outcome", student_id=sid, result=result, **extra))
    assert phone.sync(visit.id, events).status_code == 200

    # Close: the confirmation says how many become absent.
    page.click("#status a:has-text('Tutup Kunjungan')")
    assert page.locator("#close-effect strong").inner_text().startswith("5 siswa")
    shoot(page, out, "season-close-confirm-360.png")
    page.click("main form button[type=submit]")
    assert page.locator(".badge.status-closed").count() == 1

    # Reopen: a reason is required, then the visit runs again.
    page.click("#status a:has-text('Buka Kembali')")
    page.click("main form button[type=submit]")
    assert page.locator(".field.has-error").count() == 1
    shoot(page, out, "season-reopen-reason-360.png")
    page.fill("#reason", "Tim masih di sekolah, 2 siswa datang terlambat")
    page.click("main form button[type=submit]")
    assert page.locator(".badge.status-open").count() == 1
    late = ids[3]
    assert phone.sync(visit.id, [phone.event("checkin", student_id=late),
                                 phone.event("outcome", student_id=late, result="recorded")]
                      ).status_code == 200
    page.click("#status a:has-text('Tutup Kunjungan')")
    assert page.locator("#close-effect strong").inner_text().startswith("4 siswa")
    page.click("main form button[type=submit]")

    # Follow up: the students still to record, same QR.
    assert registered_on_dashboard(page, base) == 8
    page.goto(f"{base}/koordinator/laporan/{visit.id}")
    page.fill("#tanggal", (local_today() + timedelta(days=7)).isoformat())
    page.click("button:has-text('Buat Kunjungan Susulan')")
    page.wait_for_url("**/koordinator/laporan/*")
    follow = db.session.execute(select(Visit).where(Visit.follow_up_of_id == visit.id)).scalar_one()
    assert len(follow.students) == 5  # 1 failed + 4 absent
    assert {s.qr_token for s in follow.students} <= {s.qr_token for s in db.session.get(Visit, visit.id).students}

    # The dashboard counts each student once: still 8 for the school, 3 recorded.
    assert registered_on_dashboard(page, base) == 8
    row = page.locator("section:has(#h-school) tr", has_text=SCHOOL)
    assert row.locator("td[data-label='Sudah Rekam']").inner_text() == "3"
    shoot(page, out, "season-dashboard-360.png")
    context.close()


@pytest.mark.browser
def test_new_pages_at_360(demo, live_server, browser, client, upcoming):
    """Schools, the link shown again, and the dead-link page fit a phone."""
    out = Path(os.environ["JEMPUT_SCREENSHOTS"]) if os.environ.get("JEMPUT_SCREENSHOTS") else None
    base = live_server.url
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30000)
    page.goto(f"{base}/daftar/no-such-link")
    assert page.locator("h1").inner_text() == "Tautan ini tidak berlaku lagi"
    shoot(page, out, "season-link-gone-360.png")
    page.goto(f"{base}/login")
    page.fill("#username", "koordinator")
    page.fill("#password", "demo12345")
    page.click("main button[type=submit]")
    for path, name in (("/koordinator/sekolah/", "season-schools-360.png"),
                       (f"/koordinator/kunjungan/{upcoming.id}", "season-link-shown-360.png")):
        page.goto(base + path)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path}: horizontal scroll of {overflow}px"
        shoot(page, out, name)
    assert page.locator("#link-url").input_value().startswith(f"{base}/daftar/")
    page.goto(f"{base}/koordinator/sekolah/baru")
    page.fill("#npsn", "123")
    page.click("main button[type=submit]")
    assert page.locator(".field.has-error").count() >= 1
    assert page.locator("[aria-describedby='None']").count() == 0
    shoot(page, out, "season-school-form-360.png")
    context.close()
