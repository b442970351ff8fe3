"""Forms for collections, imports, API tokens and the national survey."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import (
    GovCheckboxesInput,
    GovCheckboxInput,
    GovFileInput,
    GovSubmitInput,
    GovTextInput,
)
from wtforms import BooleanField, DateField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, Regexp

from selfassess.web.form_filters import strip_text
from selfassess.web.form_widgets import LocalDateInput


class GovDateField(DateField):
    """A GOV.UK date input (day, month, year) with an error message in the users' words."""

    def process_formdata(self, valuelist):
        if valuelist and any(part.strip() for part in valuelist):
            if len(valuelist) != 3:
                # Not the widget's day, month and year: it could not show them back.
                self.raw_data = None
                self.data = None
                raise ValueError(
                    _("%(field)s must be a real date, for example 31 5 2026", field=self.label.text)
                )
            try:
                super().process_formdata(valuelist)
            except ValueError as exc:
                raise ValueError(
                    _("%(field)s must be a real date, for example 31 5 2026", field=self.label.text)
                ) from exc
        else:
            self.data = None
            if not valuelist or len(valuelist) != 3:
                self.raw_data = None  # the GOV.UK widget wants day, month and year, or nothing


class CollectionForm(FlaskForm):
    title = StringField(
        lazy_gettext("Title"),
        description=lazy_gettext("For example, National IOM returns 2026"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[InputRequired(message=lazy_gettext("Enter a title")), Length(max=200)],
    )
    slug = StringField(
        lazy_gettext("Short name for links and files"),
        description=lazy_gettext(
            "Lower-case letters, numbers and hyphens, for example returns-2026"
        ),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter a short name")),
            Length(max=60, message=lazy_gettext("The short name must be 60 characters or fewer")),
            Regexp(
                r"^[a-z0-9][a-z0-9-]*$",
                message=lazy_gettext(
                    "Use only lower-case letters, numbers and hyphens in the short name"
                ),
            ),
        ],
    )
    frameworks = SelectMultipleField(
        lazy_gettext("Frameworks it collects"),
        widget=GovCheckboxesInput(),
        validators=[InputRequired(message=lazy_gettext("Select at least one framework"))],
    )
    opens_on = GovDateField(
        lazy_gettext("Opens on"),
        widget=LocalDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message=lazy_gettext("Enter the date the collection opens"))],
    )
    closes_on = GovDateField(
        lazy_gettext("Closes on"),
        widget=LocalDateInput(),
        format="%d %m %Y",
        validators=[InputRequired(message=lazy_gettext("Enter the date the collection closes"))],
    )
    expected = FileField(
        lazy_gettext("Expected partnerships (CSV)"),
        description=lazy_gettext(
            "Columns name, code, region, police force area. Partnerships the tool does "
            "not know yet are created."
        ),
        widget=GovFileInput(),
    )
    submit = SubmitField(lazy_gettext("Create collection"), widget=GovSubmitInput())

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.opens_on.data and self.closes_on.data and self.closes_on.data < self.opens_on.data:
            self.closes_on.errors = [*self.closes_on.errors, _("Closes on must be after opens on")]
            ok = False
        return ok


class ImportForm(FlaskForm):
    returns_file = FileField(
        lazy_gettext("Returns file"),
        description=lazy_gettext("CSV, XLSX or JSON in the national returns import format"),
        widget=GovFileInput(),
        validators=[InputRequired(message=lazy_gettext("Choose a returns file"))],
    )
    replace = BooleanField(
        lazy_gettext("Replace returns the collection already has"), widget=GovCheckboxInput()
    )
    add_expected = BooleanField(
        lazy_gettext(
            "Add partnerships the collection does not expect yet to its expected partnerships"
        ),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(lazy_gettext("Import returns"), widget=GovSubmitInput())


class ExpectedForm(FlaskForm):
    expected_file = FileField(
        lazy_gettext("Expected partnerships (CSV)"),
        description=lazy_gettext(
            "Columns name, code, region, police_force_area, one row per partnership. "
            "Partnerships the tool does not know yet are created; the details of those it knows "
            "are updated to the file's."
        ),
        widget=GovFileInput(),
    )
    replace = BooleanField(
        lazy_gettext("Replace the list: partnerships not in the file are no longer expected"),
        widget=GovCheckboxInput(),
    )
    submit = SubmitField(lazy_gettext("Load expected partnerships"), widget=GovSubmitInput())


class TokenForm(FlaskForm):
    name = StringField(
        lazy_gettext("What the token is for"),
        description=lazy_gettext("For example, Analysis team R scripts"),
        widget=GovTextInput(),
        filters=[strip_text],
        validators=[
            InputRequired(message=lazy_gettext("Enter what the token is for")),
            Length(max=120),
        ],
    )
    submit = SubmitField(lazy_gettext("Create token"), widget=GovSubmitInput())


class ConfirmForm(FlaskForm):
    submit = SubmitField(lazy_gettext("Confirm"), widget=GovSubmitInput())
