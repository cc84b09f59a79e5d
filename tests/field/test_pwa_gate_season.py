"""The gate (docs/consent.md): a student without consent is flagged and the officer records it;
an under-age student is told from when and gets no ticket; the visit list puts today first."""
import os
from pathlib import Path

import pytest
from browser_support import CHROMIUM
from pwa_support import PHONE, download, no_horizontal_scroll, server_state, sign_in, wait_async

from webapp.extensions import db
from webapp.visits.models import Student

pytestmark = pytest.mark.browser


def test_consent_and_under_age_at_the_gate(playwright, field_server, world, client):
    base, vid = field_server.url, world["visit"]
    dewi, citra = world["students"]["dewi"], world["students"]["citra"]
    db.session.get(Student, dewi.id).consent = False  # the school sent no consent: no slip
    db.session.commit()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    context = browser.new_context(viewport=PHONE, locale="id-ID")
    page = context.new_page()
    page.set_default_timeout(30000)
    sign_in(page, base, "petugas1", "HP Gerbang")
    first = page.locator(".visits li[data-visit]").first
    assert first.get_attribute("data-visit") == str(vid)  # today's open visit on top
    download(page, vid)
    page.goto(f"{base}/app#/v/{vid}/checkin")
    page.wait_for_selector("#search")

    # No consent on record: flagged, the officer records it, then checks in as usual.
    page.fill("#search", "dewi")
    page.locator(".results .pick", has_text=dewi.name).click()
    page.locator(".result", has_text="Belum ada Persetujuan Orang Tua/Wali.").wait_for()
    out = os.environ.get("JEMPUT_SCREENSHOTS")
    if out:
        page.evaluate("document.querySelectorAll('.toast').forEach((el) => el.remove())")
        page.screenshot(path=str(Path(out) / "season-gate-consent-360.png"))
    page.click("#record-consent")
    wait_async(page, "async ([v, s]) => (await window.jemput.loadVisit(v)).folded.students[s].consent === true",
               [str(vid), dewi.id])
    assert page.locator("#record-consent").count() == 0
    page.get_by_role("button", name="Check-in & beri nomor").click()
    page.locator(".result-head", has_text="check-in tercatat").wait_for()
    assert page.inner_text(".result .ticket")

    # Under age on the visit date: the date they may be recorded, and no ticket on offer.
    page.fill("#search", "citra")
    page.locator(".results .pick", has_text=citra.name).click()
    page.locator(".result", has_text="baru bisa direkam mulai").wait_for()
    page.get_by_role("button", name="Check-in & beri nomor").click()
    page.locator(".result-head", has_text="check-in tercatat").wait_for()
    assert page.get_by_role("button", name="Beri nomor antrean").count() == 0
    assert no_horizontal_scroll(page)

    page.get_by_role("button", name="Sinkronkan").first.click()
    page.wait_for_selector("#unsynced[data-count='0']")
    state = server_state(client, vid)
    assert state["students"][dewi.id]["consent"] is True
    assert state["students"][citra.id]["ticket"] is None
    browser.close()
