"""Reading scanned paper forms: pages out of an upload, each found by its QR code, straightened
by its four corner marks, and each box's ink measured.

Pure functions over bytes and arrays (numpy, OpenCV, zxing-cpp, pypdfium2, Pillow): no Flask,
no database. What the ink means (marked, empty, filled in to cancel, doubtful) is decided in
``domain/paper.py``. An upload is only ever decoded as a picture or rendered as a PDF's pages
(pypdfium2 renders without running any script the file holds); its size, page count and pixel
count are checked before any of that.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import cv2
import numpy as np
from flask_babel import gettext as _

from selfassess.documents.paper_forms import MARK_CENTRES, MARK_MM, ORIGIN, PAGE_MM, QR_BOX_MM
from selfassess.domain.paper import (
    BoxInk,
    PageMark,
    QuestionReading,
    read_qr_payload,
    read_question,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
MAX_PAGES = 40
MAX_IMAGE_PIXELS = 40_000_000  # a 40 MP phone photo; past that a picture is refused unread
RENDER_DPI = 200
PX_PER_MM = 6.0  # the straightened page (about 150 dpi)
WORK_LONG_SIDE = 2600  # pages larger than this are scaled down before reading
QR_DRIFT_MM = 2.5  # how far the straightened QR code may lie from where it was printed

PDF, PNG, JPEG = "application/pdf", "image/png", "image/jpeg"


class ScanError(ValueError):
    """An upload or a page that cannot be read, in words for the lead (in their language)."""


def _too_big(name: str, width: int, height: int) -> str:
    return _(
        "%(file)s: the picture has more than %(millions)s million pixels (%(width)s × %(height)s)",
        file=name,
        millions=MAX_IMAGE_PIXELS // 1_000_000,
        width=width,
        height=height,
    )


def sniff(data: bytes) -> str | None:
    """What a file is by its first bytes, never by its name: a PDF, a PNG, a JPEG, or None."""
    if data.startswith(b"%PDF-"):
        return PDF
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    return None


def _image_pages(data: bytes, name: str) -> list[np.ndarray]:
    from PIL import Image, ImageOps

    try:
        with Image.open(io.BytesIO(data)) as image:
            # The header's size, before any pixel is decoded: a bomb is refused here.
            width, height = image.size
            if width * height > MAX_IMAGE_PIXELS:
                raise ScanError(_too_big(name, width, height))
            if getattr(image, "n_frames", 1) > 1:
                raise ScanError(_("%(file)s: pictures with several frames are not read", file=name))
            image = ImageOps.exif_transpose(image)
            return [np.asarray(image.convert("L"))]
    except ScanError:
        raise
    except Image.DecompressionBombError:  # Pillow's own guard, for sizes far past ours
        raise ScanError(
            _(
                "%(file)s: the picture has more than %(millions)s million pixels",
                file=name,
                millions=MAX_IMAGE_PIXELS // 1_000_000,
            )
        ) from None
    except Exception:
        raise ScanError(_("%(file)s: the picture could not be read", file=name)) from None


def _open_pdf(data: bytes, name: str):
    import pypdfium2 as pdfium

    try:
        return pdfium.PdfDocument(data)
    except Exception:
        raise ScanError(_("%(file)s: the PDF could not be opened", file=name)) from None


def _pdf_page_count(data: bytes, name: str) -> int:
    pdf = _open_pdf(data, name)
    try:
        return len(pdf)
    finally:
        pdf.close()


def _pdf_pages(data: bytes, name: str) -> Iterator[np.ndarray]:
    """A PDF's pages one at a time, rendered (never more than MAX_IMAGE_PIXELS each)."""
    pdf = _open_pdf(data, name)
    try:
        for index in range(len(pdf)):
            try:
                page = pdf[index]
                width_pt, height_pt = page.get_size()
                scale = RENDER_DPI / 72
                pixels = width_pt * height_pt * scale * scale
                if pixels > MAX_IMAGE_PIXELS:  # an absurd page size would make a huge bitmap
                    scale *= (MAX_IMAGE_PIXELS / pixels) ** 0.5
                rendered = page.render(scale=scale, grayscale=True).to_numpy()
                page.close()
            except Exception:
                raise ScanError(
                    _(
                        "%(file)s: page %(page)s of the PDF could not be rendered",
                        file=name,
                        page=index + 1,
                    )
                ) from None
            yield np.ascontiguousarray(rendered[..., 0] if rendered.ndim == 3 else rendered)
    finally:
        pdf.close()


def check_upload(files: Iterable[tuple[str, bytes]]) -> int:
    """Check a whole upload before any page is decoded: its size, what each file is by its
    content, each PDF's page count, each picture's pixel count from its header. The number of
    pages; ScanError naming the first problem."""
    from PIL import Image

    total, pages = 0, 0
    for name, data in files:
        total += len(data)
        if total > MAX_UPLOAD_BYTES:
            raise ScanError(_("The upload is over %(mb)s MB", mb=MAX_UPLOAD_BYTES // (1024 * 1024)))
        kind = sniff(data)
        if kind is None:
            raise ScanError(_("%(file)s is not a PDF, PNG or JPEG file", file=name))
        if kind == PDF:
            count = _pdf_page_count(data, name)
            if count > MAX_PAGES:
                raise ScanError(
                    _(
                        "%(file)s has %(count)s pages: upload at most %(most)s at once",
                        file=name,
                        count=count,
                        most=MAX_PAGES,
                    )
                )
            pages += count
        else:
            try:
                with Image.open(io.BytesIO(data)) as image:
                    width, height = image.size
            except Image.DecompressionBombError:  # Pillow's own guard, far past ours
                width = height = MAX_IMAGE_PIXELS
            except Exception:
                raise ScanError(_("%(file)s: the picture could not be read", file=name)) from None
            if width * height > MAX_IMAGE_PIXELS:
                raise ScanError(_too_big(name, width, height))
            pages += 1
        if pages > MAX_PAGES:
            raise ScanError(_("The upload has more than %(most)s pages", most=MAX_PAGES))
    if not pages:
        raise ScanError(_("Choose a PDF or pictures of the filled-in forms"))
    return pages


def upload_pages(files: Sequence[tuple[str, bytes]]) -> Iterator[tuple[str, np.ndarray]]:
    """Every page of an upload (a PDF, or pictures, or both) as a grey image named "file, page
    n", one at a time so a long upload is never all in memory. Call check_upload first."""
    for name, data in files:
        if sniff(data) == PDF:
            for number, image in enumerate(_pdf_pages(data, name), start=1):
                yield _("%(file)s, page %(page)s", file=name, page=number), image
        else:
            yield name, _image_pages(data, name)[0]


# --- finding and straightening a page ---------------------------------------------------------


def _find_qr(gray: np.ndarray) -> tuple[PageMark, np.ndarray] | None:
    """Our QR code on the page and its four corners (top-left, top-right, bottom-right,
    bottom-left as the code reads), or None."""
    import zxingcpp

    for attempt in (gray, cv2.GaussianBlur(gray, (3, 3), 0)):
        for result in zxingcpp.read_barcodes(attempt, formats=zxingcpp.BarcodeFormat.QRCode):
            mark = read_qr_payload(result.text)
            if mark is None:
                continue
            p = result.position
            corners = np.array(
                [
                    [p.top_left.x, p.top_left.y],
                    [p.top_right.x, p.top_right.y],
                    [p.bottom_right.x, p.bottom_right.y],
                    [p.bottom_left.x, p.bottom_left.y],
                ],
                dtype=np.float64,
            )
            return mark, corners
    return None


def _mm_to_px(points_mm: np.ndarray) -> np.ndarray:
    return points_mm * PX_PER_MM


def _find_mark(
    gray: np.ndarray, guess: np.ndarray, px_per_mm: float, reach_mm: float = 15
) -> np.ndarray | None:
    """The centre of the solid square corner mark nearest the guess, within reach_mm of it."""
    half = int(reach_mm * px_per_mm)
    x0, y0 = max(0, int(guess[0]) - half), max(0, int(guess[1]) - half)
    x1, y1 = min(gray.shape[1], int(guess[0]) + half), min(gray.shape[0], int(guess[1]) + half)
    if x1 - x0 < 10 or y1 - y0 < 10:
        return None
    window = gray[y0:y1, x0:x1]
    _, ink = cv2.threshold(window, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    count, _labels, stats, centroids = cv2.connectedComponentsWithStats(ink, connectivity=8)
    expected = (MARK_MM * px_per_mm) ** 2
    best, best_distance = None, None
    for index in range(1, count):
        x, y, w, h, area = stats[index]
        if not 0.45 * expected <= area <= 1.8 * expected:
            continue
        if area < 0.75 * w * h or not 0.6 <= w / max(h, 1) <= 1.6:
            continue  # not solid, or not square: print, a tick, the QR code's pattern
        centre = centroids[index] + (x0, y0)
        distance = float(np.hypot(*(centre - guess)))
        if best_distance is None or distance < best_distance:
            best, best_distance = centre, distance
    return best


def _find_marks(
    gray: np.ndarray,
    qr_mm: np.ndarray,
    qr_px: np.ndarray,
    centres_mm: np.ndarray,
    px_per_mm: float,
) -> np.ndarray | None:
    """The four corner marks' centres in the image, or None. Nearest the QR code first: each
    mark found improves the guess of where the next lies (a photo's perspective makes a guess
    from the small QR code alone drift towards the far corners)."""
    qr_centre = qr_mm.mean(axis=0)
    order = np.argsort(np.linalg.norm(centres_mm - qr_centre, axis=1))
    found: dict[int, np.ndarray] = {}
    for index in order:
        known = list(found)
        if len(known) >= 3:  # marks alone span the page: a full affine from them
            matrix, _ = cv2.estimateAffine2D(
                centres_mm[known].astype(np.float32),
                np.array([found[k] for k in known], dtype=np.float32),
            )
        else:  # a turn, a scale and a shift from the QR code and the marks found so far
            src = np.vstack([qr_mm, centres_mm[known]]) if known else qr_mm
            dst = np.vstack([qr_px, [found[k] for k in known]]) if known else qr_px
            matrix, _ = cv2.estimateAffinePartial2D(src.astype(np.float32), dst.astype(np.float32))
        if matrix is None:
            return None
        guess = cv2.transform(centres_mm[index].reshape(1, 1, 2), matrix).reshape(2)
        mark = None
        for reach_mm in (15, 35):
            mark = _find_mark(gray, guess, px_per_mm, reach_mm)
            if mark is not None:
                break
        if mark is None:
            return None
        found[int(index)] = mark
    return np.array([found[i] for i in range(len(centres_mm))], dtype=np.float64)


def straighten(gray: np.ndarray) -> tuple[PageMark, np.ndarray]:
    """Find the page's QR code and corner marks and return the page as printed: A4 at
    PX_PER_MM, square to its marks. ScanError if either cannot be found."""
    scale = 1.0
    if max(gray.shape) > WORK_LONG_SIDE:
        scale = WORK_LONG_SIDE / max(gray.shape)
        gray = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA)
    found = _find_qr(gray)
    if found is None:
        raise ScanError(_("no form QR code was found on the page"))
    mark, qr_corners = found
    left, top, width, height = QR_BOX_MM
    qr_mm = np.array(
        [[left, top], [left + width, top], [left + width, top + height], [left, top + height]],
        dtype=np.float64,
    )
    # Where the QR code lies says roughly where the marks are, whatever the page's turn.
    px_per_mm = float(np.linalg.norm(qr_corners[1] - qr_corners[0])) / width
    centres_mm = np.array(MARK_CENTRES, dtype=np.float64)
    found_marks = _find_marks(gray, qr_mm, qr_corners, centres_mm, px_per_mm)
    if found_marks is None:
        raise ScanError(_("the four corner marks were not all found (is the whole page in view?)"))
    target = _mm_to_px(centres_mm).astype(np.float32)
    matrix = cv2.getPerspectiveTransform(found_marks.astype(np.float32), target)
    # The QR code must land where it was printed: a wrong mark (a filled-in box taken for
    # one) would straighten the page wrongly, and its boxes must then not be read at all.
    qr_flat = cv2.perspectiveTransform(qr_corners.reshape(-1, 1, 2), matrix).reshape(-1, 2)
    drift_mm = float(np.max(np.linalg.norm(qr_flat / PX_PER_MM - qr_mm, axis=1)))
    if drift_mm > QR_DRIFT_MM:
        raise ScanError(_("the page could not be straightened (a corner mark was not found)"))
    size = (round(PAGE_MM[0] * PX_PER_MM), round(PAGE_MM[1] * PX_PER_MM))
    flat = cv2.warpPerspective(
        gray, matrix, size, flags=cv2.INTER_AREA, borderMode=cv2.BORDER_CONSTANT, borderValue=255
    )
    return mark, flat


# --- reading the boxes -------------------------------------------------------------------------

# The printed border is under 0.4 mm; 0.9 mm in from the box's edge is inside it, whatever small
# error is left after straightening.
BOX_INSET_MM = 0.9


def _paper_white(flat: np.ndarray) -> float:
    return max(float(np.percentile(flat, 90)), 60.0)


def box_ink(flat: np.ndarray, rect_mm: list[float], white: float) -> BoxInk:
    x, y, w, h = rect_mm
    inset = BOX_INSET_MM
    x0 = round((x + ORIGIN[0] + inset) * PX_PER_MM)
    y0 = round((y + ORIGIN[1] + inset) * PX_PER_MM)
    x1 = round((x + ORIGIN[0] + w - inset) * PX_PER_MM)
    y1 = round((y + ORIGIN[1] + h - inset) * PX_PER_MM)
    inside = flat[y0:y1, x0:x1].astype(np.float32) / white
    if inside.size == 0:
        return BoxInk(0.0, 0.0)
    return BoxInk(float(np.mean(inside < 0.55)), float(np.mean(inside < 0.86)))


@dataclass(frozen=True)
class PageReading:
    mark: PageMark
    questions: list[QuestionReading]
    image: np.ndarray  # the straightened page


def read_page(
    gray: np.ndarray, layout_of: Callable[[PageMark], dict[str, Any] | None]
) -> PageReading:
    """Read one page: which form and page it is, and what each question's boxes say.
    ``layout_of`` gives that page's layout (from the form's stored layout), or None when the
    code is not one of this assessment's forms."""
    mark, flat = straighten(gray)
    page_layout = layout_of(mark)
    if page_layout is None:
        raise ScanError(
            _("the form code %(code)s is not one of this assessment's forms", code=mark.code)
        )
    white = _paper_white(flat)
    questions = []
    for item in page_layout["items"]:
        inks = {value: box_ink(flat, rect, white) for value, rect in item["boxes"].items()}
        questions.append(read_question(item["item_id"], inks))
    return PageReading(mark, questions, flat)


def png(image: np.ndarray) -> bytes:
    ok, data = cv2.imencode(".png", image, [cv2.IMWRITE_PNG_COMPRESSION, 6])
    if not ok:
        raise ScanError(_("the page image could not be kept"))
    return data.tobytes()


def crop_png(page_png: bytes, rect_mm: list[float], margin_mm: float = 1.0) -> bytes:
    """The part of a straightened page inside rect (mm from the origin), as a PNG."""
    image = cv2.imdecode(np.frombuffer(page_png, dtype=np.uint8), cv2.IMREAD_GRAYSCALE)
    if image is None:
        raise ScanError(_("the kept page image could not be read"))
    x, y, w, h = rect_mm
    x0 = max(0, round((x + ORIGIN[0] - margin_mm) * PX_PER_MM))
    y0 = max(0, round((y + ORIGIN[1] - margin_mm) * PX_PER_MM))
    x1 = min(image.shape[1], round((x + ORIGIN[0] + w + margin_mm) * PX_PER_MM))
    y1 = min(image.shape[0], round((y + ORIGIN[1] + h + margin_mm) * PX_PER_MM))
    return png(image[y0:y1, x0:x1])
