"""Forms for partnerships, inviting people and accepting an invitation."""

from __future__ import annotations

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
    PARTNERSHIP_CODE_RULE,
    PARTNERSHIP_NAME_MAX,
    POLICE_FORCE_AREA_MAX,
    REGIONS,
)
from selfassess.web.form_filters import strip_text, upper_code

ROLE_CHOICES = (
    ("member", "Member: rates from their agency's point of view"),
    ("observer", "Observer: reads everything, changes nothing"),
    ("lead", "Lead: runs assessments and manages the partnership's people"),
)
MIN_PASSWORD = 10


def _lower(value):
    return value.strip().lower() if isinstance(value, str) else value


def _lead_name_field() -> StringField:
    return StringField(
        "Lead's full name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter the lead's full name"),
            Length(max=120, message="The lead's name must be 120 characters or fewer"),
        ],
    )


def _lead_email_field() -> StringField:
    return StringField(
        "Lead's email address",
        description="We email the invitation link to this address, and only this address can use "
        "it. You can copy the link too",
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            InputRequired(message="Enter the lead's email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )


class PartnershipForm(FlaskForm):
    name = StringField(
        "Partnership name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter the partnership's name"),
            Length(
                max=PARTNERSHIP_NAME_MAX,
                message=f"The name must be {PARTNERSHIP_NAME_MAX} characters or fewer",
            ),
        ],
    )
    code = StringField(
        "Partnership code",
        description="The Community Safety Partnership's code, for example E22000123",
        widget=GovTextInput(),
        filters=[upper_code],
        validators=[
            InputRequired(message="Enter the partnership's code"),
            Regexp(PARTNERSHIP_CODE_PATTERN, message=f"The code {PARTNERSHIP_CODE_RULE}"),
        ],
    )
    region = RadioField(
        "Region",
        widget=GovRadioInput(),
        choices=REGIONS,
        validators=[InputRequired(message="Select the region")],
    )
    police_force_area = StringField(
        "Police force area",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter the police force area"),
            Length(
                max=POLICE_FORCE_AREA_MAX,
                message=(
                    f"The police force area must be {POLICE_FORCE_AREA_MAX} characters or fewer"
                ),
            ),
        ],
    )
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField("Create partnership", widget=GovSubmitInput())


class LeadInvitationForm(FlaskForm):
    lead_name = _lead_name_field()
    lead_email = _lead_email_field()
    submit = SubmitField("Create invitation link", widget=GovSubmitInput())


class InviteForm(FlaskForm):
    role = RadioField(
        "What will they do in the partnership?",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        default="member",
        validators=[InputRequired(message="Select what they will do")],
    )
    email = StringField(
        "Their email address (optional)",
        description="We email them the link, and only the account with this address can use "
        "it. Leave it empty to copy the link to them yourself",
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            Optional(),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    note = StringField(
        "Who is it for? (optional)",
        description="Only you and the other leads see this, for example their name and agency",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(max=200, message="Who it is for must be 200 characters or fewer"),
        ],
    )
    submit = SubmitField("Create invitation link", widget=GovSubmitInput())


class RoleForm(FlaskForm):
    role = RadioField(
        "Role",
        widget=GovRadioInput(),
        choices=ROLE_CHOICES,
        validators=[InputRequired(message="Select a role")],
    )
    submit = SubmitField("Save role", widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    """Just a button (and the CSRF token) for removing, withdrawing or joining."""

    submit = SubmitField("Confirm", widget=GovSubmitInput())


class AcceptForm(FlaskForm):
    name = StringField(
        "Full name",
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message="Enter your full name"),
            Length(max=120, message="Your name must be 120 characters or fewer"),
        ],
    )
    email = StringField(
        "Email address",
        description="You will use this to sign in",
        widget=GovTextInput(),
        filters=[_lower],
        validators=[
            InputRequired(message="Enter your email address"),
            Email(message="Enter an email address in the correct format, like name@example.com"),
            Length(max=254, message="Email address must be 254 characters or fewer"),
        ],
    )
    agency = RadioField(
        "Which agency do you work for?",
        widget=GovRadioInput(),
        choices=AGENCIES,
        validators=[InputRequired(message="Select the agency you work for")],
    )
    password = PasswordField(
        "Create a password",
        description=f"Use at least {MIN_PASSWORD} characters",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter a password"),
            Length(
                min=MIN_PASSWORD,
                max=200,
                message=f"Your password must be {MIN_PASSWORD} to 200 characters long",
            ),
        ],
    )
    confirm = PasswordField(
        "Confirm your password",
        widget=GovPasswordInput(),
        validators=[
            InputRequired(message="Enter your password again"),
            EqualTo("password", message="The passwords do not match"),
        ],
    )
    submit = SubmitField("Create account and join", widget=GovSubmitInput())
