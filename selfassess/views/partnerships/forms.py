"""Forms for partnerships, inviting people and accepting an invitation."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
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
    ("member", _l("Member: rates from their agency's point of view")),
    ("observer", _l("Observer: reads everything, changes nothing")),
    ("lead", _l("Lead: runs assessments and manages the partnership's people")),
)
MIN_PASSWORD = 10
BOTH_LANGUAGES = "both"
EMAIL_LANGUAGE_CHOICES = (
    ("en", _l("English")),
    ("cy", _l("Cymraeg")),
    (BOTH_LANGUAGES, _l("Both, Welsh first")),
)


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _lead_name_field() -> StringField:
    return StringField(
        _l("Lead's full name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter the lead's full name")),
            Length(max=120, message=_l("The lead's name must be 120 characters or fewer")),
        ],
    )


def _lead_email_field() -> StringField:
    return StringField(
        _l("Lead's email address"),
        description=_l(
            "We email the invitation link to this address, and only this address can use "
            "it. You can copy the link too"
        ),
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            InputRequired(message=_l("Enter the lead's email address")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )


class PartnershipForm(FlaskForm):
    name = StringField(
        _l("Partnership name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter the partnership's name")),
            Length(
                max=PARTNERSHIP_NAME_MAX,
                message=_l(
                    "The name must be %(max)s characters or fewer", max=PARTNERSHIP_NAME_MAX
                ),
            ),
        ],
    )
    code = StringField(
        _l("Partnership code"),
        description=_l("The Community Safety Partnership's code, for example E22000123"),
        widget=GovTextInput(),
        filters=[upper_code],
        validators=[
            InputRequired(message=_l("Enter the partnership's code")),
            Regexp(
                PARTNERSHIP_CODE_PATTERN,
                message=_l("The code must be 2 to 20 letters, numbers or hyphens, like E22000123"),
            ),
        ],
    )
    region = RadioField(
        _l("Region"),
        widget=GovRadioInput(),
        choices=[(region, _l(name)) for region, name in REGIONS],
        validators=[InputRequired(message=_l("Select the region"))],
    )
    police_force_area = StringField(
        _l("Police force area"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter the police force area")),
            Length(
                max=POLICE_FORCE_AREA_MAX,
                message=_l(
                    "The police force area must be %(max)s characters or fewer",
                    max=POLICE_FORCE_AREA_MAX,
                ),
            ),
        ],
    )
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField(_l("Create partnership"), widget=GovSubmitInput())


class LeadInvitationForm(FlaskForm):
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField(_l("Create invitation link"), widget=GovSubmitInput())


class InviteForm(FlaskForm):
    role = RadioField(
        _l("What will they do in the partnership?"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        default="member",
        validators=[InputRequired(message=_l("Select what they will do"))],
    )
    email = StringField(
        _l("Their email address (optional)"),
        description=_l(
            "We email them the link, and only the account with this address can use "
            "it. Leave it empty to copy the link to them yourself"
        ),
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            Optional(),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    note = StringField(
        _l("Who is it for? (optional)"),
        description=_l("Only you and the other leads see this, for example their name and agency"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=200, message=_l("Who it is for must be 200 characters or fewer")),
        ],
    )
    language = RadioField(
        _l("Language of the invitation email"),
        widget=GovRadioInput(),
        choices=EMAIL_LANGUAGE_CHOICES,
        default=BOTH_LANGUAGES,
        # Left out of a form (an older page, a script): both languages, as before.
        validators=[Optional()],
    )
    submit = SubmitField(_l("Create invitation link"), widget=GovSubmitInput())

    @staticmethod
    def email_language(choice: str | None) -> str | None:
        """What create_invitation takes: "en", "cy", or None for both (Welsh first)."""
        return choice if choice in ("en", "cy") else None


class RoleForm(FlaskForm):
    role = RadioField(
        _l("Role"),
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[InputRequired(message=_l("Select a role"))],
    )
    submit = SubmitField(_l("Save role"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Just a button (and the CSRF token) for removing, withdrawing or joining."""

    submit = SubmitField(_l("Confirm"), widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    name = StringField(
        _l("Full name"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=_l("Enter your full name")),
            Length(max=120, message=_l("Your name must be 120 characters or fewer")),
        ],
    )
    email = StringField(
        _l("Email address"),
        description=_l("You will use this to sign in"),
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            InputRequired(message=_l("Enter your email address")),
            Email(
                message=_l("Enter an email address in the correct format, like name@example.com")
            ),
            Length(max=254, message=_l("Email address must be 254 characters or fewer")),
        ],
    )
    agency = RadioField(
        _l("Which agency do you work for?"),
        widget=GovRadioInput(),
        choices=[(agency, _l(name)) for agency, name in AGENCIES],
        validators=[InputRequired(message=_l("Select the agency you work for"))],
    )
    password = PasswordField(
        _l("Create a password"),
        description=_l("Use at least %(min)s characters", min=MIN_PASSWORD),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter a password")),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=_l(
                    "Your password must be %(min)s to 200 characters long", min=MIN_PASSWORD
                ),
            ),
        ],
    )
    confirm = PasswordField(
        _l("Confirm your password"),
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message=_l("Enter your password again")),
            EqualTo("password", message=_l("The passwords do not match")),
        ],
    )
    submit = SubmitField(_l("Create account and join"), widget=GovSubmitInput())
