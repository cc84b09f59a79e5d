"""A TV display with no account and no internet, paired with a team phone by its camera: it gets
tickets and desks over the phone link within 2 s, and never a student's name (docs/phone-link.md,
"The TV display")."""
import time

import pytest
from browser_support import CHROMIUM
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pwa_support import PHONE, camera_args, download, image_y4m, search_and_check_in, sign_in, wait_async
from test_phone_link import LINK_ARGS, LINK_DIAGNOSIS, read_qr

pytestmark = pytest.mark.browser
MDNS_OFF = ["--disable-features=WebRtcHideLocalIpsWithMdns"]

STORED_JS = """async () => {
  const out = [JSON.stringify({ ...localStorage }), JSON.stringify({ ...sessionStorage })];
  const req = (r) => new Promise((ok, ko) => { r.onsuccess = () => ok(r.result); r.onerror = ko; });
  for (const { name } of await indexedDB.databases()) {
    const db = await req(indexedDB.open(name));
    for (const store of db.objectStoreNames) {
      out.push(JSON.stringify(await req(db.transaction(store).objectStore(store).getAll())));
    }
    db.close();
  }
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const r of await cache.keys()) if (r.url.includes("/api/")) out.push(await (await cache.match(r)).text());
  }
  const link = window.jemputDisplay.link();
  out.push(JSON.stringify([...link.events.values()]), JSON.stringify(link.header), JSON.stringify(link.students));
  return out.join("\\n");
}"""


def desk_ticket(tv, station):
    return tv.locator(f".desk-card[data-station='{station}'] .desk-ticket").inner_text().strip()


def until(check, timeout=5.0):
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "not within the time"
        time.sleep(0.02)
    return time.monotonic() - start


def pair_display(phone, tv, tmp_path, film, tries=2):
    """The display scans the phone's code and shows its answer; the phone scans that.

    Once in a CI run the link between the two browsers never opened (not diagnosed: docs/
    phone-link.md). An officer then shows a new code: the phone makes one, the display's camera
    (the same film file, rewritten) reads it again; the states of the failed try are printed.
    """
    for attempt in range(tries):
        if attempt:
            phone.click("#link-display")
            phone.locator(".link-qr").wait_for(timeout=15000)
            read_qr(phone, tmp_path, "display-offer-again")  # saved as display-offer-again.png
            image_y4m(tmp_path / "display-offer-again.png", film)
        tv.click("#display-scan")
        tv.locator("#display-answer .link-qr").wait_for(timeout=20000)
        answer = read_qr(tv, tmp_path, f"display-answer-{attempt}")
        assert answer.split("~")[1] == "u"
        phone.evaluate("(code) => window.jemput.linkCode(code)", answer)
        try:
            tv.locator(".display-desks").wait_for(timeout=60000 if attempt else 40000)
            return
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            print("display pairing did not open:", phone.evaluate(LINK_DIAGNOSIS),
                  tv.evaluate("() => JSON.stringify(window.jemputDisplay.link().state || null)"))


def test_display_paired_by_camera_offline_shows_tickets_never_names(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    students = world["students"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LINK_ARGS)
    phone = browser.new_context(viewport=PHONE).new_page()
    sign_in(phone, base, "petugas1", "Gerbang")
    download(phone, vid)
    phone.goto(f"{base}/app#/v/{vid}/checkin")
    for key in ("ahmad", "budi"):
        search_and_check_in(phone, key, students[key].name)

    # The phone shows its display code; the laptop's camera will film that screen.
    phone.click(".tabs >> text=HP Tim")
    phone.click("#link-display")
    phone.locator(".link-qr").wait_for(timeout=15000)
    offer = read_qr(phone, tmp_path, "display-offer")
    assert offer.split("~")[1] == "t"
    film = image_y4m(tmp_path / "display-offer.png", tmp_path / "display-offer.y4m")

    # The display: another browser, no account, its own camera; the app shell installed, then no server.
    tv_browser = playwright.chromium.launch(executable_path=CHROMIUM, args=camera_args(film) + MDNS_OFF)
    tv_ctx = tv_browser.new_context(viewport={"width": 1280, "height": 720}, permissions=["camera"])
    tv = tv_ctx.new_page()
    tv.goto(f"{base}/app/antrean")
    wait_async(tv, "async () => (await navigator.serviceWorker.ready).active !== null", timeout=60000)
    tv.reload()
    tv.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
    assert tv.evaluate("() => window.jemputDisplay.decoderKept()")  # the camera's decoder, for offline
    field_server.stop()

    # 2 scans: the display's camera reads the phone's code, the phone reads the display's answer.
    started = time.monotonic()
    pair_display(phone, tv, tmp_path, film)
    pairing = time.monotonic() - started
    # The desks show once the visit's header arrives; the events follow it over the link (gossip).
    until(lambda: "A-001" in tv.inner_text(".next-list") and "A-002" in tv.inner_text(".next-list"))
    peer = phone.evaluate("() => window.jemput.linkSession().links.list().find((p) => p.role === 'display')")
    assert peer and peer["state"] == "open"

    # A check-in and calls on the phone reach the display within 2 s; a served student leaves it.
    phone.click(".tabs >> text=Check-in")
    search_and_check_in(phone, "dewi", students["dewi"].name)
    lags = [until(lambda: "A-003" in tv.inner_text(".next-list"))]
    phone.goto(f"{base}/app#/v/{vid}/desk")
    phone.locator(".segmented button", has_text="Meja 1").click()
    phone.locator(".segmented button[aria-pressed=true]", has_text="Meja 1").wait_for()
    for ticket in ("A-001", "A-002"):
        phone.locator(".desk-calls .call-next").click()
        lags.append(until(lambda t=ticket: desk_ticket(tv, 1) == t))
        phone.get_by_role("button", name="Berhasil", exact=True).click()
        phone.locator(".result .badge", has_text="Sudah Rekam").first.wait_for()
    phone.locator(".desk-calls .call-next").click()
    lags.append(until(lambda: desk_ticket(tv, 1) == "A-003"))
    assert max(lags) < 2.0, lags
    shown = tv.inner_text("body")
    assert "A-001" not in shown and "A-002" not in shown  # served: on no card, in no list

    # Nothing of a student's identity on the display: not on screen, in the page, or stored.
    page = tv.content() + shown
    stored = tv.evaluate(STORED_JS)
    for s in students.values():
        for secret in (s.name, s.name.split()[0], s.nik):
            assert secret not in page and secret not in stored, secret
    print(f"\ndisplay pairing {pairing:.1f} s (camera, zbar read of the answer, ICE); "
          f"phone -> display {[round(x * 1000) for x in lags]} ms")
    tv_browser.close()
    browser.close()
