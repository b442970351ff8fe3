"""Welsh catalogue work: what is left to translate, and merging translations made in parts.

    python tools/translations.py missing        messages with no Welsh yet (from a fresh extract)
    python tools/translations.py merge PART...  copy the translations in PART .po files into
                                                messages.po (a message already there is kept)

`make messages` collects new messages into messages.po; `make translations` compiles it.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "selfassess" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
KEYWORDS = ["-k", "lazy_gettext", "-k", "_l", "-k", "lazy_ngettext:1,2", "-k", "lazy_pgettext:1c,2"]


def extract() -> object:
    with tempfile.TemporaryDirectory() as tmp:
        pot = Path(tmp) / "messages.pot"
        subprocess.run(
            [
                sys.executable,
                "-m",
                "babel.messages.frontend",
                "-q",
                "extract",
                "-F",
                "babel.cfg",
                *KEYWORDS,
                "--no-wrap",
                "-o",
                str(pot),
                ".",
            ],
            cwd=ROOT,
            check=True,
        )
        with pot.open("rb") as f:
            return read_po(f)


def read(path: Path):
    with path.open("rb") as f:
        return read_po(f, locale="cy")


def translated(message) -> bool:
    if message.fuzzy:
        return False
    strings = message.string if isinstance(message.string, tuple | list) else (message.string,)
    return all(s for s in strings)


def missing() -> int:
    catalogue = read(CATALOGUE)
    left = []
    for message in extract():
        if not message.id:
            continue
        held = catalogue.get(message.id, message.context)
        if held is None or not translated(held):
            left.append(message)
    for message in left:
        where = ", ".join(f"{f}:{n}" for f, n in message.locations[:2])
        print(f"{where}: {message.id!r}")
    print(f"{len(left)} message(s) with no Welsh", file=sys.stderr)
    return 1 if left else 0


def merge(parts: list[str]) -> int:
    catalogue = read(CATALOGUE)
    added = 0
    for part in parts:
        for message in read(Path(part)):
            if not message.id or not translated(message):
                continue
            held = catalogue.get(message.id, message.context)
            if held is None:
                catalogue.add(message.id, message.string, context=message.context)
                added += 1
            elif not translated(held):
                held.string = message.string
                held.flags.discard("fuzzy")
                added += 1
    with CATALOGUE.open("wb") as f:
        write_po(f, catalogue, width=0, omit_header=False)
    print(f"{added} translation(s) merged into {CATALOGUE.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["missing"]
    sys.exit(missing() if command == "missing" else merge(rest))
