"""Returns built to known marginals, shared by the import, report and PDF tests.

Ten partnerships return to a collection of the Key Principles and the 2013 national survey:

- q1 IOM in place: yes r1-r8, no r9-r10.
- q2 (asked if q1 no, so of 2): r9 planning_ongoing, r10 blank: n 1, missing 1.
- q3 (asked if q1 yes, so of 8): fully r1-r5, partly r6-r7, r8 blank: n 7, missing 1.
- q4: one r1-r6, several r7-r8. q5 (asked if q4 several, so of 2): r7 two, r8 blank.
- q6 agencies, once per arrangement (multi): r1-r6 one arrangement each, r7 two, r8 three: 11
  arrangements asked; r8's third is blank: n 10. Police 10, probation 9, housing 3.
- q13 (multi, asked of all 10): answered by 7: key principles 5, PPO self-assessment 3, none 2.
- Key Principles 1.1: green r1-r4, amber r5-r7, red r8, don't know r9, r10 blank: n 9.
  Principle 1's RAG (1.1 is its only rated item): green 4, amber 3, red 1; r9, r10 none.

Regions: north_west r1-r5, london r6-r8, wales r9-r10 (suppressed below 3).
"""

from __future__ import annotations

from selfassess.domain.returns_import import (
    ImportedReturn,
    parse_returns,
    returns_to_rows,
    rows_to_csv,
)
from selfassess.queries import national as q
from selfassess.services.returns import import_returns

S = "national-survey-2013"
KP = "iom-key-principles"
REGIONS = ["north_west"] * 5 + ["london"] * 3 + ["wales"] * 2


def known_returns(codes: list[str]) -> list[ImportedReturn]:
    """The returns of the module docstring, for partnerships r1.. r10 in order."""
    out = []
    for i, code in enumerate(codes, start=1):
        r = ImportedReturn(code)
        a = r.answers
        a[(S, "q1")] = ["yes"] if i <= 8 else ["no"]
        if i == 9:
            a[(S, "q2")] = ["planning_ongoing"]
        if i <= 5:
            a[(S, "q3")] = ["fully"]
        elif i <= 7:
            a[(S, "q3")] = ["partly"]
        if i <= 8:
            a[(S, "q4")] = ["one"] if i <= 6 else ["several"]
        if i == 7:
            a[(S, "q5")] = ["two"]
        if i <= 8:
            count = 1 if i <= 6 else (2 if i == 7 else 3)
            for n in range(1, count + 1):
                r.arrangements[n] = {}
        # q6: police everywhere but r8's third; probation all but one more; housing three.
        answered = [(i, n) for n in sorted(r.arrangements) if not (i == 8 and n == 3)]
        for k, (_, n) in enumerate(answered):
            chosen = ["police"]
            if not (i == 1 and k == 0):
                chosen.append("probation")
            if i in (2, 3, 4):
                chosen.append("housing_services")
            r.arrangements[n][(S, "q6")] = chosen
        if i <= 5:
            a[(S, "q13")] = ["iom_key_principles"] + (["ppo_self_assessment"] if i <= 3 else [])
        elif i <= 7:
            a[(S, "q13")] = ["none"]
        rating = {1: "green", 2: "green", 3: "green", 4: "green", 5: "amber", 6: "amber"}
        rating.update({7: "amber", 8: "red", 9: "dont_know"})
        if i in rating:
            a[(KP, "1.1")] = [rating[i]]
        out.append(r)
    return out


def import_rows(collection, returns: list[ImportedReturn], replace: bool = False) -> int:
    """Import the returns into the collection as an uploaded CSV would be (all or nothing)."""
    fws = q.collection_frameworks(collection)
    content = rows_to_csv(returns_to_rows(fws, returns))
    result = parse_returns(
        "returns.csv",
        content.encode("utf-8"),
        fws,
        q.all_codes(),
        q.existing_codes(collection),
        replace=replace,
    )
    assert result.ok, result.errors
    return import_returns(collection, result, None)
