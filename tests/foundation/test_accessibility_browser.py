"""axe-core finds no accessibility violations on the main pages of every role, at phone width."""
import pytest
from axe_playwright_python.sync_playwright import Axe

PAGES = [
    (None, "/login"), (None, "LINK"), (None, "/app"),
    ("koordinator", "/koordinator"), ("koordinator", "/koordinator/capaian"),
    ("koordinator", "/koordinator/kunjungan/2"), ("koordinator", "/koordinator/laporan/3"),
    ("koordinator", "/koordinator/kunjungan/3/sinkron"), ("admin", "/admin/users"),
    ("admin", "/admin/audit/"), ("petugas1", "/petugas/"),
]


@pytest.mark.browser
def test_no_axe_violations(demo, live_server, browser, token):
    axe, found = Axe(), {}
    for username, path in PAGES:
        context = browser.new_context(viewport={"width": 360, "height": 740})
        page = context.new_page()
        if username:
            page.goto(live_server.url + "/login")
            page.fill("#username", username)
            page.fill("#password", "demo12345")
            page.click("main button[type=submit]")
        page.goto(live_server.url + (f"/daftar/{token}" if path == "LINK" else path))
        violations = axe.run(page).response["violations"]
        if violations:
            found[path] = [(v["id"], v["impact"], v["nodes"][0]["target"]) for v in violations]
        context.close()
    assert found == {}
