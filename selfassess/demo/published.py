"""Returns built to the published marginals of the national surveys: `selfassess demo
published-returns`.

The counts below are the smallest whole numbers that give every share the publications print,
within their rounding, over the bases they print or imply (the 2013 survey findings for 2013:
184 CSPs, 181 with IOM, 224 arrangements; the 2010/11 key findings for 2011: 493 respondents,
324 of them IOM, 232 PPO and 200 DIP respondents, and the 142 CSPs they covered for the
figures the 2013 report gives for 2011). Who gives which answer is dealt at random from a seed;
what is counted never depends on it. Each 2010/11 respondent is a return, as the tool counts
returns; the CSP-level questions (q39, q40) are answered by one return per CSP covered.

One figure cannot be met: 2013's offenders dealt with (q9) prints 55%, 28%, 16% and 5 CSPs,
which add to more than the whole; the counts keep 55%, 28% and the 5 CSPs, and give 201 to 500
what is left (15%).
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import click

from selfassess.demo.partnership import demo_group
from selfassess.domain.frameworks import Framework
from selfassess.domain.reference import REGIONS
from selfassess.domain.returns_import import ImportedReturn, returns_to_rows, rows_to_csv

S13 = "national-survey-2013"
S11 = "national-survey-2011"

# 2013: counts per item (of the CSPs or arrangements the item is put to).
Q6_2013 = {  # of 224 arrangements
    "police": 215, "probation": 215, "local_authority": 197, "drug_alcohol_services": 193,
    "housing_services": 179, "youth_offending_services": 172, "prison_service": 148,
    "vcse": 114, "courts": 63, "cps": 58, "nhs_commissioning_boards": 52,
    "nhs_england_local_area_teams": 38,
}  # fmt: skip
Q11_2013 = {  # of 134 CSPs prioritising; 125 choose more than one
    "ppo": 119, "drug_misusing": 83, "non_statutory": 70, "young_offenders": 60,
    "women_offenders": 32, "dangerous_offenders": 27, "gang_members": 21, "foreign_national": 4,
}  # fmt: skip
Q12_2013 = {"local_evaluation": 109, "local_management_system": 100, "idiom": 27}  # 5 not
Q13_2013 = {"iom_key_principles": 130, "iom_key_principles_self_assessment": 89,
            "ppo_self_assessment": 85, "iom_efficiency_toolkit": 40}  # fmt: skip


def _deal(rng: random.Random, units: Sequence, counts: dict[str, int]) -> dict:
    """Each unit at most one option: the counts, dealt to shuffled units; the rest unanswered."""
    order = list(units)
    rng.shuffle(order)
    out, i = {}, 0
    for option, n in counts.items():
        for unit in order[i : i + n]:
            out[unit] = option
        i += n
    assert i <= len(order), (counts, len(order))
    return out


def _spread(rng: random.Random, units: Sequence, counts: dict[str, int]) -> dict:
    """Multi-choice: each option to its count of units, those with fewest choices so far first,
    so that every unit has an answer while the counts allow."""
    chosen: dict = {u: [] for u in units}
    for option, n in counts.items():
        order = list(units)
        rng.shuffle(order)
        order.sort(key=lambda u: len(chosen[u]))
        for unit in order[:n]:
            chosen[unit].append(option)
    return chosen


def _codes(prefix: str, n: int) -> list[str]:
    return [f"{prefix}{i:05d}" for i in range(1, n + 1)]


def returns_2013(seed: int = 1) -> list[ImportedReturn]:
    """184 CSP returns to the 2013 survey's published marginals."""
    rng = random.Random(seed)
    returns = {code: ImportedReturn(code) for code in _codes("E2013", 184)}
    codes = list(returns)
    q1 = _deal(rng, codes, {"yes": 181, "no": 3})
    iom = [c for c in codes if q1[c] == "yes"]
    without = [c for c in codes if q1[c] == "no"]
    answers: dict[str, dict[str, list[str]]] = {c: {"q1": [q1[c]]} for c in codes}
    for code, v in _deal(rng, without, {"planning_ongoing": 1, "no_current_plans": 2}).items():
        answers[code]["q2"] = [v]
    for item, counts in (
        ("q3", {"fully": 143, "partly": 38}),
        ("q4", {"one": 159, "several": 22}),
        ("q7", {"yes": 130, "no": 51}),
        ("q9", {"up_to_100": 99, "from_101_to_200": 50, "from_201_to_500": 27, "over_500": 5}),
        ("q10", {"yes": 134, "no": 47}),
    ):
        for code, v in _deal(rng, iom, counts).items():
            answers[code][item] = [v]
    several = [c for c in iom if answers[c]["q4"] == ["several"]]
    for code, v in _deal(rng, several, {"two": 8, "three": 7, "four_or_more": 7}).items():
        answers[code]["q5"] = [v]
    arrangements = {c: {"one": 1, "two": 2, "three": 3, "four_or_more": 4}[
        (answers[c].get("q5") or answers[c]["q4"])[0]] for c in iom}  # fmt: skip
    units = [(c, n) for c in iom for n in range(1, arrangements[c] + 1)]
    q6 = _spread(rng, units, Q6_2013)
    # q8, of every CSP with IOM: police co-located with probation at 100, with all three at 20;
    # those whose partners share no premises (q7 no) say none.
    sharing = [c for c in iom if answers[c]["q7"] == ["yes"]]
    patterns = {
        ("probation", "drug_alcohol_services", "local_authority"): 20,
        ("probation",): 40,
        ("probation", "drug_alcohol_services"): 20,
        ("probation", "local_authority"): 20,
        ("drug_alcohol_services",): 15,
        ("drug_alcohol_services", "local_authority"): 10,
        ("housing_services",): 5,
    }
    q8 = _deal(rng, sharing, {"|".join(p): n for p, n in patterns.items()})
    for code in iom:
        answers[code]["q8"] = q8[code].split("|") if code in q8 else ["none"]
    prioritising = [c for c in iom if answers[c]["q10"] == ["yes"]]
    alone = set(rng.sample(prioritising, 9))  # prioritise PPOs only
    rest = [c for c in prioritising if c not in alone]
    q11 = _spread(rng, rest, {**Q11_2013, "ppo": Q11_2013["ppo"] - 9})
    for code in prioritising:
        answers[code]["q11"] = ["ppo"] if code in alone else q11[code]
    unmonitored = set(rng.sample(iom, 5))  # "not formally monitored", on its own
    q12 = _spread(rng, [c for c in iom if c not in unmonitored], Q12_2013)
    q13 = _spread(rng, iom, Q13_2013)
    for code in iom:
        answers[code]["q12"] = q12.get(code) or ["not_formally_monitored"]
        answers[code]["q13"] = q13[code] or ["none"]
    for code, ret in returns.items():
        ret.answers = {(S13, item): values for item, values in answers[code].items()}
        if code in arrangements:
            ret.arrangements = {
                n: {(S13, "q6"): q6[(code, n)]} for n in range(1, arrangements[code] + 1)
            }
    return list(returns.values())


# 2010/11: counts per item, of the respondents each part of the questionnaire went to.
SINGLE_2011 = {
    # IOM respondents (324)
    "q2": {"fully": 101, "partially": 198, "not_established": 24},
    "q5": {"yes": 228, "partly": 58, "no": 9, "dont_know": 9},
    "q7": {"fully": 166, "partially": 134, "not_aligned": 20},
    "q19": {"yes": 149, "no": 140, "dont_know": 35},
    "q21": {"yes": 227, "no": 97},
    "q36": {"very_helpful": 80, "helpful": 163, "not_very_helpful": 81},
    "q37": {"very_helpful": 85, "helpful": 158, "not_very_helpful": 81},
    # PPO respondents (232)
    "q3": {"yes": 179, "in_progress": 40, "no": 13},
    "q8": {"fully": 165, "partially": 49, "not_embedded": 18},
    "q14": {"yes": 72, "no": 160},
    "q24": {"yes": 158, "no": 74},
    # DIP respondents (200)
    "q4": {"fully": 92, "partially": 76, "not_implemented": 32},
    "q9": {"very": 80, "quite": 76, "not_very": 34, "not_at_all": 10},
    "q16": {"yes": 56, "no": 144},
    "q18": {"yes": 42, "no": 158},
    "q27": {"very_helpful": 50, "quite_helpful": 96, "not_very_helpful": 54},
    "q28": {"yes": 156, "no": 44},
    "q31": {"yes": 156, "no": 44},
}
# Asked of those who answered yes before: (item, earlier item, counts).
FOLLOW_ON_2011 = (
    ("q22", "q21", {"yes": 163, "no": 64}),
    ("q23", "q22", {"very_helpful": 23, "helpful": 112, "not_very_helpful": 28}),
    ("q25", "q24", {"yes": 120, "no": 38}),
    ("q26", "q25", {"very_helpful": 40, "quite_helpful": 66, "not_very_helpful": 14}),
    ("q29", "q28", {"yes": 129, "no": 27}),
    ("q30", "q29", {"very_helpful": 30, "quite_helpful": 51, "not_very_helpful": 48}),
    ("q32", "q31", {"yes": 140, "no": 16}),
    ("q33", "q32", {"very_helpful": 28, "quite_helpful": 50, "not_very_helpful": 62}),
)
Q38_2011 = {"ppo_refresh": 91, "embedding_ppo_in_iom": 102, "ppo_traffic_light_tool": 105}
Q40_2011 = {  # of the 105 CSPs that had implemented IOM
    "police": 101, "probation": 100, "local_authority": 92, "drug_alcohol_treatment": 89,
    "housing": 67, "youth_offending_teams": 75, "prisons": 54, "vcs": 40,
}  # fmt: skip


def returns_2011(seed: int = 0) -> list[ImportedReturn]:
    """493 respondents' returns to the 2010/11 survey's published marginals."""
    rng = random.Random(seed)
    codes = _codes("E2011", 493)
    # IOM respondents 1-324, PPO 201-432, DIP 294-493: everyone in one category at least.
    groups = {"iom": codes[:324], "ppo": codes[200:432], "dip": codes[293:]}
    answers: dict[str, dict[str, list[str]]] = {c: {} for c in codes}
    for category, members in groups.items():
        for code in members:
            answers[code].setdefault("q1", []).append(category)
    asked = {
        "iom": "q2 q5 q7 q19 q21 q36 q37",
        "ppo": "q3 q8 q14 q24",
        "dip": "q4 q9 q16 q18 q27 q28 q31",
    }
    for category, items in asked.items():
        for item in items.split():
            for code, v in _deal(rng, groups[category], SINGLE_2011[item]).items():
                answers[code][item] = [v]
    for item, earlier, counts in FOLLOW_ON_2011:
        eligible = [c for c in codes if answers[c].get(earlier) == ["yes"]]
        for code, v in _deal(rng, eligible, counts).items():
            answers[code][item] = [v]
    # PPO information wanted: 183 of the PPO respondents answer.
    q38_units = rng.sample(groups["ppo"], 183)
    q38 = _spread(rng, q38_units, Q38_2011)
    for code in q38_units:
        answers[code]["q38"] = q38[code] or ["none"]
    # VCS at a strategic level 27%, at an operational level 47%, of all respondents.
    for item, vcs in (("q10", 133), ("q11", 232)):
        chosen = _spread(
            rng, codes, {"police": 480, "probation": 470, "local_authority": 450, "vcs": vcs}
        )
        for code in codes:
            answers[code][item] = chosen[code]
    # One return per CSP covered (142) answers the CSP-level questions the 2013 report restates.
    csps = rng.sample(codes, 142)
    q39 = _deal(rng, csps, {"implemented": 105, "planned": 34, "no_plans": 3})
    for code, v in q39.items():
        answers[code]["q39"] = [v]
    implemented = [c for c in csps if q39[c] == "implemented"]
    q40 = _spread(rng, implemented, Q40_2011)
    for code in implemented:
        answers[code]["q40"] = q40[code]
    out = []
    for code in codes:
        ret = ImportedReturn(code)
        ret.answers = {(S11, item): values for item, values in answers[code].items()}
        out.append(ret)
    return out


def expected_csv(codes: Iterable[str], seed: int) -> str:
    """The expected-partnerships file for these codes, spread over the regions."""
    rng = random.Random(seed)
    regions = [rid for rid, _ in REGIONS]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["name", "code", "region", "police_force_area"])
    for code in codes:
        writer.writerow([f"Partnership {code}", code, rng.choice(regions), "Example Police"])
    return out.getvalue()


def published_files(survey: Framework, seed: int) -> tuple[str, str]:
    """(expected partnerships CSV, returns CSV) for the survey's published marginals."""
    returns = returns_2013(seed) if survey.id == S13 else returns_2011(seed)
    return (
        expected_csv([r.partnership_code for r in returns], seed),
        rows_to_csv(returns_to_rows([survey], returns)),
    )


@demo_group.command("published-returns")
@click.option("--survey", type=click.Choice(["2011", "2013"]), required=True)
@click.option(
    "--seed", type=int, default=None, help="Who answers what (default: 0 for 2011, 1 for 2013)."
)
@click.option(
    "--dir",
    "folder",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to write expected-partnerships.csv and returns.csv.",
)
def published_returns(survey: str, seed: int | None, folder: Path) -> None:
    """Write returns built to a national survey's published marginals, with the expected
    partnerships to load first; then import them with `national expected load` and `national
    import`."""
    from selfassess.extensions import frameworks

    fid = S13 if survey == "2013" else S11
    expected, returns = published_files(
        frameworks().get(fid), seed if seed is not None else int(survey == "2013")
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "expected-partnerships.csv").write_text(expected, encoding="utf-8")
    (folder / "returns.csv").write_text(returns, encoding="utf-8")
    click.echo(
        f"Wrote {folder / 'expected-partnerships.csv'} and {folder / 'returns.csv'} ({fid})."
    )
