"""The TV without an officer account: an officer's phone shows a short code, the TV types it and
keeps up with the desks within 2 s, with ticket numbers only (docs/phone-link.md, "The TV display")."""
import time

import pytest
from browser_support import ARGS, CHROMIUM
from pwa_support import PHONE, download, search_and_check_in, sign_in

pytestmark = pytest.mark.browser


def tv_desk(tv, station):
    return tv.locator(f".desk-card[data-station='{station}'] .desk-ticket").inner_text().strip()


def wait_tv(tv, station, ticket, timeout=5.0):
    start = time.monotonic()
    while tv_desk(tv, station) != ticket:
        assert time.monotonic() - start < timeout, (station, ticket, tv_desk(tv, station))
        time.sleep(0.05)
    return time.monotonic() - start


def test_tv_paired_by_code_shows_desks_never_names(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, base, "petugas1", "Gerbang")
    download(phone, vid)
    phone.goto(f"{base}/app#/v/{vid}/checkin")
    students = world["students"]
    for key in ("ahmad", "budi", "dewi"):
        search_and_check_in(phone, key, students[key].name)

    # The officer asks for a code on the queue screen; the TV (no account) types it.
    phone.click(".tabs >> text=Antrean")
    phone.click("#tv-code-button")
    code = phone.locator(".tv-code-shown").get_attribute("data-code")
    phone.click("dialog button[type=submit]")
    tv_context = browser.new_context(viewport={"width": 1280, "height": 720})
    tv = tv_context.new_page()
    tv.goto(f"{base}/app/antrean")
    tv.fill("#tv-code", "XXXXXX")
    tv.click(".tv-code button[type=submit]")
    tv.locator(".tv-code .error").wait_for()  # a wrong code says so, and nothing shows
    tv.fill("#tv-code", f"{code[:3].lower()} {code[3:]}")
    tv.click(".tv-code button[type=submit]")
    tv.locator(".display-desks").wait_for()
    assert "A-001" in tv.inner_text(".next-list")

    # Desk 1 calls: the TV shows it within 2 s; then desk 2.
    latencies = []
    for station, ticket in ((1, "A-001"), (2, "A-002")):
        phone.locator(f".desk[data-station='{station}'] .call-next").click()
        phone.locator(f".desk[data-station='{station}'] .ticket-sm", has_text=ticket).wait_for()
        latencies.append(wait_tv(tv, station, ticket))
    assert max(latencies) < 2.0, latencies
    assert tv.inner_text(".next-list").split() == ["A-003"]
    page_text = tv.inner_text("body")
    for s in students.values():
        assert s.name not in page_text and s.nik not in page_text

    # A reload keeps the pairing; the tickets fit their cards on one line at TV sizes.
    tv.reload()
    tv.locator(".display-desks").wait_for()
    wait_tv(tv, 2, "A-002")
    for size in ({"width": 1280, "height": 720}, {"width": 1366, "height": 768}, {"width": 1920, "height": 1080}):
        tv.set_viewport_size(size)
        fits = tv.evaluate("""() => [...document.querySelectorAll('.desk-ticket')].every((el) => {
          const lh = parseFloat(getComputedStyle(el).fontSize) * 1.6;
          return el.scrollWidth <= el.clientWidth + 1 && el.getBoundingClientRect().height < lh; })""")
        assert fits, size
        tv.screenshot(path=str(tmp_path / f"tv-{size['width']}.png"))
    print(f"\nTV after a call: {[round(x * 1000) for x in latencies]} ms")
    browser.close()
