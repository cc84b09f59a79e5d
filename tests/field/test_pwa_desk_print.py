"""The desk on a phone (360 px): 'Sudah punya KTP-el', and the print result only from 17 (docs/desk.md)."""
import pytest
from browser_support import ARGS, CHROMIUM
from pwa_support import PHONE, download, no_horizontal_scroll, server_state, shot, sign_in, small_targets, wait_unsynced


@pytest.mark.browser
def test_desk_offers_already_recorded_and_print_for_17_plus(playwright, field_server, world, client):
    base, vid = field_server.url, world["visit"]
    ahmad, budi = world["students"]["ahmad"], world["students"]["budi"]  # 17 and 16.5 on the visit's day
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_context(viewport=PHONE).new_page()
    sign_in(page, base, "petugas1", "HP Meja")
    download(page, vid)
    # Under 17: no print buttons, but "Sudah punya KTP-el" is offered.
    page.goto(f"{base}/app#/v/{vid}/student/{budi.id}")
    page.get_by_role("button", name="Sudah punya KTP-el").wait_for()
    assert page.locator("button.print-done").count() == 0
    page.get_by_role("button", name="Sudah punya KTP-el").click()
    page.locator("dialog[open] button[type=submit]").click()
    page.locator(".result .badge", has_text="Sudah Punya KTP-el").wait_for()
    # 17 and over: the print result, with a reason when not printed.
    page.goto(f"{base}/app#/v/{vid}/student/{ahmad.id}")
    page.locator("button.print-not").click()
    page.locator("dialog[open] select").select_option("printer_fault")
    page.locator("dialog[open] button[type=submit]").click()
    page.locator(".panel .badge", has_text="Printer bermasalah").wait_for()
    page.locator("button.print-done").click()
    page.locator(".result .badge", has_text="Sudah Dicetak").wait_for()
    shot(page, "desk-print-360")
    assert small_targets(page) == [] and no_horizontal_scroll(page)
    page.locator("#syncbar button").click()
    wait_unsynced(page, 0)
    server = server_state(client, vid)["students"]
    assert server[budi.id]["outcome"] == "already_recorded" and server[budi.id]["attendance"] == "present"
    assert (server[ahmad.id]["print"], server[ahmad.id]["print_reason"]) == ("printed", None)
    browser.close()
