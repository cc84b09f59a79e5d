"""Bytes and requests of the field app's shell (/app) in headless Chromium, first and repeat load.

Issue 15's targets: a first load (fresh profile) <= 150 KB on the wire, a repeat load (the same
profile after a browser restart, the service worker active) 0 requests reaching the server.
Each configuration runs on a real gunicorn (2 workers, as deployed) behind a byte-counting TCP
relay: bytes are what crossed the socket towards the browser (headers included, the service
worker's own downloads included), requests are gunicorn's access-log lines. In the same run, the
baselines: `main` before this change (git archive of the main branch: unhashed static files, the
worker downloading the shell again with cache "reload") with and without compression.
`python -m bench shell` (JEMPUT_BENCH_RUNS=5 by default; median of the runs).
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-quic", "--disable-dev-shm-usage"]
PORT = int(os.environ.get("JEMPUT_BENCH_PORT", "5150"))  # this bench's ports: PORT .. PORT+5
RUNS = int(os.environ.get("JEMPUT_BENCH_RUNS", "5"))
FIRST_TARGET = 150 * 1024
NO_COMPRESS = '{"COMPRESS_REGISTER": False}'


class Relay:
    """A TCP relay on `port` to `upstream`: the bytes sent back to the client, and the request lines
    that went to the server (also used by tests/field/test_pwa_caching.py)."""

    REQUEST_LINE = re.compile(rb"(?:^|\r\n)((?:GET|HEAD|POST|PUT|PATCH|DELETE) \S+) HTTP/1\.1\r\n")

    def __init__(self, port, upstream):
        self.upstream = upstream
        self.bytes = 0
        self.requests = []
        self.lock = threading.Lock()
        self.sock = socket.create_server(("127.0.0.1", port))  # port 0: any free port
        self.port = self.sock.getsockname()[1]
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self):
        while True:
            try:
                client, _ = self.sock.accept()
            except OSError:
                return
            server = socket.create_connection(("127.0.0.1", self.upstream))
            threading.Thread(target=self._pipe, args=(client, server, False), daemon=True).start()
            threading.Thread(target=self._pipe, args=(server, client, True), daemon=True).start()

    def _pipe(self, src, dst, answers):
        try:
            while data := src.recv(65536):
                with self.lock:
                    if answers:
                        self.bytes += len(data)
                    else:  # a GET has no body: its request line starts a read, or follows one
                        self.requests += [m.decode() for m in self.REQUEST_LINE.findall(data)]
                dst.sendall(data)
        except OSError:
            pass
        finally:
            for s in (src, dst):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def take(self):
        """(bytes sent to the client, request lines) since the last take."""
        with self.lock:
            taken = (self.bytes, self.requests)
            self.bytes, self.requests = 0, []
        return taken

    def close(self):
        self.sock.close()


class Server:
    """gunicorn (2 workers) serving `app_spec` from `chdir`, its access log counted, behind a Relay."""

    def __init__(self, chdir, app_spec, port, workdir):
        self.log = Path(workdir) / f"access-{port}.log"
        env = {**os.environ, "SECRET_KEY": "bench-shell", "DATABASE_URL": f"sqlite:///{workdir}/db-{port}.sqlite",
               "LOG_LEVEL": "WARNING", "PYTHONPATH": str(chdir)}
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--chdir", str(chdir), "-w", "2", "--threads", "4",
             "-b", f"127.0.0.1:{port + 1}", "--access-logfile", str(self.log),
             "--access-logformat", os.environ.get("JEMPUT_BENCH_LOGFMT", "%(m)s %(U)s%(q)s %(s)s %(B)s"), app_spec],
            env=env, cwd=str(chdir), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)  # cwd: `-m` imports from it
        self._wait(port + 1)
        self.relay = Relay(port, port + 1)
        self.url = f"http://127.0.0.1:{port}"
        self.seen = 0

    def _wait(self, port):
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start on {port}")

    def take(self):
        """(bytes sent to the browser, request lines) since the last take."""
        time.sleep(0.3)  # gunicorn writes its access log after the answer
        lines = self.log.read_text().splitlines() if self.log.exists() else []
        new, self.seen = lines[self.seen:], len(lines)
        return self.relay.take()[0], new

    def stop(self):
        self.relay.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # a worker stuck on a browser's open connection
            self.proc.kill()
            self.proc.wait(timeout=10)


# Evaluated, not wait_for_function: that polls through eval(), which the app's CSP forbids.
SW_IDLE_JS = """async () => { const r = await navigator.serviceWorker.getRegistration();
    return Boolean(navigator.serviceWorker.controller && r && r.active && r.active.state === 'activated'
                   && !r.installing && !r.waiting); }"""


def _until(page, script, limit=30):
    deadline = time.monotonic() + limit
    while not page.evaluate(script):
        if time.monotonic() > deadline:
            raise RuntimeError(f"not true within {limit} s: {script}")
        time.sleep(0.2)


def load_twice(playwright, server, profile):
    """(first load bytes, requests), (repeat load bytes, requests) of /app on a fresh profile."""
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=ARGS, service_workers="allow")
    page = context.pages[0] if context.pages else context.new_page()
    server.take()
    page.goto(f"{server.url}/app", timeout=120000)  # 2 shared cores: a loaded machine is slow
    _until(page, SW_IDLE_JS, limit=120)
    time.sleep(2)  # anything the page or its worker asks after the install counts too
    first = server.take()
    context.close()
    # The repeat load: the phone's browser opened again on the same profile.
    context = playwright.chromium.launch_persistent_context(
        str(profile), executable_path=CHROMIUM, args=ARGS, service_workers="allow")
    page = context.pages[0] if context.pages else context.new_page()
    page.goto(f"{server.url}/app", timeout=120000)
    page.wait_for_selector("input[name=username]", timeout=120000)
    time.sleep(3)  # anything the page or its worker asks after the load counts too
    repeat = server.take()
    context.close()
    return first, repeat


def main_tree(workdir):
    """The main branch's files (before this change), extracted into workdir/main."""
    target = Path(workdir) / "main"
    blob = subprocess.run(["git", "-C", str(ROOT), "archive", "main", "webapp", "wsgi.py"],
                          check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(blob)) as tar:
        tar.extractall(target, filter="data")
    # Compiled catalogues are not in git: the built ones of this tree serve the same strings.
    for mo in (ROOT / "webapp" / "translations").glob("*/LC_MESSAGES/messages.mo"):
        dest = target / mo.relative_to(ROOT)
        if not dest.exists():
            shutil.copy(mo, dest)
    return target


def measure(playwright, name, chdir, spec, port, workdir):
    server = Server(chdir, spec, port, workdir)
    try:
        runs = [load_twice(playwright, server, Path(workdir) / f"{name}-{i}") for i in range(RUNS)]
    finally:
        server.stop()
    first_bytes = statistics.median(r[0][0] for r in runs)
    first_reqs = statistics.median(len(r[0][1]) for r in runs)
    again_bytes = statistics.median(r[1][0] for r in runs)
    again_reqs = statistics.median(len(r[1][1]) for r in runs)
    print(f"{name:34} first load {first_bytes:>9,.0f} B in {first_reqs:>3.0f} requests "
          f"({first_bytes / FIRST_TARGET:.2f}x the 150 KB target) | repeat load {again_reqs:.0f} requests "
          f"reach the server, {again_bytes:,.0f} B")
    return runs


def main():
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as workdir, sync_playwright() as p:
        print(f"median of {RUNS} runs; gunicorn 2 workers on loopback; Chromium, fresh profile, then a restart")
        old = main_tree(workdir)
        base = measure(p, "main, nothing compressed", old, f"webapp.app:create_app({NO_COMPRESS})", PORT, workdir)
        measure(p, "main, compressed", old, "wsgi:app", PORT + 2, workdir)
        new = measure(p, "this tree (hashed, compressed)", ROOT, "wsgi:app", PORT + 4, workdir)
        if os.environ.get("JEMPUT_BENCH_VERBOSE"):
            for label, runs in (("main, nothing compressed", base), ("this tree", new)):
                print(f"-- {label}: first load requests"), print("\n".join(runs[0][0][1]))
                print(f"-- {label}: repeat load requests"), print("\n".join(runs[0][1][1]) or "(none)")


if __name__ == "__main__":
    main()
