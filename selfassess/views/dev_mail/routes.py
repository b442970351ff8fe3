from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from selfassess.queries.mail import outbox_counts, saved_email, saved_emails
from selfassess.services.mail.delivery import send_due
from selfassess.services.mail.senders import outbox_folder, sender_for
from selfassess.views.dev_mail import bp


@bp.route("/dev/emails")
def index():
    folder = outbox_folder(current_app)
    return render_template(
        "dev_mail/index.html",
        emails=saved_emails(folder),
        folder=folder,
        counts=outbox_counts(),
        smtp=bool(current_app.config.get("MAIL_URL")),
    )


@bp.route("/dev/emails/send", methods=["POST"])
def send_now():
    result = send_due(sender_for(current_app))
    flash(
        _(
            "%(sent)s sent, %(retrying)s to try again, %(failed)s failed.",
            sent=result.sent,
            retrying=result.retrying,
            failed=result.failed,
        ),
        "success",
    )
    return redirect(url_for("dev_mail.index"))


@bp.route("/dev/emails/<name>")
def show(name: str):
    email = saved_email(outbox_folder(current_app), name)
    if email is None:
        abort(404)
    return render_template("dev_mail/show.html", email=email)
