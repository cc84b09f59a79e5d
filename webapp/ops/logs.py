"""Structured logs: one JSON line per request (request id, user, device, status, duration), never a NIK.

The path is logged as its route (/daftar/<token>, not the token); the query string and bodies never.
A filter masks any 16-digit run in every record of the `jemput` loggers all the same (defence in depth).
See docs/deploy.md#logs.
"""
import json
import logging
import re
import sys
import time
import uuid

from flask import g, got_request_exception, request

LOGGER = "jemput"
NIK_LIKE = re.compile(r"(?<!\d)\d{16}(?!\d)")
REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


def mask(text):
    """Replace every 16-digit run (a NIK or a KK) by a placeholder."""
    return NIK_LIKE.sub("[16 digit]", text)


class JsonFormatter(logging.Formatter):
    """A record as one JSON object: time, level, logger, message, the `fields` given with it, the traceback."""

    def format(self, record):
        line = {"time": self.formatTime(record, "%Y-%m-%dT%H:%M:%S") + f".{int(record.msecs):03d}Z",
                "level": record.levelname.lower(), "logger": record.name, "message": record.getMessage()}
        line.update(getattr(record, "fields", {}))
        if record.exc_info:
            line["error"] = self.formatException(record.exc_info)
        return mask(json.dumps(line, ensure_ascii=False, default=str))


JsonFormatter.converter = time.gmtime


class StderrHandler(logging.StreamHandler):
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    def emit(self, record):
        self.stream = sys.stderr
        super().emit(record)


def configure(level="INFO"):
    """Send the `jemput` loggers to stderr (gunicorn and systemd's journal keep it) as JSON lines."""
    logger = logging.getLogger(LOGGER)
    if not any(getattr(h, "jemput", False) for h in logger.handlers):
        handler = StderrHandler()
        handler.jemput = True
        handler.setFormatter(JsonFormatter())
        logger.addHandler(handler)
    logger.setLevel(level)
    logger.propagate = False
    return logger


def _user():
    """Who made the request, without loading anyone just for the log."""
    api_user = g.get("api_user")
    if api_user is not None:
        return api_user.username
    page_user = g.get("_login_user")  # flask-login's cache: set only if the view looked
    return page_user.username if getattr(page_user, "is_authenticated", False) else None


def install(app):
    """Give each request an id (X-Request-ID from nginx, or a new one) and log it once it is answered."""
    configure(app.config.get("LOG_LEVEL", "INFO"))
    access = logging.getLogger(f"{LOGGER}.request")
    errors = logging.getLogger(f"{LOGGER}.error")

    @app.before_request
    def start():
        given = request.headers.get("X-Request-ID", "")
        # An id is logged as it is, so it must never look like a NIK: one with a 16-digit run (1 in
        # ~100 of nginx's hex ids) would be masked in the log and lose its trace, or carry a NIK in.
        # A new id has dashes, so its longest digit run is 12.
        usable = REQUEST_ID.match(given) and not NIK_LIKE.search(given)
        g.request_id = given if usable else str(uuid.uuid4())
        g.started = time.perf_counter()

    @app.after_request
    def log_request(response):
        started = g.get("started")
        rule = request.url_rule.rule if request.url_rule else "(no route)"
        ids = {k: v for k, v in (request.view_args or {}).items() if isinstance(v, int)}
        device = g.get("device")
        access.info("request", extra={"fields": {
            "request_id": g.get("request_id"), "method": request.method, "route": rule, **ids,
            "status": response.status_code,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
            "user": _user(), "device": device.id if device is not None else None, "ip": request.remote_addr,
            "bytes": response.calculate_content_length()}})
        if g.get("request_id"):
            response.headers["X-Request-ID"] = g.request_id
        return response

    def log_exception(sender, exception, **extra):
        errors.error("unhandled error", exc_info=exception,
                     extra={"fields": {"request_id": g.get("request_id"), "route": str(request.url_rule)}})

    got_request_exception.connect(log_exception, app, weak=False)
