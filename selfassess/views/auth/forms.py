from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import AnyOf, Email, InputRequired, Length

from selfassess.domain.framework_texts import ENDONYMS
from selfassess.domain.mail import REMINDER_KINDS


class SignInForm(FlaskForm):
    email = StringField(
        lazy_gettext("Email address"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=lazy_gettext("Enter your email address")),
            Email(
                message=lazy_gettext(
                    "Enter an email address in the correct format, like name@example.com"
                )
            ),
            Length(max=254, message=lazy_gettext("Email address must be 254 characters or fewer")),
        ],
    )
    password = PasswordField(
        lazy_gettext("Password"),
        widget=GovPasswordInput(),
        validators=[InputRequired(message=lazy_gettext("Enter your password"))],
    )
    submit = SubmitField(lazy_gettext("Sign in"), widget=GovSubmitInput())


class RemindersForm(FlaskForm):
    """Which kinds of reminder email a person gets; invitations and receipts always go."""

    reminders = SelectMultipleField(
        lazy_gettext("Reminders to get by email"),
        widget=GovCheckboxesInput(),
        # The page shows each kind's label in the reader's language (templates/auth/account.html).
        choices=[(kind, label) for kind, label, _ in REMINDER_KINDS],
        validate_choice=True,
    )
    submit = SubmitField(lazy_gettext("Save email choices"), widget=GovSubmitInput())


class LanguageForm(FlaskForm):
    """The language of the person's pages, documents and emails. Each language is named in
    itself ("English", "Cymraeg"), as GOV.UK services offer them, so it is never translated."""

    language = RadioField(
        lazy_gettext("Language"),
        widget=GovRadioInput(),
        choices=list(ENDONYMS.items()),
        validators=[
            InputRequired(message=lazy_gettext("Select a language")),
            AnyOf(list(ENDONYMS), message=lazy_gettext("Select a language")),
        ],
        validate_choice=False,  # AnyOf says it in the reader's language
    )
    save_language = SubmitField(lazy_gettext("Save language"), widget=GovSubmitInput())
