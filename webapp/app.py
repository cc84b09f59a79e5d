"""Application factory (cookiecutter-flask style)."""
from pathlib import Path

from flask import Flask, jsonify, render_template, request
from flask_babel import format_date, format_datetime, get_locale
from werkzeug.routing import IntegerConverter

from webapp import commands, errors, inputs, ops, settings
from webapp.extensions import api, babel, compress, csrf, db, limiter, login_manager, migrate
from webapp.i18n import select_locale


class DbInt(IntegerConverter):
    """`<int:...>` ids fit a database integer: a larger number is simply not found (404)."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**31 - 1)
        super().__init__(map, *args, **kwargs)


def create_app(overrides=None):
    """Create and configure the Flask app; `overrides` win over the environment."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(settings.load(app.instance_path))
    app.config.from_mapping(overrides or {})
    settings.size_pool(app.config)
    app.url_map.converters["int"] = DbInt
    register_extensions(app)
    register_blueprints(app)
    register_errorhandlers(app)
    commands.register(app)
    ops.install(app)

    app.jinja_env.filters["format_date"] = format_date
    app.jinja_env.filters["format_datetime"] = format_datetime

    @app.context_processor
    def inject_globals():
        return {"config": app.config, "current_locale": str(get_locale())}

    return app


def register_extensions(app):
    db.init_app(app)
    migrate.init_app(app, db, render_as_batch=True, directory=str(Path(__file__).parent.parent / "migrations"))
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    compress.init_app(app)
    from webapp.jobs.queue import jobs

    jobs.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    from webapp.errors import ErrorSchema

    api.ERROR_SCHEMA = ErrorSchema  # flask-smorest documents an integer code; ours is a string
    api.init_app(app)

    import webapp.models  # noqa: F401 - registers every table
    from webapp.auth.models import User

    @login_manager.user_loader
    def load_user(user_id):
        user = db.session.get(User, int(user_id))
        return user if user and user.active else None


def register_blueprints(app):
    from webapp.audit.views import bp as audit_bp
    from webapp.auth.views import admin_bp
    from webapp.auth.views import bp as auth_bp
    from webapp.desk.views import bp as desk_bp
    from webapp.field.views import bp as field_bp
    from webapp.field.views import pwa_bp
    from webapp.jobs.views import bp as jobs_bp
    from webapp.main.views import bp as main_bp
    from webapp.prereg.views import bp as prereg_bp
    from webapp.reports.views import bp as reports_bp
    from webapp.schools.views import bp as schools_bp
    from webapp.sync.views import bp as sync_bp
    from webapp.visits.lifecycle_views import bp as lifecycle_bp
    from webapp.visits.views import bp as visits_bp

    for bp in (main_bp, auth_bp, admin_bp, field_bp, pwa_bp, reports_bp, visits_bp, lifecycle_bp,
               schools_bp, prereg_bp, sync_bp, audit_bp, jobs_bp, desk_bp):
        app.register_blueprint(bp)

    from webapp import api as api_plumbing
    from webapp.desk.api import blp as desk_api
    from webapp.jobs.api import blp as jobs_api
    from webapp.main.health import blp as health_api
    from webapp.prereg.api import blp as prereg_api
    from webapp.reports.api import blp as reports_api
    from webapp.schools.api import blp as schools_api
    from webapp.sync.api import blp as sync_api
    from webapp.sync.display_api import blp as display_api
    from webapp.visits.api import blp as visits_api

    api_plumbing.register(app, health_api, sync_api, reports_api, visits_api, schools_api,
                          prereg_api, display_api, jobs_api, desk_api)
    api_plumbing.install_error_handler(app)


def register_errorhandlers(app):
    def handler(error):
        status = getattr(error, "code", 500) or 500
        if request.path.startswith("/api/"):
            code = errors.HTTP_CODES.get(status, "server_error")
            return jsonify({"code": code, "message": errors.message_of(code)}), status
        return render_template("error.html", code=status, error=error), status

    errors.install(app)
    inputs.install(app)

    for code in (400, 403, 404, 405, 413, 429, 500):
        app.errorhandler(code)(handler)
