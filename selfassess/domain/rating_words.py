"""How a rating is explained in words a board member reads without a statistics course, and the
exact rule, kept one click away. Plain Python, used by scoring and the report."""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from selfassess.domain.i18n import N_

if TYPE_CHECKING:
    from selfassess.domain.frameworks import Framework, SectionRule

# What the pages call the rating worked out from people's votes (the median, towards red).
VOTES_RATING = N_("Rating from the votes")
VOTES_RATING_HINT = N_(
    "The middle of the votes given, rounded towards red where it falls between two; "
    "the board's agreed rating replaces it."
)


def join_and(parts: list[str], word: str = "and") -> str:
    if len(parts) <= 1:
        return "".join(parts)
    return ", ".join(parts[:-1]) + f" {word} " + parts[-1]


def scored_values(framework: Framework) -> list:
    return sorted((v for v in framework.scale if v.score is not None), key=lambda v: v.score)


def score_key(framework: Framework) -> str:
    """ "Red = 1, Amber = 2 and Green = 3"."""
    return join_and([f"{v.label} = {v.score}" for v in scored_values(framework)])


def _short(value: Fraction, places: int) -> str:
    rounded = round(float(value), places)
    text = f"{rounded:.{places}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def average_words(mean: Fraction, thresholds: list[float]) -> str:
    """The average to one decimal place, or two where one would seem to reach a threshold it
    does not (2.47 is "2.47", not "2.5", when green needs 2.5)."""
    one = _short(mean, 1)
    if any(Fraction(one) >= Fraction(str(t)) > mean for t in thresholds):
        return _short(mean, 2)
    return one


def section_sentence(
    framework: Framework,
    rule: SectionRule,
    name: str,
    rag_label: str,
    mean: Fraction,
    scored: int,
    total: int,
) -> str:
    """ "Principle 1 is amber: its 6 questions average 2.2, where Red = 1, Amber = 2 and
    Green = 3; green needs 2.5 or more." """
    items = framework.item_label.lower() if total == 1 else framework.item_label_plural.lower()
    whose = (
        f"its {total} {items}" if scored == total else f"its {scored} rated {items} (of {total})"
    )
    average = average_words(mean, [rule.green_at_least, rule.amber_at_least])
    verb = "averages" if scored == 1 else "average"
    labels = {v.id: v.label.lower() for v in framework.scale}
    if mean < Fraction(str(rule.amber_at_least)):
        need = f"{labels.get('amber', 'amber')} needs {rule.amber_at_least:g} or more"
    else:
        need = f"{labels.get('green', 'green')} needs {rule.green_at_least:g} or more"
    return (
        f"{name} is {rag_label.lower()}: {whose} {verb} {average}, "
        f"where {score_key(framework)}; {need}."
    )


def exact_rule(framework: Framework) -> str:
    """The rule in full, for the reader who wants it (behind a "How ratings are worked out")."""
    rule = framework.section_rule
    unscored = [v.label.lower() for v in framework.scale if v.score is None]
    items = framework.item_label_plural.lower()
    sections = framework.section_label_plural.lower()
    text = (
        f"Each {framework.item_label.lower()} scores {score_key(framework)}"
        + (
            f" ({join_and(unscored)} {'is' if len(unscored) == 1 else 'are'} counted but "
            "not scored)"
            if unscored
            else ""
        )
        + ". A question's rating is the one the board agreed; until then it is the middle of "
        "the ratings people gave (the median), and where that falls between two ratings, the "
        "lower one. "
    )
    if rule is not None:
        need = rule.min_scored_items
        need_items = framework.item_label.lower() if need == 1 else items
        text += (
            f"The {sections} and the framework as a whole take the average score of their "
            f"rated {items}, worked out exactly: green at {rule.green_at_least:g} or more, "
            f"amber at {rule.amber_at_least:g} or more, otherwise red. At least "
            f"{need} {need_items} "
            "must be rated first. "
        )
    text += (
        "A question is flagged contested when both ends of the scale were given, or two "
        "agencies' middle ratings are two levels apart; the board's agreed rating settles it."
    )
    return text


def sentence_start(text: str | None) -> str:
    """A capital first letter and the rest as written (unlike ``capitalize``, which would
    lower-case the agency names after it)."""
    text = text or ""
    return text[:1].upper() + text[1:]
