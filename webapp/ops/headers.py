"""Security headers on every answer, pages and API alike: one small after_request (docs/deploy.md#headers).

No inline script or style anywhere (templates load files from /static), so the CSP needs no nonce
and no 'unsafe-inline'. The camera is allowed to the app's own origin only: the PWA scans QR codes.
"""
from flask import request

# Pages and the PWA: everything from our own origin; data:/blob: images for QR codes and previews.
PAGE_CSP = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data: blob:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "media-src": "'self' blob:",
    "worker-src": "'self'",
    "manifest-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Static files (scripts, styles, images, .wasm) are never a document either: a policy there governs
# only a worker script (the QR decoder's), which loads from our origin and compiles zxing's
# WebAssembly: 'wasm-unsafe-eval' allows that and no JavaScript eval (without it the decoder fell
# back to jsQR under the production policy). ~270 bytes less than the page policy on each of the
# app shell's ~50 files; nginx sends the same for the files it serves (deploy/nginx/jemput.conf).
STATIC_CSP = {"default-src": "'self'", "script-src": "'self' 'wasm-unsafe-eval'", "style-src": "'self'",
              "frame-ancestors": "'none'"}
STATIC_ENDPOINTS = {"static", "static_hashed"}
# JSON answers are never a document: nothing may load from them, nothing may frame them.
API_CSP = {"default-src": "'none'", "frame-ancestors": "'none'"}

PERMISSIONS_POLICY = ", ".join([
    "camera=(self)", "screen-wake-lock=(self)", "microphone=()", "geolocation=()", "payment=()",
    "usb=()", "serial=()", "hid=()", "display-capture=()",
])
HSTS = "max-age=31536000; includeSubDomains"


def csp_header(policy, upgrade=False):
    """The Content-Security-Policy header text of a directive -> sources mapping."""
    parts = [f"{name} {sources}" for name, sources in policy.items()]
    if upgrade:
        parts.append("upgrade-insecure-requests")
    return "; ".join(parts)


def install(app):
    """Add the headers to every response; HSTS and Secure cookies in production."""
    production = app.config.get("ENV_NAME") == "production"
    if production:
        app.config.update(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    app.config.setdefault("REMEMBER_COOKIE_HTTPONLY", True)
    app.config.setdefault("REMEMBER_COOKIE_SAMESITE", "Lax")
    policy = dict(PAGE_CSP)
    # Only the browser tests set this (never the environment): Playwright's wait_for_function polls
    # through eval(). Every other directive stays as in production.
    if app.config.get("CSP_SCRIPT_SRC_EXTRA"):
        policy["script-src"] += " " + app.config["CSP_SCRIPT_SRC_EXTRA"]
    page_csp = csp_header(policy, upgrade=production)
    api_csp = csp_header(API_CSP)
    static_csp = csp_header(STATIC_CSP)

    @app.after_request
    def security_headers(response):
        headers = response.headers
        api = request.path.startswith("/api/")
        static = request.endpoint in STATIC_ENDPOINTS
        headers.setdefault("Content-Security-Policy", api_csp if api else static_csp if static else page_csp)
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        # A view may be stricter (the pre-registration pages: no-referrer, the token is in the URL).
        headers.setdefault("Referrer-Policy", "same-origin")
        if not static:
            # Document-only headers: a script, style or image is never a browsing context, so on
            # the shell's ~50 files they were ~190 bytes each for nothing (the 150 KB first load);
            # nginx sends the same set for the files it serves (deploy/nginx/jemput.conf).
            headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
            headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        if production:  # browsers ignore it over plain HTTP, so it is safe to send always
            headers["Strict-Transport-Security"] = HSTS
        return response
