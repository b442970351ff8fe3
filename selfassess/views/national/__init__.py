"""National collections: analysts' pages (collections, the national picture, import, exports,
API tokens) and the partnership lead's national survey and return."""

from flask import Blueprint

from selfassess.web.phrases import translated

bp = Blueprint("national", __name__, url_prefix="/national")
# A sentence the domain made, in the reader's language: {{ problem.message | phrase }}.
bp.app_template_filter("phrase")(translated)

from selfassess.views.national import routes, survey_routes  # noqa: E402,F401
