"""Demo data for `make run`: a partnership whose six agencies have rated, and disagree."""

from __future__ import annotations

import random
from datetime import date, timedelta

import click
from flask.cli import AppGroup
from werkzeug.security import generate_password_hash

from selfassess.extensions import db, frameworks
from selfassess.models import (
    Assessment,
    AssessmentFramework,
    Membership,
    Participant,
    Partnership,
    Rating,
    User,
)
from selfassess.queries.national import partnerships_by_code
from selfassess.queries.people import user_by_email
from selfassess.services import transaction
from selfassess.services.agreement import add_action, save_agreed_rating, update_action

DEMO_CODE = "E22DEMO"
DEMO_TITLE = "Key Principles self-assessment 2026"
DEMO_PASSWORD = "demo-password-1"  # noqa: S105 - printed for people trying the service locally
DEMO_PEOPLE = (
    # email, name, agency, role, share of items rated
    ("lead@demo.example", "Priya Shah", "local_authority", "lead", 1.0),
    ("police@demo.example", "Sergeant Tom Rowe", "police", "member", 1.0),
    ("probation@demo.example", "Alison Byrne", "probation", "member", 1.0),
    ("yot@demo.example", "Marcus Bell", "youth_offending", "member", 0.7),
    ("health@demo.example", "Dr Helen Okafor", "health", "member", 0.5),
    ("dat@demo.example", "Gareth Lewis", "drug_alcohol", "member", 1.0),
    ("housing@demo.example", "Jo Patel", "housing", "member", 0.3),
    ("observer@demo.example", "Chris Evans", "other", "observer", 0.0),
)
# Items where agencies see things very differently, to show contested flags.
CONTESTED = {"1.3", "1.10", "2.2", "3.5", "5.5"}
EVIDENCE = {
    "red": "Not in place here yet; raised at the last board but no owner agreed.",
    "amber": "Partly in place: agreed in principle, applied unevenly across agencies.",
    "green": "In place: written protocol, reviewed at the quarterly board.",
}


def load_demo(seed: int = 2026) -> bool:
    """Create the demo partnership if it is not there yet. Returns True when it created it."""
    if partnerships_by_code([DEMO_CODE]):
        return False
    with transaction():
        _add_demo_partnership(random.Random(seed))
    return True


def _add_demo_partnership(rng: random.Random) -> None:
    partnership = Partnership(
        name="Northshire Community Safety Partnership",
        code=DEMO_CODE,
        region="north_west",
        police_force_area="Northshire Police",
    )
    db.session.add(partnership)
    users = []
    password_hash = generate_password_hash(DEMO_PASSWORD)
    for email, name, agency, role, _ in DEMO_PEOPLE:
        user = user_by_email(email)
        if user is None:
            user = User(email=email, name=name, agency=agency, password_hash=password_hash)
            db.session.add(user)
        db.session.add(Membership(user=user, partnership=partnership, role=role))
        users.append(user)

    library = frameworks()
    chosen = [library.get(fid) for fid in ("iom-key-principles", "ppo-traffic-light", "dip")]
    chosen = [fw for fw in chosen if fw is not None]
    assessment = Assessment(
        partnership=partnership,
        title=DEMO_TITLE,
        period="2026 to 2027",
        status="open",
        created_by_id=None,
        frameworks=[
            AssessmentFramework(framework_id=fw.id, framework_version=fw.version, position=i)
            for i, fw in enumerate(chosen)
        ],
    )
    db.session.add(assessment)
    db.session.flush()

    levels = ("red", "amber", "green")
    for user, (_, _, agency, role, share) in zip(users, DEMO_PEOPLE, strict=True):
        if role == "observer":
            continue
        participant = Participant(assessment=assessment, user=user, agency=agency)
        db.session.add(participant)
        db.session.flush()
        for fw in chosen[:1] if share < 1 else chosen:
            items = list(fw.items)
            for item in items[: round(len(items) * share)]:
                base = 1 + (sum(map(ord, item.id)) % 3)  # the item's "true" level, stable
                if item.id in CONTESTED:
                    level = rng.choice((0, 2))
                else:
                    level = min(2, max(0, base - 1 + rng.choice((-1, 0, 0, 0, 1))))
                roll = rng.random()
                value = "dont_know" if roll < 0.06 else levels[level]
                db.session.add(
                    Rating(
                        assessment_id=assessment.id,
                        participant_id=participant.id,
                        framework_id=fw.id,
                        framework_version=fw.version,
                        item_id=item.id,
                        value=value,
                        evidence=EVIDENCE.get(value),
                    )
                )
    _add_agreement(assessment, chosen[0], users[0])


# What the board agreed on a few Key Principles questions, and its actions (one overdue).
DEMO_AGREED = (
    ("1.1", "amber", "Protocol drafted; not yet signed by health and housing."),
    ("1.3", "red", "Partners disagree on the cohort; no single selection panel."),
    ("2.1", "green", "Weekly joint tasking since April, minutes shared."),
)
# The board's first view of an item, changed after discussion.
DEMO_FIRST_THOUGHTS = {"1.3": ("amber", "A selection panel meets in the north of the county.")}
DEMO_ACTIONS = (
    (
        "1.3",
        "Agree one cohort selection panel with all partners",
        "Police IOM inspector",
        -14,
        "in_progress",
    ),
    (
        "1.1",
        "Health and housing to sign the information-sharing protocol",
        "Community safety manager",
        45,
        "not_started",
    ),
    (
        "2.1",
        "Keep the weekly tasking minutes on the shared drive",
        "Probation IOM lead",
        -30,
        "completed",
    ),
)


def _add_agreement(assessment: Assessment, fw, lead: User | None = None) -> None:
    """Through the services, so every item's history shows who agreed what, and a change."""
    db.session.flush()
    for item_id, value, rationale in DEMO_AGREED:
        if not fw.item(item_id):
            continue
        version = None
        if item_id in DEMO_FIRST_THOUGHTS:  # agreed once, then changed: the history shows both
            first_value, first_rationale = DEMO_FIRST_THOUGHTS[item_id]
            first = save_agreed_rating(
                assessment, fw.id, item_id, first_value, first_rationale, None, lead
            )
            version = first.version
        save_agreed_rating(assessment, fw.id, item_id, value, rationale, version, lead)
    for item_id, text, owner, days, status in DEMO_ACTIONS:
        if fw.item(item_id):
            action = add_action(
                assessment,
                fw.id,
                text,
                owner,
                lead,
                due_on=date.today() + timedelta(days=days),
                item_id=item_id,
            )
            if status != "not_started":
                update_action(action, action.version, actor=lead, status=status)


# A national analyst, outside every partnership: sees partnership names and codes, never drafts.
DEMO_ANALYST = ("analyst@demo.example", "Ana Lytic")


def load_demo_analyst() -> bool:
    """Create the demo national analyst if missing (also for databases loaded before it)."""
    email, name = DEMO_ANALYST
    if user_by_email(email) is not None:
        return False
    password_hash = generate_password_hash(DEMO_PASSWORD)
    with transaction():
        db.session.add(User(email=email, name=name, is_analyst=True, password_hash=password_hash))
    return True


@click.group("demo", cls=AppGroup)
def demo_group() -> None:
    """Demo data for trying the service locally."""
