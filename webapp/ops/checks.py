"""The production check: settings that must not reach a real office (`flask check-production`)."""
from urllib.parse import urlsplit

KNOWN_KEYS = {"", "dev", "secret", "changeme", "change-me", "test-secret", "development"}


def check(config):
    """(errors, warnings) about `config`: any error means the server must not start in production."""
    errors, warnings = [], []
    if config.get("ENV_NAME") != "production":
        errors.append("JEMPUT_ENV is not 'production'.")
    if config.get("DEBUG") or config.get("TESTING"):
        errors.append("DEBUG or TESTING is on: unset FLASK_DEBUG.")
    key = str(config.get("SECRET_KEY") or "")
    if key.lower() in KNOWN_KEYS or len(key) < 32:
        errors.append("SECRET_KEY is missing, a known value or shorter than 32 characters.")
    public = urlsplit(config.get("PUBLIC_URL") or "")
    if not public.netloc:
        errors.append("PUBLIC_URL is not set (links and verification QR codes need the public address).")
    elif public.scheme != "https":
        errors.append("PUBLIC_URL is not https://: sign-ins and NIKs would cross the network in clear.")
    if not config.get("SESSION_COOKIE_SECURE") or not config.get("REMEMBER_COOKIE_SECURE"):
        errors.append("Session cookies are not Secure.")
    if config.get("CSP_SCRIPT_SRC_EXTRA"):
        errors.append("CSP_SCRIPT_SRC_EXTRA loosens the Content-Security-Policy (browser tests only).")
    if not config.get("RATELIMIT_ENABLED", True):
        errors.append("RATELIMIT_ENABLED is off: nothing slows down password guessing per address.")
    if str(config.get("RATELIMIT_STORAGE_URI", "")).startswith("memory://"):
        warnings.append("RATELIMIT_STORAGE_URI is memory://: each worker counts alone; use redis://.")
    if not config.get("TRUSTED_PROXIES"):
        warnings.append("TRUSTED_PROXIES is 0: behind nginx every client would share the proxy's address.")
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        warnings.append("SQLite: fine for one server; several servers need PostgreSQL.")
    return errors, warnings
