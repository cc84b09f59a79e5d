"""Online, through the server alone (no phone link): a check-in at the gate reaches the desks
within 2 s while their screens are open, and two desks pressing "Panggil berikutnya" 1 s apart
never get the same student (docs/phone-link.md, "Online")."""
import statistics
import time

import pytest
from browser_support import ARGS, CHROMIUM
from pwa_support import PHONE, check_in_reaches_desks, download, phone_state, sign_in

pytestmark = pytest.mark.browser


def test_desks_learn_and_call_through_the_server(playwright, field_server, world):
    base, vid = field_server.url, world["visit"]
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    pages = []
    for username, label in (("petugas1", "Gerbang"), ("petugas2", "Meja 1"), ("petugas1", "Meja 2")):
        page = browser.new_context(viewport=PHONE).new_page()
        sign_in(page, base, username, label)
        download(page, vid)
        pages.append(page)
    gate, desk1, desk2 = pages
    gate.goto(f"{base}/app#/v/{vid}/checkin")
    for n, desk in ((1, desk1), (2, desk2)):
        desk.goto(f"{base}/app#/v/{vid}/desk")
        desk.locator(".segmented button", has_text=f"Meja {n}").click()
        desk.locator(".segmented button[aria-pressed=true]", has_text=f"Meja {n}").wait_for()

    students = world["students"]
    latencies = check_in_reaches_desks(gate, (desk1, desk2), vid,
                                       [(k, students[k]) for k in ("ahmad", "budi", "dewi", "eko")], timeout=10000)
    # Two rounds: desk 1 presses, desk 2 presses one second later. Never the same student.
    def at_desk(state, station):
        return [sid for sid, st in state["students"].items()
                if st["call_id"] and st["station"] == station and st["outcome"] is None]

    served = []
    for _ in range(2):
        desk1.locator(".desk-calls .call-next").click()
        time.sleep(1.0)
        desk2.locator(".desk-calls .call-next").click()
        deadline = time.monotonic() + 10
        while True:
            states = [phone_state(p, vid) for p in pages]
            now = [at_desk(states[0], 1), at_desk(states[0], 2)]
            if states[0] == states[1] == states[2] and all(len(d) == 1 for d in now):
                break
            assert time.monotonic() < deadline, now
            time.sleep(0.2)
        served += [now[0][0], now[1][0]]
        for desk in (desk1, desk2):  # each records its student: the desk is free again
            desk.get_by_role("button", name="Berhasil", exact=True).click()
            desk.locator(".result .badge", has_text="Sudah Rekam").first.wait_for()
    assert len(set(served)) == 4, served
    conflicts = [c["code"] for c in phone_state(desk1, vid)["conflicts"]]
    assert "double_call" not in conflicts and "recorded_twice" not in conflicts
    print(f"\ncheck-in -> desk through the server: median {statistics.median(latencies) * 1000:.0f} ms, "
          f"max {max(latencies) * 1000:.0f} ms")
    browser.close()
