"""The one clock: stored times are naive UTC, dates the office sees are in its time zone."""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from flask import current_app, has_app_context

DEFAULT_ZONE = "Asia/Jakarta"


def utcnow() -> datetime:
    """Now in UTC as a naive datetime: both SQLite and PostgreSQL store it unchanged."""
    return datetime.now(UTC).replace(tzinfo=None)


def office_zone() -> ZoneInfo:
    """The office's time zone (config TIMEZONE; Asia/Jakarta outside an app)."""
    name = current_app.config["BABEL_DEFAULT_TIMEZONE"] if has_app_context() else DEFAULT_ZONE
    return ZoneInfo(name)


def local_today() -> date:
    """Today in the office's time zone (the server runs on UTC)."""
    return datetime.now(office_zone()).date()
