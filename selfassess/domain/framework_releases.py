"""Published framework versions stay as published: a fingerprint of what answers depend on, and
the check that a version in use was not changed in place afterwards."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import TYPE_CHECKING

from selfassess.domain.framework_checks import Problem

if TYPE_CHECKING:
    from selfassess.domain.frameworks import FrameworkLibrary


# What answers are given against: the questions' ids and wording, the sections they sit in,
# the scale and how it scores, the section rule, survey options and routing, and the tags the
# lens reads. Titles, descriptions, guidance and the source note can be corrected in place.
_ANSWERED_KEYS = (
    "id",
    "version",
    "kind",
    "scale",
    "section_rule",
    "tags",
    "unit_of_analysis",
    "sections",
)
_ANSWERED_SECTION_KEYS = ("id", "title", "items")
_ANSWERED_ITEM_KEYS = (
    "id",
    "text",
    "tags",
    "type",
    "options",
    "unit",
    "asked_if",
    "exclusive",
    "arrangements",
)


def content_hash(data: dict) -> str:
    """A fingerprint of a framework version's parsed content, as far as answers depend on it.

    Comments, layout, key order and the wording of help text do not change it; a changed
    question, scale value, score, option or tag does. Stored when a version is first used, it
    shows whether a published version was later changed in place.
    """
    kept = {k: data[k] for k in _ANSWERED_KEYS if k in data}
    kept["sections"] = [
        {
            **{k: s[k] for k in _ANSWERED_SECTION_KEYS if k != "items" and k in s},
            "items": [{k: i[k] for k in _ANSWERED_ITEM_KEYS if k in i} for i in s["items"]],
        }
        for s in data.get("sections", [])
    ]
    text = json.dumps(kept, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def changed_in_place(
    library: FrameworkLibrary, held: Iterable[tuple[str, str, str]]
) -> list[Problem]:
    """Versions in use (id, version, hash when first used) whose file now reads differently.

    Answers keep the version they were given against, so a published version must never
    change under them: a change is published as a new version beside the old one.
    """
    problems = []
    for framework_id, version, digest in held:
        fw = library.get(framework_id, version)
        if fw is not None and fw.content_hash != digest:
            problems.append(
                Problem(
                    fw.file,
                    "version",
                    f"{framework_id} {version} was changed in place after answers were given "
                    "against it: publish the change as a new version",
                )
            )
    return problems
