"""Read-only pages that show every framework, its sections and its items."""

from flask import Blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")

from selfassess.views.frameworks_browser import routes  # noqa: E402,F401
