"""Reads for paper forms: forms by code, entries waiting for a second keying, kept scans."""

from __future__ import annotations

from selfassess.extensions import db
from selfassess.models import PaperEntry, PaperForm, PaperScan, PaperScanPage


def form_by_code(code: str) -> PaperForm | None:
    return db.session.execute(db.select(PaperForm).filter_by(code=code)).scalar_one_or_none()


def assessment_form(assessment_id: int, framework_id: str, user_id: int | None) -> PaperForm | None:
    """The form already made for this framework and member (None: the blank form)."""
    return db.session.execute(
        db.select(PaperForm)
        .filter_by(assessment_id=assessment_id, framework_id=framework_id, user_id=user_id)
        .order_by(PaperForm.id)
        .limit(1)
    ).scalar_one_or_none()


def survey_form(partnership_id: int, collection_id: int, framework_id: str) -> PaperForm | None:
    return db.session.execute(
        db.select(PaperForm)
        .filter_by(
            partnership_id=partnership_id, collection_id=collection_id, framework_id=framework_id
        )
        .order_by(PaperForm.id)
        .limit(1)
    ).scalar_one_or_none()


def waiting_entry(paper_form_id: int, user_id: int) -> PaperEntry | None:
    """The keying of this form for this member that waits for a second person, if any."""
    return db.session.execute(
        db.select(PaperEntry)
        .filter_by(paper_form_id=paper_form_id, user_id=user_id, status="waiting")
        .order_by(PaperEntry.id.desc())
        .limit(1)
    ).scalar_one_or_none()


def waiting_entries(assessment_id: int) -> list[PaperEntry]:
    return list(
        db.session.execute(
            db.select(PaperEntry)
            .filter_by(assessment_id=assessment_id, status="waiting")
            .order_by(PaperEntry.id)
        ).scalars()
    )


def entry_or_none(assessment_id: int, entry_id: int) -> PaperEntry | None:
    entry = db.session.get(PaperEntry, entry_id)
    return entry if entry is not None and entry.assessment_id == assessment_id else None


def scans_of(assessment_id: int) -> list[PaperScan]:
    return list(
        db.session.execute(
            db.select(PaperScan).filter_by(assessment_id=assessment_id).order_by(PaperScan.id)
        ).scalars()
    )


def scan_or_none(assessment_id: int, scan_id: int) -> PaperScan | None:
    scan = db.session.get(PaperScan, scan_id)
    return scan if scan is not None and scan.assessment_id == assessment_id else None


def scan_page(scan_id: int, position: int) -> PaperScanPage | None:
    return db.session.execute(
        db.select(PaperScanPage).filter_by(scan_id=scan_id, position=position)
    ).scalar_one_or_none()
