"""Emails sent: the development configuration's page listing every email written to the outbox
folder. Registered only when MAIL_DEV_PAGE is on (the development configuration), never in
production."""

from flask import Blueprint

bp = Blueprint("dev_mail", __name__)

from selfassess.views.dev_mail import routes  # noqa: E402,F401
