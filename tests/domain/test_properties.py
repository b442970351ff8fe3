"""Property tests (hypothesis) over the domain, with the real frameworks.

- Aggregation (``scoring.assess``) over generated vote rows: counts add up overall and by
  agency, agreement stays within 0-100, a derived rating is a scored value of the scale, each
  section's RAG is what its rule gives from the items' scores, and no item is a gap twice.
- The national picture (``national.build_picture``) over generated returns: percentages within
  0-100, no count above its n, n never above the units asked, section RAG counts add up.
- The framework loader against broken files made from the real ones (keys deleted, types
  changed, random unicode, truncation): always a clean list of problems naming the file, or a
  FrameworkError carrying them; never an uncaught exception.
"""

from __future__ import annotations

import copy
import shutil
import tempfile
from collections import Counter, defaultdict
from fractions import Fraction
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from selfassess.config import PROJECT_ROOT
from selfassess.domain.frameworks import (
    FrameworkError,
    load_framework_file,
    load_library,
    load_schema,
)
from selfassess.domain.national import build_picture, build_regional_pictures, suppress
from selfassess.domain.national_figures import ARRANGEMENT, collection_items
from selfassess.domain.reference import AGENCIES
from selfassess.domain.scoring import AgreedInput, assess

QUESTIONS = PROJECT_ROOT / "questions"
LIBRARY = load_library(QUESTIONS)
VALIDATOR = load_schema(QUESTIONS)
RATED = [fw for fw in LIBRARY.latest_all() if fw.is_rated]
SURVEYS = [fw for fw in LIBRARY.latest_all() if fw.kind == "survey"]
PINNED = [(fw.id, fw.version) for fw in RATED]
AGENCY_IDS = [a for a, _ in AGENCIES] + ["", "an-agency-we-do-not-know"]

FAST = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --- aggregation --------------------------------------------------------------------------


@st.composite
def vote_rows(draw):
    """Rows as the grouped query gives them, for the real rated frameworks; some off-scale."""
    rows = []
    for _ in range(draw(st.integers(0, 60))):
        fw = draw(st.sampled_from(RATED))
        item = draw(st.sampled_from(fw.items))
        value = draw(st.sampled_from([v.id for v in fw.scale] + ["purple"]))
        agency = draw(st.sampled_from(AGENCY_IDS))
        rows.append((fw.id, item.id, agency, value, draw(st.integers(0, 12))))
    agreed = {}
    for _ in range(draw(st.integers(0, 10))):
        fw = draw(st.sampled_from(RATED))
        item = draw(st.sampled_from(fw.items))
        value = draw(st.sampled_from([v.id for v in fw.scale]))
        agreed[(fw.id, item.id)] = AgreedInput(value, "Agreed", draw(st.booleans()))
    return rows, agreed


def _expected_mean_rag(rule, scores):
    if len(scores) < rule.min_scored_items:
        return None
    mean = Fraction(sum(scores), len(scores))
    if mean >= Fraction(str(rule.green_at_least)):
        return "green"
    if mean >= Fraction(str(rule.amber_at_least)):
        return "amber"
    return "red"


@FAST
@given(vote_rows())
def test_aggregation_invariants(generated):
    rows, agreed = generated
    results = assess(LIBRARY, PINNED, rows, agreed)
    assert [r.framework.id for r in results.frameworks] == [fid for fid, _ in PINNED]

    sent: dict[tuple[str, str], Counter] = defaultdict(Counter)
    for fid, iid, agency, value, count in rows:
        sent[(fid, iid)][(agency, value)] += count

    for result in results.frameworks:
        fw = result.framework
        scale_ids = [v.id for v in fw.scale]
        scored_ids = {v.id for v in fw.scale if v.score is not None}
        for item in result.items:
            on_scale = {k: c for k, c in sent[(fw.id, item.item_id)].items() if k[1] in scale_ids}
            # Counts add up: overall, per value, and by agency.
            assert item.n == sum(on_scale.values()) == sum(item.distribution.values())
            assert list(item.distribution) == scale_ids
            for value in scale_ids:
                assert item.distribution[value] == sum(
                    c for (_, v), c in on_scale.items() if v == value
                )
                assert item.distribution[value] == sum(
                    dist[value] for dist in item.by_agency.values()
                )
            for dist in item.by_agency.values():
                assert sum(dist.values()) > 0
            assert item.n_scored == sum(item.distribution[v] for v in scored_ids)
            assert item.n == item.n_scored + item.dont_know + item.not_applicable
            # Agreement is a percentage; a derived rating is a scored value of the scale.
            if item.n_scored:
                assert 0 <= item.agreement <= 100
                assert item.derived in scored_ids
            else:
                assert item.agreement is None and item.derived is None
            assert item.rating is None or item.rating in scale_ids
            key = (fw.id, item.item_id)
            if key in agreed:
                assert item.rating == agreed[key].value and not item.provisional
            else:
                assert item.rating == item.derived and item.provisional
            assert item.explanation

        # Each section's RAG is what its rule gives from its items' scores.
        rule = fw.section_rule
        for section, section_result in zip(fw.sections, result.sections, strict=True):
            items = [result.item(i.id) for i in section.items]
            scores = [i.rating_score for i in items if i.rating_score is not None]
            assert section_result.items_scored == len(scores)
            assert section_result.items_total == len(section.items)
            assert section_result.rag == _expected_mean_rag(rule, scores)
            if section_result.rag is None:
                assert section_result.score is None
            else:
                mean = Fraction(sum(scores), len(scores))
                assert abs(Fraction(str(section_result.score)) - mean) <= Fraction(1, 200)
        overall_scores = [i.rating_score for i in result.items if i.rating_score is not None]
        assert result.overall.rag == _expected_mean_rag(rule, overall_scores)

    found = results.strengths_and_gaps()
    gap_keys = [(g.framework_id, g.item.item_id) for g in found.gaps]
    assert len(gap_keys) == len(set(gap_keys)), "an item is listed twice among the gaps"
    for gap in found.gaps:
        assert gap.reason in ("red", "amber", "contested", "uncertain")
        if gap.reason in ("red", "amber"):
            assert gap.item.rating == gap.reason
    for strength in found.strengths:
        if strength.kind == "item":
            assert strength.result.rating == "green"
        else:
            assert strength.result.rag == "green"


# --- the national picture ---------------------------------------------------------------


REGIONS = ["london", "wales", "north_west"]
NATIONAL_FRAMEWORKS = [*SURVEYS, *RATED[:1]]
ITEMS = collection_items(NATIONAL_FRAMEWORKS)


@st.composite
def national_returns(draw):
    """Returns as the database would hold them: per unit, one or more chosen values."""
    rng = draw(st.randoms(use_true_random=False))
    returns = []
    for r in range(draw(st.integers(0, 9))):
        arrangements = rng.randint(0, 3)
        answers = []
        for ci in ITEMS:
            units = [0] if ci.unit != ARRANGEMENT else list(range(1, arrangements + 1))
            options = [oid for oid, _ in ci.options] or ["x"]
            for unit in units:
                if rng.random() < 0.3:
                    continue  # not answered
                chosen = (
                    rng.sample(options, rng.randint(1, len(options)))
                    if ci.multi
                    else [rng.choice(options)]
                )
                answers += [(ci.framework_id, ci.item_id, unit, v) for v in chosen]
        rags = {
            fw.id: {s.id: rng.choice(["red", "amber", "green", None]) for s in fw.sections}
            for fw in NATIONAL_FRAMEWORKS
            if fw.is_rated
        }
        returns.append((f"r{r}", REGIONS[r % 3], arrangements, answers, rags))
    return returns


def _grouped(returns, by_region=False):
    """The rows the documented grouped queries give for these returns."""
    counts, arrs, answered, sections = Counter(), Counter(), Counter(), Counter()
    for _, region, arrangements, answers, rags in returns:
        lead = (region,) if by_region else ()
        for fid, iid, _, value in answers:
            counts[lead + (fid, iid, value)] += 1
            arrs[lead + (fid, iid, value)] += arrangements
        for fid, iid, _ in {(f, i, u) for f, i, u, _ in answers}:
            answered[lead + (fid, iid)] += 1
        for fid, by_section in rags.items():
            for sid, rag in by_section.items():
                sections[lead + (fid, sid, rag)] += 1
    return (
        [(*k, c, arrs[k]) for k, c in counts.items()],
        [(*k, c) for k, c in answered.items()],
        [(*k, c) for k, c in sections.items()],
    )


def _check_picture(picture, returns, arrangements):
    for figures in picture.items.values():
        if figures.suppressed:
            continue
        limit = arrangements if figures.unit == ARRANGEMENT else returns
        assert 0 <= figures.n <= limit
        assert figures.missing is None or figures.missing >= 0
        for option in figures.options:
            assert 0 <= option.count <= figures.n
            if figures.n:
                assert 0 <= option.percent <= 100
            else:
                assert option.percent is None
        if not figures.multi:
            assert sum(o.count for o in figures.options) == figures.n
    for by_section in picture.sections.values():
        for section in by_section.values():
            if section.suppressed:
                continue
            assert 0 <= section.n <= returns
            assert section.missing == returns - section.n
            assert sum(o.count for o in section.options) == section.n
            for option in section.options:
                assert option.percent is None or 0 <= option.percent <= 100


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(national_returns())
def test_national_picture_invariants(returns):
    counts, answered, sections = _grouped(returns)
    arrangements = sum(r[2] for r in returns)
    picture = build_picture(
        "c",
        NATIONAL_FRAMEWORKS,
        len(returns),
        counts,
        answered,
        arrangements=arrangements,
        section_rags=sections,
    )
    _check_picture(picture, len(returns), arrangements)
    # Against itself as the previous collection, every change is zero or unknown.
    again = build_picture(
        "c2",
        NATIONAL_FRAMEWORKS,
        len(returns),
        counts,
        answered,
        arrangements=arrangements,
        section_rags=sections,
        previous=picture,
    )
    for figures in again.items.values():
        assert all(o.change in (None, 0) for o in figures.options)

    r_counts, r_answered, r_sections = _grouped(returns, by_region=True)
    per_region = {
        region: (
            sum(1 for r in returns if r[1] == region),
            sum(r[2] for r in returns if r[1] == region),
        )
        for region in REGIONS
    }
    regional = build_regional_pictures(
        "c",
        NATIONAL_FRAMEWORKS,
        {region: n for region, (n, _) in per_region.items() if n},
        r_counts,
        r_answered,
        arrangements_by_region={region: a for region, (n, a) in per_region.items() if n},
        section_rags=r_sections,
    )
    for region, regional_picture in regional.items():
        n, a = per_region[region]
        _check_picture(regional_picture, n, a)
        _check_picture(suppress(regional_picture), n, a)


# --- broken framework files ---------------------------------------------------------------


FILES = sorted(p.name for p in QUESTIONS.glob("*.yaml"))
TEXTS = {name: (QUESTIONS / name).read_text(encoding="utf-8") for name in FILES}
PARSED = {name: yaml.safe_load(text) for name, text in TEXTS.items()}
HOSTILE_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=40
)


def _paths(data, prefix=()):
    """Every place in the parsed file: (path to container, key or index)."""
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix, key
            yield from _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield prefix, index
            yield from _paths(value, (*prefix, index))


def _container(data, path):
    for part in path:
        data = data[part]
    return data


@st.composite
def broken_files(draw):
    """(file name, text): a real framework file, mutated."""
    name = draw(st.sampled_from(FILES))
    text = TEXTS[name]
    kind = draw(st.sampled_from(["delete", "retype", "unicode", "truncate", "splice"]))
    if kind in ("truncate", "splice"):
        cut = draw(st.integers(0, len(text)))
        if kind == "truncate":
            return name, text[:cut]
        return name, text[:cut] + draw(HOSTILE_TEXT) + text[cut:]
    data = copy.deepcopy(PARSED[name])
    rng = draw(st.randoms(use_true_random=False))
    places = list(_paths(data))
    for _ in range(draw(st.integers(1, 4))):
        path, key = rng.choice(places)
        try:
            container = _container(data, path)
            container[key]  # noqa: B018 - still there after earlier mutations?
        except (KeyError, IndexError, TypeError):
            continue
        if kind == "delete":
            del container[key]
        elif kind == "retype":
            container[key] = draw(
                st.one_of(
                    st.none(),
                    st.booleans(),
                    st.integers(-(10**12), 10**12),
                    st.floats(allow_nan=True),
                    st.lists(st.integers(), max_size=3),
                    st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
                    HOSTILE_TEXT,
                )
            )
        else:
            container[key] = draw(HOSTILE_TEXT)
        places = list(_paths(data))
        if not places:
            break
    return name, yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


def _assert_clean(problems, name):
    assert problems, "a broken file was accepted without a problem listed"
    for problem in problems:
        assert isinstance(problem.message, str) and problem.message
        assert isinstance(problem.path, str)
        assert problem.file and str(problem)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(broken_files())
def test_a_broken_framework_file_gives_clean_problems(broken):
    name, text = broken
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / name).write_text(text, encoding="utf-8")
        shutil.copy(QUESTIONS / "schema.json", Path(folder) / "schema.json")
        # The whole loader, as the service starts: a library, or a FrameworkError listing
        # problems (this file's own, or what other files it refers to are missing).
        try:
            load_library(Path(folder))
        except FrameworkError as error:
            _assert_clean(error.problems, name)
            assert str(error)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=300))
def test_any_bytes_as_a_framework_file_give_clean_problems(content):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.yaml"
        path.write_bytes(content)
        framework, problems = load_framework_file(path, VALIDATOR)
        assert framework is None
        _assert_clean(problems, "random.yaml")
