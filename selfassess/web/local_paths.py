"""Where a `next` address may send someone: only a path on this site.

Browsers forgive a lot in a Location header: they drop tabs and newlines, read a backslash as a
slash and `//host` as another site. So a target is accepted only if, in the text as given and
after percent-decoding, it has no scheme, no host, no backslash, no control or invisible
character and no whitespace, and starts with one slash only.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import unquote, urlsplit

# Enough for any double-encoding a browser or proxy would undo; more means someone is trying.
_MAX_DECODES = 3


def _suspicious(text: str) -> bool:
    return any(
        ch == "\\" or ch.isspace() or unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp")
        for ch in text
    )


def local_path(target: str | None) -> str | None:
    """target if it is a path on this site, otherwise None."""
    if not target:
        return None
    forms = [target]
    for _ in range(_MAX_DECODES):
        decoded = unquote(forms[-1])
        if decoded == forms[-1]:
            break
        forms.append(decoded)
    else:
        if unquote(forms[-1]) != forms[-1]:
            return None
    for form in forms:
        if _suspicious(form) or not form.startswith("/") or form.startswith("//"):
            return None
        parts = urlsplit(form)
        if parts.scheme or parts.netloc:
            return None
    return target
