"""Signing in and out."""

from flask import flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from selfassess.domain.mail import REMINDER_KIND_NAMES, REMINDER_KINDS
from selfassess.extensions import limiter
from selfassess.queries.mail import preferences_of
from selfassess.services import accounts
from selfassess.services.mail.preferences import set_reminders
from selfassess.views.auth import bp
from selfassess.views.auth.forms import RemindersForm, SignInForm
from selfassess.web.local_paths import local_path

# One message for every failure, so the page never reveals whether an email has an account.
SIGN_IN_FAILED = (
    "Enter a correct email address and password. After several failed attempts "
    f"you will need to wait {accounts.LOCK_MINUTES} minutes before trying again."
)


def _safe_next(target: str | None) -> str:
    return local_path(target) or url_for("main.start")


@bp.route("/sign-in", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def sign_in():
    if current_user.is_authenticated:
        return redirect(url_for("main.start"))
    form = SignInForm()
    if form.validate_on_submit():
        user = accounts.check_sign_in(form.email.data, form.password.data)
        if user is not None:
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = [*form.email.errors, SIGN_IN_FAILED]
    return render_template("auth/sign_in.html", form=form)


@bp.route("/sign-out", methods=["GET", "POST"])
@login_required
def sign_out():
    if request.method == "GET":
        # Signing out changes state, so the link in the navigation asks first.
        return render_template("auth/sign_out.html")
    # Ends this session and every copy of its cookie, not just this browser's.
    accounts.sign_out(current_user)
    logout_user()
    flash("You have signed out.", "success")
    return redirect(url_for("main.start"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    chosen = preferences_of(current_user.id)
    form = RemindersForm(
        data={"reminders": [k for k in sorted(REMINDER_KIND_NAMES) if chosen.get(k, True)]}
    )
    if form.validate_on_submit():
        set_reminders(current_user._get_current_object(), set(form.reminders.data or []))
        flash("Your email choices are saved.", "success")
        return redirect(url_for("auth.account"))
    return render_template("auth/account.html", form=form, kinds=REMINDER_KINDS)
