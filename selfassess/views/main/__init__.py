"""The start page and service-wide pages; also serves our own CSS and scripts."""

from pathlib import Path

from flask import Blueprint

ASSETS = Path(__file__).resolve().parents[2] / "assets"  # selfassess/assets

bp = Blueprint("main", __name__, static_folder=str(ASSETS), static_url_path="/app-assets")

from selfassess.views.main import routes  # noqa: E402,F401
