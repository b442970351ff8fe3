"""The small JSON state that phones, the projector and the lead's controls ask for every second.

Answered as a conditional response: it carries an ETag (a hash of the state), and a request
sending that ETag back in If-None-Match while nothing changed gets 304 Not Modified with no body.
Browsers do this themselves when the page's script fetches with ``cache: "no-cache"``; the state
is still worked out each time (it is a few indexed reads), but a room of thirty phones polling a
question nobody is moving on gets thirty empty answers a second rather than thirty bodies to
send, parse and compare. ``private``: each phone's state includes its own vote.
"""

from __future__ import annotations

from flask import Response, jsonify, request


def conditional_json(state: dict) -> Response:
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-cache, private"
    response.add_etag()
    return response.make_conditional(request)
