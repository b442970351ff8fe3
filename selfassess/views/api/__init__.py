"""The read-only national API: collections, returns, the national picture; token auth.

Analysts create and revoke tokens in the app (/national/tokens); a request sends
``Authorization: Bearer <token>``; only the token's SHA-256 hash is stored. GET only, so it is
exempt from CSRF (it carries no session cookie rights).
"""

from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api")

from selfassess.views.api import routes  # noqa: E402,F401
