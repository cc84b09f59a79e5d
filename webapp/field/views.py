"""Officer pages: home with the team's visits, and the field PWA (shell, manifest, worker)."""
import json

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_babel import force_locale, get_locale
from flask_babel import gettext as _
from flask_login import current_user

from webapp.auth.decorators import roles_required
from webapp.extensions import csrf, limiter
from webapp.field import shell
from webapp.visits.access import visible_visits

bp = Blueprint("field", __name__, url_prefix="/petugas")
# The PWA lives at the root: its service worker must control every page of the app.
pwa_bp = Blueprint("pwa", __name__)
THEME = "#0b5d3b"


@bp.route("/")
@roles_required("officer")
def home():
    return render_template("field/home.html", visits=visible_visits(current_user))


@pwa_bp.record_once
def _version_at_start(state):
    # Computed once at app start; tests may override SHELL_VERSION to simulate a release.
    state.app.config.setdefault("SHELL_VERSION", shell.compute_version())
    # How often an open app asks whether a new version is out (static/pwa/swclient.js).
    state.app.config.setdefault("SHELL_UPDATE_SECONDS", 30 * 60)


def _shell_page(template):
    """A user-data-free shell page; the worker stores it only if the version matches.
    `?lang=id|en` renders it in that language (the service worker caches one per language)."""
    lang = request.args.get("lang")
    with force_locale(lang if lang in current_app.config["LANGUAGES"] else str(get_locale())):
        body = render_template(template, shell_version=current_app.config["SHELL_VERSION"], theme=THEME)
    response = Response(body)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["X-Shell-Version"] = current_app.config["SHELL_VERSION"]
    return response


@pwa_bp.route("/app")
@limiter.exempt
def app_shell():
    """The field officers' app (all data comes from the JSON API and IndexedDB)."""
    return _shell_page("field/app.html")


@pwa_bp.route("/app/antrean")
@limiter.exempt
def queue_display():
    """The queue display for a laptop or TV."""
    return _shell_page("field/antrean.html")


@pwa_bp.route("/app/offline")
@limiter.exempt
def offline():
    """What the service worker shows for a page it has not cached while offline."""
    return _shell_page("field/offline.html")


@pwa_bp.route("/sw.js")
@csrf.exempt
@limiter.exempt
def service_worker():
    """The service worker at root scope, with the shell version and URL list injected.
    `/sw.js?v=<version>` is what the app registers (docs/pwa.md#caching-and-updates)."""
    version = current_app.config["SHELL_VERSION"]
    prefix = shell.static_prefix(version, current_app.config.get("STATIC_HASHED", True))
    source = (shell.STATIC / "pwa" / "sw.js").read_text(encoding="utf-8")
    source = source.replace('"__SHELL_VERSION__"', json.dumps(version))
    source = source.replace('"__STATIC_PREFIX__"', json.dumps(prefix))
    source = source.replace('["__SHELL_URLS__"]', json.dumps(shell.shell_urls(prefix)))
    source = source.replace('["__LATER_URLS__"]', json.dumps(shell.later_urls(prefix)))
    response = Response(source, mimetype="text/javascript")
    if request.args.get("v") == version:
        # The browser checks its worker after every navigation: answered from its HTTP cache (the
        # app registers with updateViaCache "all"), a repeat load asks the server nothing. Browsers
        # cap this at a day; the app's own timer finds a new version sooner.
        response.headers["Cache-Control"] = "max-age=86400"
    else:
        # Another version's URL, or the bare URL the app's update check asks: always the newest.
        response.headers["Cache-Control"] = "no-cache, no-store, must-revalidate"
    response.headers["X-Shell-Version"] = version
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@pwa_bp.route("/manifest.webmanifest")
@limiter.exempt
def manifest():
    """The web app manifest (installable: name, icons 192/512 and maskable, standalone)."""
    icon = lambda name: url_for("static", filename=f"pwa/icons/{name}")  # noqa: E731
    data = {
        "id": "/app",
        "name": _("Jemput Petugas"),
        "short_name": "Jemput",
        "description": _("Perekaman KTP-el jemput bola di sekolah, bisa luring."),
        "lang": "id",
        "start_url": "/app",
        "scope": "/",
        "display": "standalone",
        "orientation": "portrait",
        "theme_color": THEME,
        "background_color": "#f5f7f6",
        "icons": [
            {"src": icon("icon-192.png"), "sizes": "192x192", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-512.png"), "sizes": "512x512", "type": "image/png", "purpose": "any"},
            {"src": icon("icon-maskable-512.png"), "sizes": "512x512", "type": "image/png",
             "purpose": "maskable"},
        ],
    }
    response = Response(json.dumps(data, ensure_ascii=False), mimetype="application/manifest+json")
    response.headers["Cache-Control"] = "no-cache"
    return response
