"""Static files under content-hashed URLs with a year's cache; plain URLs still work, revalidated."""
import re

import pytest

from webapp.app import create_app
from webapp.field import shell
from webapp.ops.assets import IMMUTABLE

HASHED = re.compile(r'(?:href|src)="(/static/v/[0-9a-z-]+/[^"]+)"')


def _static_urls(body):
    return HASHED.findall(body), re.findall(r'(?:href|src)="(/static/(?!v/)[^"]+)"', body)


@pytest.mark.parametrize("path", ["/login", "/app", "/app/antrean", "/app/offline"])
def test_pages_link_only_hashed_static_urls(client, path):
    response = client.get(path)
    assert response.status_code == 200
    hashed, plain = _static_urls(response.get_data(as_text=True))
    assert hashed and plain == []
    for url in hashed:
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert answer.headers["Cache-Control"] == IMMUTABLE, url


def test_shell_files_share_the_shell_version_prefix(client):
    version = client.application.config["SHELL_VERSION"]
    body = client.get("/app").get_data(as_text=True)
    assert f'src="/static/v/{version}/pwa/app.js"' in body
    # The modules import each other relatively ("./i18n.js", "../vendor/idb/index.js"): those
    # resolve under the same prefix, which answers immutable for every shell file.
    for name in ("pwa/i18n.js", "vendor/idb/index.js", "pwa/qr-worker.js", "vendor/zxing-wasm/zxing_reader.wasm"):
        assert client.get(f"/static/v/{version}/{name}").headers["Cache-Control"] == IMMUTABLE


def test_other_files_carry_a_hash_of_their_own_bytes(client, app):
    with app.test_request_context():
        from flask import url_for

        url = url_for("static", filename="css/prereg.css")
    digest = url.split("/")[3]
    assert url == f"/static/v/{digest}/css/prereg.css" and digest != app.config["SHELL_VERSION"]
    assert "css/prereg.css" not in shell.static_files()
    assert client.get(url).headers["Cache-Control"] == IMMUTABLE


def test_plain_and_outdated_urls_still_load_but_are_revalidated(client):
    for url in ("/static/pwa/app.js", "/static/v/0123456789ab/pwa/app.js", "/static/css/prereg.css"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        assert "immutable" not in answer.headers["Cache-Control"] and "no-cache" in answer.headers["Cache-Control"]
    assert client.get("/static/v/0123456789ab/pwa/missing.js").status_code == 404


def test_manifest_icons_are_hashed(client):
    version = client.application.config["SHELL_VERSION"]
    icons = client.get("/manifest.webmanifest").get_json(force=True)["icons"]
    assert {i["src"] for i in icons} == {f"/static/v/{version}/pwa/icons/{n}" for n in
                                         ("icon-192.png", "icon-512.png", "icon-maskable-512.png")}


def test_hashed_static_is_compressed_wasm_too(client):
    version = client.application.config["SHELL_VERSION"]
    wasm = client.get(f"/static/v/{version}/vendor/zxing-wasm/zxing_reader.wasm", headers={"Accept-Encoding": "br"})
    assert wasm.headers["Content-Encoding"] == "br" and wasm.mimetype == "application/wasm"
    assert len(wasm.get_data()) < 0.5 * (shell.STATIC / "vendor/zxing-wasm/zxing_reader.wasm").stat().st_size


def test_hashing_can_be_turned_off(database_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": database_url, "SECRET_KEY": "test-secret", "STATIC_HASHED": False})
    with app.test_request_context():
        from flask import url_for

        assert url_for("static", filename="pwa/app.js") == "/static/pwa/app.js"
    text = app.test_client().get("/sw.js").get_data(as_text=True)
    assert 'const STATIC = "/static/";' in text and '"/static/pwa/app.js"' in text
