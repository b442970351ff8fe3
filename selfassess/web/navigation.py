"""The service navigation: which links a signed-in (or anonymous) person sees, and when."""

from __future__ import annotations

from flask import request, url_for
from flask_babel import gettext
from flask_login import current_user

from selfassess.domain.i18n import N_

# (label, endpoint, who sees it). Endpoints not registered yet are skipped.
NAVIGATION = (
    (N_("Your partnerships"), "partnerships.index", lambda u: u.is_authenticated),
    (N_("National"), "national.index", lambda u: u.is_authenticated and u.is_analyst),
    (N_("Frameworks"), "frameworks.index", lambda u: True),
    (N_("Your account"), "auth.account", lambda u: u.is_authenticated),
    # Registered only in development settings (MAIL_DEV_PAGE), so never shown in production.
    (N_("Emails sent"), "dev_mail.index", lambda u: True),
    (N_("Sign out"), "auth.sign_out", lambda u: u.is_authenticated),
    (N_("Sign in"), "auth.sign_in", lambda u: not u.is_authenticated),
)


def navigation_items() -> list[dict]:
    from flask import current_app

    items = []
    for label, endpoint, visible in NAVIGATION:
        if endpoint not in current_app.view_functions or not visible(current_user):
            continue
        href = url_for(endpoint)
        items.append(
            {
                "href": href,
                "text": gettext(label),
                "active": request.path.startswith(href) and href != "/",
            }
        )
    return items
