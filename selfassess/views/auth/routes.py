"""Signing in and out, and the person's own account: email choices and language."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from selfassess.domain.mail import REMINDER_KIND_NAMES, REMINDER_KINDS
from selfassess.extensions import limiter
from selfassess.queries.mail import preferences_of
from selfassess.services import accounts
from selfassess.services.mail.preferences import set_reminders
from selfassess.views.auth import bp
from selfassess.views.auth.forms import LanguageForm, RemindersForm, SignInForm
from selfassess.web.language import COOKIE, LANGUAGES, current_language, use_language
from selfassess.web.local_paths import local_path


def sign_in_failed() -> str:
    # One message for every failure, so the page never reveals whether an email has an account.
    return _(
        "Enter a correct email address and password. After several failed attempts "
        "you will need to wait %(minutes)s minutes before trying again.",
        minutes=accounts.LOCK_MINUTES,
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
            # A guest who chose Welsh before signing in keeps it, on an account with no choice yet.
            cookie = request.cookies.get(COOKIE)
            if not user.language and cookie in LANGUAGES and cookie != "en":
                accounts.choose_language(user.id, cookie)
            login_user(user)
            return redirect(_safe_next(request.args.get("next")))
        form.email.errors = [*form.email.errors, sign_in_failed()]
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
    flash(_("You have signed out."), "success")
    return redirect(url_for("main.start"))


@bp.route("/account", methods=["GET", "POST"])
@login_required
def account():
    # Two forms, each with its own button: what one sends leaves the other's choices alone.
    saving_language = request.method == "POST" and "save_language" in request.form
    chosen = preferences_of(current_user.id)
    reminders = {"reminders": [k for k in sorted(REMINDER_KIND_NAMES) if chosen.get(k, True)]}
    language = {"language": current_language()}
    if saving_language:
        form = RemindersForm(formdata=None, data=reminders)
        language_form = LanguageForm(data=language)
        if language_form.validate_on_submit():
            chosen_language = language_form.language.data
            accounts.choose_language(current_user.id, chosen_language)
            with use_language(chosen_language):  # said in the language of the pages to come
                flash(_("Your language is saved."), "success")
            return redirect(url_for("auth.account"))
    else:
        form = RemindersForm(data=reminders)
        language_form = LanguageForm(formdata=None, data=language)
        if form.validate_on_submit():
            set_reminders(current_user._get_current_object(), set(form.reminders.data or []))
            flash(_("Your email choices are saved."), "success")
            return redirect(url_for("auth.account"))
    return render_template(
        "auth/account.html", form=form, language_form=language_form, kinds=REMINDER_KINDS
    )
