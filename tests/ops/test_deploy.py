"""The deploy/ files work: nginx -t on the shipped config, then a real request through nginx (TLS, gzip,
proxy headers, static files) to gunicorn; the cron wrapper runs flask commands with the env file."""
import datetime
import gzip
import http.client
import os
import re
import shutil
import socket
import ssl
import subprocess
import sys
import time
from pathlib import Path

import pytest
from components import require
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _need_nginx():
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)
    require(nginx, "nginx (apt-get install nginx-light)")
    return nginx


def _certificate(folder):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "jemput.example.go.id")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
            .not_valid_after(now + datetime.timedelta(days=2)).sign(key, hashes.SHA256()))
    (folder / "fullchain.pem").write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    (folder / "privkey.pem").write_bytes(key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))


def nginx_config(tmp, http_port, https_port, app_port):
    """The shipped site config with this machine's ports and paths, inside a minimal nginx.conf."""
    site = (DEPLOY / "nginx" / "jemput.conf").read_text()
    for ipv6 in ("    listen [::]:80;\n", "    listen [::]:443 ssl http2;\n"):
        assert ipv6 in site
        site = site.replace(ipv6, "")
    site = (site.replace("listen 80;", f"listen 127.0.0.1:{http_port};")
            .replace("listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
            .replace("/etc/ssl/jemput/", f"{tmp}/").replace("/srv/jemput/", f"{ROOT}/")
            .replace("/var/www/letsencrypt", str(tmp)).replace("127.0.0.1:8000", f"127.0.0.1:{app_port}"))
    (tmp / "jemput.conf").write_text(site)
    user = "user root;\n" if os.geteuid() == 0 else ""
    temps = "".join(f"{kind}_temp_path {tmp}/{kind};\n" for kind in ("client_body", "proxy", "fastcgi",
                                                                      "uwsgi", "scgi"))
    (tmp / "nginx.conf").write_text(
        f"{user}worker_processes 1;\npid {tmp}/nginx.pid;\nerror_log {tmp}/error.log;\n"
        f"events {{ worker_connections 64; }}\n"
        f"http {{\ninclude /etc/nginx/mime.types;\naccess_log {tmp}/access.log;\n{temps}"
        f"include {tmp}/jemput.conf;\n}}\n")
    return tmp / "nginx.conf"


def _wait(port, proc, deadline=60):
    end = time.monotonic() + deadline
    while time.monotonic() < end:
        assert proc.poll() is None, f"process on {port} exited"
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.1)  # polling a condition
    pytest.fail(f"nothing listens on {port}")


@pytest.fixture
def behind_nginx(ctx, database_url, tmp_path):
    """gunicorn behind the shipped nginx config; yields (https port, http port)."""
    binary = _need_nginx()
    _certificate(tmp_path)
    http_port, https_port, app_port = _free_port(), _free_port(), _free_port()
    conf = nginx_config(tmp_path, http_port, https_port, app_port)
    checked = subprocess.run([binary, "-t", "-p", str(tmp_path), "-c", str(conf)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": "test-secret", "TRUSTED_PROXIES": "1"}
    app = subprocess.Popen([sys.executable, "-m", "gunicorn", "-w", "1", "-b", f"127.0.0.1:{app_port}", "wsgi:app"],
                           cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    proxy = subprocess.Popen([binary, "-p", str(tmp_path), "-c", str(conf), "-g", "daemon off;"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(app_port, app)
        _wait(https_port, proxy)
        yield https_port, http_port
    finally:
        for proc in (proxy, app):
            proc.terminate()
            proc.wait(timeout=20)


def _get(port, path, tls=True, **headers):
    context = ssl._create_unverified_context()  # the test's own self-signed certificate
    conn = (http.client.HTTPSConnection("127.0.0.1", port, context=context) if tls
            else http.client.HTTPConnection("127.0.0.1", port))
    conn.request("GET", path, headers={"Host": "jemput.example.go.id", **headers})
    response = conn.getresponse()
    body = response.read()
    conn.close()
    return response, body


def test_through_nginx_tls_gzip_proxy_headers_and_static(behind_nginx):
    https_port, http_port = behind_nginx
    redirect, _ = _get(http_port, "/login", tls=False)
    assert redirect.status == 301 and redirect.getheader("Location") == "https://jemput.example.go.id/login"

    response, body = _get(https_port, "/api/v1/openapi.json", **{"Accept-Encoding": "gzip"})
    assert response.status == 200 and response.getheader("Content-Encoding") == "gzip"
    assert gzip.decompress(body).startswith(b"{")
    # nginx's $request_id, kept by the app; replaced by a UUID in the ~1 in 100 that hold a
    # 16-digit run (a request id must never look like a NIK: webapp/ops/logs.py).
    assert len(response.getheader("X-Request-ID")) in (32, 36)
    assert response.getheader("X-Frame-Options") == "DENY"

    page, _body = _get(https_port, "/login")
    assert page.status == 200 and page.getheader("Referrer-Policy") == "same-origin"
    assert "frame-ancestors 'none'" in page.getheader("Content-Security-Policy")

    static, body = _get(https_port, "/static/css/app.css", **{"Accept-Encoding": "gzip"})
    assert static.status == 200 and static.getheader("Content-Encoding") == "gzip"
    assert static.getheader("X-Content-Type-Options") == "nosniff"
    assert static.getheader("Cache-Control") == "public, no-cache" and static.getheader("ETag")

    # The hashed URLs the pages carry: nginx serves them from disk for a year, compressed; the
    # decoder worker's policy lets its WebAssembly compile.
    hashed = re.findall(r'href="(/static/v/[^"]+/css/app\.css)"', _body.decode())
    assert hashed, "the login page links a hashed stylesheet"
    static, body = _get(https_port, hashed[0], **{"Accept-Encoding": "gzip"})
    assert static.status == 200 and static.getheader("Content-Encoding") == "gzip"
    assert static.getheader("Cache-Control") == "public, max-age=31536000, immutable"
    assert gzip.decompress(body) == (ROOT / "webapp" / "static" / "css" / "app.css").read_bytes()
    wasm_url = hashed[0].replace("css/app.css", "vendor/zxing-wasm/zxing_reader.wasm")
    wasm, body = _get(https_port, wasm_url, **{"Accept-Encoding": "gzip"})
    assert wasm.status == 200 and wasm.getheader("Content-Type") == "application/wasm"
    assert wasm.getheader("Content-Encoding") == "gzip" and gzip.decompress(body)[:4] == b"\0asm"
    assert "'wasm-unsafe-eval'" in wasm.getheader("Content-Security-Policy")


def test_cli_wrapper_runs_flask_with_the_env_file(tmp_path):
    env_file = tmp_path / "jemput.env"
    env_file.write_text(
        f"JEMPUT_ENV=production\nSECRET_KEY={'k' * 64}\nDATABASE_URL=sqlite:///{tmp_path}/j.db\n"
        "PUBLIC_URL=https://jemput.example.go.id\nTRUSTED_PROXIES=1\nRATELIMIT_STORAGE_URI=redis://127.0.0.1:6379/0\n")
    env = {"PATH": os.environ["PATH"], "JEMPUT_HOME": str(ROOT), "JEMPUT_ENV_FILE": str(env_file)}
    done = subprocess.run([str(DEPLOY / "jemput-cli"), "check-production"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    env_file.write_text(env_file.read_text().replace("https://", "http://"))
    done = subprocess.run([str(DEPLOY / "jemput-cli"), "check-production"], env=env, capture_output=True,
                          text=True)
    assert done.returncode == 1 and "PUBLIC_URL" in done.stdout


def test_cron_and_units_name_commands_that_exist(app):
    commands = set(app.cli.list_commands(None))
    cron = (DEPLOY / "cron" / "jemput").read_text()
    used = [line.split("jemput-cli ")[1].split()[0] for line in cron.splitlines() if "jemput-cli " in line]
    assert used == ["purge-expired", "backup"] and set(used) <= commands
    unit = (DEPLOY / "systemd" / "jemput.service").read_text()
    assert "flask --app wsgi check-production" in unit and "gunicorn" in unit and "wsgi:app" in unit
    worker = (DEPLOY / "systemd" / "jemput-worker.service").read_text()
    assert "huey_consumer webapp.jobs.huey" in worker
