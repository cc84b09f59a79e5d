"""Settings read from the environment, with safe development defaults."""
import os
import secrets
from datetime import timedelta
from pathlib import Path


class ConfigError(RuntimeError):
    """Raised when the environment cannot start the app safely."""


def _int(env, name, default):
    raw = env.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def database_url(env, instance_path):
    """DATABASE_URL, normalised for SQLAlchemy; SQLite in instance/ by default."""
    url = env.get("DATABASE_URL") or f"sqlite:///{Path(instance_path) / 'jemput.db'}"
    # Heroku-style and bare postgresql URLs both go through psycopg 3.
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def secret_key(env, instance_path, production):
    """SECRET_KEY from env; in development a key generated once into instance/."""
    key = env.get("SECRET_KEY")
    if key:
        return key
    if production:
        raise ConfigError(
            "SECRET_KEY is not set. In production set SECRET_KEY to a long random value "
            "(for example: python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_hex(32))
        path.chmod(0o600)
    return path.read_text().strip()


def size_pool(config, env=None):
    """PostgreSQL's connection pool: a request holds one connection and may take a second for a
    moment (api_auth.mark_seen), so a worker with many threads, or a test with 20 phones at once,
    outgrows SQLAlchemy's default 5 + 10 and waits 30 s for a connection."""
    env = os.environ if env is None else env
    if not str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("postgresql"):
        return
    options = dict(config.get("SQLALCHEMY_ENGINE_OPTIONS") or {})
    options.setdefault("pool_size", _int(env, "DB_POOL_SIZE", 10))
    options.setdefault("max_overflow", _int(env, "DB_MAX_OVERFLOW", 30))
    config["SQLALCHEMY_ENGINE_OPTIONS"] = options


def load(instance_path, env=None):
    """Build the Flask config dict from the environment."""
    env = os.environ if env is None else env
    production = env.get("JEMPUT_ENV", "development") == "production"
    idle = _int(env, "IDLE_TIMEOUT_MINUTES", 30)
    return {
        "ENV_NAME": "production" if production else "development",
        "SECRET_KEY": secret_key(env, instance_path, production),
        "SQLALCHEMY_DATABASE_URI": database_url(env, instance_path),
        "SQLALCHEMY_ENGINE_OPTIONS": {"pool_pre_ping": True},
        "PORT": _int(env, "PORT", 5000),
        "AGENCY_NAME": env.get(
            "AGENCY_NAME", "Dinas Kependudukan dan Pencatatan Sipil Kota Cilegon"
        ),
        "AGENCY_SHORT": env.get("AGENCY_SHORT", "Disdukcapil Kota Cilegon"),
        # Whom school staff call when their link no longer works (shown on that page).
        "AGENCY_PHONE": env.get("AGENCY_PHONE", ""),
        "CITY_CODE": env.get("CITY_CODE", "3672"),
        "CITY_NAME": env.get("CITY_NAME", "Kota Cilegon"),
        "CITY_TARGET": _int(env, "CITY_TARGET", 335837),
        # Residents already recorded before or outside Jemput (the city's own count, Oct 2024).
        "CITY_RECORDED_BASE": _int(env, "CITY_RECORDED_BASE", 331246),
        "MIN_RECORD_AGE": _int(env, "MIN_RECORD_AGE", 16),
        "SEASON_START_MONTH": _int(env, "SEASON_START_MONTH", 7),  # the school year (dashboard range)
        "MIN_CARD_AGE": _int(env, "MIN_CARD_AGE", 17),
        "RETENTION_DAYS": _int(env, "RETENTION_DAYS", 365),
        # Phones keep a closed visit's roster this long (and until all is synced): late work.
        "CLOSED_VISIT_GRACE_HOURS": _int(env, "CLOSED_VISIT_GRACE_HOURS", 24),
        "PERMANENT_SESSION_LIFETIME": timedelta(minutes=idle),
        "SESSION_REFRESH_EACH_REQUEST": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_DURATION": timedelta(minutes=idle),
        "MAX_CONTENT_LENGTH": _int(env, "MAX_UPLOAD_BYTES", 5 * 1024 * 1024),
        # Pre-registration lists stop changing once the team opens the visit.
        "PREREG_LOCK_ON_OPEN": env.get("PREREG_LOCK_ON_OPEN", "true").strip().lower()
        not in ("0", "false", "no", "off"),
        "SYNC_MAX_EVENTS": _int(env, "SYNC_MAX_EVENTS", 500),
        "SYNC_MAX_BYTES": _int(env, "SYNC_MAX_BYTES", 1024 * 1024),
        # Flask-Compress: zstd, then brotli, then gzip, as the client accepts. Levels chosen by
        # measure on a 500-student roster (docs/benchmarks.md): zstd 15 and br 8 take ~10 ms for
        # 290 KB and land under 40 KB; higher br levels cost 10-50x the time for 5-10% less.
        "COMPRESS_ZSTD_LEVEL": _int(env, "COMPRESS_ZSTD_LEVEL", 15),
        "COMPRESS_BR_LEVEL": _int(env, "COMPRESS_BR_LEVEL", 8),
        "COMPRESS_LEVEL": _int(env, "COMPRESS_LEVEL", 9),
        # Flask-Compress's own list plus WebAssembly (the QR decoder's .wasm: 946 KB, 385 KB as zstd)
        # and CSV; images other than SVG and icons are compressed already.
        "COMPRESS_MIMETYPES": ["text/html", "text/css", "text/plain", "text/csv", "text/xml", "text/javascript",
                               "application/javascript", "application/json", "application/manifest+json",
                               "application/xml", "image/svg+xml", "image/x-icon", "application/wasm"],
        # Job queue (docs/jobs.md): Redis when REDIS_URL is set, else a SQLite file in instance/.
        "REDIS_URL": env.get("REDIS_URL") or None,
        "JOBS_DB": env.get("JOBS_DB") or str(Path(instance_path) / "jobs.db"),
        "JOBS_WORKERS": _int(env, "JOBS_WORKERS", 2),
        # A Dapodik file of more rows is previewed by the worker (docs/jobs.md; 0: always here).
        "IMPORT_JOB_ROWS": _int(env, "IMPORT_JOB_ROWS", 1000),
        "BABEL_DEFAULT_LOCALE": "id",
        "BABEL_DEFAULT_TIMEZONE": env.get("TIMEZONE", "Asia/Jakarta"),
        "LANGUAGES": ["id", "en"],
        # Rate limits (docs/deploy.md#throttling): redis://host:6379/0 so every worker and server
        # shares the counters; memory:// is per process (development only).
        "RATELIMIT_STORAGE_URI": env.get("RATELIMIT_STORAGE_URI", "memory://"),
        "RATELIMIT_ENABLED": env.get("RATELIMIT_ENABLED", "1") != "0",
        "RATELIMIT_KEY_PREFIX": env.get("RATELIMIT_KEY_PREFIX", "jemput"),
        # A moving window: a burst just before a minute boundary does not get a fresh budget after it.
        "RATELIMIT_STRATEGY": env.get("RATELIMIT_STRATEGY", "moving-window"),
        "RATELIMIT_HEADERS_ENABLED": True,
        # Per IP, the second line behind the per-account lock-out (webapp/auth/lockout.py).
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "60 per minute; 600 per hour"),
        "LOCKOUT_THRESHOLD": _int(env, "LOCKOUT_THRESHOLD", 5),
        "LOCKOUT_BASE_SECONDS": _int(env, "LOCKOUT_BASE_SECONDS", 60),
        "LOCKOUT_MAX_SECONDS": _int(env, "LOCKOUT_MAX_SECONDS", 3600),
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO").upper(),
        # How many reverse proxies (nginx: 1) set X-Forwarded-For/-Proto/-Host in front of the app.
        "TRUSTED_PROXIES": _int(env, "TRUSTED_PROXIES", 0),
        # The address people and QR codes use (https://jemput.example.go.id): every absolute link.
        "PUBLIC_URL": env.get("PUBLIC_URL", "").strip().rstrip("/"),
        "WTF_CSRF_TIME_LIMIT": None,
        "API_TITLE": "Jemput API",
        "API_VERSION": "v1",
        "OPENAPI_VERSION": "3.0.3",
        "OPENAPI_URL_PREFIX": "/api/v1",
        "OPENAPI_JSON_PATH": "openapi.json",
    }
