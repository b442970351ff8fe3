"""Forms for partnerships, inviting people and accepting an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovPasswordInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import PasswordField, RadioField, StringField, SubmitField
from wtforms.validators import Email, EqualTo, InputRequired, Length, Optional, Regexp

from selfassess.domain.reference import (
    AGENCIES,
    PARTNERSHIP_CODE_PATTERN,
    PARTNERSHIP_NAME_MAX,
    POLICE_FORCE_AREA_MAX,
    REGIONS,
)
from selfassess.web.form_filters import strip_text, upper_code

ROLE_CHOICES = (
    ("member", lazy_gettext("Member: rates from their agency's point of view")),
    ("observer", lazy_gettext("Observer: reads everything, changes nothing")),
    ("lead", lazy_gettext("Lead: runs assessments and manages the partnership's people")),
)
MIN_PASSWORD = 10
BOTH_LANGUAGES = "both"
EMAIL_LANGUAGE_CHOICES = (
    ("en", lazy_gettext("English")),
    ("cy", lazy_gettext("Cymraeg")),
    (BOTH_LANGUAGES, lazy_gettext("Both, Welsh first")),
)


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _lead_name_field() -> StringField:
    return StringField(
        lazy_gettext("Lead's full name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter the lead's full name")),
            Length(
                max=120, message=lazy_gettext("The lead's name must be 120 characters or fewer")
            ),
        ],
    )


def _lead_email_field() -> StringField:
    return StringField(
        lazy_gettext("Lead's email address"),
        description=lazy_gettext(
            "We email the invitation link to this address, and only this address can use "
            "it. You can copy the link too"
        ),
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            InputRequired(message=lazy_gettext("Enter the lead's email address")),
            Email(
                message=lazy_gettext(
                    "Enter an email address in the correct format, like name@example.com"
                )
            ),
            Length(max=254, message=lazy_gettext("Email address must be 254 characters or fewer")),
        ],
    )


class PartnershipForm(FlaskForm):
    name = StringField(
        lazy_gettext("Partnership name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter the partnership's name")),
            Length(
                max=PARTNERSHIP_NAME_MAX,
                message=lazy_gettext(
                    "The name must be %(max)s characters or fewer", max=PARTNERSHIP_NAME_MAX
                ),
            ),
        ],
    )
    code = StringField(
        lazy_gettext("Partnership code"),
        description=lazy_gettext("The Community Safety Partnership's code, for example E22000123"),
        widget=GovTextInput(),
        filters=[upper_code],
        validators=[
            InputRequired(message=lazy_gettext("Enter the partnership's code")),
            Regexp(
                PARTNERSHIP_CODE_PATTERN,
                message=lazy_gettext(
                    "The code must be 2 to 20 letters, numbers or hyphens, like E22000123"
                ),
            ),
        ],
    )
    region = RadioField(
        lazy_gettext("Region"),
        widget=GovRadioInput(),
        choices=[(region, lazy_gettext(name)) for region, name in REGIONS],
        validators=[InputRequired(message=lazy_gettext("Select the region"))],
    )
    police_force_area = StringField(
        lazy_gettext("Police force area"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter the police force area")),
            Length(
                max=POLICE_FORCE_AREA_MAX,
                message=lazy_gettext(
                    "The police force area must be %(max)s characters or fewer",
                    max=POLICE_FORCE_AREA_MAX,
                ),
            ),
        ],
    )
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField(lazy_gettext("Create partnership"), widget=GovSubmitInput())


class LeadInvitationForm(FlaskForm):
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField(lazy_gettext("Create invitation link"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    role = RadioField(
        lazy_gettext("What will they do in the partnership?"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        default="member",
        validators=[InputRequired(message=lazy_gettext("Select what they will do"))],
    )
    email = StringField(
        lazy_gettext("Their email address (optional)"),
        description=lazy_gettext(
            "We email them the link, and only the account with this address can use "
            "it. Leave it empty to copy the link to them yourself"
        ),
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            Optional(),
            Email(
                message=lazy_gettext(
                    "Enter an email address in the correct format, like name@example.com"
                )
            ),
            Length(max=254, message=lazy_gettext("Email address must be 254 characters or fewer")),
        ],
    )
    note = StringField(
        lazy_gettext("Who is it for? (optional)"),
        description=lazy_gettext(
            "Only you and the other leads see this, for example their name and agency"
        ),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=200, message=lazy_gettext("Who it is for must be 200 characters or fewer")),
        ],
    )
    language = RadioField(
        lazy_gettext("Language of the invitation email"),
        widget=GovRadioInput(),
        choices=EMAIL_LANGUAGE_CHOICES,
        default=BOTH_LANGUAGES,
        # Left out of a form (an older page, a script): both languages, as before.
        validators=[Optional()],
    )
    submit = SubmitField(lazy_gettext("Create invitation link"), widget=GovSubmitInput())

    @staticmethod
    def email_language(choice: str | None) -> str | None:
        """What create_invitation takes: "en", "cy", or None for both (Welsh first)."""
        return choice if choice in ("en", "cy") else None


class RoleForm(FlaskForm):
    role = RadioField(
        lazy_gettext("Role"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[InputRequired(message=lazy_gettext("Select a role"))],
    )
    submit = SubmitField(lazy_gettext("Save role"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Just a button (and the CSRF token) for removing, withdrawing or joining."""

    submit = SubmitField(lazy_gettext("Confirm"), widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    name = StringField(
        lazy_gettext("Full name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter your full name")),
            Length(max=120, message=lazy_gettext("Your name must be 120 characters or fewer")),
        ],
    )
    email = StringField(
        lazy_gettext("Email address"),
        description=lazy_gettext("You will use this to sign in"),
        widget=GovTextInput(),
        filters=[_lower],
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
    agency = RadioField(
        lazy_gettext("Which agency do you work for?"),
        widget=GovRadioInput(),
        choices=[(agency, lazy_gettext(name)) for agency, name in AGENCIES],
        validators=[InputRequired(message=lazy_gettext("Select the agency you work for"))],
    )
    password = PasswordField(
        lazy_gettext("Create a password"),
        description=lazy_gettext("Use at least %(min)s characters", min=MIN_PASSWORD),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=lazy_gettext("Enter a password")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=lazy_gettext(
                    "Your password must be %(min)s to 200 characters long", min=MIN_PASSWORD
                ),
            ),
        ],
    )
    confirm = PasswordField(
        lazy_gettext("Confirm your password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=lazy_gettext("Enter your password again")),
            EqualTo("password", message=lazy_gettext("The passwords do not match")),
        ],
    )
    submit = SubmitField(lazy_gettext("Create account and join"), widget=GovSubmitInput())
