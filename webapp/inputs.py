"""One guard for every request: text with a NUL character is refused before any view runs.

PostgreSQL text cannot hold NUL (U+0000): without this a username "\\u0000" answered 500 on
PostgreSQL and was simply not found on SQLite. Found by schemathesis (tests/sync/test_openapi.py).
"""
from flask import request

from webapp.errors import DomainError

NUL = "\x00"


def _first_nul(value, path=""):
    """The field path of the first string holding NUL in a JSON-like value, else None."""
    if isinstance(value, str):
        return path or "_schema" if NUL in value else None
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for key, sub in items:
        if isinstance(key, str) and NUL in key:
            return f"{path}.{key}" if path else key
        found = _first_nul(sub, f"{path}.{key}" if path else str(key))
        if found:
            return found
    return None


def _may_hold_nul(raw):
    """Whether a JSON body can decode to text with NUL: JSON writes it escaped (a raw control
    character is not JSON), so bytes without `\\u0000` cannot. A byte scan instead of walking a
    1,000-event manifest's every string (docs/benchmarks.md, replay)."""
    return b"\\u0000" in raw or b"\x00" in raw


def refuse_nul():
    """before_request: a NUL in the path, query, form or JSON body is a 422 naming the field."""
    if NUL in request.path:
        raise DomainError("nul_character", "path")
    for source in (request.args, request.form):
        for key, values in source.lists():
            if NUL in key or any(NUL in v for v in values):
                raise DomainError("nul_character", key)
    if request.is_json and _may_hold_nul(request.get_data(cache=True)):
        field = _first_nul(request.get_json(silent=True))
        if field:
            raise DomainError("nul_character", field)


def install(app):
    app.before_request(refuse_nul)
