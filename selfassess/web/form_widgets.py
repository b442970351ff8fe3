"""GOV.UK form widgets every blueprint's forms share."""

from __future__ import annotations

from flask_babel import gettext
from govuk_frontend_wtf.wtforms_widgets import GovDateInput


class LocalDateInput(GovDateInput):
    """GOV.UK's day, month and year boxes, named in the page's language (the widget itself
    names them in English)."""

    def map_gov_params(self, field, **kwargs):
        params = super().map_gov_params(field, **kwargs)
        words = (gettext("Day"), gettext("Month"), gettext("Year"))
        for item, word in zip(params["items"], words, strict=False):
            item["label"] = word
        return params
