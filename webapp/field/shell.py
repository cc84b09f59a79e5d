"""The PWA's app shell: which URLs the service worker caches, and their version hash."""
import hashlib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent  # webapp/
STATIC = ROOT / "static"
TEMPLATES = ROOT / "templates" / "field"

# Pages of the shell (rendered from templates, user-data-free) and the files behind them.
PAGES = {"/app": "app.html", "/app/antrean": "antrean.html", "/app/offline": "offline.html"}
STATIC_FILES = [
    "css/app.css",
    "css/field.css",
    "vendor/idb/index.js",
    "vendor/jsqr/jsQR.js",
    "vendor/zxing-wasm/zxing-reader.js",
    "vendor/zxing-wasm/zxing_reader.wasm",
    "vendor/uqr/index.js",
    "pwa/icons/icon-192.png",
    "pwa/icons/icon-512.png",
    "pwa/icons/icon-maskable-512.png",
]
# Not pre-cached at install, so a first load stays small (issue 15: <= 150 KB): the QR decoder
# (about 350 KB compressed, most of it the .wasm), the pairing QR writer and the queue display's
# page and modules (none works without a downloaded visit); kept
# when a visit is downloaded for offline work, or taken from the HTTP cache at install (a display
# laptop that loaded them), or kept because the previous version had them. docs/pwa.md.
LATER = [
    "vendor/zxing-wasm/zxing_reader.wasm",
    "vendor/zxing-wasm/zxing-reader.js",
    "vendor/jsqr/jsQR.js",
    "pwa/qr-worker.js",
    "pwa/antrean.js",
    "pwa/tvfeed.js",
    "pwa/displaypair.js",  # the display's camera pairing: only the queue display page imports them
    "pwa/displaylink.js",
    "vendor/uqr/index.js",  # the pairing QR of "Hubungkan HP" (needs a downloaded visit)
]
LATER_PAGES = ["/app/antrean"]
# Every ES module and worker of webapp/static/pwa/ is shell, except the service worker itself.
NOT_SHELL = {"sw.js"}


def pwa_modules():
    """Sorted file names of webapp/static/pwa/*.js that the shell caches."""
    return sorted(p.name for p in (STATIC / "pwa").glob("*.js") if p.name not in NOT_SHELL)


def static_files():
    """Paths relative to webapp/static of every cached static file."""
    return STATIC_FILES + [f"pwa/{name}" for name in pwa_modules()]


LANGS = ("id", "en")  # the shell pages in each language the phone can switch to (static/pwa/lang.js)


def static_prefix(version, hashed=True):
    """Where the shell's static files live: under the version (a year's cache, webapp/ops/assets.py)."""
    return f"/static/v/{version}/" if hashed else "/static/"


def shell_urls(prefix="/static/"):
    """Every URL the service worker pre-caches on install; static files under `prefix`."""
    # Pages only per language: the worker serves the device's language, told by the page at its
    # first load (static/pwa/swclient.js), so a copy without ?lang= would never be used.
    by_lang = [f"{page}?lang={lang}" for page in PAGES for lang in LANGS]
    return by_lang + ["/manifest.webmanifest"] + [prefix + p for p in static_files()]


def later_urls(prefix="/static/"):
    """The shell URLs kept only once the phone prepares for offline work (LATER, LATER_PAGES)."""
    return [f"{page}?lang={lang}" for page in LATER_PAGES for lang in LANGS] + [prefix + p for p in LATER]


def compute_version():
    """A short hash over the shell's source files: any change makes a new service worker."""
    sources = [(f"static/{p}", STATIC / p) for p in static_files()]
    sources += [(f"templates/field/{t}", TEMPLATES / t) for t in [*PAGES.values(), "_pwa_head.html"]]
    sources += [("sw.js", STATIC / "pwa" / "sw.js"), ("shell.py", Path(__file__)),
                ("views.py", ROOT / "field" / "views.py")]
    # Translations change the rendered shell pages too.
    catalogues = sorted((ROOT / "translations").glob("*/LC_MESSAGES/messages.mo"))
    sources += [(str(p.relative_to(ROOT)), p) for p in catalogues]
    digest = hashlib.sha256()
    for label, path in sources:
        digest.update(label.encode())
        digest.update(path.read_bytes() if path.exists() else b"-")
    return digest.hexdigest()[:12]
