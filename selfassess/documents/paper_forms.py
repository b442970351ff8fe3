"""Printed questionnaires (WeasyPrint): an assessment's framework, blank or made out to one
member, and the national survey for a partnership.

A form is laid out twice. First the questions flow through pages whose text area is the sheet's;
where each question lands gives the page breaks. Then each sheet is laid out on its own with its
four corner marks, its QR code (form code, page, framework version) and its header, holding the
questions the first pass put there. The second layout is read back for where every box and
writing area lies, in mm from the centre of the top-left corner mark: that layout is stored with
the form and is what the scan reader measures against.

A form is printed in English, in Welsh, or in both (Welsh with the English under it, as
bilingual public forms are). Longer words move the page breaks and the boxes, so each language's
layout is kept apart (``domain.paper.layout_in``) and each page's QR code says which language it
was printed in: a scan is measured against the layout of the very sheet it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import segno
from flask_babel import gettext as _
from markupsafe import Markup, escape

from selfassess.documents.language import use_language
from selfassess.documents.pdf import EXPORTS_DIR, render_html
from selfassess.domain.frameworks import Framework
from selfassess.domain.national_figures import ARRANGEMENT, item_unit
from selfassess.domain.paper import PRINT_LANGUAGES, qr_payload, show_form_code
from selfassess.domain.survey_flow import ARRANGEMENTS_ITEM

MM_PER_PX = 25.4 / 96  # WeasyPrint lays out in CSS pixels
PAGE_MM = (210.0, 297.0)
# Centres of the four corner marks (exports/paper.css: 6 mm squares at 10 mm and 194/281 mm).
MARK_MM = 6.0
MARK_CENTRES = ((13.0, 13.0), (197.0, 13.0), (13.0, 284.0), (197.0, 284.0))
ORIGIN = MARK_CENTRES[0]
QR_BOX_MM = (170.0, 18.0, 20.0, 20.0)  # left, top, width, height
# Columns for arrangement-level survey questions; more arrangements copy the page.
SURVEY_ARRANGEMENT_COLUMNS = 3


@dataclass(frozen=True)
class PrintedForm:
    pdf: bytes
    layout: dict[str, Any]
    pages: int


def _qr_svg(payload: str) -> str:
    return segno.make(payload, error="m", micro=False).svg_data_uri(border=0, dark="#000")


Said = Callable[[Callable[[str], str]], Any]


def in_form_language(language: str) -> Said:
    """What the form says, in its language: ``said(lambda lang: ...)`` is called with each of the
    form's languages (inside ``use_language``, so gettext speaks it) and gives the text, or for a
    bilingual form the Welsh with the English under it, marked ``lang="en"``."""
    languages = PRINT_LANGUAGES.get(language, PRINT_LANGUAGES["en"])

    def said(words: Callable[[str], str | None]) -> Any:
        texts = []
        for code in languages:
            with use_language(code):
                texts.append(words(code))
        # One language only, or a text the framework holds in English alone: said once.
        if len(texts) == 1 or texts[0] is None or texts[0] == texts[1]:
            return texts[0]
        first, second = texts
        return Markup('{}<span class="en" lang="{}">{}</span>').format(
            escape(first), languages[1], escape(second)
        )

    return said


def _rated_blocks(fw: Framework, said: Said) -> list[dict[str, Any]]:
    blocks, seen = [], set()
    for item in fw.items:
        section = None
        if item.section_id not in seen:
            seen.add(item.section_id)
            section = said(lambda lang, s=item.section_id: fw.section_heading(s, lang))
        blocks.append(
            {
                "key": item.id,
                "kind": "rag",
                "number": item.id,
                "text": said(lambda lang, i=item: fw.in_language(i.text, lang)),
                "guidance": said(lambda lang, i=item: fw.in_language(i.guidance, lang)),
                "section": section,
                "only_if": None,
                "scale": [
                    (value, said(lambda lang, v=value: fw.in_language(v.label, lang)))
                    for value in fw.scale
                ],
            }
        )
    return blocks


def _only_if(fw: Framework, item, numbers: dict[str, str], lang: str) -> str | None:
    cond = item.asked_if
    if cond is None:
        return None
    target = fw.item(cond.item)
    if target is None:
        return None
    labels = [fw.in_language(o.label, lang) for o in target.options if o.id in cond.values] or list(
        cond.values
    )
    answers = _(" or ").join(f"“{label}”" for label in labels)
    return _(
        "Answer only if you answered %(answers)s to question %(number)s.",
        answers=answers,
        number=numbers[target.id],
    )


def _how(fw: Framework, item, lang: str) -> str:
    how = _("Tick all that apply.") if item.type == "multi" else _("Tick one.")
    if item.exclusive:
        alone = ", ".join(
            f"“{fw.in_language(o.label, lang)}”" for o in item.options if o.id in item.exclusive
        )
        how += " " + _("%(answers)s is ticked on its own.", answers=alone)
    return how


def _survey_blocks(fw: Framework, said: Said) -> list[dict[str, Any]]:
    """The survey in the order it is asked online, with its routing printed: "answer only if"."""
    numbers = {item.id: str(n) for n, item in enumerate(fw.items, start=1)}
    blocks: list[dict[str, Any]] = []
    seen: set[str] = set()
    asked_count = False
    for item in fw.items:
        section = None
        if item.section_id not in seen:
            seen.add(item.section_id)
            section = said(lambda lang, s=item.section_id: fw.section_heading(s, lang))
        per_arrangement = item_unit(fw, item) == ARRANGEMENT
        if per_arrangement and not asked_count:
            asked_count = True
            blocks.append(
                {
                    "key": ARRANGEMENTS_ITEM,
                    "kind": "count",
                    "number": "",
                    "text": said(
                        lambda lang: _(
                            "How many IOM arrangements are there in your partnership's area?"
                        )
                    ),
                    "only_if": said(
                        lambda lang: _(
                            "The questions that follow are answered once for each IOM "
                            "arrangement: one column each. With more than %(columns)s, copy "
                            "those pages.",
                            columns=SURVEY_ARRANGEMENT_COLUMNS,
                        )
                    ),
                    "section": section,
                }
            )
            section = None
        blocks.append(
            {
                "key": item.id,
                "kind": "survey",
                "number": numbers[item.id],
                "text": said(lambda lang, i=item: fw.in_language(i.text, lang)),
                "guidance": said(lambda lang, i=item: fw.in_language(i.guidance, lang)),
                "section": section,
                "only_if": said(lambda lang, i=item: _only_if(fw, i, numbers, lang)),
                "how": said(lambda lang, i=item: _how(fw, i, lang)),
                "options": [
                    said(lambda lang, o=option: fw.in_language(o.label, lang))
                    for option in item.options
                ],
                "columns": SURVEY_ARRANGEMENT_COLUMNS if per_arrangement else 1,
            }
        )
    return blocks


def _words(said: Said, survey: bool) -> dict[str, Any]:
    """The form's own words (everything but the framework's texts), in its language."""
    return {
        "how_to_title": said(lambda lang: _("How to fill this in.")),
        "how_to_text": said(
            lambda lang: (
                _("Answer the questions in order; skip those that say whom they are for.")
                if survey
                else _("Rate each question from your agency's point of view.")
            )
        ),
        "how_to_mark": said(
            lambda lang: (
                _(
                    "Mark each answer with a tick or a cross, inside its box. To change an answer, "
                    "fill the wrong box in completely, then mark the right one."
                )
                if survey
                else _(
                    "Mark one box for each question with a tick or a cross, inside the box. "
                    "To change an answer, fill the wrong box in completely, then mark the right "
                    "one. Write your evidence and measures to improve on the lines."
                )
            )
        ),
        "write_number": said(lambda lang: _("Write the number here:")),
        "evidence": said(lambda lang: _("Evidence")),
        "improve": said(lambda lang: _("Measures to improve")),
        "answer": said(lambda lang: _("Answer")),
        "arrangement": [
            said(lambda lang, n=n: _("Arrangement %(number)s", number=n))
            for n in range(1, SURVEY_ARRANGEMENT_COLUMNS + 1)
        ],
        "completed_by": said(
            lambda lang: _(
                "Completed by: ______________________________ Role: ____________________"
            )
        ),
        "name_agency": said(
            lambda lang: _("Name: ______________________________ Agency: ____________________")
        ),
        "tick_or_cross": said(
            lambda lang: _("Tick or cross one box. Fill a box in completely to cancel it.")
        ),
    }


def _elements(document):
    """(page index, element, box) for every laid-out box that came from an element."""
    for index, page in enumerate(document.pages):
        stack = [page._page_box]
        while stack:
            box = stack.pop()
            element = getattr(box, "element", None)
            if element is not None and getattr(box, "element_tag", None):
                yield index, element, box
            stack.extend(getattr(box, "children", ()) or ())


def _rect(box) -> list[float]:
    """A box's border box in mm from the top-left corner mark's centre."""
    x = box.border_box_x() * MM_PER_PX - ORIGIN[0]
    y = box.border_box_y() * MM_PER_PX - ORIGIN[1]
    return [
        round(x, 2),
        round(y, 2),
        round(box.border_width() * MM_PER_PX, 2),
        round(box.border_height() * MM_PER_PX, 2),
    ]


def _page_breaks(html: str, blocks: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    from weasyprint import HTML

    document = HTML(string=html, base_url=str(EXPORTS_DIR)).render()
    page_of: dict[str, int] = {}
    for index, element, _box in _elements(document):
        ident = element.get("id") or ""
        if ident.startswith("q-"):
            page_of.setdefault(ident[2:], index)
    pages: list[list[dict[str, Any]]] = [[] for _ in range(len(document.pages))]
    for b in blocks:
        pages[page_of[b["key"]]].append(b)
    return [p for p in pages if p] or [[]]


def print_form(
    fw: Framework,
    code: str,
    *,
    title: str,
    subtitle: str,
    person: str | None,
    marking: str,
    language: str = "en",
) -> PrintedForm:
    """Lay out one form; its PDF, and where every box lies on every page. ``title`` and
    ``subtitle`` are already in the form's language ("en", "cy", or "cy+en": Welsh with the
    English under it); see ``in_form_language``."""
    from weasyprint import HTML

    language = language if language in PRINT_LANGUAGES else "en"
    said = in_form_language(language)
    survey = fw.kind == "survey"
    blocks = _survey_blocks(fw, said) if survey else _rated_blocks(fw, said)
    code_shown = show_form_code(code)
    common = {
        "title": title,
        "subtitle": subtitle,
        "person": person,
        "code_shown": code_shown,
        "version": fw.version,
        "marking": marking,
        "blocks": blocks,
        "survey": survey,
        "words": _words(said, survey),
        "lang": PRINT_LANGUAGES[language][0],
        "bilingual": len(PRINT_LANGUAGES[language]) > 1,
        "form_code": said(
            lambda lang: (
                escape(_("Form code %(code)s · version %(version)s"))
                % {
                    "code": Markup('<span class="code">%s</span>') % code_shown,
                    "version": fw.version,
                }
            )
        ),
    }
    with use_language(common["lang"]):
        common["document_title"] = _(
            "%(title)s: paper form %(code)s", title=escape(title).striptags(), code=code_shown
        )
    flow = render_html("paper_form.html", mode="flow", pages=[], **common)
    grouped = _page_breaks(flow, blocks)
    pages = [
        {
            "blocks": page_blocks,
            "qr": _qr_svg(qr_payload(code, number, fw.version, language)),
            "page_of": said(
                lambda lang, n=number: _("Page %(page)s of %(pages)s", page=n, pages=len(grouped))
            ),
        }
        for number, page_blocks in enumerate(grouped, start=1)
    ]
    html = render_html("paper_form.html", mode="sheets", pages=pages, **common)
    document = HTML(string=html, base_url=str(EXPORTS_DIR)).render()
    layout_pages: list[dict[str, Any]] = [
        {"page": n, "items": {}} for n in range(1, len(pages) + 1)
    ]
    for index, element, box in _elements(document):
        boxed, area = element.get("data-box"), element.get("data-area")
        if not (boxed or area) or index >= len(layout_pages):
            continue
        key = (boxed or "").split("|")[0] or area
        entry = layout_pages[index]["items"].setdefault(key, {"boxes": {}, "area": None})
        if boxed:
            entry["boxes"].setdefault(boxed.split("|", 1)[1], _rect(box))
        elif entry["area"] is None:
            entry["area"] = _rect(box)
    order = {b["key"]: n for n, b in enumerate(blocks)}
    layout = {
        "framework_id": fw.id,
        "framework_version": fw.version,
        "mark_centres": [[x - ORIGIN[0], y - ORIGIN[1]] for x, y in MARK_CENTRES],
        "mark_mm": MARK_MM,
        "qr_box": [QR_BOX_MM[0] - ORIGIN[0], QR_BOX_MM[1] - ORIGIN[1], *QR_BOX_MM[2:]],
        "pages": [
            {
                "page": p["page"],
                # In the paper's order (the layout is walked in no particular order).
                "items": [
                    {"item_id": k, **p["items"][k]} for k in sorted(p["items"], key=order.get)
                ],
            }
            for p in layout_pages
        ],
    }
    return PrintedForm(document.write_pdf(), layout, len(pages))
