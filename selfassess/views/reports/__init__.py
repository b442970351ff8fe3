"""Reports: the strength and gap report, its PDFs, the exports, and starting the next cycle."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from selfassess.views.reports import routes  # noqa: E402,F401
