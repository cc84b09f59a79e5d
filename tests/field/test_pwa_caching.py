"""Bytes and requests of the app shell in Chromium (issue 15): a first load within 150 KB on the
wire, a repeat load that asks the server nothing, offline still working, and a new version found
by the background check (not by a load) and offered by the banner."""
import time

import pytest
from pwa_support import launch_phone, wait_async

from bench.bench_shell import SW_IDLE_JS, Relay

pytestmark = pytest.mark.browser

FIRST_LOAD_BUDGET = 150 * 1024  # issue 15's target; measured ~144,000 bytes (docs/benchmarks.md)


def _idle_worker(page, timeout=20000):
    wait_async(page, SW_IDLE_JS, timeout=timeout)


def test_first_load_small_repeat_load_asks_nothing_offline_works(playwright, field_server, tmp_path):
    relay = Relay(0, field_server.port)
    base = f"http://127.0.0.1:{relay.port}"
    profile = tmp_path / "phone"
    try:
        context = launch_phone(playwright, profile)
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(f"{base}/app")
        page.wait_for_selector("input[name=username]")
        _idle_worker(page)
        time.sleep(1)  # anything asked after the install counts too
        first_bytes, first = relay.take()
        # Pre-cached from the HTTP cache: each shell file crossed the wire once, compressed.
        static = [r for r in first if "/static/" in r]
        assert static and len(static) == len(set(static)), static
        assert first_bytes <= FIRST_LOAD_BUDGET, (first_bytes, first)
        context.close()

        # The browser opened again: the page, its modules and the worker's check all stay local.
        context = launch_phone(playwright, profile)
        page = context.pages[0] if context.pages else context.new_page()
        response = page.goto(f"{base}/app")
        page.wait_for_selector("input[name=username]")
        time.sleep(2)
        assert response.from_service_worker
        assert relay.take() == (0, [])

        # No network and no server: still the app.
        context.set_offline(True)
        field_server.stop()
        assert page.reload().from_service_worker
        page.wait_for_selector("input[name=username]")
        context.close()
    finally:
        relay.close()


def test_new_version_found_in_the_background_and_offered(playwright, field_server, tmp_path):
    field_server.app.config["SHELL_UPDATE_SECONDS"] = 2  # the shell page tells the app how often
    base = field_server.url
    context = launch_phone(playwright, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}/app")
    _idle_worker(page)
    old = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert old.endswith(f"/sw.js?v={field_server.app.config['SHELL_VERSION']}")

    # A release while the app is open: no navigation, the timer's check finds it.
    field_server.app.config["SHELL_VERSION"] = "release-2"
    banner = page.locator("#update")
    banner.get_by_text("Versi baru tersedia").wait_for(timeout=20000)
    with page.expect_navigation():
        banner.get_by_role("button", name="Muat ulang").click()
    shells = "async () => (await caches.keys()).filter((k) => k.startsWith('jemput-shell-')).join()"
    wait_async(page, f"async () => (await ({shells})()) === 'jemput-shell-release-2'", timeout=15000)
    assert page.evaluate("navigator.serviceWorker.controller.scriptURL").endswith("/sw.js?v=release-2")
    assert page.get_attribute("meta[name=shell-version]", "content") == "release-2"
    assert page.evaluate("[...document.scripts].map((s) => s.src).join()").count("/static/v/release-2/") == 1
    context.close()


def test_decoder_kept_for_offline_only_when_asked(playwright, field_server, tmp_path):
    context = launch_phone(playwright, tmp_path / "phone")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{field_server.url}/app")
    _idle_worker(page)
    has_wasm = """async () => { const keys = await (await caches.open((await caches.keys())
        .find((k) => k.startsWith('jemput-shell-')))).keys(); return keys.some((r) => r.url.endsWith('.wasm')); }"""
    assert page.evaluate(has_wasm) is False  # not part of a first load
    kept = page.evaluate("async () => (await import(document.querySelector('script[type=module]').src"
                         ".replace('app.js', 'swclient.js'))).keepDecoder()")
    assert kept is True and page.evaluate(has_wasm) is True
    context.close()
