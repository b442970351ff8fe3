"""Forms for creating an assessment, moving its status, agreeing ratings and recording actions."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovRadioInput,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import (
    DateField,
    HiddenField,
    RadioField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import InputRequired, Length, Optional

from selfassess.models.assessments import ACTION_STATUSES
from selfassess.services.agreement import MAX_OWNER, MAX_TEXT
from selfassess.web.form_filters import strip_text
from selfassess.web.form_widgets import LocalDateInput


class DueDateField(DateField):
    """A GOV.UK date input (day, month, year) with an error message in the users' words."""

    def process_formdata(self, valuelist):
        if valuelist and any(part.strip() for part in valuelist):
            if len(valuelist) != 3:
                # Not the widget's day, month and year: it could not show them back.
                self.raw_data = None
                self.data = None
                raise ValueError(_("Due date must be a real date, for example 30 9 2026"))
            try:
                super().process_formdata(valuelist)
            except ValueError as exc:
                raise ValueError(_("Due date must be a real date, for example 30 9 2026")) from exc
        else:
            self.data = None
            if not valuelist or len(valuelist) != 3:
                self.raw_data = None


class NewAssessmentForm(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        description=lazy_gettext("For example, Key Principles self-assessment 2026"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter a title for the assessment")),
            Length(max=200, message=lazy_gettext("The title must be 200 characters or fewer")),
        ],
    )
    period = StringField(
        lazy_gettext("Period it covers"),
        description=lazy_gettext("For example, 2026 to 2027"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter the period the assessment covers")),
            Length(max=60, message=lazy_gettext("The period must be 60 characters or fewer")),
        ],
    )
    frameworks = SelectMultipleField(
        lazy_gettext("Which other frameworks does it cover?"),
        description=lazy_gettext(
            "The IOM Key Principles are always included, and the Hallmarks of Effective "
            "Partnerships are shown as a second view over the same answers. Select all that apply."
        ),
        widget=GovCheckboxesInput(),
        choices=[],
        validate_choice=True,
    )
    submit = SubmitField(lazy_gettext("Create assessment"), widget=GovSubmitInput())


class StatusForm(FlaskForm):
    to = HiddenField()


class ShareResultsForm(FlaskForm):
    # "yes" shares everyone's ratings with members now; "no" stops sharing them.
    share = HiddenField()


class CompleteForm(FlaskForm):
    submit = SubmitField(lazy_gettext("Mark my ratings as complete"), widget=GovSubmitInput())


class AgreedRatingForm(FlaskForm):
    value = RadioField(
        lazy_gettext("Agreed rating"),
        widget=GovRadioInput(),
        choices=[],
        validators=[InputRequired(message=lazy_gettext("Select the rating the board agreed"))],
    )
    rationale = TextAreaField(
        lazy_gettext("Why the board agreed this rating"),
        widget=GovTextArea(),
        filters=[strip_text],
        validators=[
            Optional(),
            Length(
                max=MAX_TEXT,
                message=lazy_gettext(
                    "The rationale must be %(max)s characters or fewer", max=MAX_TEXT
                ),
            ),
        ],
    )
    version = HiddenField()
    submit = SubmitField(lazy_gettext("Save agreed rating"), widget=GovSubmitInput())


class ActionForm(FlaskForm):
    description = TextAreaField(
        lazy_gettext("What will be done"),
        widget=GovTextArea(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter what will be done")),
            Length(
                max=MAX_TEXT,
                message=lazy_gettext(
                    "The action must be %(max)s characters or fewer", max=MAX_TEXT
                ),
            ),
        ],
    )
    owner = StringField(
        lazy_gettext("Owner"),
        description=lazy_gettext("The person or agency responsible"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter who owns the action")),
            Length(
                max=MAX_OWNER,
                message=lazy_gettext(
                    "The owner must be %(max)s characters or fewer", max=MAX_OWNER
                ),
            ),
        ],
    )
    due_on = DueDateField(
        lazy_gettext("Due date"),
        description=lazy_gettext("For example, 30 9 2026"),
        widget=LocalDateInput(),
        format="%d %m %Y",
        validators=[Optional()],
    )
    status = RadioField(
        lazy_gettext("Status"),
        widget=GovRadioInput(),
        choices=[(value, lazy_gettext(name)) for value, name in ACTION_STATUSES],
        default="not_started",
        validators=[InputRequired(message=lazy_gettext("Select the action's status"))],
    )
    version = HiddenField()
    submit = SubmitField(lazy_gettext("Add action"), widget=GovSubmitInput())
