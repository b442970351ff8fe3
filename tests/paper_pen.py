"""A pen on a printed form, for the scan reader's tests and bench/paper_scan.py: ticks and
crosses of varied thickness, some faint, some boxes filled in to cancel them, then the page
turned, scaled, shifted and made noisy as a scanner or a phone would."""

from __future__ import annotations

import random
from dataclasses import dataclass

import cv2
import numpy as np

from selfassess.documents.paper_forms import ORIGIN

FAINT = "faint"


@dataclass
class Truth:
    """What a question's boxes really hold: box -> "marked", "cancelled", "faint" or "empty"."""

    item_id: str
    boxes: dict[str, str]

    @property
    def value(self) -> str | None:
        marked = [v for v, s in self.boxes.items() if s == "marked"]
        return marked[0] if len(marked) == 1 and FAINT not in self.boxes.values() else None


def render_pdf_pages(pdf: bytes, dpi: int = 200) -> list[np.ndarray]:
    import pypdfium2 as pdfium

    doc = pdfium.PdfDocument(pdf)
    pages = []
    for index in range(len(doc)):
        arr = doc[index].render(scale=dpi / 72, grayscale=True).to_numpy()
        pages.append(np.ascontiguousarray(arr[..., 0] if arr.ndim == 3 else arr))
    doc.close()
    return pages


def _box_px(rect, dpi):
    k = dpi / 25.4
    x, y, w, h = rect
    return (x + ORIGIN[0]) * k, (y + ORIGIN[1]) * k, w * k, h * k


def _stroke(img, points, thickness, shade):
    pts = np.array(points, dtype=np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], False, int(shade), int(thickness), lineType=cv2.LINE_AA)


def _jitter(rng, x, y, r):
    return (x + rng.uniform(-r, r), y + rng.uniform(-r, r))


def pen_mark(img, rect, dpi, rng: random.Random, kind: str, shade=None, thickness=None):
    x, y, w, h = _box_px(rect, dpi)
    thickness = thickness or rng.choice([2, 3, 3, 4, 5])
    shade = shade if shade is not None else rng.randint(0, 70)
    j = w * 0.08
    if kind == "tick":
        a = _jitter(rng, x + w * 0.18, y + h * 0.55, j)
        b = _jitter(rng, x + w * 0.42, y + h * 0.82, j)
        c = _jitter(rng, x + w * rng.uniform(0.8, 1.05), y + h * rng.uniform(0.05, 0.2), j)
        _stroke(img, [a, b, c], thickness, shade)
    elif kind == "cross":
        _stroke(
            img,
            [
                _jitter(rng, x + w * 0.15, y + h * 0.15, j),
                _jitter(rng, x + w * 0.85, y + h * 0.85, j),
            ],
            thickness,
            shade,
        )
        _stroke(
            img,
            [
                _jitter(rng, x + w * 0.85, y + h * 0.15, j),
                _jitter(rng, x + w * 0.15, y + h * 0.85, j),
            ],
            thickness,
            shade,
        )
    elif kind == "fill":  # a box filled in to cancel it: back-and-forth strokes
        steps = int(h / max(thickness * 0.8, 1)) + 2
        pts = []
        for n in range(steps):
            yy = y + h * 0.05 + (h * 0.9) * n / max(steps - 1, 1)
            pts += [(x + w * 0.05, yy), (x + w * 0.95, yy + rng.uniform(-1, 1))]
        _stroke(img, pts, max(thickness, 4), shade)


def fill_in(
    page,
    layout_page,
    dpi,
    rng: random.Random,
    faint_share=0.03,
    cancel_share=0.06,
    blank_share=0.05,
):
    """Mark every question on one rendered page; returns the truth for each."""
    truths = []
    for item in layout_page["items"]:
        values = list(item["boxes"])
        boxes = dict.fromkeys(values, "empty")
        roll = rng.random()
        if roll < blank_share:
            truths.append(Truth(item["item_id"], boxes))
            continue
        chosen = rng.choice(values)
        kind = rng.choice(["tick", "cross"])
        if roll < blank_share + faint_share:
            pen_mark(
                page,
                item["boxes"][chosen],
                dpi,
                rng,
                kind,
                shade=rng.randint(175, 205),
                thickness=2,
            )
            boxes[chosen] = FAINT
        else:
            pen_mark(page, item["boxes"][chosen], dpi, rng, kind)
            boxes[chosen] = "marked"
            if rng.random() < cancel_share:
                other = rng.choice([v for v in values if v != chosen])
                pen_mark(page, item["boxes"][other], dpi, rng, rng.choice(["tick", "cross"]))
                pen_mark(page, item["boxes"][other], dpi, rng, "fill")
                boxes[other] = "cancelled"
        truths.append(Truth(item["item_id"], boxes))
    return truths


def scan(page: np.ndarray, rng: random.Random, max_turn=3.0, scale=(0.9, 1.0), noise=8.0):
    """As a scanner sees the sheet: turned up to max_turn degrees, scaled, shifted, noisy."""
    h, w = page.shape
    angle = rng.uniform(-max_turn, max_turn)
    factor = rng.uniform(*scale)
    matrix = cv2.getRotationMatrix2D((w / 2, h / 2), angle, factor)
    matrix[:, 2] += (rng.uniform(-15, 15), rng.uniform(-15, 15))
    out = cv2.warpAffine(page, matrix, (w, h), flags=cv2.INTER_LINEAR, borderValue=245)
    gen = np.random.default_rng(rng.randint(0, 2**31))
    noisy = out.astype(np.float32) * rng.uniform(0.9, 1.0) + gen.normal(0, noise, out.shape)
    specks = gen.random(out.shape) < 0.0005
    noisy[specks] = 40
    return np.clip(noisy, 0, 255).astype(np.uint8)


@dataclass
class Score:
    boxes: int = 0
    right: int = 0  # read as it is (a faint mark read as unclear is read as it is)
    wrong_unflagged: int = 0  # a box read wrong in a question not put to the lead
    questions: int = 0
    flagged: int = 0
    wrong_sure_answers: int = 0  # an answer read wrong without a doubt raised
    faint_or_cancelled: int = 0


def score(results) -> Score:
    """How a reading compares with the truth: [(truths, question readings)] per page."""
    s = Score()
    for truths, readings in results:
        assert [t.item_id for t in truths] == [r.item_id for r in readings]
        for truth, reading in zip(truths, readings, strict=True):
            s.questions += 1
            s.flagged += reading.doubtful
            if not reading.doubtful and reading.value != truth.value:
                s.wrong_sure_answers += 1
            for value, state in truth.boxes.items():
                s.boxes += 1
                s.faint_or_cancelled += state in (FAINT, "cancelled")
                read = reading.states[value]
                ok = read == state or (state == FAINT and read == "doubtful")
                s.right += ok
                if not ok and not reading.doubtful:
                    s.wrong_unflagged += 1
    return s


def photograph(page: np.ndarray, rng: random.Random, tilt=0.04, quality=55) -> np.ndarray:
    """As a phone sees a scanned-looking page: each corner pulled in by up to ``tilt`` of the
    page (perspective), then saved as a JPEG of the given quality."""
    h, w = page.shape
    src = np.float32([[0, 0], [w, 0], [w, h], [0, h]])

    def pull(x, y):
        return [
            w * (x + (1 - 2 * x) * rng.uniform(0, tilt)),
            h * (y + (1 - 2 * y) * rng.uniform(0, tilt)),
        ]

    dst = np.float32([pull(0, 0), pull(1, 0), pull(1, 1), pull(0, 1)])
    warped = cv2.warpPerspective(
        page, cv2.getPerspectiveTransform(src, dst), (w, h), borderValue=230
    )
    encoded = cv2.imencode(".jpg", warped, [cv2.IMWRITE_JPEG_QUALITY, quality])[1]
    return cv2.imdecode(encoded, cv2.IMREAD_GRAYSCALE)
