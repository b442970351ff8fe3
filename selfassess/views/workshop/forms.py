from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import (
    GovRadioInput,
    GovSelect,
    GovSubmitInput,
    GovTextArea,
    GovTextInput,
)
from wtforms import DateField, HiddenField, RadioField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from selfassess.domain.reference import AGENCIES
from selfassess.models.assessments import ACTION_STATUSES
from selfassess.web.form_widgets import LocalDateInput


class JoinForm(FlaskForm):
    """Join a live workshop. A signed-in member of the partnership joins as themselves, so the
    view drops the name and agency questions for them (``as_member``)."""

    code = StringField(
        _l("Join code"),
        widget=GovTextInput(),
        description=_l("The 8 characters shown on the screen, for example ABCD2345"),
        validators=[InputRequired(message=_l("Enter the join code shown on the screen"))],
    )
    name = StringField(
        _l("Your name"),
        widget=GovTextInput(),
        validators=[Length(max=120, message=_l("Your name must be 120 characters or fewer"))],
    )
    agency = RadioField(
        _l("Your agency"),
        widget=GovRadioInput(),
        choices=[(agency_id, _l(name)) for agency_id, name in AGENCIES],
    )
    # The language of this phone's workshop pages; the view sets the default (the page's).
    language = RadioField(
        _l("Language of the workshop on this phone"),
        widget=GovRadioInput(),
        choices=[("en", "English"), ("cy", "Cymraeg")],
        validate_choice=False,
    )
    # Asked only when a guest of the same name and agency joined before on another device.
    continue_as = RadioField(
        _l("Have you joined this assessment's workshops before?"),
        widget=GovRadioInput(),
        choices=[("yes", _l("Yes")), ("no", _l("No"))],
        validate_choice=False,
    )
    submit = SubmitField(_l("Join the workshop"), widget=GovSubmitInput())

    as_member = False

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        if self.as_member:
            self.name.errors = []
            self.agency.errors = []
        else:
            if not (self.name.data or "").strip():
                self.name.errors = [*self.name.errors, _("Enter your name")]
            if self.agency.errors or not self.agency.data:
                self.agency.errors = [_("Select your agency")]
        self._errors = None
        return not any(field.errors for field in self)


class AgreeForm(FlaskForm):
    value = RadioField(
        _l("Agreed rating"),
        widget=GovRadioInput(),
        validators=[InputRequired(message=_l("Select the rating the board agreed"))],
    )
    rationale = StringField(
        _l("Why the board agreed this rating"),
        widget=GovTextArea(),
        validators=[Length(max=5000, message=_l("The rationale must be 5000 characters or fewer"))],
    )
    expected_version = HiddenField()
    submit = SubmitField(_l("Save agreed rating"), widget=GovSubmitInput())


class DayMonthYearField(DateField):
    """A date in the GOV.UK date input's three boxes; anything but three boxes is no date."""

    def process_formdata(self, valuelist):
        if len(valuelist) != 3:
            self.raw_data = None
            self.data = None
            return
        super().process_formdata(valuelist)


class ActionForm(FlaskForm):
    description = StringField(
        _l("What will be done"),
        widget=GovTextArea(),
        validators=[
            InputRequired(message=_l("Enter what will be done")),
            Length(max=5000, message=_l("The action must be 5000 characters or fewer")),
        ],
    )
    owner = StringField(
        _l("Who owns it"),
        widget=GovTextInput(),
        description=_l("An agency or a person"),
        validators=[
            InputRequired(message=_l("Enter who owns the action: an agency or a person")),
            Length(max=200, message=_l("The owner must be 200 characters or fewer")),
        ],
    )
    due_on = DayMonthYearField(
        _l("Due date"),
        widget=LocalDateInput(),
        format="%d %m %Y",
        description=_l("For example, 27 3 2027"),
        validators=[Optional()],
    )
    status = SelectField(
        _l("Status"),
        widget=GovSelect(),
        choices=[(status, _l(words)) for status, words in ACTION_STATUSES],
        default="not_started",
    )
    submit = SubmitField(_l("Add action"), widget=GovSubmitInput())


COUNTDOWN_CHOICES = [
    ("0", _l("No countdown")),
    ("30", _l("30 seconds")),
    ("60", _l("1 minute")),
    ("90", _l("1 minute 30 seconds")),
    ("120", _l("2 minutes")),
    ("180", _l("3 minutes")),
    ("300", _l("5 minutes")),
]


class OptionsForm(FlaskForm):
    """The session's options, set when starting the workshop and changed while it runs."""

    show_names = RadioField(
        _l("On reveal, name who changed their vote between rounds?"),
        widget=GovRadioInput(),
        choices=[
            ("no", _l("No, show agencies only")),
            ("yes", _l("Yes, show names as well as agencies")),
        ],
        default="no",  # a form sent without it (an older page, a script) shows agencies only
    )
    countdown = SelectField(
        _l("Time per question"),
        widget=GovSelect(),
        description=_l(
            "Shown on the projector and the phones. Voting stays open when it runs out."
        ),
        choices=COUNTDOWN_CHOICES,
        default="0",
    )
    projector_languages = RadioField(
        _l("Language on the projector"),
        widget=GovRadioInput(),
        choices=[
            ("page", _l("The language of your pages")),
            ("cy+en", _l("Welsh and English: Welsh first, English underneath")),
        ],
        default="page",  # a form sent without it keeps the lead's page language
    )
    submit = SubmitField(_l("Start a live workshop"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        super().validate(extra_validators)
        # WTForms says "Not a valid choice"; say which choice, in the page's words.
        if self.show_names.errors:
            self.show_names.errors = [_("Select whether to name who changed their vote")]
        if self.countdown.errors:
            self.countdown.errors = [_("Choose a time per question from the list")]
        if self.projector_languages.errors:
            self.projector_languages.errors = [_("Select the language on the projector")]
        self._errors = None
        return not any(field.errors for field in self)

    def countdown_seconds(self) -> int | None:
        return int(self.countdown.data) or None

    def names_shown(self) -> bool:
        return self.show_names.data == "yes"

    def projector_languages_value(self) -> str:
        """ "" (the lead's page language) or "cy+en" (both, Welsh first)."""
        return "cy+en" if self.projector_languages.data == "cy+en" else ""


TIME_PATTERN = r"^([01]?\d|2[0-3])[:.]([0-5]\d)$"


def _time_field(label, example: str, missing, wrong) -> StringField:
    return StringField(
        label,
        widget=GovTextInput(),
        description=_l("24-hour clock, UK time, for example %(example)s", example=example),
        filters=[lambda v: v.strip() if isinstance(v, str) else v],
        validators=[InputRequired(message=missing), Regexp(TIME_PATTERN, message=wrong)],
    )


class WorkshopDayField(DayMonthYearField):
    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError(
                _("The date of the workshop must be a real date, like 27 3 2027")
            ) from None


class ScheduleForm(FlaskForm):
    """When and where the board's workshop meets; members are emailed a calendar invitation."""

    day = WorkshopDayField(
        _l("Date"),
        widget=LocalDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message=_l("Enter the date of the workshop"))],
    )
    starts = _time_field(
        _l("Start time"),
        "09:30",
        _l("Enter the start time"),
        _l("Enter the start time like %(example)s", example="09:30"),
    )
    ends = _time_field(
        _l("End time"),
        "12:00",
        _l("Enter the end time"),
        _l("Enter the end time like %(example)s", example="12:00"),
    )
    place = StringField(
        _l("Place (optional if online)"),
        widget=GovTextInput(),
        description=_l("For example, Committee Room 2, Northshire Civic Centre"),
        validators=[
            Optional(),
            Length(max=200, message=_l("The place must be 200 characters or fewer")),
        ],
    )
    online_link = StringField(
        _l("Online meeting link (optional if in person)"),
        widget=GovTextInput(),
        description=_l("The Teams or Zoom link, starting https://"),
        validators=[
            Optional(),
            Length(max=500, message=_l("The link must be 500 characters or fewer")),
            Regexp(r"^https://\S+$", message=_l("Enter a link starting https://")),
        ],
    )
    submit = SubmitField(_l("Save and email members"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if ok and not (self.place.data or "").strip() and not (self.online_link.data or "").strip():
            self.place.errors = [*self.place.errors, _("Enter a place, an online link, or both")]
            ok = False
        if ok and self.ends.data.replace(".", ":").zfill(5) <= self.starts.data.replace(
            ".", ":"
        ).zfill(5):
            self.ends.errors = [*self.ends.errors, _("The end time must be after the start time")]
            ok = False
        return ok


class CancelScheduleForm(FlaskForm):
    submit = SubmitField(_l("Cancel the workshop and email members"), widget=GovSubmitInput())
