"""The audit trail is append-only: changing ratings, agreed ratings and actions adds events and
never alters or removes an earlier one; and no code of the service updates or deletes events."""

from __future__ import annotations

import re
from pathlib import Path

from sqlalchemy import select

from selfassess.cli.backup import dump_data
from selfassess.demo.partnership import load_demo
from selfassess.extensions import db
from selfassess.models import Action, AgreedRating, Assessment, User
from selfassess.services.agreement import save_agreed_rating, update_action

KP = "iom-key-principles"


def audit_rows() -> list[dict]:
    return dump_data()["tables"]["audit_event"]


def test_changes_add_events_and_never_touch_earlier_ones(app):
    load_demo()
    before = audit_rows()
    assert before
    lead = db.session.scalar(select(User).filter_by(email="lead@demo.example"))
    assessment = db.session.scalar(select(Assessment))
    agreed = db.session.scalar(select(AgreedRating).filter_by(assessment_id=assessment.id))
    save_agreed_rating(
        assessment, agreed.framework_id, agreed.item_id, "red", "Changed", agreed.version, lead
    )
    action = db.session.scalar(select(Action).filter_by(assessment_id=assessment.id))
    update_action(action, action.version, actor=lead, status="completed")
    db.session.commit()
    after = audit_rows()
    assert after[: len(before)] == before
    assert len(after) >= len(before) + 2


def test_no_code_updates_or_deletes_audit_events():
    package = Path(__file__).resolve().parent.parent / "selfassess"
    pattern = re.compile(
        r"(update|delete)\(\s*AuditEvent|AuditEvent\)\.(update|delete)|"
        r"session\.delete\(\s*(event|audit)",
        re.IGNORECASE,
    )
    offenders = [
        str(path.relative_to(package))
        for path in package.rglob("*.py")
        if "migrations" not in path.parts and pattern.search(path.read_text(encoding="utf-8"))
    ]
    assert not offenders
