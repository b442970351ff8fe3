from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.security import check_password_hash, generate_password_hash

from selfassess.extensions import db, limiter
from selfassess.models import User
from selfassess.models.base import as_utc
from selfassess.views.auth import bp
from selfassess.views.auth.forms import SignInForm

MAX_FAILED_SIGN_INS = 5
LOCK_MINUTES = 15
# One message for every failure, so the page never reveals whether an email has an account.
SIGN_IN_FAILED = (
    "Enter a correct email address and password. After several failed attempts "
    "you will need to wait 15 minutes before trying again."
)


# Checked against when there is no password to check, so an unknown email, a locked account and
# a wrong password all take as long to answer: the time taken does not reveal an account either.
_NO_PASSWORD_HASH = generate_password_hash("no account has this password")


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return url_for("main.start")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.start"))
    form = SignInForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.execute(db.select(User).filter_by(email=email)).scalar()
        now = datetime.now(UTC)
        locked = user is not None and user.locked_until and as_utc(user.locked_until) > now
        can_sign_in = user is not None and not locked and user.active and user.password_hash
        stored = user.password_hash if can_sign_in else _NO_PASSWORD_HASH
        if check_password_hash(stored, form.password.data) and can_sign_in:
            user.failed_sign_ins = 0
            user.locked_until = None
            db.session.commit()
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        if user is not None and not locked:
            user.failed_sign_ins += 1
            if user.failed_sign_ins >= MAX_FAILED_SIGN_INS:
                user.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                user.failed_sign_ins = 0
            db.session.commit()
        form.email.errors = [*form.email.errors, SIGN_IN_FAILED]
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
@login_required
def sign_out():
    if request.method == "GET":
        # Signing out changes state, so the link in the navigation asks first.
        return render_template("auth/sign_out.html")
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("main.start"))
