"""`selfassess demo load`: everything `make run` needs so each role has something real to try.

The demo partnership's assessment in progress (``selfassess.demo.partnership``), the cycle before
it to compare with, a workshop already held, and a small national picture: two rounds of the
national collection from a few dozen partnerships, made by the national generator at small scale.
Each part is added only when it is missing, so loading again changes nothing and a database
loaded by an older version gains the parts it lacks.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

import click

from selfassess.demo.national import SLUG_PREFIX, generate
from selfassess.demo.partnership import (
    DEMO_ANALYST,
    DEMO_CODE,
    DEMO_PASSWORD,
    DEMO_PEOPLE,
    DEMO_TITLE,
    demo_group,
    load_demo,
    load_demo_analyst,
)
from selfassess.domain.mail import LOCAL
from selfassess.extensions import db, frameworks
from selfassess.models import (
    Action,
    AgreedRating,
    Assessment,
    AssessmentFramework,
    Participant,
    Rating,
)
from selfassess.queries.assessments import assessments_of
from selfassess.queries.mail import schedule_for
from selfassess.queries.national import all_collections, partnerships_by_code
from selfassess.queries.people import user_by_email
from selfassess.queries.workshop import current_stop, sessions_for, walk_for
from selfassess.services import transaction
from selfassess.services import workshop as workshop_service
from selfassess.services.agreement import add_action
from selfassess.services.collections import expect_partnerships
from selfassess.services.invitations import create_invitation
from selfassess.services.mail.reminders import run as run_reminders
from selfassess.services.workshop_participants import join_as_guest
from selfassess.services.workshop_schedule import WorkshopTime
from selfassess.services.workshop_schedule import schedule as schedule_workshop

PREVIOUS_TITLE = "Key Principles self-assessment 2025"
KP = "iom-key-principles"
# Small enough to load in a second or two, large enough that most regions show their figures
# while the smallest (the North East, one partnership) is suppressed.
NATIONAL_SAMPLE = {"partnerships": 40, "raters": 3, "rounds": 2, "seed": 2011}
# Two people who joined last workshop from their phones, with no account.
WORKSHOP_GUESTS = (("Sam Okoro, Safer Streets charity", "vcs"), ("Kim Ward", "prisons"))
# The guests' votes on a contested question, then on the next one.
WORKSHOP_VOTES = (("1.3", ("red", "green")), ("1.4", ("amber", "amber")))
# After discussing the contested question the board voted again: Sam moved from Red to Amber.
WORKSHOP_SECOND_ROUND = ("1.3", ("amber", "green"))

# Who to sign in as, and what to try: printed by `demo load` and listed in the README.
ACCOUNTS = (
    ("lead@demo.example", "Lead", "run the assessment, start a workshop, read the report"),
    ("yot@demo.example", "Member", "rate the questions not yet rated, with evidence"),
    ("observer@demo.example", "Observer", "read the results and the report"),
    (DEMO_ANALYST[0], "National analyst", "the national picture, change since last round"),
)


def load_everything(seed: int = 2026) -> bool:
    """Add each missing part of the demo; True when anything was added."""
    added = [
        load_demo(seed),
        load_demo_analyst(),
        load_previous_cycle(seed),
        load_workshop_history(),
        load_national_sample(),
        load_demo_emails(),
    ]
    return any(added)


def _demo_assessment() -> Assessment | None:
    partnership = partnerships_by_code([DEMO_CODE]).get(DEMO_CODE)
    if partnership is None:
        return None
    return next((a for a in assessments_of(partnership.id) if a.title == DEMO_TITLE), None)


def load_previous_cycle(seed: int = 2026) -> bool:
    """Last year's agreed assessment, linked as the one before the demo assessment, so the report
    shows the change since then and whether last year's actions were done."""
    current = _demo_assessment()
    if current is None or current.previous_id is not None:
        return False
    rng = random.Random(seed + 1)
    pinned = next((af for af in current.frameworks if af.framework_id == KP), None)
    if pinned is None:
        return False
    kp = frameworks().resolve(KP, pinned.framework_version)
    lead = user_by_email(DEMO_PEOPLE[0][0])
    year_ago = current.created_at - timedelta(days=365)
    with transaction():
        previous = Assessment(
            partnership_id=current.partnership_id,
            title=PREVIOUS_TITLE,
            period="2025 to 2026",
            status="agreed",
            created_by_id=lead.id if lead else None,
            created_at=year_ago,
            updated_at=year_ago + timedelta(days=60),
            frameworks=[AssessmentFramework(framework_id=kp.id, framework_version=kp.version)],
        )
        db.session.add(previous)
        db.session.flush()
        _previous_ratings(previous, kp, rng, year_ago)
        current.previous_id = previous.id
    return True


def _previous_ratings(previous: Assessment, kp, rng: random.Random, at: datetime) -> None:
    """The members' ratings and the board's agreed ratings a year ago: mostly a step below
    where the demo assessment's raters put each question now, so the report shows progress."""
    levels = ("red", "amber", "green")
    raters = [p for p in DEMO_PEOPLE if p[3] != "observer"][:4]
    participants = []
    for email, _, agency, _, _ in raters:
        user = user_by_email(email)
        participant = Participant(
            assessment_id=previous.id,
            user_id=user.id if user else None,
            agency=agency,
            completed_at=at + timedelta(days=30),
            created_at=at,
        )
        db.session.add(participant)
        participants.append(participant)
    db.session.flush()
    agreed_by = participants[0].user_id
    for item in kp.items:
        base = sum(map(ord, item.id)) % 3  # the demo's stable "true" level of the item
        agreed = max(0, base - (1 if rng.random() < 0.45 else 0))
        for participant in participants:
            vote = min(2, max(0, agreed + rng.choice((-1, 0, 0, 1))))
            db.session.add(
                Rating(
                    assessment_id=previous.id,
                    participant_id=participant.id,
                    framework_id=kp.id,
                    framework_version=kp.version,
                    item_id=item.id,
                    value=levels[vote],
                    updated_at=at + timedelta(days=20),
                )
            )
        db.session.add(
            AgreedRating(
                assessment_id=previous.id,
                framework_id=kp.id,
                framework_version=kp.version,
                item_id=item.id,
                value=levels[agreed],
                rationale="Agreed at last year's workshop.",
                agreed_by_id=agreed_by,
                agreed_at=at + timedelta(days=40),
            )
        )
    for item_id, text, status in (
        ("2.1", "Start weekly joint tasking between police and probation", "completed"),
        ("1.1", "Draft an information-sharing protocol for all partners", "completed"),
        ("3.2", "Review how the cohort is refreshed each quarter", "in_progress"),
    ):
        if kp.item(item_id):
            db.session.add(
                Action(
                    assessment_id=previous.id,
                    framework_id=kp.id,
                    item_id=item_id,
                    description=text,
                    owner="Community safety manager",
                    due_on=(at + timedelta(days=200)).date(),
                    status=status,
                    created_by_id=agreed_by,
                    created_at=at + timedelta(days=40),
                    updated_at=at + timedelta(days=40),
                )
            )


def load_workshop_history() -> bool:
    """A workshop the board has already held on the demo assessment: two guests joined from
    their phones and voted on two questions, and the lead revealed the votes; on the contested
    one the board voted a second time."""
    current = _demo_assessment()
    if current is None or current.status != "open" or sessions_for(current.id):
        return False
    lead = user_by_email(DEMO_PEOPLE[0][0])
    session = workshop_service.start_session(current, lead)
    guests = [join_as_guest(session, n, a) for n, a in WORKSHOP_GUESTS]
    walk = walk_for(current)
    for item_id, votes in WORKSHOP_VOTES:
        if walk.find(KP, item_id) is None:
            continue
        workshop_service.move(session, "jump", f"{KP}:{item_id}")
        stop = current_stop(session, walk)
        for guest, value in zip(guests, votes, strict=True):
            workshop_service.take_vote(session, guest, stop, f"{KP}:{item_id}", value)
        workshop_service.move(session, "reveal", user=lead)
        again_on, again = WORKSHOP_SECOND_ROUND
        if item_id == again_on:
            workshop_service.move(session, "new_round", user=lead)
            for guest, value in zip(guests, again, strict=True):
                workshop_service.take_vote(session, guest, stop, f"{KP}:{item_id}", value)
            workshop_service.move(session, "reveal", user=lead)
    workshop_service.end_session(session)
    return True


def load_national_sample() -> bool:
    """Two rounds of the national collection from a few dozen partnerships, the latest still
    open with some returns outstanding; the demo partnership is expected in the latest."""
    if any(c.slug.startswith(SLUG_PREFIX) for c in all_collections()):
        return False
    generate(**NATIONAL_SAMPLE)
    latest = all_collections()[0]
    demo = partnerships_by_code([DEMO_CODE]).get(DEMO_CODE)
    if demo is not None and latest.closes_on >= date.today():
        with transaction():
            expect_partnerships(latest, [demo])
    return True


def load_demo_emails() -> bool:
    """Emails for the development "Emails sent" page: the lead schedules the board's workshop
    (a calendar invitation to every member), invites a new member by email, and the reminder run
    queues what is due (rating reminders, actions, the lead's digest, the national collection)."""
    current = _demo_assessment()
    if current is None or current.status != "open" or schedule_for(current.id) is not None:
        return False
    lead = user_by_email(DEMO_PEOPLE[0][0])
    member = user_by_email("yot@demo.example")
    day = date.today() + timedelta(days=6)
    starts = datetime.combine(day, time(10, 0), tzinfo=LOCAL).astimezone(UTC)
    when = WorkshopTime(
        starts,
        starts + timedelta(hours=2, minutes=30),
        "Committee Room 2, Northshire Civic Centre",
        "https://meet.example.org/northshire-iom-workshop",
    )
    schedule_workshop(current, when, lead)
    create_invitation(
        current.partnership,
        "member",
        lead,
        note="Fire and rescue service",
        for_name="Dana Reid",
        for_email="dana.reid@demo.example",
    )
    if member is not None and current.frameworks:
        add_action(
            current,
            KP,
            "Bring the youth-to-adult transitions list to the next board",
            member.name,
            lead,
            due_on=date.today() + timedelta(days=5),
            item_id="1.2",
        )
    run_reminders()
    return True


@demo_group.command("load")
def demo_load() -> None:
    """Load the demo: a partnership's assessment, its last cycle and workshop, and a small
    national picture (adds only what is missing; loading again changes nothing)."""
    added = load_everything()
    click.echo("Demo data loaded." if added else "Demo data already present.")
    click.echo(f"Every demo account's password is {DEMO_PASSWORD}")
    for email, role, what in ACCOUNTS:
        click.echo(f"  {role:17} {email:24} {what}")
    click.echo("  Phone, no account: as the lead start a workshop, then join it at /join")
    click.echo("  Emails the demo sent: /dev/emails (development only)")
