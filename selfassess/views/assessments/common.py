"""Helpers the assessment views share: the pinned frameworks, sections, the member's progress."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from selfassess.domain.frameworks import Framework
from selfassess.domain.progress import SectionRef, progress, sections_of
from selfassess.domain.visibility import OVERSIGHT_ROLES as OVERSIGHT_ROLES  # re-exported
from selfassess.extensions import frameworks
from selfassess.models import Assessment
from selfassess.queries.assessments import rated_items, ratings_of
from selfassess.services.agreement import participant_for
from selfassess.web.access import role_in
from selfassess.web.language import current_language

# The progress, results, item and section pages are for OVERSIGHT_ROLES, who always see everyone's
# ratings; members read them on the report once domain.visibility allows.


def pinned_frameworks(assessment: Assessment) -> list[Framework]:
    """The frameworks at the versions the assessment pinned (FrameworkVersionNotFound if one
    is no longer held: the answers were given against that version, never another)."""
    library = frameworks()
    return [library.resolve(af.framework_id, af.framework_version) for af in assessment.frameworks]


def sections(assessment: Assessment) -> list[SectionRef]:
    return sections_of(pinned_frameworks(assessment))


def section_or_404(assessment: Assessment, framework_id: str, section_id: str) -> SectionRef:
    for ref in sections(assessment):
        if ref.key == (framework_id, section_id):
            return ref
    abort(404)


def item_or_404(assessment: Assessment, framework_id: str, item_id: str):
    for fw in pinned_frameworks(assessment):
        if fw.id == framework_id and fw.is_rated:
            item = fw.item(item_id)
            if item is not None:
                return fw, item
    abort(404)


def my_progress(assessment: Assessment):
    """(participant or None, my ratings by (framework, item), progress rows per section)."""
    participant = participant_for(assessment, current_user)
    ratings = ratings_of(participant.id) if participant else {}
    return participant, ratings, progress(sections(assessment), rated_items(ratings))


def my_role(assessment: Assessment) -> str | None:
    return role_in(assessment.partnership_id)


def framework_text(framework: Framework, text: str | None) -> str | None:
    """One of a framework's texts (a scale label, a title) in the page's language."""
    return framework.in_language(text, current_language())


def section_heading(framework: Framework, section) -> str:
    """ "Principle 2: …" in the page's language."""
    return framework.section_heading(section, current_language())


def section_short_name(framework: Framework, section) -> str:
    """ "Principle 2" (or a named section's title) in the page's language."""
    return framework.section_short_name(section, current_language())


def template_helpers() -> dict:
    """What the assessment and partnership pages call to show framework texts."""
    return {
        "section_heading": section_heading,
        "section_short_name": section_short_name,
        "framework_text": framework_text,
    }
