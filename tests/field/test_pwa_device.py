"""The officer's phone keeps its status in view and its data safe: the sticky header after
scrolling and with the keyboard open, persistent storage, a small quota simulated through CDP
(space warning, a failed write reported at once and held, then written), a lost database."""
import time

import pytest
from pwa_support import download, launch_phone, search_and_check_in, server_state, sign_in, wait_unsynced

pytestmark = pytest.mark.browser
# Chrome answers estimate() with usage + a fixed 10 GiB ("static quota", against fingerprinting)
# unless told otherwise; without it the CDP quota override shows in estimate() as on a full disk.
REAL_QUOTA = ["--disable-features=StaticStorageQuota,IncognitoStaticStorageQuota"]

HEADER_JS = """() => {
  const head = document.querySelector('.pwa-head').getBoundingClientRect();
  const bar = document.getElementById('syncbar').getBoundingClientRect();
  return {scrollY: window.scrollY, headTop: head.top, barTop: bar.top, barBottom: bar.bottom,
          height: window.innerHeight, barShown: bar.height > 0};
}"""

# Another database of the origin takes 16 KB at a time until the quota refuses one.
FILL_UP = """() => new Promise((done) => {
  const open = indexedDB.open('filler', 1);
  open.onupgradeneeded = () => open.result.createObjectStore('s');
  open.onsuccess = () => {
    const db = open.result; let n = 0;
    const next = () => { const tx = db.transaction('s', 'readwrite'); tx.objectStore('s').put('x'.repeat(16384), n);
      tx.oncomplete = () => { n += 1; n < 500 ? next() : (db.close(), done(-1)); };
      tx.onabort = () => { db.close(); done(tx.error && tx.error.name === 'QuotaExceededError' ? n + 1 : -2); }; };
    next(); };
})"""


def scrolled_header(page):
    """Make the screen taller than the phone, scroll to the bottom, and measure the header."""
    page.evaluate("""() => { const pad = document.createElement('div'); pad.className = 'test-pad';
        pad.style.height = '2000px'; document.getElementById('view').append(pad);
        window.scrollTo(0, document.documentElement.scrollHeight); }""")
    page.wait_for_function("window.scrollY > 1000")
    return page.evaluate(HEADER_JS)


def test_status_bar_stays_in_view_on_every_screen_and_above_the_keyboard(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    context = launch_phone(playwright, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)
    ahmad = world["students"]["ahmad"]
    screens = ["", f"v/{vid}/checkin", f"v/{vid}/queue", f"v/{vid}/desk", f"v/{vid}/walkin",
               f"v/{vid}/sync", f"v/{vid}/student/{ahmad.id}", "settings"]
    for screen in screens:
        page.goto(f"{base}/app#/{screen}")
        page.wait_for_selector("#syncbar:not([hidden]) #unsynced")
        page.wait_for_timeout(200)  # the screen's own render after the route
        got = scrolled_header(page)
        assert got["barShown"] and got["headTop"] == 0, (screen, got)
        assert 0 <= got["barTop"] < got["barBottom"] <= 200, (screen, got)
        page.evaluate("window.scrollTo(0, 0)")

    # A form with the keyboard open (the page shrinks: interactive-widget=resizes-content): the
    # status stays on top, the tabs step aside, the field being typed in is not covered.
    page.goto(f"{base}/app#/v/{vid}/walkin")
    assert "interactive-widget=resizes-content" in page.get_attribute("meta[name=viewport]", "content")
    page.locator("input[name=class]").focus()
    page.set_viewport_size({"width": 360, "height": 330})
    page.wait_for_function("document.body.classList.contains('kb')")
    page.locator("input[name=class]").scroll_into_view_if_needed()
    got = page.evaluate(HEADER_JS)
    field = page.locator("input[name=class]").bounding_box()
    assert got["headTop"] == 0 and got["barShown"] and got["scrollY"] > 0, got
    assert field["y"] >= got["barBottom"] and field["y"] + field["height"] <= got["height"], (field, got)
    assert not page.locator("#tabs").is_visible()
    page.locator("input[name=class]").blur()
    page.set_viewport_size({"width": 360, "height": 640})
    page.wait_for_function("!document.body.classList.contains('kb')")
    assert page.locator("#tabs").is_visible()
    context.close()


def test_persist_quota_failed_write_held_then_saved(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    ahmad, budi = world["students"]["ahmad"], world["students"]["budi"]
    context = launch_phone(playwright, tmp_path / "phone", extra_args=REAL_QUOTA)
    page = context.pages[0] if context.pages else context.new_page()
    # A phone with 5 MB for this site, from the start (Chromium caches what it may grant).
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base, "quotaSize": 5_000_000})
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)

    # persist() was asked at sign-in; the settings screen shows that answer and the current state.
    page.goto(f"{base}/app#/settings")
    state = page.locator("#persist-state")
    state.wait_for()
    persisted = page.evaluate("navigator.storage.persisted()")
    assert state.get_attribute("data-persisted") == str(persisted).lower()
    asked = page.evaluate("async () => (await import('/static/pwa/db.js')).getMeta('persist')")
    assert asked["supported"] is True and "asked_at" in asked
    assert page.locator("#persist-asked").get_attribute("data-granted") == str(asked["granted"]).lower()
    assert float(page.locator("#usage").get_attribute("data-ratio")) < 0.8
    assert page.locator("#space-alert").count() == 0

    # Almost out of space: the quota is just above what is used now.
    usage = page.evaluate("async () => (await navigator.storage.estimate()).usage")
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base, "quotaSize": int(usage / 0.9)})
    page.goto(f"{base}/app#/v/{vid}/checkin")
    page.reload()
    page.locator("#space-alert").wait_for(timeout=10000)
    assert "hampir penuh" in page.inner_text("#space-alert")
    page.goto(f"{base}/app#/settings")
    page.locator("#usage.w-warn").wait_for()

    # Now full: other data fills what is left (Chromium re-reads the quota once its cached
    # allowance is used up), and a check-in cannot be stored. The officer is told at once.
    used = page.evaluate("async () => (await navigator.storage.estimate()).usage")
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base, "quotaSize": used + 60_000})
    assert page.evaluate(FILL_UP) > 0
    page.goto(f"{base}/app#/v/{vid}/checkin")
    page.fill("#search", "ahmad")
    page.locator(".results .pick", has_text=ahmad.name).click()
    started = time.monotonic()
    page.get_by_role("button", name="Check-in & beri nomor").click()
    alert = page.locator("#held-alert")
    alert.wait_for(timeout=5000)
    assert time.monotonic() - started < 5
    assert alert.get_attribute("data-count") == "2"  # checkin + enqueue
    assert "TIDAK TERSIMPAN" in alert.inner_text() and "QuotaExceededError" in alert.inner_text()
    assert page.evaluate("async (v) => (await import('/static/pwa/db.js')).countOutbox(v)", str(vid)) == 0
    # A second action while full joins the held list, in order; a reload keeps them all.
    page.fill("#search", "budi")
    page.locator(".results .pick", has_text=budi.name).click()
    page.get_by_role("button", name="Check-in & beri nomor").click()
    page.locator("#held-alert[data-count='4']").wait_for(timeout=5000)
    page.reload()
    page.locator("#held-alert[data-count='4']").wait_for(timeout=10000)

    # Space freed: "Coba simpan lagi" writes them with their own times, in order, and syncs.
    page.evaluate("() => new Promise((ok) => { const r = indexedDB.deleteDatabase('filler'); "
                  "r.onsuccess = r.onerror = ok; })")
    cdp.send("Storage.overrideQuotaForOrigin", {"origin": base})
    page.locator("#held-alert").get_by_role("button", name="Coba simpan lagi").click()
    page.locator("#held-alert").wait_for(state="detached", timeout=10000)
    phone = page.evaluate("async (v) => (await window.jemput.loadVisit(v)).events", str(vid))
    assert [(e["type"], e["student_id"]) for e in phone] == [
        ("checkin", ahmad.id), ("enqueue", ahmad.id), ("checkin", budi.id), ("enqueue", budi.id)]
    assert [e["seq"] for e in phone] == [1, 2, 3, 4]
    wait_unsynced(page, 0)
    context.close()


def at_check_in(playwright, base, vid, tmp_path):
    """(context, page) of a phone signed in as petugas1, the visit downloaded, on its check-in screen."""
    context = launch_phone(playwright, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)
    page.goto(f"{base}/app#/v/{vid}/checkin")
    return context, page


def test_lost_database_detected_and_explained(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    context, page = at_check_in(playwright, base, vid, tmp_path)
    search_and_check_in(page, "ahmad", world["students"]["ahmad"].name)  # seq 1, 2
    wait_unsynced(page, 0)
    context.set_offline(True)
    search_and_check_in(page, "budi", world["students"]["budi"].name)  # seq 3, 4: never sent
    wait_unsynced(page, 2)

    # The browser evicts IndexedDB (CDP clears it as storage pressure would).
    cdp = context.new_cdp_session(page)
    cdp.send("Storage.clearDataForOrigin", {"origin": base, "storageTypes": "indexeddb"})
    context.set_offline(False)
    page.goto(f"{base}/app")
    page.reload()
    lost = page.locator("#db-lost")
    lost.wait_for(timeout=10000)
    assert "HILANG" in lost.inner_text() and "4" in lost.inner_text()

    # Signing in again asks the server what it holds of the old device: 2 events were lost.
    sign_in(page, base, "petugas1", "HP Rina lagi")
    alert = page.locator("#loss-alert")
    alert.wait_for(timeout=10000)
    assert "2 kejadian" in alert.inner_text()
    alert.get_by_role("button", name="Mengerti").click()
    alert.wait_for(state="detached")
    context.close()


def test_database_behind_the_server_continues_numbering(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    context, page = at_check_in(playwright, base, vid, tmp_path)
    search_and_check_in(page, "ahmad", world["students"]["ahmad"].name)
    wait_unsynced(page, 0)
    # An old copy of the database comes back (seq 0) and the marker is gone too: only the server knows.
    page.evaluate("""async () => { const db = await import('/static/pwa/db.js');
        await db.setMeta('seq', 0); localStorage.clear();
        document.cookie = 'jemput_device=; path=/; max-age=0'; }""")
    page.reload()
    page.locator("#loss-alert").wait_for(timeout=10000)
    assert page.evaluate("async () => (await import('/static/pwa/db.js')).getMeta('seq')") == 2
    search_and_check_in(page, "budi", world["students"]["budi"].name)
    events = page.evaluate("async (v) => (await window.jemput.loadVisit(v)).events", str(vid))
    assert sorted(e["seq"] for e in events) == [1, 2, 3, 4]
    wait_unsynced(page, 0)
    context.close()


def test_own_events_heard_back_from_a_linked_phone_are_uploaded(playwright, field_server, world, client, tmp_path):
    base, vid = field_server.url, world["visit"]
    context, page = at_check_in(playwright, base, vid, tmp_path)
    context.set_offline(True)
    search_and_check_in(page, "ahmad", world["students"]["ahmad"].name)  # seq 1, 2: told to the desks
    wait_unsynced(page, 2)
    sent = page.evaluate("async (v) => (await window.jemput.loadVisit(v)).events", str(vid))
    # A power cut takes the phone's last writes (and its numbering) back; a desk still holds them.
    page.evaluate("""async () => { const idb = await import('/static/vendor/idb/index.js');
        const d = await idb.openDB('jemput');
        for (const r of await d.getAll('events')) await d.delete('events', r.id);
        await d.put('meta', 0, 'seq'); d.close(); }""")
    page.reload()
    page.wait_for_selector("#scan-toggle")
    assert page.evaluate("async (v) => (await import('/static/pwa/db.js')).countOutbox(v)", str(vid)) == 0
    # The desk's gossip hands them back: they are this phone's own, so they go out again.
    page.evaluate("async ([v, evs]) => (await import('/static/pwa/db.js')).addPeerEvents(v, evs)",
                  [str(vid), sent])
    assert page.evaluate("async (v) => (await import('/static/pwa/db.js')).countOutbox(v)", str(vid)) == 2
    assert page.evaluate("async () => (await import('/static/pwa/db.js')).getMeta('seq')") == 2
    context.set_offline(False)
    page.evaluate("() => window.jemput.syncNow()")
    wait_unsynced(page, 0)
    ahmad = world["students"]["ahmad"].id
    assert server_state(client, vid)["students"][ahmad]["attendance"] == "present"
    context.close()
