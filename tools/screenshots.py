"""Pictures of what users see, for a reviewer: `make screenshots` writes PNGs to screenshots/.

The demo is loaded into a temporary instance of its own (your database is never touched) and
served on a free port; Debian's Chromium (through Playwright) takes the pages, pdftoppm the
report PDF's first three pages, and the action plan XLSX is drawn as the sheet's cells (widths,
fills, bold header) in HTML and photographed like a page.
"""

from __future__ import annotations

import html
import io
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "screenshots"
PASSWORD = "demo-password-1"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
WIDTHS = (1280, 360)


def xlsx_as_html(data: bytes) -> str:
    """The workbook's first sheet as a spreadsheet program shows it: a grid of cells with the
    column widths, fills, fonts and the frozen, filtered header row."""
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(data))
    sheet = book.worksheets[0]
    cols = [
        sheet.column_dimensions[c[0].column_letter].width or 10 for c in sheet.iter_cols(max_row=1)
    ]
    out = [
        "<!doctype html><meta charset=utf-8><style>body{font:13px Calibri,Arial,sans-serif;"
        "margin:0}table{border-collapse:collapse;table-layout:fixed}td,th{border:1px solid "
        "#d0d0d0;padding:2px 4px;vertical-align:top;overflow:hidden}th.rn{background:#f3f3f3;"
        "width:30px;color:#666;font-weight:normal}thead th{background:#f3f3f3;color:#666;"
        "font-weight:normal}tr.h td{border-bottom:2px solid #999}.tabs{padding:4px;"
        "background:#f3f3f3;border-top:1px solid #ccc}.tabs span{padding:2px 10px;margin-right:4px;"
        "background:#fff;border:1px solid #ccc}</style><table><colgroup><col style=width:30px>",
        *(f"<col style='width:{w * 7:.0f}px'>" for w in cols),
        "</colgroup><thead><tr><th class=rn></th>",
    ]
    out[0] = out[0].replace(
        "<table>", f"<table style='width:{30 + sum(w * 7 for w in cols):.0f}px'>"
    )
    out += [
        *(f"<th>{c[0].column_letter}</th>" for c in sheet.iter_cols(max_row=1)),
        "</tr></thead>",
    ]
    for r, row in enumerate(sheet.iter_rows(), start=1):
        out.append(f"<tr class={'h' if r == 1 else 'b'}><th class=rn>{r}</th>")
        for cell in row:
            style = []
            if cell.fill and cell.fill.fill_type == "solid":
                style.append(f"background:#{cell.fill.fgColor.rgb[-6:]}")
            colour = cell.font.color.rgb if cell.font and cell.font.color is not None else None
            if isinstance(colour, str) and len(colour) in (6, 8):  # not a theme colour
                style.append(f"color:#{colour[-6:]}")
            if cell.font and cell.font.b:
                style.append("font-weight:bold")
            if not (cell.alignment and cell.alignment.wrap_text):
                style.append("white-space:nowrap")
            value = cell.value
            if hasattr(value, "strftime"):
                value = value.strftime("%-d %b %Y")
            out.append(f"<td style='{';'.join(style)}'>{html.escape(str(value or ''))}</td>")
        out.append("</tr>")
    tabs = "".join(f"<span>{html.escape(name)}</span>" for name in book.sheetnames)
    out.append(f"</table><div class=tabs>{tabs}</div>")
    return "".join(out)


def fetch_pdf(context, url: str) -> bytes:
    """The PDF, following "Preparing your PDF" (its refresh address) as a browser would."""
    import re
    import time

    deadline = time.monotonic() + 300
    while True:
        response = context.request.get(url)
        if response.headers.get("content-type", "").startswith("application/pdf"):
            return response.body()
        found = re.search(r'http-equiv="refresh" content="\d+;url=([^"]+)"', response.text())
        if not found or time.monotonic() > deadline:
            raise RuntimeError(f"no PDF from {url}")
        url = url.split("/assessments/")[0] + html.unescape(found.group(1))
        time.sleep(1)


def main() -> int:
    from playwright.sync_api import sync_playwright

    if shutil.which("pdftoppm") is None:
        print("make screenshots needs pdftoppm (Debian: poppler-utils)", file=sys.stderr)
        return 1
    OUT.mkdir(exist_ok=True)
    instance = Path(tempfile.mkdtemp(prefix="selfassess-screenshots-"))
    env = {**os.environ, "SELFASSESS_CONFIG": "development", "SELFASSESS_INSTANCE": str(instance)}
    env.pop("DATABASE_URL", None)
    os.environ.update(env)
    cli = str(Path(sys.executable).parent / "selfassess")
    subprocess.run([cli, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([cli, "demo", "load"], env=env, check=True, capture_output=True)

    from werkzeug.serving import make_server

    from selfassess import create_app
    from selfassess.extensions import db
    from selfassess.models import Assessment, Collection, User
    from selfassess.services.workshop import move, start_session

    app = create_app("development")
    with app.app_context():
        assessment = (
            db.session.execute(
                db.select(Assessment).filter_by(status="open").order_by(Assessment.id)
            )
            .scalars()
            .first()
        )
        lead = db.session.execute(db.select(User).filter_by(email="lead@demo.example")).scalar_one()
        session = start_session(assessment, lead)
        move(session, "reveal")
        workshop_id, assessment_id = session.id, assessment.id
        slug = (
            db.session.execute(db.select(Collection.slug).order_by(Collection.closes_on.desc()))
            .scalars()
            .first()
        )
    import logging

    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    written = []
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])

            def signed_in(email: str, width: int):
                context = browser.new_context(viewport={"width": width, "height": 900})
                page = context.new_page()
                page.goto(base + "/sign-in")
                page.get_by_label("Email address").fill(email)
                page.locator("#password").fill(PASSWORD)
                page.get_by_role("button", name="Sign in").click()
                return context, page

            def shot(page, name: str, selector: str | None = None, full: bool = False):
                path = OUT / f"{name}.png"
                if selector:
                    page.locator(selector).screenshot(path=str(path))
                else:
                    page.screenshot(path=str(path), full_page=full)
                written.append(path)

            for width in WIDTHS:
                context, page = signed_in("lead@demo.example", width)
                page.goto(f"{base}/assessments/{assessment_id}/report")
                shot(page, f"report-summary-{width}", ".app-summary")
                page.goto(f"{base}/")
                shot(page, f"start-page-lead-{width}", full=True)
                page.goto(f"{base}/workshop/{workshop_id}")
                page.locator(".app-result").first.wait_for()
                shot(page, f"workshop-reveal-{width}", full=True)
                if width == WIDTHS[0]:
                    (OUT / "report.pdf").write_bytes(
                        fetch_pdf(context, f"{base}/assessments/{assessment_id}/report.pdf")
                    )
                    subprocess.run(
                        [
                            "pdftoppm",
                            "-png",
                            "-r",
                            "80",
                            "-f",
                            "1",
                            "-l",
                            "3",
                            str(OUT / "report.pdf"),
                            str(OUT / "report-pdf-page"),
                        ],
                        check=True,
                    )
                    written += sorted(OUT.glob("report-pdf-page-*.png"))
                    xlsx = context.request.get(
                        f"{base}/assessments/{assessment_id}/export/actions.xlsx"
                    )
                    sheet = browser.new_page(viewport={"width": 2000, "height": 400})
                    sheet.set_content(xlsx_as_html(xlsx.body()))
                    shot(sheet, "action-plan-xlsx", full=True)
                context.close()

                context, page = signed_in("analyst@demo.example", width)
                page.goto(f"{base}/national/collections/{slug}/picture")
                page.set_viewport_size({"width": width, "height": 2400})
                shot(page, f"national-picture-{width}")
                context.close()
            browser.close()
    finally:
        server.shutdown()
        shutil.rmtree(instance, ignore_errors=True)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
