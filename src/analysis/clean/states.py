"""State-level joins for the tidy table: a fuller table filling another's gaps, and derived series.

`fill_gaps`: a resource whose `x-clean` has `fills_gaps` (CONEVAL's statistical annex, a full
32-state table of the series the project otherwise transcribes release by release) adds only the
keys no other resource holds. Where both hold a key, the kept value is the other resource's (its
own release) and the two must agree within `agree_within` (the other copy's rounding) or be listed
in `known_differences`; any other disagreement stops the build naming both cells. Nothing is
overwritten and no difference passes unrecorded.

`derived_rows`: series computed here from state values, never typed: GDP per person by state, and
the spread across the 32 states (coefficient of variation, and max-min range) of poverty and of
GDP per person, for the years in which all 32 states have a value (a year with a gap has none).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from analysis.core.errors import DataError
from analysis.snapshot.catalog import NATIONAL, STATE_CODES

KEY = ["indicator_id", "geo", "period", "series"]


def fill_gaps(
    combined: pd.DataFrame, descriptor: dict[str, Any]
) -> tuple[pd.DataFrame, list[DataError]]:
    """Drop the rows of gap-filling resources whose key another resource holds; return the table
    and one DataError per unlisted disagreement (raised by the caller after the table's own
    checks, so a value that is wrong in itself is named as such first)."""
    fillers = {
        r["name"]: r["x-clean"]["fills_gaps"]
        for r in descriptor["resources"]
        if "x-clean" in r and r["x-clean"].get("fills_gaps")
    }
    if not fillers:
        return combined, []
    is_filler = combined["source_id"].isin(fillers)
    kept = combined.loc[~is_filler]
    held = kept.drop_duplicates(KEY).set_index(KEY)
    drop: list[int] = []
    conflicts: list[DataError] = []
    for name, rule in fillers.items():
        tolerance = float(rule.get("agree_within", 0.0))
        known = {
            (d["indicator_id"], d["geo"], str(d["period"])): d
            for d in rule.get("known_differences", [])
        }
        rows = combined.loc[combined["source_id"] == name]
        for index, row in rows.iterrows():
            key = (row["indicator_id"], row["geo"], row["period"], row["series"])
            if key not in held.index:
                continue
            other = held.loc[key]
            difference = abs(float(row["value"]) - float(other["value"]))
            listed = known.get(key[:3])
            if difference > tolerance + 1e-9 and listed is None:
                conflicts.append(
                    DataError(
                        f"{row['indicator_id']} {row['geo']} {row['period']}: {row['value']:g} differs "
                        f"from {other['value']:g} in {other['source_file']} row {other['source_row']} "
                        f"by more than {tolerance:g}; list it under known_differences or fix one copy",
                        file=row["source_file"],
                        row=int(row["source_row"]),
                        field=str(row["source_field"]),
                    )
                )
            drop.append(index)
    return combined.drop(index=drop), conflicts


def _derived_frame(values: pd.DataFrame, indicator: str, series: str, what: str) -> pd.DataFrame:
    return values.assign(
        indicator_id=indicator,
        series=series,
        source_id="derived",
        source_file=f"derived: {what}",
        source_row=0,
        source_field="",
        geo_field="",
    )


def gdp_per_person(tidy: pd.DataFrame) -> pd.DataFrame:
    """State (and national) GDP at constant 2018 prices divided by CONAPO mid-year population."""
    gdp = tidy.loc[tidy["indicator_id"] == "gdp_state_constant_2018"]
    population = tidy.loc[tidy["indicator_id"] == "population_conapo"]
    if gdp.empty or population.empty:
        return tidy.iloc[0:0]
    merged = gdp.merge(population, on=["geo", "period", "freq"], suffixes=("_gdp", "_pop"))
    values = pd.DataFrame(
        {
            "geo": merged["geo"],
            "period": merged["period"],
            "freq": merged["freq"],
            "value": merged["value_gdp"] * 1e6 / merged["value_pop"],
            "vintage": merged["vintage_gdp"] + "; population " + merged["vintage_pop"],
        }
    )
    return _derived_frame(
        values,
        "gdp_per_person_state",
        "pibe_conapo",
        "gdp_state_constant_2018 x 1e6 / population_conapo",
    )


def dispersion(tidy: pd.DataFrame, indicator: str, series: str) -> pd.DataFrame:
    """Coefficient of variation (population sd / mean, %) and max-min range over the 32 states,
    one value per year in which every state has a value of `indicator` in `series`."""
    states = tidy.loc[
        (tidy["indicator_id"] == indicator)
        & (tidy["series"] == series)
        & (tidy["geo"].isin(STATE_CODES))
        & (tidy["freq"] == "A")
    ]
    rows = []
    for period, group in states.groupby("period"):
        if set(group["geo"]) != STATE_CODES:
            continue  # a year without all 32 states has no spread: a gap stays a gap
        values = group["value"].astype(float)
        rows.append(
            {
                "period": period,
                "cv": float(values.std(ddof=0) / values.mean() * 100.0),
                "range": float(values.max() - values.min()),
                "vintage": ", ".join(sorted(set(group["vintage"]))),
            }
        )
    if not rows:
        return tidy.iloc[0:0]
    table = pd.DataFrame(rows).assign(geo=NATIONAL, freq="A")
    return table


def derived_rows(tidy: pd.DataFrame) -> pd.DataFrame:
    """Every derived series, in the tidy columns plus the raw-cell columns (empty for these)."""
    frames = []
    per_person = gdp_per_person(tidy)
    if not per_person.empty:
        frames.append(per_person)
    base = pd.concat([tidy, per_person], ignore_index=True) if frames else tidy
    specs = [
        ("poverty_multidimensional_pct", "lineamientos_2018", "poverty_state"),
        ("gdp_per_person_state", "pibe_conapo", "gdp_per_person_state"),
    ]
    for indicator, series, stem in specs:
        table = dispersion(base, indicator, series)
        if table.empty:
            continue
        what = f"across the 32 states of {indicator} ({series})"
        cv = table[["geo", "period", "freq", "vintage"]].assign(value=table["cv"])
        frames.append(
            _derived_frame(
                cv,
                f"{stem}_cv",
                "states_derived",
                f"coefficient of variation {what}",
            )
        )
        spread = table[["geo", "period", "freq", "vintage"]].assign(value=table["range"])
        frames.append(
            _derived_frame(
                spread,
                f"{stem}_range",
                "states_derived",
                f"max-min range {what}",
            )
        )
    if not frames:
        return tidy.iloc[0:0]
    return pd.concat(frames, ignore_index=True)
