"""The PWA's server side: shell pages, service worker, manifest, icons, shell version."""
import io
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
    assert re.fullmatch(r"[0-9a-f]{12}", version)
    assert f'const VERSION = "{version}";' in text
    urls = re.search(r"const SHELL = (\[.*?\]);", text).group(1)
    assert "__SHELL" not in text and '"/static/pwa/fold.js"' in urls and '"/static/pwa/sw.js"' not in urls
    for url in shell.shell_urls():  # every pre-cached URL must exist, or install would fail
        assert client.get(url).status_code == 200, url


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
