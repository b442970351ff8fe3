"""The OpenAPI 3.1 document of the read-only national API (tests check responses against it)."""

from __future__ import annotations

from typing import Any

from selfassess.domain.reference import REGIONS

NULLABLE_NUMBER = {"type": ["number", "null"]}
NULLABLE_INT = {"type": ["integer", "null"]}

SCHEMAS: dict[str, Any] = {
    "Error": {
        "type": "object",
        "required": ["error"],
        "additionalProperties": False,
        "properties": {"error": {"type": "string"}},
    },
    "Collection": {
        "type": "object",
        "required": ["slug", "title", "opens_on", "closes_on", "frameworks"],
        "additionalProperties": False,
        "properties": {
            "slug": {"type": "string"},
            "title": {"type": "string"},
            "opens_on": {"type": "string", "format": "date"},
            "closes_on": {"type": "string", "format": "date"},
            "frameworks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "required": ["id", "version"],
                    "properties": {"id": {"type": "string"}, "version": {"type": "string"}},
                },
            },
        },
    },
    "Collections": {
        "type": "object",
        "required": ["collections"],
        "properties": {
            "collections": {"type": "array", "items": {"$ref": "#/components/schemas/Collection"}}
        },
    },
    "Return": {
        "type": "object",
        "required": [
            "partnership_code",
            "partnership",
            "region",
            "version",
            "source",
            "arrangements",
            "submitted_at",
            "snapshot",
        ],
        "additionalProperties": False,
        "properties": {
            "partnership_code": {"type": "string"},
            "partnership": {"type": "string"},
            "region": {"type": "string"},
            "version": {"type": "integer", "minimum": 1},
            "source": {"type": "string", "enum": ["app", "import"]},
            "arrangements": {"type": "integer", "minimum": 0},
            "submitted_at": {"type": "string", "format": "date-time"},
            "snapshot": {
                "type": "object",
                "description": "The locked snapshot: ratings (agreed or provisional), section "
                "RAGs and survey answers by arrangement (0 = the partnership).",
            },
        },
    },
    "Returns": {
        "type": "object",
        "required": ["collection", "returns"],
        "properties": {
            "collection": {"type": "string"},
            "returns": {"type": "array", "items": {"$ref": "#/components/schemas/Return"}},
        },
    },
    "OptionFigure": {
        "type": "object",
        "required": ["label", "count", "percent"],
        "additionalProperties": False,
        "properties": {
            "label": {"type": "string"},
            "count": NULLABLE_INT,
            "percent": NULLABLE_NUMBER,
            "suppressed": {"type": "boolean", "const": True},
        },
    },
    "ItemFigures": {
        "type": "object",
        "required": ["framework", "text", "unit", "n", "missing", "options"],
        "additionalProperties": False,
        "properties": {
            "framework": {"type": "string"},
            "text": {"type": "string"},
            "unit": {"type": "string", "enum": ["partnership", "arrangement"]},
            "n": NULLABLE_INT,
            "missing": NULLABLE_INT,
            "options": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/OptionFigure"},
            },
        },
    },
    "CombinedFigure": {
        "type": "object",
        "description": "A figure the framework declares over one item's answers: n units chose "
        "more than one option, all of some or any of some, out of base (the units that answered "
        "the item, were asked it, or every return, as base_of says).",
        "required": [
            "framework",
            "text",
            "item",
            "rule",
            "options",
            "base_of",
            "n",
            "base",
            "percent",
        ],
        "additionalProperties": False,
        "properties": {
            "framework": {"type": "string"},
            "text": {"type": "string"},
            "item": {"type": "string"},
            "rule": {"type": "string", "enum": ["more_than_one", "all_of", "any_of"]},
            "options": {"type": "array", "items": {"type": "string"}},
            "base_of": {"type": "string", "enum": ["answered", "asked", "returns"]},
            "n": NULLABLE_INT,
            "base": NULLABLE_INT,
            "percent": NULLABLE_NUMBER,
            "suppressed": {"type": "boolean", "const": True},
        },
    },
    "Picture": {
        "type": "object",
        "required": ["collection", "returns", "items"],
        "additionalProperties": False,
        "properties": {
            "collection": {"type": "string"},
            "region": {"type": "string"},
            "returns": {"type": "integer", "minimum": 0},
            "items": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/ItemFigures"},
            },
            "figures": {
                "type": "object",
                "additionalProperties": {"$ref": "#/components/schemas/CombinedFigure"},
            },
            "comparison": {
                "type": "object",
                "description": "With compare: each mapped answer's share in the earlier and "
                "this collection (percent and the n it is of), the change in percentage points, "
                "whether it is like for like and the note on how the bases differ, and the "
                "questions not compared.",
                "required": ["mapping", "earlier_collection", "figures", "not_compared"],
                "properties": {
                    "mapping": {"type": "string"},
                    "earlier_collection": {"type": "string"},
                    "earlier_framework": {"type": "string"},
                    "later_framework": {"type": "string"},
                    "figures": {"type": "array", "items": {"type": "object"}},
                    "not_compared": {"type": "array", "items": {"type": "string"}},
                },
            },
        },
    },
}


def _json(description: str, schema: str, **extra: Any) -> dict[str, Any]:
    return {
        "description": description,
        **extra,
        "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{schema}"}}},
    }


UNAUTHORISED = _json(
    "No token was sent, or it is not valid, has been revoked or its owner is no longer a "
    "national analyst",
    "Error",
    headers={
        "WWW-Authenticate": {
            "description": 'Bearer realm="selfassess"',
            "schema": {"type": "string"},
        }
    },
)


def _get(
    summary: str, schema: str, params: list | None = None, not_found: str | None = None
) -> dict[str, Any]:
    """A GET needing a token: its 200, its 401 and (where it names one) its 404."""
    responses = {"200": _json("OK", schema), "401": UNAUTHORISED}
    if not_found:
        responses["404"] = _json(not_found, "Error")
    return {
        "get": {
            "summary": summary,
            "security": [{"bearer": []}],
            "parameters": params or [],
            "responses": responses,
        }
    }


REGION_IDS = [region_id for region_id, _ in REGIONS]
SLUG = {
    "name": "slug",
    "in": "path",
    "required": True,
    "description": "The collection's short name",
    "schema": {"type": "string"},
}
REGION = {
    "name": "region",
    "in": "query",
    "required": False,
    "description": "A region id: that region's figures, groups under the threshold suppressed",
    "schema": {"type": "string", "enum": REGION_IDS},
}

COMPARE = {
    "name": "compare",
    "in": "query",
    "required": False,
    "description": "An earlier collection's short name: adds 'comparison', the England and Wales "
    "figures beside it where a mapping between their surveys says which questions correspond "
    "(not with region)",
    "schema": {"type": "string"},
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "selfassess national API",
            "version": "1.0.0",
            "description": "Read-only: national collections, their returns and the national "
            "picture. Send an analyst's token as Authorization: Bearer <token>.",
        },
        "paths": {
            "/api/openapi.json": {
                "get": {
                    "summary": "This document",
                    "security": [],
                    "parameters": [],
                    "responses": {
                        "200": {
                            "description": "The OpenAPI document of the API",
                            "content": {"application/json": {"schema": {"type": "object"}}},
                        }
                    },
                }
            },
            "/api/collections": _get("Every collection", "Collections"),
            "/api/collections/{slug}/returns": _get(
                "The submitted returns of a collection",
                "Returns",
                [SLUG],
                not_found="There is no collection of that short name",
            ),
            "/api/collections/{slug}/picture": _get(
                "The national picture (as selfassess national report prints it)",
                "Picture",
                [SLUG, REGION, COMPARE],
                not_found="There is no collection of that short name, or no such region, or "
                "nothing to compare: no such earlier collection, or no mapping joins their surveys",
            ),
        },
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
