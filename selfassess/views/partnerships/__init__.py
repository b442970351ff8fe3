"""Partnerships, their people and invitation links.

Routes live under /partnerships, except the link an invitee opens: /invitations/<token>.
"""

from flask import Blueprint

bp = Blueprint("partnerships", __name__)

from selfassess.views.partnerships import routes  # noqa: E402,F401
