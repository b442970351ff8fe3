"""Scanned paper forms: an upload read page by page and kept for audit, all or nothing; then
the lead's checked answers saved through the rating service."""

from __future__ import annotations

import hashlib
import io
import zipfile
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from flask_babel import gettext as _

from selfassess.documents.paper_reading import (
    PDF,
    ScanError,
    check_upload,
    png,
    read_page,
    sniff,
    upload_pages,
)
from selfassess.domain.frameworks import Framework
from selfassess.domain.history import long_date
from selfassess.domain.paper import Keyed, PageMark, layout_in, show_form_code
from selfassess.models import Assessment, PaperForm, PaperScan, PaperScanPage, User
from selfassess.queries import paper as q
from selfassess.services import audit, transaction
from selfassess.services.agreement import AssessmentLocked
from selfassess.services.paper import PaperError, clean_answers, save_keyed


def _refuse_unless_open(assessment: Assessment) -> None:
    if assessment.is_locked or assessment.status != "open":
        raise AssessmentLocked(assessment, _("Scans can only be read while the assessment is open"))


def read_upload(
    assessment: Assessment, files: Sequence[tuple[str, bytes]], actor: User
) -> PaperScan:
    """Read every page of an upload and keep it, with what was read, for the lead to check.
    Any page that cannot be read refuses the whole upload (ScanError naming the page), and
    nothing is kept."""
    _refuse_unless_open(assessment)
    page_count = check_upload(files)
    forms: dict[str, PaperForm | None] = {}

    def layout_of(mark: PageMark) -> dict[str, Any] | None:
        if mark.code not in forms:
            form = q.form_by_code(mark.code)
            ok = form is not None and form.assessment_id == assessment.id and form.layout
            forms[mark.code] = form if ok else None
        form = forms[mark.code]
        if form is None or form.framework_version != mark.version:
            return None
        printed = layout_in(form.layout, mark.language)  # the layout of the sheet as printed
        found = [p for p in (printed or {}).get("pages", []) if p["page"] == mark.page]
        return found[0] if found else None

    readings, images, seen = [], [], set()
    for position, (source, gray) in enumerate(upload_pages(files), start=1):
        try:
            reading = read_page(gray, layout_of)
        except ScanError as exc:
            raise ScanError(_("%(file)s: %(problem)s", file=source, problem=exc)) from None
        key = (reading.mark.code, reading.mark.page)
        if key in seen:
            raise ScanError(
                _(
                    "%(file)s: page %(page)s of form %(code)s is in the upload twice. Upload one "
                    "person's copy of a blank form at a time",
                    file=source,
                    page=reading.mark.page,
                    code=show_form_code(reading.mark.code),
                )
            )
        seen.add(key)
        readings.append(
            {
                "position": position,
                "source": source,
                "code": reading.mark.code,
                "page": reading.mark.page,
                "language": reading.mark.language,
                "items": [
                    {
                        "item_id": r.item_id,
                        "states": r.states,
                        "value": r.value,
                        "doubtful": r.doubtful,
                        "reason": r.reason,
                    }
                    for r in reading.questions
                ],
            }
        )
        images.append((position, forms[reading.mark.code], reading.mark.page, png(reading.image)))
    if len(files) == 1:
        name, original = files[0]
        media_type = sniff(original) or PDF
    else:
        name, media_type = f"{len(files)} pictures", "application/zip"
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as bundle:
            for n, (file_name, data) in enumerate(files, start=1):
                bundle.writestr(f"{n:02d}-{_safe_name(file_name)}", data)
        original = buffer.getvalue()
    with transaction() as session:
        scan = PaperScan(
            assessment_id=assessment.id,
            uploaded_by_id=actor.id,
            filename=_safe_name(name)[:200],
            media_type=media_type,
            sha256=hashlib.sha256(original).hexdigest(),
            original=original,
            page_count=page_count,
            readings=readings,
            status="read",
        )
        session.add(scan)
        session.flush()
        for position, form, form_page, image in images:
            session.add(
                PaperScanPage(
                    scan_id=scan.id,
                    position=position,
                    paper_form_id=form.id,
                    form_page=form_page,
                    image=image,
                )
            )
        audit.record(
            "paper_scan",
            "read",
            None,
            {"file": scan.filename, "pages": page_count, "sha256": scan.sha256},
            actor_user=actor,
            assessment=assessment,
            entity_id=scan.id,
        )
    return scan


def _safe_name(name: str) -> str:
    """A file name as shown and kept: its last part, printable characters only."""
    base = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return "".join(c for c in base if c.isprintable()).strip() or "upload"


def save_scan(
    assessment: Assessment,
    scan: PaperScan,
    checked: Mapping[str, tuple[Framework, User, Mapping[str, Keyed]]],
    lead: User,
    on: date | None = None,
) -> int:
    """Save what the lead checked, form by form (code -> framework, member, answers), each
    rating through the rating service marked as entered from paper. Everything is checked
    before anything is saved."""
    _refuse_unless_open(assessment)
    if scan.status != "read":
        raise PaperError(_("This upload has already been saved or discarded"))
    label = f"Entered from paper (scanned) by {lead.name} on {long_date(on or date.today())}"
    for fw, _member, answers in checked.values():
        clean_answers(fw, answers)  # PaperError before anything is saved
    saved = 0
    for _code, (fw, member, answers) in checked.items():
        saved += save_keyed(assessment, fw, member, answers, lead, label=label)
    with transaction():
        scan.status = "saved"
        scan.closed_by_id = lead.id
        scan.closed_at = datetime.now(UTC)
    return saved


def discard_scan(scan: PaperScan, actor: User) -> None:
    """Nothing from the upload is saved; the upload itself stays, for audit."""
    if scan.status != "read":
        return
    with transaction():
        scan.status = "discarded"
        scan.closed_by_id = actor.id
        scan.closed_at = datetime.now(UTC)
