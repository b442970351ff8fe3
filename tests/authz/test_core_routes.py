"""Authorization table: the start page, the framework browser, signing in and out."""

from __future__ import annotations

from tests.authz.harness import Route, everyone, route_test

SIGNED_IN = {"outsider", "analyst", "observer", "member", "lead"}

ROUTES = [
    Route("GET", "/", everyone(200)),
    Route("GET", "/frameworks/", everyone(200)),
    Route("GET", "/frameworks/{framework}", everyone(200)),
    Route("GET", "/frameworks/no-such-framework", everyone(404)),
    # Signed-in people are sent on from the sign-in page; a wrong password shows the form again.
    Route("GET", "/sign-in", {**everyone(302), "anonymous": 200}),
    Route(
        "POST",
        "/sign-in",
        {**everyone(302), "anonymous": 200},
        data={"email": "nobody@test.example", "password": "wrong"},
    ),
    Route("GET", "/sign-out", {**everyone(200), "anonymous": 302}),
    Route("POST", "/sign-out", everyone(302)),
    # Each person's own account page: their email choices, nobody else's.
    Route("GET", "/account", {**everyone(200), "anonymous": 302}),
    Route("POST", "/account", everyone(302), data={"reminders": ["rating_reminder"]}),
    # The English | Cymraeg toggle: anyone, signed in or not, back to where they were.
    Route("GET", "/language/cy?next=/", everyone(302)),
    Route("GET", "/language/fr?next=/", everyone(404)),
]
test_routes = route_test(ROUTES)
