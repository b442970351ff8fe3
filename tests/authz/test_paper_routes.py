"""Authorization table: paper forms. Only the partnership's leads print forms, key them in,
upload scans and see what was read; everyone else is denied as usual (an outsider's 404 says
nothing of the assessment's forms)."""

from __future__ import annotations

from datetime import date, timedelta

import cv2
import numpy as np

from selfassess.extensions import db
from selfassess.models import PaperEntry, PaperForm, PaperScan, PaperScanPage
from selfassess.services.collections import create_collection
from tests.authz.harness import Route, expect, route_test

A = "/assessments/{assessment}/paper"
LEAD = expect(lead=200)
# One question's boxes and writing area, in mm from the top-left corner mark.
LAYOUT = {
    "pages": [
        {
            "page": 1,
            "items": [
                {
                    "item_id": "1.1",
                    "boxes": {"red": [7, 90, 6, 6], "amber": [41, 90, 6, 6]},
                    "area": [7, 98, 170, 40],
                }
            ],
        }
    ]
}


def paper(world):
    """A form made out to the member, a blank form keyed once by the lead, and a scan of the
    member's form waiting to be checked."""
    assessment = world.assessment
    common = {
        "partnership_id": world.p.id,
        "assessment_id": assessment.id,
        "framework_id": "iom-key-principles",
        "framework_version": "2010.1",
        "layout": LAYOUT,
    }
    form = PaperForm(code="ABCDEFGH", user_id=world.users["member"].id, **common)
    blank = PaperForm(code="BCDEFGHJ", **common)
    db.session.add_all([form, blank])
    db.session.flush()
    entry = PaperEntry(
        paper_form_id=blank.id,
        assessment_id=assessment.id,
        user_id=world.users["member"].id,
        entered_by_id=world.users["lead"].id,
        answers={"1.1": {"value": "red", "evidence": "", "improvement": ""}},
        status="waiting",
    )
    image = cv2.imencode(".png", np.full((1782, 1260), 255, dtype=np.uint8))[1].tobytes()
    reading = {
        "item_id": "1.1",
        "states": {"red": "marked", "amber": "empty"},
        "value": "red",
        "doubtful": False,
        "reason": None,
    }
    scan = PaperScan(
        assessment_id=assessment.id,
        filename="scan.png",
        media_type="image/png",
        sha256="0" * 64,
        original=image,
        page_count=1,
        readings=[
            {"position": 1, "source": "scan.png", "code": form.code, "page": 1, "items": [reading]}
        ],
        status="read",
    )
    db.session.add_all([entry, scan])
    db.session.flush()
    db.session.add(
        PaperScanPage(scan_id=scan.id, position=1, paper_form_id=form.id, form_page=1, image=image)
    )
    db.session.commit()
    return {"code": form.code, "entry": entry.id, "scan": scan.id}


def survey(world):
    today = date.today()
    create_collection(
        "Paper survey",
        "paper-authz",
        ["national-survey-2013"],
        today - timedelta(days=1),
        today + timedelta(days=10),
        expected=[world.p, world.q],
    )
    return {}


def _r(method, url, expected, **kwargs):
    return Route(method, url, expected, setup=paper, **kwargs)


ROUTES = [
    _r("GET", A, LEAD),
    Route("GET", f"{A}/iom-key-principles/blank.pdf", LEAD),
    Route("GET", f"{A}/iom-key-principles/members/{{member_id}}.pdf", LEAD),
    _r("POST", f"{A}/key", expect(lead=302), data={"code": "abcd-efgh"}),
    _r("GET", f"{A}/forms/{{code}}", LEAD),
    _r("POST", f"{A}/forms/{{code}}", expect(lead=302), data={"r-1.1": "green", "step": "save"}),
    _r("POST", f"{A}/entries/{{entry}}/discard", expect(lead=302)),
    _r("POST", f"{A}/scans", expect(lead=400)),  # no file: the error summary, nothing kept
    _r("GET", f"{A}/scans/{{scan}}", LEAD),
    _r("POST", f"{A}/scans/{{scan}}", expect(lead=302), data={"r-ABCDEFGH-1.1": "amber"}),
    _r("POST", f"{A}/scans/{{scan}}/discard", expect(lead=302)),
    _r("GET", f"{A}/scans/{{scan}}/pages/1.png", LEAD),
    _r("GET", f"{A}/scans/{{scan}}/pages/1/evidence/1.1.png", LEAD),
    Route(
        "GET",
        "/partnerships/{p}/collections/paper-authz/paper/national-survey-2013.pdf",
        LEAD,
        setup=survey,
    ),
]
test_routes = route_test(ROUTES)
