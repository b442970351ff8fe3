"""Factory helpers: build test data in the real database with sensible defaults."""

from __future__ import annotations

import itertools

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

PASSWORD = "correct horse battery"  # noqa: S105
_counter = itertools.count(1)
# Hashing is slow on purpose; tests share one hash of the one password.
_password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")


def make_partnership(**fields) -> Partnership:
    n = next(_counter)
    values = {
        "name": f"Testshire {n} Community Safety Partnership",
        "code": f"E{n:05d}",
        "region": "north_west",
        "police_force_area": "Testshire Police",
    }
    values.update(fields)
    partnership = Partnership(**values)
    db.session.add(partnership)
    db.session.commit()
    return partnership


def make_user(partnership: Partnership | None = None, role: str = "member", **fields) -> User:
    n = next(_counter)
    values = {
        "name": f"Test User {n}",
        "email": f"user{n}@test.example",
        "agency": "police",
        "password_hash": _password_hash,
    }
    values.update(fields)
    user = User(**values)
    db.session.add(user)
    if partnership is not None:
        db.session.add(Membership(user=user, partnership=partnership, role=role))
    db.session.commit()
    return user


def make_assessment(
    partnership: Partnership,
    framework_ids: tuple[str, ...] = ("iom-key-principles",),
    status: str = "open",
    **fields,
) -> Assessment:
    library = frameworks()
    values = {"title": "Self-assessment", "period": "2026 to 2027", "status": status}
    values.update(fields)
    assessment = Assessment(
        partnership=partnership,
        frameworks=[
            AssessmentFramework(
                framework_id=fid, framework_version=library.get(fid).version, position=i
            )
            for i, fid in enumerate(framework_ids)
        ],
        **values,
    )
    db.session.add(assessment)
    db.session.commit()
    return assessment


def make_participant(assessment: Assessment, user: User | None = None, **fields) -> Participant:
    values = {"agency": user.agency if user else "police"}
    if user is None:
        values["guest_name"] = f"Guest {next(_counter)}"
    values.update(fields)
    participant = Participant(assessment=assessment, user=user, **values)
    db.session.add(participant)
    db.session.commit()
    return participant


def rate(
    participant: Participant, item_id: str, value: str, framework_id="iom-key-principles", **fields
) -> Rating:
    fw = frameworks().get(framework_id)
    rating = Rating(
        assessment_id=participant.assessment_id,
        participant_id=participant.id,
        framework_id=fw.id,
        framework_version=fw.version,
        item_id=item_id,
        value=value,
        **fields,
    )
    db.session.add(rating)
    db.session.commit()
    return rating
