"""Write a PNG of a printed paper form's first page, for a person to look at:
screenshots/paper-form-page-1.png (ignored by git), and the national survey's too.

    .venv/bin/python tools/paper_form_png.py [--dpi 100] [--out screenshots]

No database: the form is laid out from the framework files with a made-up code and person.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dpi", type=int, default=100)
    parser.add_argument("--out", default=str(ROOT / "screenshots"))
    args = parser.parse_args()

    import pypdfium2 as pdfium
    from PIL import Image

    from selfassess import create_app
    from selfassess.config import TestConfig
    from selfassess.documents.paper_forms import print_form
    from selfassess.extensions import frameworks

    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    app = create_app(TestConfig)
    with app.app_context():
        library = frameworks()
        forms = {
            "paper-form-page-1.png": (
                library.get("iom-key-principles"),
                "Priya Shah, Probation Service",
                "Key Principles self-assessment 2026 · Northshire CSP",
            ),
            "paper-survey-page-1.png": (
                library.get("national-survey-2013"),
                None,
                "National IOM survey 2013 · Northshire CSP",
            ),
        }
        for name, (fw, person, subtitle) in forms.items():
            printed = print_form(
                fw,
                "K7MP3QXD",
                title=f"{fw.name}: paper form" if fw.is_rated else fw.title,
                subtitle=subtitle,
                person=person,
                marking=app.config["PROTECTIVE_MARKING"],
            )
            pdf = pdfium.PdfDocument(printed.pdf)
            pixels = pdf[0].render(scale=args.dpi / 72, grayscale=True).to_numpy()
            image = Image.fromarray(pixels[..., 0] if pixels.ndim == 3 else pixels)
            image.save(out / name)
            print(out / name)


if __name__ == "__main__":
    main()
