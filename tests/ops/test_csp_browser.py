"""The pages and the PWA run under the CSP in a real browser: no violation, the camera opens."""
import pytest
from browser_support import ARGS, LiveServer

from webapp.app import create_app

pytestmark = pytest.mark.browser

WATCH = """window.__csp = [];
document.addEventListener('securitypolicyviolation',
  (e) => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));"""
CAMERA = ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"]


def _violations(page):
    return page.evaluate("window.__csp")


@pytest.fixture
def strict_server(ctx, database_url):
    """The app under the production CSP (the other browser tests allow eval for Playwright)."""
    server = LiveServer(create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret",
                                    "RATELIMIT_ENABLED": False}))
    yield server
    server.stop()


def test_pages_and_pwa_without_csp_violations(demo, strict_server, browser):
    live_server = strict_server
    context = browser.new_context(permissions=["camera"])
    context.add_init_script(WATCH)
    console = []
    page = context.new_page()
    page.on("console", lambda m: console.append(m.text) if "Content Security Policy" in m.text else None)
    base = live_server.url
    page.goto(f"{base}/login")
    page.fill("input[name=username]", "koordinator")
    page.fill("input[name=password]", "demo12345")
    page.click("button.primary")
    page.wait_for_url(f"{base}/koordinator**")
    assert _violations(page) == []
    visit = page.locator("a[href*='/koordinator/kunjungan/']").first.get_attribute("href")
    page.goto(base + visit)
    page.wait_for_load_state("load")
    assert _violations(page) == []

    page.goto(f"{base}/app")
    page.wait_for_selector("input[name=username]")
    page.fill("input[name=username]", "petugas1")
    page.fill("input[name=password]", "demo12345")
    page.fill("input[name=label]", "HP CSP")
    page.click("form button[type=submit]")
    page.wait_for_selector(".visits li[data-visit]")
    # camera=(self): the app's own origin may open the camera.
    opened = page.evaluate("""async () => { const s = await navigator.mediaDevices.getUserMedia({video: true});
        s.getTracks().forEach((t) => t.stop()); return true; }""")
    assert opened is True
    assert _violations(page) == [] and console == []
    context.close()


@pytest.fixture
def browser():
    """Chromium with a fake camera (the shared fixture has none)."""
    from browser_support import need_chromium
    from playwright.sync_api import sync_playwright

    need_chromium()
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS + CAMERA)
        yield b
        b.close()


def test_qr_decoder_compiles_its_webassembly_under_the_policy(strict_server, browser):
    """The decoder worker's own policy (a static file's) lets zxing's WebAssembly compile."""
    page = browser.new_page()
    page.goto(f"{strict_server.url}/app/offline")
    engine = page.evaluate("""async () => {
        const src = document.querySelector('link[rel=stylesheet]').href.replace(/css\\/app\\.css$/, 'pwa/scanner.js');
        const { Scanner } = await import(src);
        const scanner = new Scanner(null, () => {});
        const worker = scanner.openWorker();
        worker.postMessage({ id: 1, width: 2, height: 2, buffer: new Uint8ClampedArray(16).buffer });
        for (let i = 0; i < 100 && !scanner.workerEngine; i++) await new Promise((r) => setTimeout(r, 100));
        return scanner.workerEngine; }""")
    assert engine == "zxing"
    page.close()
