"""An assessment whose framework version the service no longer holds: a clear page naming the
question set and the version, never its answers shown against another version."""

from __future__ import annotations

from selfassess.extensions import db
from selfassess.models import AssessmentFramework
from tests.factories import PASSWORD, make_assessment, make_partnership, make_user


def test_a_missing_framework_version_gets_a_page_that_names_it(app, client, get_page):
    partnership = make_partnership()
    lead = make_user(partnership, "lead")
    assessment = make_assessment(partnership)
    pinned = db.session.execute(
        db.select(AssessmentFramework).filter_by(
            assessment_id=assessment.id, framework_id="iom-key-principles"
        )
    ).scalar_one()
    pinned.framework_version = "1999.1"
    db.session.commit()
    client.post("/sign-in", data={"email": lead.email, "password": PASSWORD})

    for url in (f"/assessments/{assessment.id}/report", f"/assessments/{assessment.id}"):
        page = get_page(url, status=500)
        text = page.get_text(" ", strip=True)
        assert "Sorry, a question set is missing" in text
        assert "version 1999.1" in text and "iom-key-principles" in text
