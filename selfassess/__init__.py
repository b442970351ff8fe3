"""selfassess: the IOM Key Principles self-assessment tool."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask, send_from_directory
from flask_babel import gettext
from flask_login import user_logged_in

from selfassess.config import (
    CONFIGS,
    DEFAULT_SECRET_KEY,
    PROJECT_ROOT,
    Config,
    UnsafeConfiguration,
)
from selfassess.documents import shared_cache
from selfassess.domain.frameworks import load_library
from selfassess.domain.i18n import N_
from selfassess.extensions import (
    FRAMEWORKS_KEY,
    csrf,
    db,
    frameworks,
    limiter,
    login_manager,
    migrate,
)
from selfassess.models.engine import SQLITE_BUSY_TIMEOUT_MS, configure_sqlite, engine_options
from selfassess.web import (
    busy,
    errors,
    fragments,
    language,
    request_text,
    routing,
    security,
    templating,
)


def create_app(config_class: type[Config] | str | None = None, **overrides) -> Flask:
    """Build the app. Refuses to start (FrameworkError) if a framework file is invalid."""
    if config_class is None or isinstance(config_class, str):
        # Production unless told otherwise: a server started with no settings must not run
        # with debug on or the published development key.
        name = config_class or os.environ.get("SELFASSESS_CONFIG", "production")
        config_class = CONFIGS[name]
    app = Flask(
        __name__,
        instance_path=os.environ.get("SELFASSESS_INSTANCE", str(PROJECT_ROOT / "instance")),
        static_folder=str(PROJECT_ROOT / "static"),
        static_url_path="/static",
    )
    routing.init_app(app)  # before any route is added
    app.config.from_object(config_class)
    app.config.update(overrides)
    _check_secret_key(app)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        path = Path(app.instance_path) / "selfassess.sqlite"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"

    app.extensions[FRAMEWORKS_KEY] = _load_frameworks(Path(app.config["FRAMEWORKS_DIR"]))

    url = app.config["SQLALCHEMY_DATABASE_URI"]
    busy_timeout_ms = app.config.get("SQLITE_BUSY_TIMEOUT_MS", SQLITE_BUSY_TIMEOUT_MS)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
        **engine_options(url, busy_timeout_ms),
        **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
    }
    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, busy_timeout_ms)
    migrate.init_app(
        app, db, directory=str(PROJECT_ROOT / "selfassess" / "migrations"), render_as_batch=True
    )
    csrf.init_app(app)
    login_manager.init_app(app)
    limiter.init_app(app)
    shared_cache.configure(app.config.get("REDIS_URL"))
    templating.init_app(app, str(PROJECT_ROOT / "templates"))
    language.init_app(app)
    fragments.init_app(app)
    security.init_app(app)
    request_text.init_app(app)
    busy.init_app(app)

    from selfassess import models  # noqa: F401 - registers the tables with the metadata

    _refuse_versions_changed_in_place(app)

    for blueprint in _blueprints():
        app.register_blueprint(blueprint)
    if app.config.get("MAIL_DEV_PAGE"):
        # "Emails sent": development only; production and test settings never register it.
        from selfassess.views.dev_mail import bp as dev_mail_bp

        app.register_blueprint(dev_mail_bp)
    login_manager.login_view = "auth.sign_in"
    # Flashed on the sign-in page in the reader's language (Flask-Login's localize_callback).
    login_manager.login_message = N_("Sign in to continue.")
    login_manager.localize_callback = gettext

    @app.route("/assets/<path:filename>")
    def govuk_assets(filename: str):
        # The GOV.UK stylesheet asks for its fonts and images under /assets.
        return send_from_directory(Path(app.static_folder) / "assets", filename)

    errors.init_app(app)

    @login_manager.user_loader
    def load_user(user_id: str):
        from selfassess.models import User
        from selfassess.web.sessions import is_current

        user = db.session.get(User, int(user_id))
        # A session from before a sign-out, password change or role change signs no one in.
        if user is None or not is_current(user):
            return None
        return user

    @user_logged_in.connect_via(app)
    def _mark_session(_app, user, **_extra):
        from selfassess.web.sessions import remember_generation

        remember_generation(user)

    @app.context_processor
    def service_context():
        from selfassess.web.navigation import navigation_items

        return {
            "service_name": app.config["SERVICE_NAME"],
            "protective_marking": app.config["PROTECTIVE_MARKING"],
            "navigation_items": navigation_items,
        }

    return app


def _blueprints():
    """Every area of the service, one blueprint each."""
    from selfassess.views.api import bp as api_bp
    from selfassess.views.assessments import bp as assessments_bp
    from selfassess.views.auth import bp as auth_bp
    from selfassess.views.frameworks_browser import bp as frameworks_bp
    from selfassess.views.main import bp as main_bp
    from selfassess.views.national import bp as national_bp
    from selfassess.views.paper import bp as paper_bp
    from selfassess.views.partnerships import bp as partnerships_bp
    from selfassess.views.reports import bp as reports_bp
    from selfassess.views.workshop import bp as workshop_bp

    return [
        main_bp,
        auth_bp,
        frameworks_bp,
        partnerships_bp,
        workshop_bp,
        reports_bp,
        assessments_bp,
        national_bp,
        paper_bp,
        api_bp,
    ]


_library_cache: dict[tuple, object] = {}


def _load_frameworks(directory: Path):
    """Load (and validate) the framework files once per set of file versions, not once per app."""
    files = sorted([*directory.glob("*"), *directory.glob("comparisons/*")])
    key = (str(directory), tuple((f.name, f.stat().st_mtime_ns) for f in files if f.is_file()))
    if key not in _library_cache:
        _library_cache.clear()
        _library_cache[key] = load_library(directory)
    return _library_cache[key]


def _refuse_versions_changed_in_place(app: Flask) -> None:
    """Refuse to start (FrameworkError) when a framework version the database holds answers
    against was edited in place: one small query, skipped before the table exists."""
    from selfassess.domain.framework_releases import changed_in_place
    from selfassess.domain.frameworks import FrameworkError
    from selfassess.queries.framework_releases import held_releases

    with app.app_context():
        held = held_releases(db.engine)
    problems = changed_in_place(app.extensions[FRAMEWORKS_KEY], held or [])
    if problems:
        raise FrameworkError(problems)


def _check_secret_key(app: Flask) -> None:
    if not (app.debug or app.testing) and app.config["SECRET_KEY"] == DEFAULT_SECRET_KEY:
        raise UnsafeConfiguration(
            "SECRET_KEY is not set: production refuses the development key. "
            "Set SECRET_KEY in the environment (or SELFASSESS_CONFIG=development on your own "
            "machine)."
        )


__all__ = ["create_app", "frameworks"]
