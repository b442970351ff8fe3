"""Where the national demo data lives and who works there: every Community Safety Partnership
of England and Wales by region (weighted as the real ones were in 2011), with made-up place
names, police force areas and people's names."""

from __future__ import annotations

import random

# CSPs per region, roughly as in 2011 (329 in all).
REGION_WEIGHTS = {
    "north_east": 12,
    "north_west": 37,
    "yorkshire_humber": 21,
    "east_midlands": 31,
    "west_midlands": 30,
    "east": 46,
    "london": 32,
    "south_east": 64,
    "south_west": 34,
    "wales": 22,
}
FORCES = {
    "north_east": ("Northumbria Police", "Durham Constabulary", "Cleveland Police"),
    "north_west": (
        "Cumbria Constabulary",
        "Lancashire Constabulary",
        "Merseyside Police",
        "Greater Manchester Police",
        "Cheshire Constabulary",
    ),
    "yorkshire_humber": (
        "North Yorkshire Police",
        "West Yorkshire Police",
        "South Yorkshire Police",
        "Humberside Police",
    ),
    "east_midlands": (
        "Derbyshire Constabulary",
        "Nottinghamshire Police",
        "Leicestershire Police",
        "Lincolnshire Police",
        "Northamptonshire Police",
    ),
    "west_midlands": (
        "West Midlands Police",
        "Staffordshire Police",
        "Warwickshire Police",
        "West Mercia Police",
    ),
    "east": (
        "Bedfordshire Police",
        "Cambridgeshire Constabulary",
        "Essex Police",
        "Hertfordshire Constabulary",
        "Norfolk Constabulary",
        "Suffolk Constabulary",
    ),
    "london": ("Metropolitan Police Service", "City of London Police"),
    "south_east": (
        "Thames Valley Police",
        "Hampshire Constabulary",
        "Surrey Police",
        "Sussex Police",
        "Kent Police",
    ),
    "south_west": (
        "Avon and Somerset Constabulary",
        "Devon and Cornwall Police",
        "Dorset Police",
        "Gloucestershire Constabulary",
        "Wiltshire Police",
    ),
    "wales": ("Dyfed-Powys Police", "Gwent Police", "North Wales Police", "South Wales Police"),
}
PLACE_START = (
    "Ash", "Brad", "Bram", "Castle", "Chel", "Dun", "East", "Elm", "Fern", "Glen", "Hart",
    "Kings", "Lang", "Mar", "Mill", "North", "Oak", "Pen", "Queens", "Red", "Rother", "Salt",
    "South", "Stan", "Thorn", "Wal", "West", "Whit", "Wood", "Wych",
)  # fmt: skip
PLACE_END = (
    "bridge", "bury", "by", "caster", "chester", "combe", "dale", "den", "field", "ford",
    "gate", "ham", "hampton", "hill", "holme", "ley", "mouth", "stead", "stoke", "thorpe",
    "ton", "well", "wick", "worth",
)  # fmt: skip
WELSH_START = ("Aber", "Llan", "Pont", "Caer", "Bryn", "Cwm", "Tre", "Maes", "Pen", "Rhos")
WELSH_END = ("dare", "fach", "gwyn", "ithon", "nant", "ogwen", "tawe", "teifi", "wern", "y-cae")
FIRST = (
    "Aisha", "Ben", "Carys", "Daniel", "Elaine", "Farid", "Grace", "Harry", "Imran", "Jess",
    "Kwame", "Laura", "Mohammed", "Niamh", "Owen", "Priya", "Rhys", "Sarah", "Tom", "Yasmin",
)  # fmt: skip
LAST = (
    "Ahmed", "Brown", "Clarke", "Davies", "Evans", "Green", "Hughes", "Jones", "Khan", "Lewis",
    "Morgan", "Nowak", "Okafor", "Patel", "Roberts", "Smith", "Taylor", "Walker", "Wright",
)  # fmt: skip


def partnership_places(rng: random.Random, count: int) -> list[tuple[str, str, str, str]]:
    """(name, code, region, police force area) for ``count`` partnerships, by region weight."""
    total = sum(REGION_WEIGHTS.values())
    regions = list(REGION_WEIGHTS)
    quotas = {r: REGION_WEIGHTS[r] * count // total for r in regions}
    for r in sorted(regions, key=lambda r: -REGION_WEIGHTS[r])[: count - sum(quotas.values())]:
        quotas[r] += 1
    out, used = [], set()
    for region in regions:
        for n in range(quotas[region]):
            welsh = region == "wales"
            while True:
                start, end = (WELSH_START, WELSH_END) if welsh else (PLACE_START, PLACE_END)
                place = rng.choice(start) + rng.choice(end)
                if place not in used:
                    used.add(place)
                    break
            code = f"{'W' if welsh else 'E'}22{len(out) + 1:06d}"
            force = FORCES[region][n % len(FORCES[region])]
            out.append((f"{place} Community Safety Partnership", code, region, force))
    return out
