"""The start page and service-wide pages; also serves our own CSS and scripts."""

from flask import Blueprint

bp = Blueprint("main", __name__, static_folder="../assets", static_url_path="/app-assets")

from selfassess.views.main import routes  # noqa: E402,F401
