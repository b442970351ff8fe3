"""Assessments: creating them, members rating with evidence, and the lead's views of the results."""

from flask import Blueprint

bp = Blueprint("assessments", __name__)

from selfassess.views.assessments import lead_routes, routes  # noqa: E402,F401
