"""Paper: printed questionnaires, keying them back in, and reading scans of them."""

from flask import Blueprint

bp = Blueprint("paper", __name__)

from selfassess.views.paper import routes, scan_routes  # noqa: E402,F401
