"""The live visit page in a real browser (360 px and desktop) follows a phone's sync without a reload."""
import os
from pathlib import Path

import pytest
from sqlalchemy import select
from sync_phone import Phone

from webapp.extensions import db
from webapp.reports.state import visit_rows
from webapp.visits.models import Visit

WIDTHS = {"phone": (360, 780), "desktop": (1280, 900)}


@pytest.mark.browser
def test_live_page_updates_while_a_phone_syncs(demo, client, live_server, browser, tmp_path):
    visit = db.session.execute(select(Visit).where(Visit.status == "open")).scalars().first()
    rows = [r for r in visit_rows(visit) if r.outcome is None and r.eligible]
    phone = Phone(client)
    out = Path(os.environ.get("JEMPUT_SCREENSHOTS") or tmp_path)
    out.mkdir(parents=True, exist_ok=True)
    for (name, (width, height)), student in zip(WIDTHS.items(), rows, strict=False):
        context = browser.new_context(viewport={"width": width, "height": height}, locale="id-ID")
        page = context.new_page()
        page.goto(f"{live_server.url}/login")
        page.fill("#username", "koordinator")
        page.fill("#password", "demo12345")
        page.click("button.primary")
        page.goto(f"{live_server.url}/koordinator/kunjungan/{visit.id}/langsung")
        row = page.locator(f'tr[data-id="{student.id}"]')
        assert "Belum Rekam" in row.locator("[data-col=outcome]").inner_text()
        recorded_before = int(page.locator("[data-progress] [data-k=recorded]").inner_text())
        page.evaluate("window.__sameDocument = true")
        events = [phone.event("checkin", student_id=student.id),
                  phone.event("outcome", student_id=student.id, result="recorded")]
        assert phone.sync(visit.id, events).get_json()["accepted"] == [e["id"] for e in events]
        # The page redraws by itself (its own timer), no reload: wait on the condition.
        page.wait_for_function(
            """id => { const c = document.querySelector(`tr[data-id="${id}"] [data-col=outcome]`);
                       return c && c.textContent.includes('Sudah Rekam'); }""",
            arg=student.id, timeout=20000)
        assert page.evaluate("window.__sameDocument") is True
        assert int(page.locator("[data-progress] [data-k=recorded]").inner_text()) == recorded_before + 1
        # Search and a filter, also without a reload.
        same = sum(student.name.casefold() in r.name.casefold() for r in visit_rows(visit))
        page.fill("#q", student.name)
        page.wait_for_function("n => document.querySelectorAll('tbody[data-rows] tr').length === n", arg=same)
        page.fill("#q", "")
        page.click("[data-status=recorded]")
        page.wait_for_function("""() => [...document.querySelectorAll('tbody[data-rows] [data-col=outcome]')]
            .every(c => c.textContent.includes('Sudah Rekam'))""")
        assert "status=recorded" in page.url and page.evaluate("window.__sameDocument") is True
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"horizontal scroll of {overflow}px at {width}px"
        page.screenshot(path=str(out / f"desk-live-{name}-{width}.png"))
        context.close()
