"""The phone's QR decoder in Chromium: the app's own worker (zxing-wasm, its .wasm served by the
app) reads a few hard degraded slip frames of bench/scanner_frames.py, never a wrong token."""
import base64

import pytest
from browser_support import ARGS, CHROMIUM

from bench.bench_scanner import SETUP_JS
from bench.scanner_frames import make_frame

# Frames that the old decoder (jsQR, dontInvert) missed in the benchmark: blur, dim light, faded
# print, a shadow's edge.
pytestmark = pytest.mark.browser

FRAMES = [("blur", "hard", 0), ("noise", "hard", 0), ("lowcontrast", "hard", 1), ("shadow", "hard", 0)]


@pytest.fixture
def page(playwright, field_server):
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
    page = browser.new_page()
    page.goto(f"{field_server.url}/app/offline")
    page.evaluate(SETUP_JS)
    yield page
    browser.close()


def test_wasm_is_served_by_the_app(client):
    response = client.get("/static/vendor/zxing-wasm/zxing_reader.wasm")
    assert response.status_code == 200 and response.mimetype == "application/wasm"
    assert response.data[:4] == b"\0asm"


def test_zxing_reads_hard_frames_in_the_browser(page):
    for family, level, index in FRAMES:
        frame = make_frame(family, level, index)
        b64 = base64.b64encode(frame.png).decode()
        result = page.evaluate("([b]) => window.readFrame(b, 4)", [b64])
        assert result["engine"] == "zxing", frame.name
        assert result["text"] == frame.token, frame.name
