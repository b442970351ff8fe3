"""Assessments: creating them, members rating with evidence, and the lead's views of the results."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)

from selfassess.views.assessments import lead_routes, routes  # noqa: E402,F401
from selfassess.views.assessments.common import template_helpers  # noqa: E402

bp.app_context_processor(template_helpers)
