"""Configuration classes. Secrets and database addresses come from the environment."""

from __future__ import annotations

import os
from pathlib import Path

from selfassess.domain.i18n import N_

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
    SERVICE_NAME = N_("IOM self-assessment")
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
    # Several app servers share one Redis: rate-limit counts and the chart and PDF caches.
    # Without it each process keeps its own in memory (one app server: nothing more needed).
    REDIS_URL = os.environ.get("REDIS_URL") or None
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    # How many reverse proxies in front of the app set X-Forwarded-For. Without this, behind a
    # proxy every request comes from the proxy's address and shares one rate limit.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # When returns change, the national picture's charts are drawn at once in the background.
    DRAW_AHEAD = True
    # A document not made within this many seconds gets a "Preparing your PDF" page instead.
    DOCUMENT_WAIT_SECONDS = float(os.environ.get("DOCUMENT_WAIT_SECONDS", "2"))
    # Email. MAIL_URL names the SMTP server (smtp://user:password@host:587?tls=starttls); with
    # none, messages are written as .eml files to MAIL_OUTBOX_DIR (instance/outbox by default).
    MAIL_URL = os.environ.get("MAIL_URL") or None
    MAIL_SENDER = os.environ.get("MAIL_SENDER", "selfassess@localhost")
    MAIL_SENDER_NAME = os.environ.get("MAIL_SENDER_NAME", "IOM self-assessment")
    MAIL_OUTBOX_DIR = os.environ.get("MAIL_OUTBOX_DIR") or None
    # The address links in emails start with: never taken from a request's Host header, which
    # whoever sends the request chooses.
    SERVICE_URL = os.environ.get("SERVICE_URL", "http://127.0.0.1:5000")
    # A worker's claim on a message it is sending; a killed worker's claim runs out after this.
    MAIL_CLAIM_SECONDS = int(os.environ.get("MAIL_CLAIM_SECONDS", "300"))
    MAIL_MAX_ATTEMPTS = int(os.environ.get("MAIL_MAX_ATTEMPTS", "8"))
    # Days before the event that reminders go (the nearest one reached, once each).
    RATING_REMINDER_DAYS = (7, 2)
    COLLECTION_REMINDER_DAYS = (14, 7, 2)
    ACTION_DUE_SOON_DAYS = 7
    # The "Emails sent" page: development only, never registered in production.
    MAIL_DEV_PAGE = False
    STRICT_TEMPLATES = False
    TESTING = False
    DEBUG = False


class DevelopmentConfig(Config):
    DEBUG = True
    MAIL_DEV_PAGE = True
    STRICT_TEMPLATES = True


class TestConfig(Config):
    TESTING = True
    STRICT_TEMPLATES = True
    SECRET_KEY = "test-only-secret"  # noqa: S105
    # The test fixtures choose the database (SQLite, and PostgreSQL when TEST_DATABASE_URL is set).
    SQLALCHEMY_DATABASE_URI = "sqlite://"
    # Tests never reach a mail server unless they start one.
    MAIL_URL = None
    MAIL_SENDER = "selfassess@test.example"
    SERVICE_URL = "http://localhost"
    WTF_CSRF_ENABLED = False
    RATELIMIT_ENABLED = False
    # Tests that fetch a PDF get the PDF, however loaded the machine; the preparing page has
    # tests of its own, which set this to 0.
    DOCUMENT_WAIT_SECONDS = 300.0
    DRAW_AHEAD = False  # no background work outliving a test's database
    # Each test process keeps its own caches; a test that shares them through Redis says so.
    REDIS_URL = None
    RATELIMIT_STORAGE_URI = "memory://"
    SERVER_NAME = None
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
