"""National-scale demo data: `selfassess demo national`.

Every Community Safety Partnership of England and Wales (329 in 2011, weighted by region as the
real ones were), each with raters from several agencies who rate three frameworks in each of
several yearly rounds, agree ratings, set actions, and return to a national collection with the
2013 national survey. Ratings are correlated but disagree: a partnership-level latent score per
item, plus each agency's bias, plus noise, with some "don't know".

Rows go in by bulk inserts (``selfassess.demo.writer``: one executemany per
table and chunk), with ids assigned here so children can point at parents without a round trip;
on PostgreSQL the id sequences are moved past them at the end. Returns have the row shapes a real
submission makes: item ratings as scoring gives them (agreed, else derived), ``section:<id>``
RAG rows (``selfassess.domain.return_snapshot``) and survey answers that honour ``asked_if`` and the
arrangement unit (``selfassess.domain.survey_flow``). It all goes in one transaction.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import click
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from selfassess.demo.partnership import DEMO_PASSWORD, demo_group, load_demo_analyst
from selfassess.demo.places import FIRST, LAST, partnership_places
from selfassess.demo.writer import BulkWriter
from selfassess.domain.return_snapshot import return_snapshot, section_rows
from selfassess.domain.scoring import AgreedInput, assess, low_median
from selfassess.domain.survey_flow import ARRANGEMENTS_ITEM, return_rows, survey_steps
from selfassess.domain.survey_rules import arrangements_meant
from selfassess.extensions import db, frameworks
from selfassess.models import (
    Action,
    AgreedRating,
    Assessment,
    AssessmentFramework,
    AuditEvent,
    Collection,
    CollectionFramework,
    CollectionPartnership,
    Membership,
    Participant,
    Partnership,
    Rating,
    Return,
    ReturnAnswer,
    SurveyAnswer,
    User,
)
from selfassess.services import transaction

RATED = ("iom-key-principles", "ppo-traffic-light", "dip")
COLLECTED = ("iom-key-principles", "national-survey-2013")
SLUG_PREFIX = "iom-national-"
EMAIL_DOMAIN = "national.example"

# Who rates, in order: the lead (a community safety manager) first, then the partners.
AGENCY_ORDER = (
    "local_authority", "police", "probation", "youth_offending", "health", "drug_alcohol",
    "prisons", "housing", "vcs", "courts", "cps", "police", "probation", "local_authority",
    "other",
)  # fmt: skip
AGENCY_BIAS = {
    "police": 0.2, "probation": 0.1, "local_authority": 0.15, "youth_offending": 0.0,
    "health": -0.25, "drug_alcohol": -0.05, "prisons": -0.1, "housing": -0.3, "vcs": -0.35,
    "courts": 0.05, "cps": 0.0, "other": -0.1,
}  # fmt: skip
# Agencies further from the day-to-day work say "don't know" more often.
DISTANT = {"health", "housing", "vcs", "courts", "cps", "other"}
LEVELS = ("red", "amber", "green")
EVIDENCE = {
    "red": "Not in place yet; raised at the board without an owner.",
    "amber": "Agreed in principle, applied unevenly across partners.",
    "green": "Written protocol, reviewed at the quarterly board.",
}
RATIONALE = (
    "Agreed after discussion of each agency's evidence.",
    "Partners' views differed; the board settled on the cautious rating.",
    "Evidence from the last performance report supports this.",
)
OWNERS = (
    "Community safety manager",
    "Police IOM inspector",
    "Probation IOM lead",
    "YOT manager",
    "Commissioner, drug and alcohol services",
)
ACTION_VERBS = (
    "Agree and sign off a protocol for",
    "Bring partners together to review",
    "Set up quarterly reporting on",
    "Train frontline staff on",
)


@dataclass
class _Place:
    """One partnership being generated: its ids, people and latent quality."""

    id: int
    code: str
    quality: float
    user_ids: list[int]
    agencies: list[str]
    item_effect: dict[tuple[str, str], float] = field(default_factory=dict)
    agency_bias: dict[str, float] = field(default_factory=dict)
    assessment_ids: list[int] = field(default_factory=list)
    votes: dict = field(default_factory=dict)  # this round's, by (framework_id, item_id)
    agreed: dict = field(default_factory=dict)


def _value(rng: random.Random, latent: float, agency: str, distant_fw: bool) -> str:
    dont_know = 0.12 if (agency in DISTANT and distant_fw) else 0.035
    roll = rng.random()
    if roll < dont_know:
        return "dont_know"
    if roll < dont_know + 0.008:
        return "not_applicable"
    score = round(latent + rng.gauss(0, 0.55))
    return LEVELS[min(3, max(1, score)) - 1]


def _survey_answers(rng: random.Random, surveys, quality: float) -> dict:
    """Answers to the survey as a partnership would give them page by page (asked_if honoured)."""
    answers: dict = {}
    while True:
        pending = [
            s
            for s in survey_steps(surveys, answers)
            if (s.framework_id, s.item_id, s.arrangement) not in answers
        ]
        if not pending:
            return answers
        # The number of arrangements is answered last, as a person would once the questions that
        # fix it (single or several, how many) are answered; answered early, it can contradict them.
        others = [s for s in pending if not s.asks_arrangements]
        for step in others or pending:
            key = (step.framework_id, step.item_id, step.arrangement)
            fw = next(f for f in surveys if f.id == step.framework_id)
            if step.asks_arrangements:  # as many as the answers so far say
                low, exact = arrangements_meant(fw, answers)
                count = exact if exact is not None else rng.choices((1, 2, 3), (70, 22, 8))[0]
                answers[key] = [str(max(count, low))]
                continue
            item = fw.item(step.item_id)
            options = [o.id for o in item.options]
            if not options:
                continue
            if (item.type or "single") == "multi":
                chosen = [o for i, o in enumerate(options) if rng.random() < 0.75 / (1 + i * 0.2)]
                alone = [o for o in chosen if o in item.exclusive]
                if alone and len(chosen) > 1:  # "none" is chosen on its own
                    chosen = [o for o in chosen if o not in item.exclusive]
                answers[key] = chosen or [options[0]]
            else:  # earlier options (yes, in place) are likelier where the partnership is good
                weights = [(1.6 + quality) ** (len(options) - i) for i in range(len(options))]
                answers[key] = [rng.choices(options, weights)[0]]


def generate(partnerships: int, raters: int, rounds: int, seed: int, progress=None) -> Counter:
    """Fill the database; the rows written per table. Refuses a database that holds it already."""
    existing = db.session.execute(
        select(func.count(Collection.id)).where(Collection.slug.startswith(SLUG_PREFIX))
    ).scalar()
    if existing:
        raise click.ClickException(
            "This database already holds national demo data (collections "
            f"{SLUG_PREFIX}...): use an empty database."
        )
    with transaction():  # all of it or, on any failure, none
        counts = _fill(partnerships, raters, rounds, seed, progress)
    load_demo_analyst()
    return counts


def _fill(partnerships: int, raters: int, rounds: int, seed: int, progress) -> Counter:
    rng = random.Random(seed)
    lib = frameworks()
    rated = [lib.get(fid) for fid in RATED]
    collected = [lib.get(fid) for fid in COLLECTED]
    surveys = [fw for fw in collected if fw.kind == "survey"]
    kp = rated[0]
    items = {fw.id: fw.items for fw in rated}
    difficulty = {(fw.id, i.id): rng.gauss(0, 0.35) for fw in rated for i in items[fw.id]}
    now = datetime.now(UTC)
    password_hash = generate_password_hash(DEMO_PASSWORD)
    w = BulkWriter()

    places: list[_Place] = []
    for name, code, region, force in partnership_places(rng, partnerships):
        pid = w.add(
            Partnership,
            name=name,
            code=code,
            region=region,
            police_force_area=force,
            created_at=now,
        )
        place = _Place(pid, code, rng.gauss(0, 0.45), [], [])
        for i in range(raters):
            agency = AGENCY_ORDER[i % len(AGENCY_ORDER)]
            uid = w.add(
                User,
                name=f"{rng.choice(FIRST)} {rng.choice(LAST)}",
                email=f"r{i + 1}.{code.lower()}@{EMAIL_DOMAIN}",
                password_hash=password_hash,
                agency=agency,
                is_analyst=False,
                active=True,
                failed_sign_ins=0,
                created_at=now,
            )
            role = "lead" if i == 0 else "member"
            w.add(Membership, user_id=uid, partnership_id=pid, role=role, created_at=now)
            place.user_ids.append(uid)
            place.agencies.append(agency)
        place.item_effect = {key: rng.gauss(0, 0.35) for key in difficulty}
        place.agency_bias = {a: AGENCY_BIAS[a] + rng.gauss(0, 0.15) for a in set(place.agencies)}
        places.append(place)

    year = date.today().year - rounds + 1
    for r in range(rounds):
        opens, closes = date(year + r, 4, 1), date(year + r, 6, 30)
        latest = r == rounds - 1
        if latest:  # the latest round is still open, so some partnerships are outstanding
            opens, closes = date.today() - timedelta(days=30), date.today() + timedelta(days=30)
        cid = w.add(
            Collection,
            slug=f"{SLUG_PREFIX}{year + r}",
            title=f"IOM national return {year + r}",
            opens_on=opens,
            closes_on=closes,
            created_by_id=None,
            created_at=datetime.combine(opens, datetime.min.time(), UTC),
        )
        for i, fw in enumerate(collected):
            w.add(
                CollectionFramework,
                collection_id=cid,
                framework_id=fw.id,
                framework_version=fw.version,
                position=i,
            )
        returned_share = 0.8 if latest else 0.94
        for place in places:
            w.add(CollectionPartnership, collection_id=cid, partnership_id=place.id)
            returns = rng.random() < returned_share
            status = "submitted" if returns else rng.choice(("open", "agreed"))
            _assessment_round(w, rng, place, rated, items, difficulty, r, status, opens, cid)
            if returns:
                slug = f"{SLUG_PREFIX}{year + r}"
                _return(w, rng, lib, place, kp, surveys, (cid, slug), closes, collected, opens)
            if progress is not None:
                progress(1)
    w.finish()
    return w.counts


def _assessment_round(w, rng, place, rated, items, difficulty, r, status, opens, cid) -> None:
    """One assessment of the place for round r: participants, ratings, agreed, actions."""
    created = datetime.combine(opens - timedelta(days=60), datetime.min.time(), UTC)
    lead = place.user_ids[0]
    aid = w.add(
        Assessment,
        partnership_id=place.id,
        title=f"Key Principles self-assessment {opens.year}",
        period=f"{opens.year} to {opens.year + 1}",
        status=status,
        previous_id=place.assessment_ids[-1] if place.assessment_ids else None,
        created_by_id=lead,
        created_at=created,
        updated_at=created,
    )
    place.assessment_ids.append(aid)
    for i, fw in enumerate(rated):
        w.add(
            AssessmentFramework,
            assessment_id=aid,
            framework_id=fw.id,
            framework_version=fw.version,
            position=i,
        )
    votes: dict[tuple[str, str], list[str]] = {key: [] for key in difficulty}
    latent = {
        key: 2.0 + place.quality + d + place.item_effect[key] + 0.12 * r + rng.gauss(0, 0.15)
        for key, d in difficulty.items()
    }
    for uid, agency in zip(place.user_ids, place.agencies, strict=True):
        part = w.add(
            Participant,
            assessment_id=aid,
            user_id=uid,
            guest_name=None,
            workshop_session_id=None,
            agency=agency,
            completed_at=created + timedelta(days=20) if status != "open" else None,
            created_at=created,
        )
        bias = place.agency_bias[agency]
        for fw in rated:
            distant = fw.id != "iom-key-principles"
            for item in items[fw.id]:
                key = (fw.id, item.id)
                value = _value(rng, latent[key] + bias, agency, distant)
                votes[key].append(value)
                w.add(
                    Rating,
                    assessment_id=aid,
                    participant_id=part,
                    framework_id=fw.id,
                    framework_version=fw.version,
                    item_id=item.id,
                    value=value,
                    evidence=EVIDENCE[value] if value in EVIDENCE and rng.random() < 0.3 else None,
                    improvement=None,
                    updated_at=created + timedelta(days=rng.randint(1, 20)),
                )
    agreed_at = created + timedelta(days=40)
    share = 0.3 if status == "open" else 0.92
    place.agreed = {}
    for fw in rated:
        for item in items[fw.id]:
            key = (fw.id, item.id)
            scores = [LEVELS.index(v) + 1 for v in votes[key] if v in LEVELS]
            derived = low_median(scores)
            if derived is None or rng.random() > share:
                continue
            if rng.random() < 0.2:  # the board moves towards what it thinks is true
                derived = min(3, max(1, derived + (1 if latent[key] > derived else -1)))
            value = LEVELS[derived - 1]
            place.agreed[key] = value
            w.add(
                AgreedRating,
                assessment_id=aid,
                framework_id=fw.id,
                framework_version=fw.version,
                item_id=item.id,
                value=value,
                rationale=rng.choice(RATIONALE),
                carried_forward=False,
                version=1,
                agreed_by_id=lead,
                agreed_at=agreed_at,
            )
    gaps = [key for key, value in place.agreed.items() if value != "green"]
    for fid, iid in rng.sample(gaps, min(len(gaps), rng.randint(3, 9))):
        due = agreed_at.date() + timedelta(days=rng.randint(30, 300))
        done = due < date.today() and rng.random() < 0.7
        w.add(
            Action,
            assessment_id=aid,
            framework_id=fid,
            section_id=None,
            item_id=iid,
            description=f"{rng.choice(ACTION_VERBS)} question {iid}",
            owner=rng.choice(OWNERS),
            due_on=due,
            status="completed" if done else rng.choice(("not_started", "in_progress")),
            carried_from_id=None,
            version=1,
            created_by_id=lead,
            created_at=agreed_at,
            updated_at=agreed_at,
        )
    place.votes = votes


def _return(w, rng, lib, place, kp, surveys, collection, closes, collected, opens) -> None:
    """The place's submitted return: the rows submit_return stores for an app submission."""
    cid, slug = collection
    counts = Counter()
    agencies = {}
    for key, values in place.votes.items():
        if key[0] == kp.id:
            agencies[key] = values
    # Rating counts by agency as the grouped query gives them, then scoring as the app does it.
    for (fid, iid), values in agencies.items():
        for agency, value in zip(place.agencies, values, strict=True):
            counts[(fid, iid, agency, value)] += 1
    agreed = {k: AgreedInput(v) for k, v in place.agreed.items() if k[0] == kp.id}
    result = assess(
        lib, [(kp.id, kp.version)], [(*k, c) for k, c in counts.items()], agreed
    ).framework(kp.id)
    rows = [(kp.id, i.item_id, 0, i.rating) for i in result.items if i.rating]
    sections = {kp.id: {s.id: s.rag for s in result.sections}}
    answers = _survey_answers(rng, surveys, place.quality)
    survey, arrangements = return_rows(surveys, answers)
    rows += survey + section_rows(sections)
    source = "app" if rng.random() < 0.85 else "import"
    lead = place.user_ids[0]
    submitted = datetime.combine(
        opens + timedelta(days=rng.randint(0, max(0, (min(closes, date.today()) - opens).days))),
        datetime.min.time(),
        UTC,
    )
    aid = place.assessment_ids[-1]
    ratings = {
        kp.id: {i.item_id: {"rating": i.rating, "agreed": not i.provisional} for i in result.items}
    }
    snapshot = {
        **return_snapshot(
            slug, place.code, aid, collected, ratings, sections, survey, arrangements
        ),
        "version": 1,
    }
    rid = w.add(
        Return,
        collection_id=cid,
        partnership_id=place.id,
        assessment_id=aid,
        version=1,
        arrangements=arrangements,
        source=source,
        submitted_by_id=lead if source == "app" else None,
        submitted_at=submitted,
        snapshot=snapshot,
    )
    for fid, iid, arr, value in rows:
        w.add(
            ReturnAnswer,
            return_id=rid,
            collection_id=cid,
            framework_id=fid,
            item_id=iid,
            arrangement=arr,
            value=value,
        )
    if source == "app":  # the answers saved page by page before submitting
        for (fid, iid, arr), values in answers.items():
            if iid == ARRANGEMENTS_ITEM or any(r[:3] == (fid, iid, arr) for r in survey):
                w.add(
                    SurveyAnswer,
                    collection_id=cid,
                    partnership_id=place.id,
                    framework_id=fid,
                    item_id=iid,
                    arrangement=arr,
                    values=values,
                    updated_at=submitted,
                )
    w.add(
        AuditEvent,
        at=submitted,
        actor_id=lead if source == "app" else None,
        actor_label="Lead" if source == "app" else "National import",
        partnership_id=place.id,
        assessment_id=aid,
        framework_id=None,
        item_id=None,
        entity="return",
        entity_id=rid,
        event="submitted",
        before=None,
        after={"version": 1, "source": source},
    )


@demo_group.command("national")
@click.option("--partnerships", default=329, show_default=True, help="How many partnerships.")
@click.option("--raters", default=15, show_default=True, help="Raters per partnership.")
@click.option("--rounds", default=3, show_default=True, help="Yearly collection rounds.")
@click.option("--seed", default=2011, show_default=True, help="Same seed, same data.")
def demo_national(partnerships: int, raters: int, rounds: int, seed: int) -> None:
    """Fill an empty database with every partnership of England and Wales, their assessments,
    agreed ratings, actions and national returns over several rounds (refuses a second time)."""
    if partnerships < 1 or raters < 1 or rounds < 1:
        raise click.BadParameter("partnerships, raters and rounds must be at least 1")
    started = time.perf_counter()
    with click.progressbar(length=partnerships * rounds, label="Partnership rounds") as bar:
        counts = generate(partnerships, raters, rounds, seed, progress=bar.update)
    elapsed = time.perf_counter() - started
    total = sum(counts.values())
    for table, n in sorted(counts.items()):
        click.echo(f"  {table:24} {n:>9,}")
    click.echo(f"{total:,} rows in {elapsed:.1f} s ({total / elapsed:,.0f} rows/s)")
    click.echo(f"Sign in as r1.<code>@{EMAIL_DOMAIN} (a lead) with password {DEMO_PASSWORD}")
