"""Paper forms: printing them (with the code and layout kept, so a form can be looked up and its
scan read), and keying them back in, once or twice (double entry), through the rating service.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime

from flask_babel import gettext as _
from markupsafe import Markup
from sqlalchemy.exc import IntegrityError

from selfassess.documents.paper_forms import in_form_language, print_form
from selfassess.documents.pdf import cached_pdf
from selfassess.domain.frameworks import Framework
from selfassess.domain.history import long_date
from selfassess.domain.paper import (
    PRINT_LANGUAGES,
    Keyed,
    entered_from_paper,
    layout_in,
    new_form_code,
    with_layout,
)
from selfassess.domain.reference import agency_name
from selfassess.models import Assessment, Collection, PaperEntry, PaperForm, Partnership, User
from selfassess.queries import paper as q
from selfassess.services import audit, transaction
from selfassess.services.agreement import (
    AssessmentLocked,
    _clean_text,
    participant_for,
    save_rating,
)


class PaperError(ValueError):
    """Something about a paper form the lead must put right, in words for the page."""


def _new_form(**fields) -> PaperForm:
    for _attempt in range(5):  # a clash of random codes is rare; try again rather than fail
        try:
            with transaction() as session:
                form = PaperForm(code=new_form_code(), **fields)
                session.add(form)
            return form
        except IntegrityError:
            continue
    raise RuntimeError("Could not make a unique form code")  # for the log, not a person


def assessment_form(
    assessment: Assessment, fw: Framework, member: User | None, actor: User
) -> PaperForm:
    """The assessment's form for this framework: blank (member None) or made out to a member.
    The same form (and code) each time it is printed."""
    form = q.assessment_form(assessment.id, fw.id, member.id if member else None)
    if form is None:
        form = _new_form(
            partnership_id=assessment.partnership_id,
            assessment_id=assessment.id,
            framework_id=fw.id,
            framework_version=fw.version,
            user_id=member.id if member else None,
            created_by_id=actor.id,
        )
    return form


def survey_form(
    partnership: Partnership, collection: Collection, fw: Framework, actor: User
) -> PaperForm:
    form = q.survey_form(partnership.id, collection.id, fw.id)
    if form is None:
        form = _new_form(
            partnership_id=partnership.id,
            collection_id=collection.id,
            framework_id=fw.id,
            framework_version=fw.version,
            created_by_id=actor.id,
        )
    return form


def form_pdf(
    form: PaperForm,
    fw: Framework,
    *,
    title: str,
    subtitle: str,
    marking: str,
    language: str = "en",
) -> bytes:
    """The form's PDF (laid out once per form, language and day); the layout of each language
    it is printed in is kept with the form, beside the others, for reading its scans."""
    language = language if language in PRINT_LANGUAGES else "en"
    person = None
    if form.user is not None:
        person = form.user.name
        if form.user.agency:
            agency = in_form_language(language)(lambda lang: _(agency_name(form.user.agency)))
            person = Markup("{}, {}").format(form.user.name, agency)

    def make() -> bytes:
        printed = print_form(
            fw,
            form.code,
            title=title,
            subtitle=subtitle,
            person=person,
            marking=marking,
            language=language,
        )
        if layout_in(form.layout, language) != printed.layout:
            with transaction():
                form.layout = with_layout(form.layout, language, printed.layout)
        return printed.pdf

    pdf = cached_pdf(
        (
            "paper",
            form.code,
            fw.version,
            language,
            str(title),
            str(subtitle),
            str(person),
            marking,
        ),
        make,
    )
    if layout_in(form.layout, language) is None:  # laid out by another server: keep it here too
        make()
    return pdf


# --- keying in -------------------------------------------------------------------------------


def clean_answers(fw: Framework, answers: Mapping[str, Keyed]) -> dict[str, Keyed]:
    """The keyed answers checked against the framework: known questions, values on its scale,
    text within limits. PaperError names the first problem."""
    clean: dict[str, Keyed] = {}
    for item in fw.items:
        keyed = answers.get(item.id)
        if keyed is None or keyed.blank:
            continue
        if keyed.value and fw.scale_value(keyed.value) is None:
            raise PaperError(
                _(
                    "Question %(number)s: %(value)s is not a rating",
                    number=item.id,
                    value=repr(keyed.value),
                )
            )
        try:
            evidence = _clean_text(keyed.evidence) or ""
            improvement = _clean_text(keyed.improvement) or ""
        except ValueError as exc:
            raise PaperError(
                _("Question %(number)s: %(problem)s", number=item.id, problem=exc)
            ) from None
        clean[item.id] = Keyed(keyed.value or None, evidence, improvement)
    return clean


def _as_json(answers: Mapping[str, Keyed]) -> dict[str, dict[str, str | None]]:
    return {
        k: {"value": v.value, "evidence": v.evidence, "improvement": v.improvement}
        for k, v in answers.items()
    }


def entry_answers(entry: PaperEntry) -> dict[str, Keyed]:
    return {
        k: Keyed(v.get("value"), v.get("evidence") or "", v.get("improvement") or "")
        for k, v in (entry.answers or {}).items()
    }


def save_keyed(
    assessment: Assessment,
    fw: Framework,
    member: User,
    answers: Mapping[str, Keyed],
    lead: User,
    on: date | None = None,
    checked_by: User | None = None,
    label: str | None = None,
) -> int:
    """Save a keyed form as the member's ratings, each through the rating service and marked in
    the history as entered from paper by the lead. Everything is checked before anything is
    saved. The number of ratings saved."""
    if assessment.is_locked or assessment.status != "open":
        raise AssessmentLocked(
            assessment, _("Ratings can only be entered while the assessment is open")
        )
    clean = clean_answers(fw, answers)
    participant = participant_for(assessment, member, create=True)
    label = label or entered_from_paper(
        lead.name, long_date(on or date.today()), checked_by.name if checked_by else None
    )
    actor = checked_by or lead
    for item_id, keyed in clean.items():
        save_rating(
            participant,
            fw.id,
            item_id,
            keyed.value,
            keyed.evidence,
            keyed.improvement,
            actor,
            actor_label=label,
        )
    return len(clean)


def keep_for_second_keying(
    assessment: Assessment,
    form: PaperForm,
    fw: Framework,
    member: User,
    answers: Mapping[str, Keyed],
    lead: User,
) -> PaperEntry:
    """The first keying of a double entry: held, not saved, until a second person keys it."""
    if assessment.is_locked or assessment.status != "open":
        raise AssessmentLocked(
            assessment, _("Ratings can only be entered while the assessment is open")
        )
    clean = clean_answers(fw, answers)
    if not clean:
        raise PaperError(_("Nothing was keyed in: enter at least one rating"))
    if q.waiting_entry(form.id, member.id) is not None:
        raise PaperError(_("This form is already waiting for a second person to key it in"))
    with transaction() as session:
        entry = PaperEntry(
            paper_form_id=form.id,
            assessment_id=assessment.id,
            user_id=member.id,
            entered_by_id=lead.id,
            answers=_as_json(clean),
            status="waiting",
        )
        session.add(entry)
        session.flush()
        audit.record(
            "paper_entry",
            "keyed",
            None,
            {"form": form.code, "member": member.name, "questions": len(clean)},
            actor_user=lead,
            assessment=assessment,
            framework_id=fw.id,
            entity_id=entry.id,
        )
    return entry


def finish_double_entry(
    assessment: Assessment,
    entry: PaperEntry,
    fw: Framework,
    chosen: Mapping[str, Keyed],
    verifier: User,
) -> int:
    """Save what the second person settled (their keying, with each difference chosen), and
    close the waiting entry. The first keyer cannot verify their own keying."""
    if entry.status != "waiting":
        raise PaperError(_("This keying has already been saved or discarded"))
    if entry.entered_by_id == verifier.id:
        raise PaperError(_("A second person must key the form again: you keyed it first"))
    first = entry.entered_by or verifier
    saved = save_keyed(assessment, fw, entry.user, chosen, first, checked_by=verifier)
    with transaction():
        entry.status = "saved"
        entry.verified_by_id = verifier.id
        entry.closed_at = datetime.now(UTC)
    return saved


def discard_entry(entry: PaperEntry, actor: User) -> None:
    if entry.status != "waiting":
        return
    with transaction():
        entry.status = "discarded"
        entry.verified_by_id = actor.id
        entry.closed_at = datetime.now(UTC)
