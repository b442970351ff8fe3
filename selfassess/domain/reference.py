"""Fixed reference lists the forms offer: agencies and regions. Data, in the users' words."""

from __future__ import annotations

from selfassess.domain.i18n import N_

# Agencies that take part in IOM arrangements, as partnerships name them (docs/design.md).
AGENCIES: tuple[tuple[str, str], ...] = (
    ("police", N_("Police")),
    ("probation", N_("Probation Service")),
    ("youth_offending", N_("Youth Offending Team")),
    ("local_authority", N_("Local authority")),
    ("health", N_("Health (NHS and public health)")),
    ("prisons", N_("Prison Service")),
    ("drug_alcohol", N_("Drug and alcohol services")),
    ("housing", N_("Housing")),
    ("courts", N_("HM Courts and Tribunals Service")),
    ("cps", N_("Crown Prosecution Service")),
    ("vcs", N_("Voluntary and community sector")),
    ("other", N_("Other")),
)

# The nine English regions and Wales, as national returns are grouped.
REGIONS: tuple[tuple[str, str], ...] = (
    ("north_east", N_("North East")),
    ("north_west", N_("North West")),
    ("yorkshire_humber", N_("Yorkshire and the Humber")),
    ("east_midlands", N_("East Midlands")),
    ("west_midlands", N_("West Midlands")),
    ("east", N_("East of England")),
    ("london", N_("London")),
    ("south_east", N_("South East")),
    ("south_west", N_("South West")),
    ("wales", N_("Wales")),
)

# What a partnership's details may be, wherever they come from (the partnership form, an
# expected-partnerships list): the code's shape, and the lengths the partnership table holds.
PARTNERSHIP_CODE_PATTERN = r"^[A-Z0-9][A-Z0-9-]{1,19}$"
PARTNERSHIP_CODE_RULE = "must be 2 to 20 letters, numbers or hyphens, like E22000123"
PARTNERSHIP_NAME_MAX = 200
POLICE_FORCE_AREA_MAX = 100

AGENCY_NAMES = dict(AGENCIES)
REGION_NAMES = dict(REGIONS)


def agency_name(agency_id: str | None) -> str:
    """Full name of an agency, or the id itself for one no longer on the list."""
    if not agency_id:
        return N_("Agency not given")
    return AGENCY_NAMES.get(agency_id, agency_id)


def region_name(region_id: str | None) -> str:
    if not region_id:
        return N_("Region not given")
    return REGION_NAMES.get(region_id, region_id)
