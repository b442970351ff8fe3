"""The rating page's form: per item a rating, evidence and improvement measures, checked here.

Plain fields rather than a WTForms form per item, so a section of any size is one form, and the
autosave endpoint checks an item with exactly the same rules.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from flask_babel import gettext as _

from selfassess.domain.frameworks import Framework, Item
from selfassess.models import Rating
from selfassess.services.agreement import MAX_TEXT

FIELDS = ("value", "evidence", "improvement")


def item_key(item: Item) -> str:
    return "item-" + re.sub(r"[^A-Za-z0-9_-]", "-", item.id)


@dataclass
class ItemEntry:
    item: Item
    value: str | None = None
    evidence: str = ""
    improvement: str = ""
    errors: dict[str, str] = field(default_factory=dict)
    touched: bool = False

    @property
    def key(self) -> str:
        return item_key(self.item)

    def name(self, field_name: str) -> str:
        return f"{self.key}-{field_name}"


def check(framework: Framework, value: str | None, evidence: str, improvement: str) -> dict:
    """Errors by field name (value, evidence, improvement); empty when all is well."""
    errors = {}
    if value and framework.scale_value(value) is None:
        errors["value"] = _("Select red, amber, green, don't know or not applicable")
    if len(evidence) > MAX_TEXT:
        errors["evidence"] = _("Evidence must be %(max)s characters or fewer", max=MAX_TEXT)
    if len(improvement) > MAX_TEXT:
        errors["improvement"] = _(
            "Measures being taken to improve must be %(max)s characters or fewer", max=MAX_TEXT
        )
    return errors


def from_ratings(items, ratings: dict[tuple[str, str], Rating], framework_id: str):
    entries = []
    for item in items:
        rating = ratings.get((framework_id, item.id))
        entries.append(
            ItemEntry(
                item,
                rating.value if rating else None,
                (rating.evidence or "") if rating else "",
                (rating.improvement or "") if rating else "",
            )
        )
    return entries


def from_form(framework: Framework, items, form) -> list[ItemEntry]:
    entries = []
    for item in items:
        entry = ItemEntry(item)
        entry.value = form.get(entry.name("value")) or None
        entry.evidence = (form.get(entry.name("evidence")) or "").replace("\r\n", "\n").strip()
        entry.improvement = (
            (form.get(entry.name("improvement")) or "").replace("\r\n", "\n").strip()
        )
        entry.touched = any(entry.name(f) in form for f in FIELDS)
        entry.errors = check(framework, entry.value, entry.evidence, entry.improvement)
        entries.append(entry)
    return entries


def error_list(entries: list[ItemEntry]) -> list[dict]:
    """For the GOV.UK error summary: each message linking to its field."""
    return [
        {
            "text": _("Question %(id)s: %(message)s", id=e.item.id, message=message),
            "href": f"#{e.name(name)}",
        }
        for e in entries
        for name, message in e.errors.items()
    ]
