"""The indicators the project knows: id, name, unit and kind, one source of truth for cleaning and checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Kind = Literal["share", "rate", "level", "count"]


@dataclass(frozen=True)
class Indicator:
    """One indicator: `share` values are percentages of a population and must lie in 0-100."""

    id: str
    name: str
    unit: str
    kind: Kind


_INDICATORS = [
    Indicator("gdp_real_growth", "Real GDP growth", "% change on previous year", "rate"),
    Indicator(
        "gdp_real_sa_level",
        "Real GDP, seasonally adjusted",
        "MXN million at 2018 prices, seasonally adjusted",
        "level",
    ),
    Indicator(
        "poverty_multidimensional_pct", "Multidimensional poverty", "% of population", "share"
    ),
    Indicator(
        "poverty_extreme_pct", "Extreme multidimensional poverty", "% of population", "share"
    ),
    Indicator(
        "vulnerable_social_deprivation_pct",
        "Vulnerable by social deprivation",
        "% of population",
        "share",
    ),
    Indicator("vulnerable_income_pct", "Vulnerable by income", "% of population", "share"),
    Indicator(
        "not_poor_not_vulnerable_pct", "Not poor and not vulnerable", "% of population", "share"
    ),
    Indicator(
        "poverty_multidimensional_persons",
        "People in multidimensional poverty",
        "million persons",
        "count",
    ),
    Indicator(
        "poverty_extreme_persons",
        "People in extreme multidimensional poverty",
        "million persons",
        "count",
    ),
]

INDICATORS: dict[str, Indicator] = {ind.id: ind for ind in _INDICATORS}

#: Geography codes: "MEX" for the nation, INEGI's two-digit state codes "01"-"32" for the states.
NATIONAL = "MEX"
STATE_CODES = frozenset(f"{code:02d}" for code in range(1, 33))
GEO_CODES = frozenset({NATIONAL}) | STATE_CODES


def indicator(indicator_id: str) -> Indicator:
    """Look an indicator up by id; an unknown id is a KeyError that says which ids exist."""
    try:
        return INDICATORS[indicator_id]
    except KeyError:
        known = ", ".join(sorted(INDICATORS))
        raise KeyError(f"unknown indicator id '{indicator_id}' (known: {known})") from None


def share_indicators() -> frozenset[str]:
    """Ids of indicators that are percentages of a population (valid range 0-100)."""
    return frozenset(i.id for i in _INDICATORS if i.kind == "share")
