"""The phone's own language switch: remembered on the device, the shell page after the switch in
the new language, offline and after a browser restart (the service worker keys pages by language)."""
import pytest
from pwa_support import launch_phone, sign_in

pytestmark = pytest.mark.browser


def _settings_heading(page, text):
    page.locator(".settings h1", has_text=text).wait_for(timeout=15000)


def _switch(page, code):
    with page.expect_navigation():
        page.click(f".lang-switch button[data-lang='{code}']")
    page.wait_for_function(f"document.documentElement.lang === '{code}'", timeout=15000)


def test_language_switch_is_remembered_and_works_offline(playwright, field_server, world, tmp_path):
    base, profile = field_server.url, tmp_path / "phone"
    context = launch_phone(playwright, profile)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}/app")
    page.wait_for_selector(".lang-switch button[data-lang='en']")  # on the sign-in screen too
    sign_in(page, base, "petugas1", "HP Rina")
    page.wait_for_function("navigator.serviceWorker.controller !== null", timeout=15000)
    page.goto(f"{base}/app#/settings")
    _settings_heading(page, "Pengaturan HP ini")
    assert page.get_attribute(".lang-switch button[data-lang='id']", "aria-pressed") == "true"

    # English: the very next load is the English shell page, and the modules speak English.
    _switch(page, "en")
    _settings_heading(page, "This phone's settings")
    assert page.get_attribute(".lang-switch button[data-lang='en']", "aria-pressed") == "true"

    # No network, no server: a reload still comes in English, from the worker's cache.
    context.set_offline(True)
    field_server.stop()
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_function("document.documentElement.lang === 'en'")
    _settings_heading(page, "This phone's settings")

    # Back to Indonesian while offline: that shell page was cached at install too.
    _switch(page, "id")
    _settings_heading(page, "Pengaturan HP ini")
    _switch(page, "en")
    context.close()

    # A browser restart, still offline: the choice is kept on the device.
    context = launch_phone(playwright, profile)
    context.set_offline(True)
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{base}/app#/settings")
    page.wait_for_function("document.documentElement.lang === 'en'", timeout=15000)
    _settings_heading(page, "This phone's settings")
    assert page.evaluate("localStorage.getItem('jemput-lang')") == "en"
    context.close()
