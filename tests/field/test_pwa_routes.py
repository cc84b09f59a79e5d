"""The PWA's server side: shell pages, service worker, manifest, icons, shell version."""
import io
import json
import re
import shutil

from PIL import Image

from webapp.field import shell


def test_shell_pages_are_user_data_free(world, client, login):
    login("petugas1")
    for path in ("/app", "/app/antrean", "/app/offline"):
        response = client.get(path)
        assert response.status_code == 200
        body = response.get_data(as_text=True)
        assert response.headers["X-Shell-Version"] == client.application.config["SHELL_VERSION"]
        # Cached for everyone by the service worker: no name, no CSRF token, no session data.
        assert "Petugas1" not in body and "petugas1" not in body and "csrf" not in body
        assert 'rel="manifest"' in body and '<html lang="id">' in body


def test_shell_page_language_follows_the_session(client):
    client.post("/lang/en")
    assert '<html lang="en">' in client.get("/app").get_data(as_text=True)


def test_shell_page_in_the_language_asked_for(client):
    # The service worker caches one copy of each shell page per language (static/pwa/lang.js).
    for page in ("/app", "/app/antrean", "/app/offline"):
        assert '<html lang="en">' in client.get(f"{page}?lang=en").get_data(as_text=True)
        assert '<html lang="id">' in client.get(f"{page}?lang=id").get_data(as_text=True)
    assert '<html lang="id">' in client.get("/app?lang=xx").get_data(as_text=True)


def test_service_worker_at_root_with_version_and_shell(client):
    response = client.get("/sw.js")
    assert response.status_code == 200 and response.mimetype == "text/javascript"
    assert "no-cache" in response.headers["Cache-Control"]
    text = response.get_data(as_text=True)
    version = client.application.config["SHELL_VERSION"]
    assert re.fullmatch(r"[0-9a-f]{12}", version) and response.headers["X-Shell-Version"] == version
    assert f'const VERSION = "{version}";' in text and f'const STATIC = "/static/v/{version}/";' in text
    urls = json.loads(re.search(r"const SHELL = (\[.*?\]);", text).group(1))
    later = json.loads(re.search(r"const LATER = (\[.*?\]);", text).group(1))
    assert "__SHELL" not in text and "__LATER" not in text and "__STATIC" not in text
    assert f"/static/v/{version}/pwa/fold.js" in urls and not any(u.endswith("/sw.js") for u in urls)
    assert f"/static/v/{version}/vendor/zxing-wasm/zxing_reader.wasm" in later and set(later) <= set(urls)
    for url in urls:  # every pre-cached URL must exist, or install would fail
        answer = client.get(url)
        assert answer.status_code == 200, url
        if url.startswith("/static/"):
            assert "immutable" in answer.headers["Cache-Control"], url


def test_registered_worker_url_is_cached_for_a_day_only_while_current(client):
    version = client.application.config["SHELL_VERSION"]
    assert client.get(f"/sw.js?v={version}").headers["Cache-Control"] == "max-age=86400"
    # An older version's URL (a phone after a release) always gets the newest worker, uncached.
    old = client.get("/sw.js?v=000000000000")
    assert "no-store" in old.headers["Cache-Control"] and f'const VERSION = "{version}";' in old.get_data(as_text=True)
    # The app's background check asks only for the version.
    assert client.head("/sw.js").headers["X-Shell-Version"] == version


def test_manifest_and_icons(client):
    response = client.get("/manifest.webmanifest")
    assert response.mimetype == "application/manifest+json"
    data = response.get_json(force=True)
    assert data["start_url"] == "/app" and data["display"] == "standalone" and data["scope"] == "/"
    assert data["short_name"] == "Jemput" and data["theme_color"].startswith("#")
    for icon in data["icons"]:
        image = Image.open(io.BytesIO(client.get(icon["src"]).data))
        assert f"{image.width}x{image.height}" == icon["sizes"] and image.format == "PNG"
    assert {i.get("purpose") for i in data["icons"]} == {"any", "maskable"}


def test_shell_version_changes_with_any_shell_file(tmp_path, monkeypatch):
    before = shell.compute_version()
    assert shell.compute_version() == before
    static = tmp_path / "static"
    shutil.copytree(shell.STATIC, static)
    monkeypatch.setattr(shell, "STATIC", static)
    assert shell.compute_version() == before
    (static / "pwa" / "tickets.js").write_text("// changed\n", encoding="utf-8")
    assert shell.compute_version() != before


def test_officer_home_links_to_the_app(world, client, login):
    login("petugas1")
    body = client.get("/petugas/").get_data(as_text=True)
    assert 'href="/app"' in body and 'href="/app/antrean"' in body
