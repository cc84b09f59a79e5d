"""Locale choice: the user's pick, else Indonesian; the API honours Accept-Language."""
from flask import current_app, request, session


def select_locale():
    """Pages: session choice or Indonesian. API: Accept-Language, Indonesian by default."""
    choice = session.get("lang") if request else None
    if choice in current_app.config["LANGUAGES"]:
        return choice
    if request and request.path.startswith("/api/"):
        return request.accept_languages.best_match(["id", "en"], default="id")
    return current_app.config["BABEL_DEFAULT_LOCALE"]
