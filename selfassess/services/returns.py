"""Returns to a national collection: submit from the app, import from files, survey drafts.

A return is a locked, versioned snapshot: the ratings of the partnership's assessment (agreed, or
provisional where the board has not agreed one) and their section RAGs, plus the national survey
answers (``selfassess.domain.return_snapshot`` builds its rows and snapshot). Resubmission
replaces the whole return, bumps its version and is audited. A submission from the app names
the version it was shown, so a double click or two tabs make one new version, not several.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from selfassess.documents import jobs
from selfassess.domain import assessment_status
from selfassess.domain.frameworks import Framework
from selfassess.domain.i18n import N_
from selfassess.domain.phrases import FrameworkText, Phrase
from selfassess.domain.return_snapshot import (
    AnswerRow,
    return_snapshot,
    section_rags,
    section_rows,
)
from selfassess.domain.returns_import import ImportedReturn, ImportResult
from selfassess.domain.survey_rules import answers_from_rows, consistency_problems
from selfassess.extensions import db
from selfassess.extensions import frameworks as library
from selfassess.models import (
    Assessment,
    Collection,
    Partnership,
    Return,
    ReturnAnswer,
    SurveyAnswer,
    User,
)
from selfassess.queries.national import (
    collection_frameworks,
    is_open,
    partnerships_by_code,
    return_for,
    returns_fingerprint,
)
from selfassess.queries.ratings import assessment_results
from selfassess.services import audit, transaction
from selfassess.services.collections import expect_partnerships
from selfassess.services.mail import compose
from selfassess.services.mail.outbox import queue


class ReturnError(ValueError):
    """A return the rules refuse (collection closed, assessment not agreed...): ``message`` is
    the sentence for the person, in English (a Phrase the page shows in its own language)."""

    def __init__(self, message: str):
        self.message = message
        super().__init__(message)


class ReturnRaced(Exception):
    """Another submission stored a version after the one this submission was shown."""


class StaleReturn(ReturnError):
    """The return changed since the person was shown it, and they sent different answers."""

    def __init__(self, current: Return | None):
        self.current = current
        if current is None:
            message = Phrase(
                N_("The return changed while you were checking your answers. Submit again.")
            )
        else:
            message = Phrase(
                N_(
                    "Version %(version)s of the return was submitted while you were checking "
                    "your answers. Check them and submit again to replace it."
                ),
                version=current.version,
            )
        super().__init__(message)


# --- storing a return -------------------------------------------------------------------------


def store_return(
    collection: Collection,
    partnership: Partnership,
    rows: Iterable[AnswerRow],
    arrangements: int,
    snapshot: dict[str, Any],
    actor: User | None,
    source: str,
    assessment: Assessment | None = None,
    shown_version: int | None = None,
) -> Return:
    """Create the return, or replace an existing one whole (version + 1, audited).

    ``shown_version`` is the version the submitter was shown (0: none yet). The database decides
    whether it is still current (the unique return per partnership for a first version, a
    conditional update that takes the row's lock for a later one), so of submissions made at
    once from one page exactly one stores and the others raise ReturnRaced. An import passes
    None and replaces whatever is there. In the caller's transaction.
    """
    where = (Return.collection_id == collection.id, Return.partnership_id == partnership.id)
    if shown_version:
        claimed = db.session.execute(
            update(Return)
            .where(*where, Return.version == shown_version)
            .values(version=shown_version + 1)
            .execution_options(synchronize_session=False)
        ).rowcount
        if claimed != 1:
            raise ReturnRaced
    existing = db.session.execute(
        select(Return).where(*where).execution_options(populate_existing=True)
    ).scalar_one_or_none()
    if shown_version == 0 and existing is not None:
        raise ReturnRaced
    before = None
    if existing is None:
        ret = Return(collection_id=collection.id, partnership_id=partnership.id, version=1)
        db.session.add(ret)
    else:
        ret = existing
        old_version = shown_version or ret.version or 1
        before = {"version": old_version, "source": ret.source, "snapshot": ret.snapshot}
        db.session.execute(delete(ReturnAnswer).where(ReturnAnswer.return_id == ret.id))
        ret.version = old_version + 1
    ret.assessment_id = assessment.id if assessment is not None else None
    ret.arrangements = arrangements
    ret.source = source
    ret.submitted_by_id = actor.id if actor is not None else None
    ret.submitted_at = datetime.now(UTC)
    ret.snapshot = {**snapshot, "version": ret.version}
    try:
        db.session.flush()
    except IntegrityError:
        if existing is not None:
            raise
        raise ReturnRaced from None  # another first version was stored at the same moment
    db.session.add_all(
        ReturnAnswer(
            return_id=ret.id,
            collection_id=collection.id,
            framework_id=fid,
            item_id=iid,
            arrangement=arr,
            value=value,
        )
        for fid, iid, arr, value in rows
    )
    audit.record(
        "return",
        "submitted" if existing is None else "resubmitted",
        before,
        {"version": ret.version, "source": source, "collection": collection.slug},
        actor_user=actor,
        assessment=assessment,
        partnership_id=partnership.id,
        entity_id=ret.id,
    )
    return ret


def _same_answers(stored: Return, snapshot: dict[str, Any]) -> bool:
    """Whether a stored return holds exactly this snapshot (as JSON, apart from its version)."""
    kept = {k: v for k, v in (stored.snapshot or {}).items() if k != "version"}
    return kept == json.loads(json.dumps(snapshot))


def submit_return(
    collection: Collection,
    partnership: Partnership,
    assessment: Assessment | None,
    survey_answers: Iterable[AnswerRow],
    arrangements: int,
    actor: User | None,
    source: str = "app",
    today: date | None = None,
    shown_version: int | None = None,
) -> Return:
    """Submit (or resubmit) a partnership's return from the app and lock its assessment.

    The collection must be open; the assessment (needed when the collection collects a rated
    framework) must be the partnership's and agreed (or already submitted, on resubmission).
    ``shown_version``: the version the check-answers page showed (0: none). When another
    submission got in first, the same answers give back that submission's return (the same
    confirmation); different answers raise StaleReturn, to be checked and sent again.
    """
    if not is_open(collection, today):
        raise ReturnError(
            Phrase(N_("The collection is not open: returns are taken between its dates."))
        )
    fws = collection_frameworks(collection)
    rated = [fw for fw in fws if fw.is_rated]
    ratings: dict[str, dict[str, dict[str, Any]]] = {}
    rows: list[AnswerRow] = []
    sections: dict[str, dict[str, str | None]] = {}
    if rated:
        if assessment is None or assessment.partnership_id != partnership.id:
            raise ReturnError(Phrase(N_("Choose the partnership's agreed assessment to submit.")))
        if assessment.status not in ("agreed", "submitted"):
            raise ReturnError(Phrase(N_("Only an agreed assessment can be submitted as a return.")))
        pinned = {af.framework_id: af.framework_version for af in assessment.frameworks}
        for fw in rated:
            if fw.id in pinned and pinned[fw.id] != fw.version:
                # Answers keep the version they were given against: never re-read as another.
                raise ReturnError(
                    Phrase(
                        N_(
                            "The assessment was rated against version %(rated)s of "
                            "%(framework)s; this collection collects version %(version)s. "
                            "Submit an assessment rated against that version."
                        ),
                        rated=pinned[fw.id],
                        framework=FrameworkText(fw.title),
                        version=fw.version,
                    )
                )
        results = assessment_results(library(), assessment)
        for fw in rated:
            result = results.framework(fw.id)
            if result is None:
                raise ReturnError(
                    Phrase(
                        N_("The assessment does not cover %(framework)s."),
                        framework=FrameworkText(fw.title),
                    )
                )
            ratings[fw.id] = {
                i.item_id: {"rating": i.rating, "agreed": not i.provisional} for i in result.items
            }
            rows += [(fw.id, i.item_id, 0, i.rating) for i in result.items if i.rating]
            sections[fw.id] = {s.id: s.rag for s in result.sections}
    survey = list(survey_answers)
    # The rules an import keeps, kept for the survey in the tool too.
    broken = consistency_problems(
        [fw for fw in fws if fw.kind == "survey"], answers_from_rows(survey), arrangements
    )
    if broken:
        listed = {f"p{i}": p.message for i, p in enumerate(broken)}
        raise ReturnError(
            Phrase(
                N_(
                    "Some answers contradict each other: %(problems)s. Change them before you "
                    "submit."
                ),
                problems=Phrase("; ".join(f"%({key})s" for key in listed), **listed),
            )
        )
    rows += survey + section_rows(sections)
    snapshot = return_snapshot(
        collection.slug,
        partnership.code,
        assessment.id if assessment else None,
        fws,
        ratings,
        sections,
        survey,
        arrangements,
    )
    try:
        with transaction():
            ret = store_return(
                collection,
                partnership,
                rows,
                arrangements,
                snapshot,
                actor,
                source,
                assessment,
                shown_version=shown_version,
            )
            if assessment is not None and assessment.status != "submitted":
                _lock_submitted(assessment, actor)
            if actor is not None and source == "app":
                queue(compose.receipt(ret, collection, partnership, actor), user_id=actor.id)
    except ReturnRaced:
        # transaction() has rolled the loser back: read what the winner stored.
        current = return_for(collection, partnership.id)
        if current is not None and _same_answers(current, snapshot):
            return current
        raise StaleReturn(current) from None
    _draw_picture_ahead(collection)
    return ret


def _lock_submitted(assessment: Assessment, actor: User | None) -> None:
    before = assessment.status
    assessment.status = assessment_status.next_status(before, "submitted", manual=False)
    audit.record(
        "assessment",
        "status_changed",
        {"status": before},
        {"status": "submitted"},
        actor_user=actor,
        assessment=assessment,
        entity_id=assessment.id,
    )


# --- survey drafts ----------------------------------------------------------------------------


def save_draft_answer(
    collection: Collection,
    partnership: Partnership,
    framework_id: str,
    item_id: str,
    arrangement: int,
    values: list[str],
) -> None:
    """Save the partnership's answer to one survey question (for one arrangement), replacing
    the one saved before."""
    with transaction():
        answer = db.session.execute(
            select(SurveyAnswer).filter_by(
                collection_id=collection.id,
                partnership_id=partnership.id,
                item_id=item_id,
                arrangement=arrangement,
            )
        ).scalar_one_or_none()
        if answer is None:
            answer = SurveyAnswer(
                collection_id=collection.id,
                partnership_id=partnership.id,
                framework_id=framework_id,
                item_id=item_id,
                arrangement=arrangement,
            )
            db.session.add(answer)
        answer.framework_id = framework_id
        answer.values = list(values)
        answer.updated_at = datetime.now(UTC)


# --- importing returns from a file --------------------------------------------------------------


def import_returns(
    collection: Collection,
    result: ImportResult,
    actor: User | None,
    progress=None,
    add_expected: bool = False,
) -> int:
    """Store every return of a valid parse (all in one transaction); the number stored.

    ``progress``: called with each partnership code as its return is stored (a progress bar).
    ``add_expected``: add the partnerships of the file to those the collection expects (the
    parse was told to accept those not yet expected); otherwise the expected list is left as
    it is, so an import never changes a response rate's base unasked.
    """
    if not result.ok:
        raise ReturnError(Phrase(N_("The file has errors: nothing was imported.")))
    fws = collection_frameworks(collection)
    by_code = partnerships_by_code(list(result.returns))
    with transaction():
        for code, imported in result.returns.items():
            partnership = by_code[code]
            _store_imported(collection, partnership, fws, imported, actor)
            if progress is not None:
                progress(code)
        if add_expected:
            expect_partnerships(collection, by_code.values())
    _draw_picture_ahead(collection)
    return len(result.returns)


def _draw_picture_ahead(collection: Collection) -> None:
    """The returns changed the national picture: draw its charts now, in the background, so the
    analyst who opens it next does not wait for fifty charts."""
    jobs.ahead(
        "national-charts",
        ("national-charts", collection.id, returns_fingerprint(collection)),
        {"collection_id": collection.id},
    )


def _store_imported(
    collection: Collection,
    partnership: Partnership,
    fws: list[Framework],
    imported: ImportedReturn,
    actor: User | None,
) -> Return:
    rated_ids = {fw.id for fw in fws if fw.is_rated}
    rows = list(imported.answer_rows())
    values = {(f, i): v for f, i, a, v in rows if f in rated_ids}
    sections = section_rags(library(), fws, values)
    ratings: dict[str, dict[str, dict[str, Any]]] = {}
    for (fid, iid), value in values.items():
        ratings.setdefault(fid, {})[iid] = {"rating": value, "agreed": True}
    survey = [r for r in rows if r[0] not in rated_ids]
    snapshot = return_snapshot(
        collection.slug,
        partnership.code,
        None,
        fws,
        ratings,
        sections,
        survey,
        imported.arrangement_count,
    )
    return store_return(
        collection,
        partnership,
        rows + section_rows(sections),
        imported.arrangement_count,
        snapshot,
        actor,
        "import",
    )
