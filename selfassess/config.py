"""Configuration classes. Secrets and database addresses come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SECRET_KEY = "development-only-not-secret"  # noqa: S105 - refused in production


class UnsafeConfiguration(RuntimeError):
    """The settings would let anyone forge a session: the service refuses to start."""


def database_url(raw: str | None) -> str | None:
    """Point plain postgres:// and postgresql:// addresses at the psycopg 3 driver."""
    if not raw:
        return None
    for prefix in ("postgres://", "postgresql://"):
        if raw.startswith(prefix):
            return "postgresql+psycopg://" + raw[len(prefix) :]
    return raw


class Config:
    SERVICE_NAME = "IOM self-assessment"
    SECRET_KEY = os.environ.get("SECRET_KEY", DEFAULT_SECRET_KEY)
    # None means "SQLite in the instance folder", filled in by create_app.
    SQLALCHEMY_DATABASE_URI = database_url(os.environ.get("DATABASE_URL"))
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    FRAMEWORKS_DIR = os.environ.get("FRAMEWORKS_DIR", str(PROJECT_ROOT / "questions"))
    # A server process (selfassess.wsgi) warms WeasyPrint, its fonts and matplotlib at start-up.
    WARM_DOCUMENTS = True
    PROTECTIVE_MARKING = os.environ.get("PROTECTIVE_MARKING", "OFFICIAL-SENSITIVE")
    # National figures for groups smaller than this are suppressed.
    SUPPRESSION_THRESHOLD = int(os.environ.get("SUPPRESSION_THRESHOLD", "3"))
    INVITATION_DAYS = 14
    MAX_CONTENT_LENGTH = 5 * 1024 * 1024
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI", "memory://")
    # How many reverse proxies in front of the app set X-Forwarded-For. Without this, behind a
    # proxy every request comes from the proxy's address and shares one rate limit.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    STRICT_TEMPLATES = False
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = True
    STRICT_TEMPLATES = True


class TestConfig(Config):
    TESTING = True
    STRICT_TEMPLATES = True
    SECRET_KEY = "test-only-secret"  # noqa: S105
    # The test fixtures choose the database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    SERVER_NAME = None
    # Tests read the PDF itself: wait for it rather than show "Preparing your PDF".
    PDF_WAIT_SECONDS = 300
    WARM_DOCUMENTS = False  # no background thread for a test's app


class ProductionConfig(Config):
    SESSION_COOKIE_SECURE = True
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    PREFERRED_URL_SCHEME = "https"


CONFIGS = {
    "development": DevelopmentConfig,
    "test": TestConfig,
    "production": ProductionConfig,
}
