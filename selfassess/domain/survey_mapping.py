"""Comparing two surveys as data: which items and options of an earlier survey correspond to
which of a later one, and how their bases differ (no Flask, no database).

A mapping is a YAML file in ``questions/comparisons/``::

    id: survey-2011-to-2013
    title: The 2010/11 survey compared with the 2013 survey
    earlier: national-survey-2011
    later: national-survey-2013
    pairs:
      - later: q6                       # an item of the later survey
        earlier: q40                    # the item of the earlier survey it corresponds to
        options:                        # later option: the earlier options it corresponds to
          housing_services: [housing]   # (one or more: their shares are added, so several
                                        # only where the earlier item takes one answer)
        like_for_like: false            # false when the bases differ; the note says how
        note: 2013 counts IOM arrangements, 2011 partnerships.

``selfassess.domain.national_comparison`` puts two national pictures side by side on these
pairs: both shares, the change in percentage points, and whether it is like for like.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from selfassess.domain.framework_checks import Problem, read_yaml, version_key

FOLDER = "comparisons"


@dataclass(frozen=True)
class Pair:
    later: str
    earlier: str
    options: tuple[tuple[str, tuple[str, ...]], ...]
    like_for_like: bool
    note: str | None = None


@dataclass(frozen=True)
class Comparison:
    id: str
    title: str
    earlier: str
    later: str
    pairs: tuple[Pair, ...]
    file: str

    def item_ids(self) -> set[str]:
        return {p.later for p in self.pairs}


# --- reading and checking ----------------------------------------------------------------


def _text(value) -> bool:
    return isinstance(value, str) and bool(value.strip())


def _parse(data, name: str, frameworks: dict[str, object]) -> tuple[Comparison | None, list]:
    problems: list[Problem] = []

    def add(path: str, message: str) -> None:
        problems.append(Problem(name, path, message))

    if not isinstance(data, dict):
        return None, [Problem(name, "(top level)", "must be a mapping (id, title, pairs...)")]
    for key in ("id", "title", "earlier", "later"):
        if not _text(data.get(key)):
            add(key, "is required (text)")
    unknown = set(data) - {"id", "title", "description", "earlier", "later", "pairs"}
    for key in sorted(unknown):
        add(key, "unknown key")
    earlier = frameworks.get(data.get("earlier"))
    later = frameworks.get(data.get("later"))
    for key, fw in (("earlier", earlier), ("later", later)):
        if _text(data.get(key)) and fw is None:
            add(key, f"no framework {data[key]!r} exists")
        elif fw is not None and getattr(fw, "kind", None) != "survey":
            add(key, f"{data[key]!r} is not a survey")
    raw_pairs = data.get("pairs")
    if not isinstance(raw_pairs, list) or not raw_pairs:
        add("pairs", "lists at least one pair of items")
        raw_pairs = []
    pairs = []
    seen: set[str] = set()
    for i, raw in enumerate(raw_pairs):
        ppath = f"pairs[{i}]"
        if not isinstance(raw, dict):
            add(ppath, "must be a mapping (later, earlier, options)")
            continue
        for key in sorted(set(raw) - {"later", "earlier", "options", "like_for_like", "note"}):
            add(f"{ppath}.{key}", "unknown key")
        if not isinstance(raw.get("like_for_like"), bool):
            add(f"{ppath}.like_for_like", "is required: true, or false with a note on the bases")
        elif raw["like_for_like"] is False and not _text(raw.get("note")):
            add(f"{ppath}.note", "say how the bases differ when a pair is not like for like")
        later_item = later.item(raw.get("later")) if later is not None else None
        earlier_item = earlier.item(raw.get("earlier")) if earlier is not None else None
        if later is not None and later_item is None:
            add(f"{ppath}.later", f"{raw.get('later')!r} is not an item of {later.id}")
        if earlier is not None and earlier_item is None:
            add(f"{ppath}.earlier", f"{raw.get('earlier')!r} is not an item of {earlier.id}")
        if raw.get("later") in seen:
            add(f"{ppath}.later", f"{raw.get('later')!r} is paired twice")
        seen.add(raw.get("later"))
        options = raw.get("options")
        if not isinstance(options, dict) or not options:
            add(f"{ppath}.options", "maps at least one later option to earlier options")
            options = {}
        mapped = []
        for later_opt, earlier_opts in options.items():
            opath = f"{ppath}.options.{later_opt}"
            if isinstance(earlier_opts, str):
                earlier_opts = [earlier_opts]
            if not isinstance(earlier_opts, list) or not earlier_opts:
                add(opath, "lists the earlier options it corresponds to")
                continue
            if later_item is not None and later_item.option(later_opt) is None:
                add(opath, f"{later_opt!r} is not an option of {later_item.id}")
            if earlier_item is not None:
                for value in earlier_opts:
                    if earlier_item.option(value) is None:
                        add(opath, f"{value!r} is not an option of earlier {earlier_item.id}")
                if len(earlier_opts) > 1 and earlier_item.type == "multi":
                    add(
                        opath,
                        f"adds several options of {earlier_item.id}, where one return can "
                        "choose more than one: its share would count some twice",
                    )
            mapped.append((str(later_opt), tuple(str(v) for v in earlier_opts)))
        if later_item is not None and earlier_item is not None:
            pairs.append(
                Pair(
                    later_item.id,
                    earlier_item.id,
                    tuple(mapped),
                    raw.get("like_for_like") is True,
                    raw.get("note"),
                )
            )
    if problems:
        return None, problems
    return (
        Comparison(data["id"], data["title"], data["earlier"], data["later"], tuple(pairs), name),
        [],
    )


def load_comparisons(directory: Path, frameworks: Iterable) -> tuple[list[Comparison], list]:
    """Every mapping in ``directory/comparisons``, checked against the newest versions of the
    frameworks it names; returns what loaded and every problem (file, place, problem)."""
    latest: dict[str, object] = {}
    for fw in frameworks:
        old = latest.get(fw.id)
        if old is None or _newer(fw, old):
            latest[fw.id] = fw
    found: list[Comparison] = []
    problems: list[Problem] = []
    folder = Path(directory) / FOLDER
    ids: dict[str, str] = {}
    for path in sorted(folder.glob("*.y*ml")) if folder.is_dir() else []:
        name = f"{FOLDER}/{path.name}"
        data, read_problems = read_yaml(path, name)
        if read_problems:
            problems.extend(read_problems)
            continue
        comparison, file_problems = _parse(data, name, latest)
        problems.extend(file_problems)
        if comparison is not None:
            if comparison.id in ids:
                problems.append(
                    Problem(name, "id", f"{comparison.id} is also in {ids[comparison.id]}")
                )
                continue
            ids[comparison.id] = name
            found.append(comparison)
    return found, problems


def _newer(fw, old) -> bool:
    return version_key(fw.version) > version_key(old.version)
