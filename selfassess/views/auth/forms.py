from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovPasswordInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Email, InputRequired, Length

from selfassess.domain.mail import REMINDER_KINDS


class SignInForm(FlaskForm):
    email = StringField(
        "Email address",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    password = PasswordField(
        "Password",
        widget=GovPasswordInput(),
        validators=[InputRequired(message="Enter your password")],
    )
    submit = SubmitField("Sign in", widget=GovSubmitInput())


class RemindersForm(FlaskForm):
    """Which kinds of reminder email a person gets; invitations and receipts always go."""

    reminders = SelectMultipleField(
        "Reminders to get by email",
        widget=GovCheckboxesInput(),
        choices=[(kind, label) for kind, label, _ in REMINDER_KINDS],
        validate_choice=True,
    )
    submit = SubmitField("Save email choices", widget=GovSubmitInput())
