"""Reports: the strength and gap report, its PDFs, the exports, and starting the next cycle."""

from flask import Blueprint

from selfassess.documents.report_words import FILTERS

bp = Blueprint("reports", __name__)
for _name, _filter in FILTERS.items():
    bp.add_app_template_filter(_filter, _name)

from selfassess.views.reports import routes  # noqa: E402,F401
