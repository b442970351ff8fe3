"""API views: thin JSON over selfassess.queries.national; the OpenAPI document describes them."""

from __future__ import annotations

from datetime import UTC, datetime
from functools import wraps

from flask import abort, jsonify, request
from werkzeug.exceptions import HTTPException

from selfassess.documents import picture_rows as kept
from selfassess.extensions import csrf
from selfassess.queries import national as q
from selfassess.services import api_tokens
from selfassess.views.api import bp
from selfassess.views.api.openapi import REGION_IDS, openapi_document

csrf.exempt(bp)


def _error(status: int, message: str):
    response = jsonify({"error": message})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="selfassess"'
    return response


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException):
    """Every error an API view raises is JSON ({"error": ...}), with the status's headers."""
    response = _error(error.code or 500, error.description or error.name)
    for header in ("Allow", "Retry-After", "WWW-Authenticate"):
        value = error.get_response().headers.get(header)
        if value:
            response.headers[header] = value
    return response


@bp.before_app_request
def routing_error_as_json():
    """An address under /api that matches no view (404) or not with this method (405) never
    reaches a view of this blueprint, so its handler above cannot answer: answer here."""
    error = request.routing_exception
    prefix = bp.url_prefix or ""
    under_api = request.path == prefix or request.path.startswith(prefix + "/")
    if under_api and isinstance(error, HTTPException) and (error.code or 0) >= 400:
        return http_error(error)
    return None


def token_required(view):
    @wraps(view)
    def wrapped(*args, **kwargs):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return _error(401, "Send an API token: Authorization: Bearer <token>")
        try:
            api_tokens.use_token(token.strip())
        except api_tokens.TokenRefused as refused:
            return _error(401, str(refused))
        return view(*args, **kwargs)

    return wrapped


def _collection(slug: str):
    collection = q.collection_or_none(slug)
    if collection is None:
        abort(_error(404, f"There is no collection {slug!r}"))
    return collection


def utc_iso(value: datetime) -> str:
    """RFC 3339 with its offset: SQLite hands back stored UTC times without one."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC).isoformat()
    return value.astimezone(UTC).isoformat()


def collection_json(c) -> dict:
    return {
        "slug": c.slug,
        "title": c.title,
        "opens_on": c.opens_on.isoformat(),
        "closes_on": c.closes_on.isoformat(),
        "frameworks": [
            {"id": cf.framework_id, "version": cf.framework_version} for cf in c.frameworks
        ],
    }


@bp.get("/openapi.json")
def openapi():
    return jsonify(openapi_document())


@bp.get("/collections")
@token_required
def collections():
    return jsonify({"collections": [collection_json(c) for c in q.all_collections()]})


@bp.get("/collections/<slug>/returns")
@token_required
def returns(slug: str):
    collection = _collection(slug)
    return jsonify(
        {
            "collection": collection.slug,
            "returns": [
                {
                    "partnership_code": r.partnership.code,
                    "partnership": r.partnership.name,
                    "region": r.partnership.region,
                    "version": r.version,
                    "source": r.source,
                    "arrangements": r.arrangements,
                    "submitted_at": utc_iso(r.submitted_at),
                    "snapshot": r.snapshot or {},
                }
                for r in q.returns_of(collection)
            ],
        }
    )


@bp.get("/collections/<slug>/picture")
@token_required
def picture(slug: str):
    collection = _collection(slug)
    region = request.args.get("region") or None
    if region is not None and region not in REGION_IDS:
        abort(_error(404, "There is no such region: use one of " + ", ".join(REGION_IDS)))
    earlier_slug = request.args.get("compare") or None
    if earlier_slug is not None and region is not None:
        abort(_error(404, "Comparisons are of the England and Wales figures: leave out region"))
    picture = kept.national_picture(collection, region=region)
    out = picture.to_json()
    if earlier_slug is not None:
        earlier = q.collection_or_none(earlier_slug)
        comparison = (
            kept.compared_with(collection, earlier, picture)
            if earlier is not None and earlier.id != collection.id
            else None
        )
        if comparison is None:
            abort(_error(404, "Nothing to compare: no such earlier collection, or no mapping "
                         "joins their surveys"))  # fmt: skip
        out["comparison"] = comparison.to_json()
    return jsonify(out)
