"""The base layout in a real browser at phone width: no sideways scroll, 44 px targets, labels."""
import pytest
from browser_support import need_chromium  # noqa: F401 - the fixtures come from conftest

PHONE = {"width": 360, "height": 640}

CHECK = """() => {
  const small = [], unlabeled = [];
  for (const el of document.querySelectorAll('button, a.button, input:not([type=hidden]), select, nav a')) {
    const r = el.getBoundingClientRect();
    if (r.width === 0) continue;
    if (r.height < 44 && el.type !== 'checkbox') small.push(el.outerHTML.slice(0, 80));
    if (['INPUT', 'SELECT', 'TEXTAREA'].includes(el.tagName) && el.type !== 'checkbox'
        && !(el.labels && el.labels.length) && !el.getAttribute('aria-label')) unlabeled.push(el.name);
  }
  return {scroll: document.documentElement.scrollWidth, small, unlabeled};
}"""


@pytest.mark.browser
@pytest.mark.parametrize("username,path", [(None, "/login"), ("koordinator", "/koordinator"),
                                           ("admin", "/admin/users/new"), ("petugas1", "/petugas/")])
def test_pages_fit_a_phone(demo, live_server, browser, username, path, tmp_path):
    page = browser.new_page(viewport=PHONE, locale="id-ID")
    if username:
        page.goto(live_server.url + "/login")
        page.fill("#username", username)
        page.fill("#password", "demo12345")
        page.click("main button[type=submit]")
    page.goto(live_server.url + path)
    result = page.evaluate(CHECK)
    assert result["scroll"] <= PHONE["width"], result
    assert result["small"] == [] and result["unlabeled"] == []
    assert page.locator("html").get_attribute("lang") == "id"
    page.close()


@pytest.mark.browser
def test_wrong_password_message_in_browser(demo, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(live_server.url + "/login")
    page.fill("#username", "petugas1")
    page.fill("#password", "salah")
    page.click("main button[type=submit]")
    assert page.get_by_role("alert").inner_text() == "Nama pengguna atau kata sandi salah."
    page.close()
