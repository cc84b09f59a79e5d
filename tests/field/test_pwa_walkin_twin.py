"""A walk-in typed with the NIK of a pre-registered student: the gate warns, and "Simpan tetap"
still ends on a card with a ticket, so the officer never registers the student a second time."""
import pytest
from browser_support import CHROMIUM
from pwa_support import PHONE, download, phone_state, sign_in

pytestmark = pytest.mark.browser


def walk_in(page, vid, name, nik, gender, born):
    """Fill the walk-in form and save; "Simpan tetap" when the gate warns of a twin."""
    page.goto(page.url.split("#")[0] + f"#/v/{vid}/checkin")
    page.click("text=Daftar siswa susulan")
    page.fill("input[name=name]", name)
    page.fill("input[name=nik]", nik)
    page.select_option("select[name=gender]", gender)
    page.fill("input[name=birth_date]", born)
    page.check("input[name=consent]")
    page.click("form.walkin button[type=submit]")


def test_walkin_saved_anyway_shows_card_and_ticket(playwright, field_server, world):
    base, vid = field_server.url, world["visit"]
    ahmad = world["students"]["ahmad"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
    page = browser.new_context(viewport=PHONE, locale="id-ID").new_page()
    page.set_default_timeout(20000)
    sign_in(page, base, "petugas1", "HP Gerbang")
    download(page, vid)
    # Offline, as at a gate without signal: the phone still holds the NIKs it typed, so the
    # fold merges a walk-in typed twice (once synced, only the server can tell: SECURITY.md).
    field_server.stop()
    page.goto(f"{base}/app#/v/{vid}/checkin")
    page.click("text=Daftar siswa susulan")
    page.fill("input[name=name]", ahmad.name)
    page.fill("input[name=nik]", ahmad.nik)
    page.select_option("select[name=gender]", ahmad.gender)
    page.fill("input[name=birth_date]", ahmad.birth_date.isoformat())
    page.check("input[name=consent]")
    page.click("form.walkin button[type=submit]")
    page.locator("ul.warnings li", has_text=ahmad.name).wait_for()  # "the same NIK as Ahmad Pratama"
    page.click("form.walkin button[type=submit]")  # "Simpan tetap"
    page.locator(".result-head", has_text="Siswa susulan tercatat").wait_for()
    ticket = page.inner_text(".result .ticket")
    assert ticket.strip().endswith("-001"), ticket
    state = phone_state(page, vid)
    with_ticket = [sid for sid, st in state["students"].items() if st["ticket"]]
    assert len(with_ticket) == 1

    # The same walk-in typed twice: the fold merges the second into the first (same NIK); the
    # card still shows, with the first one's ticket, and no second ticket is given.
    walk_in(page, vid, "Gilang Ramadhan", "3672010108090007", "L", "2009-08-01")
    page.locator(".result-head", has_text="Siswa susulan tercatat").wait_for()
    first = page.inner_text(".result .ticket").strip()
    walk_in(page, vid, "Gilang Ramadhan", "3672010108090007", "L", "2009-08-01")
    page.locator("ul.warnings li", has_text="Gilang").first.wait_for()
    page.click("form.walkin button[type=submit]")
    page.locator(".result-head", has_text="Siswa susulan tercatat").wait_for()
    assert page.inner_text(".result .ticket").strip() == first
    state = phone_state(page, vid)
    assert len(state["aliases"]) == 1
    assert len([sid for sid, st in state["students"].items() if st["ticket"]]) == 2
    browser.close()
