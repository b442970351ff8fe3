"""The live workshop: the lead drives a projector screen, participants vote on their phones."""

from flask import Blueprint

bp = Blueprint("workshop", __name__)

from selfassess.views.workshop import phone_routes, routes, schedule_routes  # noqa: E402,F401
