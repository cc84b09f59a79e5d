"""axe-core (vendored in tests/vendor) on every signed-in screen of the PWA at 360 px: no violation."""
import json
from pathlib import Path

import pytest
from pwa_support import download, launch_phone, qr_y4m, sign_in

pytestmark = pytest.mark.browser

AXE = Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js"
RUN_AXE = """async () => {
  const r = await axe.run(document, { resultTypes: ["violations"] });
  return r.violations.map((v) => ({ id: v.id, impact: v.impact,
    nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" ")) }));
}"""


def violations(page):
    if not page.evaluate("typeof axe !== 'undefined'"):
        # Evaluated, not added as a <script>: the app's CSP (no inline script) must stay on.
        page.evaluate(AXE.read_text())
    return page.evaluate(RUN_AXE)


def test_axe_finds_nothing_on_the_signed_in_screens(playwright, field_server, world, tmp_path):
    base, vid = field_server.url, world["visit"]
    ahmad = world["students"]["ahmad"]
    context = launch_phone(playwright, tmp_path / "phone", qr_y4m(ahmad.qr_token, tmp_path / "slip.y4m"))
    page = context.pages[0] if context.pages else context.new_page()
    sign_in(page, base, "petugas1", "HP Rina")
    download(page, vid)
    found = {}

    def check(name, url=None, ready=None):
        if url is not None:
            page.goto(f"{base}/app#/{url}")
        page.wait_for_selector(ready or "#syncbar:not([hidden]) #unsynced")
        found[name] = violations(page)

    check("visits", "", ".visits li[data-visit]")
    check("checkin", f"v/{vid}/checkin", "#scan-toggle")
    page.click("#scan-toggle")
    page.locator(".result-ok .result-name", has_text=ahmad.name).wait_for(timeout=15000)
    check("card after a scan")
    page.click("#scan-toggle")
    page.fill("#search", ahmad.name.split()[0])
    page.locator(".results .pick").first.wait_for()
    check("search results")
    check("queue", f"v/{vid}/queue", "#syncbar #unsynced")
    check("desk", f"v/{vid}/desk", "#syncbar #unsynced")
    check("walk-in", f"v/{vid}/walkin", "form.walkin")
    page.fill("input[name=name]", "Gilang Ramadhan")
    page.fill("input[name=nik]", "3672013208090000")
    page.click("form.walkin button[type=submit]")
    page.locator(".field.has-error").first.wait_for()
    check("walk-in with errors")
    check("student", f"v/{vid}/student/{ahmad.id}", "#syncbar #unsynced")
    check("sync", f"v/{vid}/sync", "#syncbar #unsynced")
    check("settings", "settings", ".settings h1")
    context.close()
    bad = {name: v for name, v in found.items() if v}
    assert bad == {}, json.dumps(bad, indent=1)
