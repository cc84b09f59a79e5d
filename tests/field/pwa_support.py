"""Helpers of the field PWA's browser tests: fake-camera slips, phones, screenshots, steps."""
import os
import time
from pathlib import Path

import qrcode
from browser_support import ARGS, CHROMIUM
from PIL import Image

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PHONE = {"width": 360, "height": 640}


def qr_y4m(text, path, w=640, h=480):
    """A one-frame Y4M of a slip's QR code: Chromium's fake camera loops it (testing.md)."""
    code = qrcode.make(text, box_size=8, border=4).convert("RGB")
    img = Image.new("RGB", (w, h), "white")
    img.paste(code, ((w - code.width) // 2, (h - code.height) // 2))
    y, cb, cr = img.convert("YCbCr").split()
    cb, cr = cb.resize((w // 2, h // 2)), cr.resize((w // 2, h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        f.write(b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes())
    return str(path)


def image_y4m(png, path, w=640, h=480):
    """A one-frame Y4M of a screenshot (a QR code on another screen), centred on white."""
    img = Image.open(png).convert("RGB")
    img.thumbnail((w - 40, h - 40))
    frame = Image.new("RGB", (w, h), "white")
    frame.paste(img, ((w - img.width) // 2, (h - img.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    cb, cr = cb.resize((w // 2, h // 2)), cr.resize((w // 2, h // 2))
    with open(path, "wb") as f:
        f.write(f"YUV4MPEG2 W{w} H{h} F15:1 Ip A1:1 C420jpeg\n".encode())
        f.write(b"FRAME\n" + y.tobytes() + cb.tobytes() + cr.tobytes())
    return str(path)


def camera_args(y4m):
    return ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                   f"--use-file-for-fake-video-capture={y4m}"]


def launch_phone(playwright, user_data_dir, y4m=None, extra_args=()):
    """A phone: a persistent Chromium profile (survives a 'browser restart'), 360x640, camera."""
    return playwright.chromium.launch_persistent_context(
        str(user_data_dir), executable_path=CHROMIUM, args=(camera_args(y4m) if y4m else ARGS) + list(extra_args),
        viewport=PHONE, permissions=["camera"], service_workers="allow")


def shot(page, name):
    """Save a 360x640 screenshot for docs/ when JEMPUT_SCREENSHOTS=1 (kept out of normal runs)."""
    if os.environ.get("JEMPUT_SCREENSHOTS") == "1":
        SHOTS.mkdir(parents=True, exist_ok=True)
        page.evaluate("document.querySelectorAll('.toast').forEach((el) => el.remove())")
        page.screenshot(path=str(SHOTS / f"{name}.png"))


def sign_in(page, base, username, label, screenshot=None):
    page.goto(f"{base}/app")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", "demo12345")
    page.fill("input[name=label]", label)
    if screenshot:
        shot(page, screenshot)
    page.click("form button[type=submit]")
    page.wait_for_selector(".visits li[data-visit]")
    return page.evaluate("async () => (await import('/static/pwa/db.js')).getDevice()")


def download(page, visit_id):
    row = page.locator(f".visits li[data-visit='{visit_id}']")
    row.get_by_role("button", name="Unduh untuk luring").click()
    row.locator(".offline-ready").wait_for(timeout=20000)


def wait_unsynced(page, n, timeout=20000):
    page.wait_for_selector(f"#unsynced[data-count='{n}']", timeout=timeout)


def wait_async(page, predicate, arg=None, timeout=10000, every=0.02):
    """Poll an async page predicate until it is true. Playwright's wait_for_function does not
    await a Promise: an async predicate counts as true at once, so it cannot be used for these."""
    deadline = time.monotonic() + timeout / 1000
    while True:
        if page.evaluate(predicate, arg):
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout} ms: {predicate}")
        time.sleep(every)


def check_in_reaches_desks(gate, desks, visit_id, students, timeout=10000):
    """Check each student in at the gate; seconds until every desk's own data has its ticket."""
    latencies = []
    for key, student in students:
        search_and_check_in(gate, key, student.name)
        start = time.monotonic()
        for desk in desks:
            wait_async(desk, "async ([v, s]) => (await window.jemput.loadVisit(v)).folded.students[s].ticket !== null",
                       [str(visit_id), student.id], timeout=timeout)
        latencies.append(time.monotonic() - start)
    return latencies


def phone_state(page, visit_id):
    return page.evaluate("async (v) => (await window.jemput.loadVisit(v)).folded", str(visit_id))


def search_and_check_in(page, query, name):
    page.fill("#search", query)
    page.locator(".results .pick", has_text=name).click()
    page.get_by_role("button", name="Check-in & beri nomor").click()
    page.locator(".result-head", has_text="check-in tercatat").wait_for()


SMALL_TARGETS_JS = """() => [...document.querySelectorAll('button, a[href], input, select, summary, textarea')]
  .filter((el) => el.offsetParent !== null && !el.closest('.skip'))
  .map((el) => { const r = (el.closest('label') || el).getBoundingClientRect();  // a label is the target
    return { el: el.outerHTML.slice(0, 80), w: Math.round(r.width), h: Math.round(r.height) }; })
  .filter((t) => t.h < 44 || t.w < 44)"""


def small_targets(page):
    """Visible controls (or their labels) smaller than 44x44 CSS px."""
    return page.evaluate(SMALL_TARGETS_JS)


def no_horizontal_scroll(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def server_state(client, visit_id, username="petugas1"):
    """The server's derived state of a visit, read with a fresh device of `username`."""
    token = client.post("/api/v1/devices", json={"username": username, "password": "demo12345",
                                                 "label": "checker"}).get_json()["token"]
    response = client.get(f"/api/v1/visits/{visit_id}/state", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    return response.get_json()
