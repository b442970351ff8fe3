"""The live workshop: the lead drives a projector screen, participants vote on their phones."""

from flask import Blueprint

bp = Blueprint("workshop", __name__)

from selfassess.views.workshop import (  # noqa: E402,F401
    phone_routes,
    projector_routes,
    routes,
    schedule_routes,
)
