"""Warm what every document shares when the service starts, so the first PDF after a restart is
not the slow one: WeasyPrint and Pango with the print stylesheet's fonts, and matplotlib.

In a background thread: starting the service does not wait for it.
"""

from __future__ import annotations

import io
import threading

from flask import Flask

WARM_HTML = (
    '<!DOCTYPE html><html lang="en"><head><title>Warming</title>'
    '<link rel="stylesheet" href="print.css"></head><body><div class="marking">Warming</div>'
    "<h1>Warming</h1><p>Text in <b>bold</b> and <i>italic</i>.</p>"
    "<table><thead><tr><th>A</th></tr></thead><tbody><tr><td>1</td></tr></tbody></table>"
    "</body></html>"
)


def warm() -> None:
    from matplotlib.figure import Figure
    from weasyprint import HTML

    from selfassess.documents import charts  # noqa: F401 - sets matplotlib up as charts use it
    from selfassess.documents.pdf import EXPORTS_DIR, PDF_VARIANT

    HTML(string=WARM_HTML, base_url=str(EXPORTS_DIR)).write_pdf(pdf_variant=PDF_VARIANT)
    figure = Figure(figsize=(2, 1))
    figure.add_subplot().barh(["Red", "Amber", "Green"], [1, 2, 3], hatch="//")
    figure.savefig(io.BytesIO(), format="svg")


def warm_in_background(app: Flask) -> threading.Thread:
    def run() -> None:
        try:
            warm()
        except Exception:  # a failed warm-up only means the first document is slower
            app.logger.warning("Warming the document machinery failed", exc_info=True)

    thread = threading.Thread(target=run, name="warm-documents", daemon=True)
    thread.start()
    return thread
