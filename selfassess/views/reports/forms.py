from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from selfassess.services.next_cycle import MAX_PERIOD, MAX_TITLE


class NextCycleForm(FlaskForm):
    title = StringField(
        _l("Title of the new assessment"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter a title for the new assessment")),
            Length(
                max=MAX_TITLE,
                message=_l("Title must be %(max)s characters or fewer", max=MAX_TITLE),
            ),
        ],
    )
    period = StringField(
        _l("Period it covers"),
        description=_l("For example, 2027 to 2028"),
        widget=GovTextInput(),
        validators=[
            InputRequired(message=_l("Enter the period the new assessment covers")),
            Length(
                max=MAX_PERIOD,
                message=_l("Period must be %(max)s characters or fewer", max=MAX_PERIOD),
            ),
        ],
    )
    submit = SubmitField(_l("Start the next assessment"), widget=GovSubmitInput())
