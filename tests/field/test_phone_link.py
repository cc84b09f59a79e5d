"""Phones linked over WebRTC with the server stopped: pairing by QR, check-ins on the desks,
two desks calling at once (docs/phone-link.md)."""
import statistics
import subprocess
import time

from browser_support import ARGS, CHROMIUM
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from pwa_support import PHONE, check_in_reaches_desks, download, phone_state, sign_in

# Two pages of one machine: Chromium hides host IPs behind mDNS names by default; the flag
# gives real host candidates (docs/phone-link.md, "Testing on one machine").
LINK_ARGS = ARGS + ["--disable-features=WebRtcHideLocalIpsWithMdns"]


def read_qr(page, tmp_path, name):
    """Decode the pairing QR code on screen, as a phone camera would (zbarimg on a screenshot)."""
    path = tmp_path / f"{name}.png"
    qr = page.locator(".link-qr").last
    # A camera takes frame after frame; under load the first screenshot may catch the code half
    # painted, or the screen may redraw it between two frames (the element is replaced), so read
    # again as the camera would (zbarimg exit 4: no code in that frame).
    out = None
    for _ in range(8):
        try:
            # On the screen as shown: nothing (a phone's tabs, status bar) may cover the code.
            assert qr.evaluate("""(el) => { const r = el.getBoundingClientRect();
              const tabs = document.getElementById('tabs');
              return r.top >= 0 && r.bottom <= (tabs ? tabs.getBoundingClientRect().top : innerHeight); }"""), \
                "QR not fully on screen"
            qr.screenshot(path=str(path))
        except PlaywrightError:  # redrawn between locating and shooting
            page.wait_for_timeout(300)
            continue
        out = subprocess.run(["zbarimg", "-q", "--raw", "--nodbus", str(path)], capture_output=True, text=True)
        if out.returncode == 0:
            return out.stdout.strip()
        page.wait_for_timeout(300)
    raise AssertionError(f"pairing code not readable: zbarimg {out.returncode if out else 'never shot'}")


def pair(hub, phone, tmp_path, name, timeout=15000, tries=2):
    """Hub shows its code, the phone scans it and shows an answer, the hub scans that: 2 scans.

    About 1 run in 5 of the phone-link files under load, a pairing in one Chromium never opened
    (no link 'open' after 15 s; not diagnosed yet, docs/phone-link.md "Testing on one machine").
    An officer then shows the code again; so does this helper, once, and prints the link states
    of the failed try for the next look.
    """
    started = time.monotonic()
    for attempt in range(tries):
        try:
            _pair_once(hub, phone, tmp_path, f"{name}-{attempt}", timeout)
            return time.monotonic() - started
        except PlaywrightTimeout:
            if attempt == tries - 1:
                raise
            for page in (hub, phone):
                print("pairing did not open:", name, page.evaluate(LINK_DIAGNOSIS))
    return time.monotonic() - started


# What a failed pairing looked like on each side: every link's state and its connection's, and
# the candidates its own description offered (none: gathering had not finished in time).
LINK_DIAGNOSIS = """() => { const m = window.jemput.linkSession().links;
  const pcInfo = (pc) => pc && ({ conn: pc.connectionState, ice: pc.iceConnectionState, gather: pc.iceGatheringState,
    signal: pc.signalingState, candidates: ((pc.localDescription || {}).sdp || '').split('a=candidate').length - 1,
    remote: ((pc.remoteDescription || {}).sdp || '').split('a=candidate').length - 1 });
  return JSON.stringify({ links: [...m.peers.values()].map((p) => ({ state: p.state, device: p.device,
    authed: !!p.authed, channel: p.channel && p.channel.readyState, ...pcInfo(p.pc) })),
    pending: m.pendingOffer && { channel: m.pendingOffer.channel.readyState, ...pcInfo(m.pendingOffer.pc) } }); }"""


def _pair_once(hub, phone, tmp_path, name, timeout):
    """One pairing: offer, answer, both links open."""
    hub.click(".tabs >> text=HP Tim")
    hub.click("#link-offer")
    hub.locator(".link-qr").wait_for(timeout=15000)
    offer = read_qr(hub, tmp_path, f"{name}-offer")
    phone.click(".tabs >> text=HP Tim")
    phone.click("#link-scan")
    phone.evaluate("(code) => window.jemput.linkCode(code)", offer)
    phone.locator(".link-qr").wait_for(timeout=15000)
    answer = read_qr(phone, tmp_path, f"{name}-answer")
    hub.evaluate("(code) => window.jemput.linkCode(code)", answer)
    for page in (hub, phone):
        page.wait_for_function("() => window.jemput.linkSession().links.list().some((p) => p.state === 'open')",
                               timeout=timeout)


def open_peers(page):
    return page.evaluate("() => window.jemput.linkSession().links.list().filter((p) => p.state === 'open').length")


def test_gate_and_two_desks_share_the_visit_offline(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=LINK_ARGS)
    pages = []
    for username, label in (("petugas1", "Gerbang"), ("petugas2", "Meja 1"), ("petugas1", "Meja 2")):
        page = browser.new_context(viewport=PHONE).new_page()
        sign_in(page, base, username, label)
        download(page, vid)
        page.goto(f"{base}/app#/v/{vid}/checkin")
        page.wait_for_selector("#scan-toggle")
        pages.append(page)
    gate, desk1, desk2 = pages
    field_server.stop()

    # A wrong code is refused with a reason, and nothing links.
    desk1.evaluate("(code) => window.jemput.linkCode(code)", "JL1~o~999~x~a~b~c~d~e")
    pairing = [pair(gate, desk1, tmp_path, "d1"), pair(gate, desk2, tmp_path, "d2")]
    assert open_peers(gate) == 2 and open_peers(desk1) == 1 and open_peers(desk2) == 1

    # Check-ins at the gate reach both desks (through the gate: a star).
    gate.click(".tabs >> text=Check-in")
    students = world["students"]
    latencies = check_in_reaches_desks(gate, (desk1, desk2), vid,
                                       [(k, students[k]) for k in ("ahmad", "budi", "dewi", "eko")], timeout=5000)
    assert max(latencies) < 1.0, latencies

    # Both desks press "Panggil berikutnya" at once: never the same student at two desks.
    for n, desk in ((1, desk1), (2, desk2)):
        desk.click(".tabs >> text=Meja")
        desk.locator(".segmented button", has_text=f"Meja {n}").click()
        # The desk is chosen once the screen says so; calling before would call to the old desk.
        desk.locator(".segmented button[aria-pressed=true]", has_text=f"Meja {n}").wait_for()
    desk1.evaluate("() => document.querySelector('.desk-calls .call-next').click()")
    desk2.evaluate("() => document.querySelector('.desk-calls .call-next').click()")

    def standing():
        states = [phone_state(p, vid)["students"] for p in pages]
        return states, {sid: st["station"] for sid, st in states[0].items() if st["call_id"]}

    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        states, calls = standing()
        if states[0] == states[1] == states[2] and sorted(calls.values()) == [1, 2]:
            break
        time.sleep(0.2)
    assert states[0] == states[1] == states[2]
    assert sorted(calls.values()) == [1, 2], calls

    # Desk 1 records its student: no red alarm on its own "Berhasil", "Panggil berikutnya" on
    # screen. Desk 2 opens that student: the red alarm, and recording again needs a reason.
    sid1 = next(sid for sid, st in calls.items() if st == 1)
    desk1.get_by_role("button", name="Berhasil", exact=True).click()
    desk1.locator(".result .badge", has_text="Sudah Rekam").first.wait_for()
    assert desk1.locator(".result .w-danger").count() == 0
    assert desk1.locator(".desk-calls .call-next").is_visible()
    assert desk1.evaluate(
        "() => document.querySelector('.desk-calls .call-next').getBoundingClientRect().bottom <= innerHeight")
    desk2.goto(f"{desk2.url.split('#')[0]}#/v/{vid}/student/{sid1}")
    desk2.locator(".result .w-danger").first.wait_for(timeout=2000)
    desk2.get_by_role("button", name="Berhasil", exact=True).click()
    desk2.locator("dialog .alarm").wait_for()
    desk2.click("dialog button[type=submit]")  # no reason: refused
    assert desk2.locator("dialog[open]").count() == 1
    desk2.get_by_role("button", name="Jangan rekam").click()
    recorded = [e for e in phone_state(desk2, vid)["conflicts"] if e["code"] == "recorded_twice"]
    assert recorded == []

    print(f"\npairing {[round(p, 2) for p in pairing]} s (2 scans each); check-in -> desk "
          f"median {statistics.median(latencies) * 1000:.0f} ms, max {max(latencies) * 1000:.0f} ms")
    browser.close()
