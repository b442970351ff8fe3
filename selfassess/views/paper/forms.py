from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from govuk_frontend_wtf.wtforms_widgets import GovFileInput, GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired


class FindFormForm(FlaskForm):
    code = StringField(
        _l("Form code"),
        description=_l("Printed at the top of every page, for example K7MP-3QXD"),
        widget=GovTextInput(),
        validators=[InputRequired(message=_l("Enter the form code printed on the form"))],
    )
    submit = SubmitField(_l("Key in this form"), widget=GovSubmitInput())


class PostForm(FlaskForm):
    """A form with no fields of its own: the keyed answers are read by name, checked in the
    service; this carries the CSRF token."""


class UploadForm(FlaskForm):
    scans = FileField(_l("Scanned forms"), widget=GovFileInput())
    submit = SubmitField(_l("Read the scanned forms"), widget=GovSubmitInput())
