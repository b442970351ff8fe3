"""The small JSON state that phones, the projector and the lead's controls ask for every second.

Answered as a conditional response: it carries an ETag (a hash of the state), and a request
sending that ETag back in If-None-Match while nothing changed gets 304 Not Modified with no body.
The pages' scripts keep the last ETag and send it themselves: like every signed-in response,
the state is ``no-store``, so no browser keeps a copy (on a shared computer, say). A room of
thirty phones polling a question nobody is moving on gets thirty empty answers a second rather
than thirty bodies to send, parse and compare. Without Redis the state is worked out each time
(a few indexed reads) to know it is unchanged; with Redis a guest's phone is answered from what
``selfassess.services.live_marks`` kept.
"""

from __future__ import annotations

from flask import Response, jsonify, request


def conditional_json(state: dict) -> Response:
    response = jsonify(state)
    response.headers["Cache-Control"] = "no-store"
    response.add_etag()
    return response.make_conditional(request)


def not_modified(etag: str) -> Response:
    """The 304 for a state known unchanged without working it out again."""
    response = Response(status=304)
    response.headers["Cache-Control"] = "no-store"
    response.set_etag(etag)
    return response
