"""Static files under content-hashed URLs with a year's cache (docs/pwa.md#caching-and-updates).

`url_for('static', filename=F)` gives `/static/v/<hash>/F`. The hash of a file of the PWA shell is
the shell version (webapp/field/shell.py), so every shell file shares one prefix and the ES
modules' relative imports ("./i18n.js", "../vendor/idb/index.js") stay inside it; any other file
has a hash of its own bytes. Such a URL is answered with `Cache-Control: public, max-age=31536000,
immutable` only while the hash is the file's current one; an outdated hash (a page from before a
release) or a plain `/static/F` still gets the file, revalidated on every use (`no-cache`).
"""
import hashlib
from pathlib import Path

from flask import current_app

from webapp.field import shell

IMMUTABLE = "public, max-age=31536000, immutable"
PREFIX = "v/"  # /static/v/<hash>/<path>: no real static folder is named "v"


class FileDigests:
    """Short sha256 of static files, recomputed only when a file's size or mtime changes."""

    def __init__(self, root):
        self.root = Path(root)
        self.known = {}

    def __call__(self, filename):
        path = self.root / filename
        try:
            stat = path.stat()
        except OSError:
            return "0"  # a missing file: the URL still builds, the request answers 404
        key = (stat.st_mtime_ns, stat.st_size)
        cached = self.known.get(filename)
        if cached is None or cached[0] != key:
            cached = (key, hashlib.sha256(path.read_bytes()).hexdigest()[:12])
            self.known[filename] = cached
        return cached[1]


def install(app):
    """Hash every static URL the app builds and serve hashed URLs with a year's cache."""
    if not app.config.get("STATIC_HASHED", True):
        return
    digests = FileDigests(app.static_folder)
    shell_files = frozenset(shell.static_files())

    def digest_of(filename):
        if filename in shell_files:
            return current_app.config["SHELL_VERSION"]
        return digests(filename)

    @app.url_defaults
    def hashed_static(endpoint, values):
        # url_for('static') everywhere (templates, manifest) gets the hashed form; the static rule's
        # <path:filename> takes the prefix as it is, so no template changes.
        filename = values.get("filename") if endpoint == "static" else None
        if filename and not filename.startswith(PREFIX):
            values["filename"] = f"{PREFIX}{digest_of(filename)}/{filename}"

    def static_hashed(digest, filename):
        """A static file under a hashed URL: immutable if the hash is the file's current one."""
        response = app.send_static_file(filename)
        fresh = digest == digest_of(filename) and not app.debug  # debug: files change under a running app
        response.headers["Cache-Control"] = IMMUTABLE if fresh else "no-cache"
        if fresh:
            # Validators an immutable copy never uses (its URL changes with its bytes), ranges and
            # a file name the URL already says: ~200 bytes on each of the shell's ~45 files.
            for name in ("ETag", "Last-Modified", "Accept-Ranges", "Content-Disposition"):
                response.headers.pop(name, None)
        return response

    app.add_url_rule(f"{app.static_url_path}/{PREFIX}<digest>/<path:filename>", "static_hashed", static_hashed)

