"""National collections: analysts' pages (collections, the national picture, import, exports,
API tokens) and the partnership lead's national survey and return."""

from flask import Blueprint

bp = Blueprint("national", __name__, url_prefix="/national")

from selfassess.views.national import routes, survey_routes  # noqa: E402,F401
