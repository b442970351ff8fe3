"""A small rated assessment for the report tests: three agencies, an agreed rating, actions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from selfassess.services.agreement import add_action, participant_for, save_agreed_rating
from tests.factories import make_assessment, make_partnership, make_user, rate

KP = "iom-key-principles"
SCRIPT = "<script>alert('x')</script>"
FORMULA = '=HYPERLINK("http://evil.example","click")'


@dataclass
class ReportWorld:
    partnership: Any
    assessment: Any
    lead: Any
    member: Any
    observer: Any
    overdue_action: Any
    done_action: Any


def build(**assessment_fields) -> ReportWorld:
    p = make_partnership(name="Reportshire Community Safety Partnership", code="E09REP")
    lead = make_user(p, "lead", name="Lee Lead", agency="local_authority")
    member = make_user(p, "member", name="Mo Member", agency="police")
    observer = make_user(p, "observer", name="Ola Observer", agency="other")
    assessment = make_assessment(p, (KP,), status="open", title="Board review", **assessment_fields)
    lead_part = participant_for(assessment, lead, create=True)
    member_part = participant_for(assessment, member, create=True)
    # Principle 1: 1.1 red/red, 1.2 green/green, 1.3 amber/green (derived amber).
    rate(lead_part, "1.1", "red", evidence=SCRIPT, improvement="Write a protocol")
    rate(member_part, "1.1", "red", evidence=FORMULA)
    rate(lead_part, "1.2", "green", evidence="Joint tasking meets weekly")
    rate(member_part, "1.2", "green")
    rate(lead_part, "1.3", "amber")
    rate(member_part, "1.3", "green", improvement="-1 reminder to share data")
    rate(lead_part, "2.1", "dont_know")
    save_agreed_rating(assessment, KP, "1.3", "green", "Board agreed: <b>in place</b>", None, lead)
    overdue = add_action(
        assessment,
        KP,
        "Write the information-sharing protocol",
        "Police",
        lead,
        due_on=date.today() - timedelta(days=10),
        item_id="1.1",
    )
    done = add_action(
        assessment,
        KP,
        "Weekly tasking minutes",
        "Probation",
        lead,
        due_on=date.today() + timedelta(days=30),
        status="completed",
        item_id="1.2",
    )
    return ReportWorld(p, assessment, lead, member, observer, overdue, done)


def sign_in(client, user) -> None:
    with client.session_transaction() as session:
        session["_user_id"] = str(user.id)
        session["_fresh"] = True


def section_url(assessment_id: int, item_id: str, framework_id: str = KP) -> str:
    """The report's page for the section holding this question: where its detail is."""
    from selfassess.extensions import frameworks

    section = frameworks().get(framework_id).item(item_id).section_id
    return f"/assessments/{assessment_id}/report/{framework_id}/{section}"
