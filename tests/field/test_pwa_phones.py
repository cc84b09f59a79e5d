"""Several phones on one visit, the queue display, rejections, 413 and the sign-out guard."""
import json

import pytest
from browser_support import ARGS, CHROMIUM
from pwa_support import (
    PHONE,
    camera_args,
    download,
    no_horizontal_scroll,
    phone_state,
    qr_y4m,
    search_and_check_in,
    server_state,
    shot,
    sign_in,
    small_targets,
    wait_async,
    wait_unsynced,
)

pytestmark = pytest.mark.browser



def folded_present(page, visit_id, student_id):
    wait_async(page, "async ([v, s]) => (await window.jemput.loadVisit(v)).folded.students[s].attendance === 'present'",
               [str(visit_id), student_id], timeout=15000)


def test_two_phones_converge_with_the_server(playwright, field_server, world, tmp_path, client):
    base, vid = field_server.url, world["visit"]
    ahmad, dewi = world["students"]["ahmad"], world["students"]["dewi"]
    # Both phones point their camera at a slip of ANOTHER visit.
    browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                         args=camera_args(qr_y4m(world["foreign"].qr_token, tmp_path / "f.y4m")))
    ctx_a = browser.new_context(viewport=PHONE, permissions=["camera"])
    ctx_b = browser.new_context(viewport=PHONE, permissions=["camera"])
    a, b = ctx_a.new_page(), ctx_b.new_page()
    pa = sign_in(a, base, "petugas1", "HP A")["ticket_prefix"]
    pb = sign_in(b, base, "petugas2", "HP B")["ticket_prefix"]
    assert pa != pb
    for page in (a, b):
        download(page, vid)
        page.goto(f"{base}/app#/v/{vid}/checkin")
        page.wait_for_selector("#scan-toggle")

    b.click("#scan-toggle")
    b.locator(".result-error", has_text="QR bukan untuk kunjungan ini").wait_for(timeout=15000)
    shot(b, "08-qr-foreign")
    b.click("#scan-toggle")

    # B loses signal; A (online) and B both check Ahmad in; B also checks Dewi in.
    ctx_b.set_offline(True)
    search_and_check_in(a, "ahmad", ahmad.name)
    search_and_check_in(b, "ahmad", ahmad.name)
    search_and_check_in(b, "dewi", dewi.name)
    assert b.inner_text(".result .ticket").endswith(f"{pb}-002")

    # A calls Ahmad; the queue display on A's device follows through BroadcastChannel.
    display = ctx_a.new_page()
    display.goto(f"{base}/app/antrean?visit={vid}")
    display.wait_for_selector(".desk-card[data-station='1']")
    a.click(".tabs >> text=Antrean")
    a.locator(".desk[data-station='1'] .call-next").click()
    display.locator(".desk-card[data-station='1'] .desk-ticket", has_text=f"{pa}-001").wait_for(timeout=5000)
    a.locator("#syncbar button").click()
    wait_unsynced(a, 0)

    # B comes back and syncs; A pulls. Each sees the other's check-ins and calls.
    ctx_b.set_offline(False)
    b.locator("#syncbar button").click()
    wait_unsynced(b, 0)
    a.locator("#syncbar button").click()
    folded_present(a, vid, dewi.id)
    b.click(".tabs >> text=Antrean")
    b.locator(".desk[data-station='1'] .ticket-sm", has_text=f"{pa}-001").wait_for()
    a.locator(".waiting li", has_text=dewi.name).wait_for()
    display.locator(".next-list", has_text=f"{pb}-002").wait_for(timeout=15000)
    shot(display, "10-queue-display")
    assert small_targets(display) == [] and no_horizontal_scroll(display)

    # The same state on both phones and on the server, the double ticket listed everywhere.
    server = server_state(client, vid)
    assert phone_state(a, vid)["students"] == server["students"] == phone_state(b, vid)["students"]
    assert server["students"][ahmad.id]["ticket"] == f"{pa}-001"
    assert server["students"][ahmad.id]["conflicts"] == ["double_ticket"]
    b.click(".tabs >> text=Sinkron")
    b.locator(".conflicts li", has_text="Dua nomor antrean berbeda").wait_for()
    b.evaluate("document.querySelector('.conflicts').scrollIntoView()")
    shot(b, "09-sync-conflict")
    assert small_targets(b) == [] and no_horizontal_scroll(b)

    # A's clock moved past everything it received from B.
    hlc_a = a.evaluate("async () => (await import('/static/pwa/db.js')).getMeta('hlc')")
    device_a = a.evaluate("async () => (await (await import('/static/pwa/db.js')).getDevice()).device_id")
    events = a.evaluate("async (v) => (await window.jemput.loadVisit(v)).events", str(vid))
    from_b = [e["hlc"] for e in events if e["device_id"] != device_a]
    assert from_b and hlc_a > max(from_b)
    browser.close()


def test_rejections_kept_413_halved_and_signout_guard(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    field_server.app.config["SYNC_MAX_EVENTS"] = 2
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)
    context.set_offline(True)
    page.goto(f"{base}/app#/v/{vid}/checkin")
    page.wait_for_selector("#search")
    for key in ("ahmad", "budi", "eko"):
        search_and_check_in(page, key, world["students"][key].name)
    # An event the server must refuse (desk 9 of 2), made as the UI would make any event.
    page.evaluate("""async ([v, s]) => (await import('/static/pwa/db.js')).appendEvents(v,
        [{type: 'call', student_id: s, station: 9}])""", [str(vid), world["students"]["ahmad"].id])
    wait_unsynced(page, 7)

    # Sign-out refuses to wipe unsynced events without the explicit confirmation.
    page.goto(f"{base}/app#/")
    page.get_by_role("button", name="Keluar").click()
    dialog = page.locator("dialog")
    assert "7 kejadian" in dialog.inner_text() and "BELUM TERKIRIM" in dialog.inner_text()
    dialog.get_by_role("button", name="Hapus dan keluar").click()
    dialog.get_by_text("Centang dulu").wait_for()
    dialog.get_by_role("button", name="Batal").click()
    wait_unsynced(page, 7)

    sizes = []
    page.on("request", lambda r: r.method == "POST" and "/sync" in r.url
            and sizes.append(len(json.loads(r.post_data)["events"])))
    context.set_offline(False)
    page.goto(f"{base}/app#/v/{vid}/sync")
    page.locator(".sync .primary").click()
    wait_unsynced(page, 0)
    assert sizes[:3] == [7, 3, 1]  # 413 twice, then one event at a time
    rejected = page.locator(".rejected li[data-event]")
    rejected.first.wait_for()
    assert rejected.count() == 1 and "invalid_station" in rejected.inner_text()
    assert "panggil ulang ke meja yang benar" in rejected.inner_text()
    page.evaluate("document.querySelector('.rejected').scrollIntoView()")
    shot(page, "11-sync-rejected")
    assert small_targets(page) == [] and no_horizontal_scroll(page)
    states = page.evaluate("async (v) => (await window.jemput.loadVisit(v)).records.map((r) => r.status)", str(vid))
    assert sorted(states) == ["rejected"] + ["synced"] * 6

    # Nothing unsynced: sign-out wipes the phone (token, roster, events) after a plain confirm.
    page.goto(f"{base}/app#/")
    page.get_by_role("button", name="Keluar").click()
    page.locator("dialog").get_by_role("button", name="Keluar").click()
    page.wait_for_selector("input[name=username]")
    assert page.evaluate("async () => (await import('/static/pwa/db.js')).getDevice()") is None
    browser.close()
