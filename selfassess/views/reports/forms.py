from flask_wtf import FlaskForm
from govuk_frontend_wtf.wtforms_widgets import GovSubmitInput, GovTextInput
from wtforms import StringField, SubmitField
from wtforms.validators import InputRequired, Length

from selfassess.services.next_cycle import MAX_PERIOD, MAX_TITLE


class NextCycleForm(FlaskForm):
    title = StringField(
        "Title of the new assessment",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter a title for the new assessment"),
            Length(max=MAX_TITLE, message=f"Title must be {MAX_TITLE} characters or fewer"),
        ],
    )
    period = StringField(
        "Period it covers",
        description="For example, 2027 to 2028",
        widget=GovTextInput(),
        validators=[
            InputRequired(message="Enter the period the new assessment covers"),
            Length(max=MAX_PERIOD, message=f"Period must be {MAX_PERIOD} characters or fewer"),
        ],
    )
    submit = SubmitField("Start the next assessment", widget=GovSubmitInput())
