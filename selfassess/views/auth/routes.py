from datetime import UTC, datetime, timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import case, or_, update
from werkzeug.security import check_password_hash, generate_password_hash

from selfassess.extensions import db, limiter
from selfassess.models import User
from selfassess.models.base import as_utc
from selfassess.views.auth import bp
from selfassess.views.auth.forms import SignInForm
from selfassess.web.local_paths import local_path
from selfassess.web.sessions import end_sessions

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
    return local_path(target) or url_for("main.start")


def _count_failure(email: str, now: datetime) -> None:
    """Count a failed sign-in against email, locking the account at the limit.

    One UPDATE both counts and locks, so simultaneous attempts each add one and the lock is
    decided from the stored count, not from a value read earlier. It runs, and commits, whether
    or not the email has an account (matching no row when it has none, or while it is locked),
    so an unknown email takes as long to answer as a wrong password.
    """
    reaches_limit = User.failed_sign_ins + 1 >= MAX_FAILED_SIGN_INS
    db.session.execute(
        update(User)
        .where(User.email == email, or_(User.locked_until.is_(None), User.locked_until <= now))
        .values(
            failed_sign_ins=case((reaches_limit, 0), else_=User.failed_sign_ins + 1),
            locked_until=case(
                (reaches_limit, now + timedelta(minutes=LOCK_MINUTES)),
                else_=User.locked_until,
            ),
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


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
        _count_failure(email, now)
        form.email.errors = [*form.email.errors, SIGN_IN_FAILED]
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
@login_required
def sign_out():
    if request.method == "GET":
        # Signing out changes state, so the link in the navigation asks first.
        return render_template("auth/sign_out.html")
    # Ends this session and every copy of its cookie, not just this browser's.
    end_sessions(current_user.id)
    db.session.commit()
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("main.start"))
