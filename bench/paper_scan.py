"""Reading scanned paper forms, on a bigger sample than the tests: the IOM Key Principles form
printed, rendered at 200 dpi, marked as a pen would (ticks and crosses of varied thickness, some
faint, some boxes filled in to cancel them), turned up to 3 degrees, scaled 90-100%, shifted and
made noisy, then read back. Prints the figures for BENCHMARKS.md ("Paper forms: reading scans").

    .venv/bin/python bench/paper_scan.py [--copies 4] [--seed 2026]
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--faint", type=float, default=0.04, help="share of faint marks")
    parser.add_argument("--cancel", type=float, default=0.08, help="share with a box cancelled")
    parser.add_argument(
        "--photo", action="store_true", help="also tilt in perspective and save as JPEG"
    )
    args = parser.parse_args()

    from selfassess import create_app
    from selfassess.config import TestConfig
    from selfassess.documents.paper_forms import print_form
    from selfassess.documents.paper_reading import read_page
    from selfassess.extensions import frameworks
    from tests.paper_pen import fill_in, photograph, render_pdf_pages, scan, score

    app = create_app(TestConfig)
    with app.app_context():
        fw = frameworks().get("iom-key-principles")
        started = time.perf_counter()
        form = print_form(fw, "K7MP3QXD", title="Bench", subtitle="", person=None, marking="X")
        print_s = time.perf_counter() - started
        pages = render_pdf_pages(form.pdf, dpi=200)
    layout = {p["page"]: p for p in form.layout["pages"]}
    rng = random.Random(args.seed)
    results, read_times, unread = [], [], 0
    for _copy in range(args.copies):
        for number, clean in enumerate(pages, start=1):
            page = clean.copy()
            truths = fill_in(
                page, layout[number], 200, rng, faint_share=args.faint, cancel_share=args.cancel
            )
            scanned = scan(page, rng)
            if args.photo:
                scanned = photograph(scanned, rng)
            started = time.perf_counter()
            try:
                reading = read_page(scanned, lambda mark: layout.get(mark.page))
            except ValueError as exc:
                unread += 1
                print(f"page {number}: not read: {exc}")
                continue
            read_times.append(time.perf_counter() - started)
            results.append((truths, reading.questions))
    s = score(results)
    read_times.sort()
    print(f"form laid out in {print_s:.1f} s ({len(pages)} pages)")
    print(f"pages read: {len(results)} of {len(results) + unread}")
    print(f"boxes: {s.boxes}, read right: {s.right} ({100 * s.right / s.boxes:.2f}%)")
    print(f"boxes read wrong outside a flagged question: {s.wrong_unflagged}")
    print(
        f"questions: {s.questions}, flagged for review: {s.flagged} "
        f"({100 * s.flagged / s.questions:.1f}%), answers read wrong with confidence: "
        f"{s.wrong_sure_answers}"
    )
    print(f"faint or cancelled boxes in the sample: {s.faint_or_cancelled}")
    mean = sum(read_times) / len(read_times)
    print(
        f"time per page: mean {1000 * mean:.0f} ms, median "
        f"{1000 * read_times[len(read_times) // 2]:.0f} ms, max {1000 * read_times[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
