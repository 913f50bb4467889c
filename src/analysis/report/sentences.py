"""Sentences built from the tidy table and the model outputs (numbers computed, never typed)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.models.progress import representatives
from analysis.models.status import BAD, GOOD, NOT_ASSESSED, STATUS_ORDER
from analysis.report.facts import SERIES_LABELS
from analysis.report.words import change_words, enumerate_words, fmt_pct, lower_first


def _names(rows: pd.DataFrame) -> str:
    return enumerate_words(sorted(lower_first(name) for name in rows["name"]))


def verdict_phrase(progress: pd.DataFrame) -> str:
    """A group's verdicts in one clause: concepts assessed of those with a desired direction, then
    which did well, which moved against the desired direction, which missed a passed target date."""
    heads = representatives(progress)
    if heads.empty:
        return "no sourced indicator with a desired direction yet"
    assessed = heads[heads["status"] != NOT_ASSESSED]
    noun = "concept" if len(heads) == 1 else "concepts"
    text = f"{len(assessed)} of {len(heads)} {noun} with a desired direction could be assessed"
    groups = [
        ("target achieved or substantial progress", assessed[assessed["status"].isin(GOOD)]),
        ("moved against the desired direction", assessed[assessed["status"].isin(BAD)]),
        (
            "target date passed without reaching the target",
            assessed[assessed["target_missed"].astype(bool)],
        ),
    ]
    for words, rows in groups:
        if not rows.empty:
            text += f"; {words}: {_names(rows)}"
    return text


def progress_headline(progress: pd.DataFrame, base_year: int, end_year: int) -> str:
    """One paragraph on a run: how many concepts were assessed (each survey measurement counted
    once), how many per status, which moved against the desired direction and which did well."""
    heads = representatives(progress)
    assessed = heads[heads["status"] != NOT_ASSESSED]
    counts = assessed["status"].value_counts()
    parts = [f"{counts[s]} {s}" for s in STATUS_ORDER if s in counts]
    insufficient = len(heads) - len(assessed)
    text = (
        f"The {len(progress)} indicators with a desired direction measure {len(heads)} concepts "
        f"(the cuts of one survey measurement count once). {len(assessed)} of them have at least "
        f"two usable annual points from {base_year} (or an observation within a year of it) to the "
        f"latest year, and were assessed against the {end_year} horizon: {enumerate_words(parts)}"
    )
    text += (
        "."
        if insufficient == 0
        else (
            f"; {insufficient} have fewer than two usable annual points in the window and are listed as "
            "insufficient data."
        )
    )
    missed = assessed[assessed["target_missed"].astype(bool)]
    bad = assessed[assessed["status"].isin(BAD)]
    good = assessed[assessed["status"].isin(GOOD)]
    if not bad.empty:
        text += f" Moved against the desired direction: {_names(bad)}."
    if not missed.empty:
        text += f" Improved or not, the target date has passed without reaching the target: {_names(missed)}."
    if not good.empty:
        text += f" Target achieved or substantial progress: {_names(good)}."
    return text


def _fmt(value: float, unit: str) -> str:
    if "%" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


def recovery_sentence(row: pd.Series) -> str:
    """One sentence per recovery series, from the recovery table (units from the indicator map)."""
    name = lower_first(row["name"])
    better = "peak" if row["direction"] == 1 else "pre-crisis low"
    if pd.isna(row["reference_period"]):
        return f"The series for {name} is too short to date a pre-crisis reference."
    moved = "fell" if row["direction"] == 1 else "rose"
    worsened = row["direction"] * (row["worst_value"] - row["reference_value"]) < 0
    if not worsened:
        text = (
            f"**{row['name']}** ({row['series']}): after the shock it never went beyond its {better} of "
            f"{_fmt(row['reference_value'], row['unit'])} ({row['reference_period']}); its least favourable "
            f"value after the shock was {_fmt(row['worst_value'], row['unit'])} in {row['worst_period']}"
        )
        if pd.notna(row["gap_pct_latest"]):
            side = "above" if row["gap_pct_latest"] >= 0 else "below"
            text += f"; in {row['last_period']} it stood {abs(row['gap_pct_latest']):.1f}% {side} its pre-{row['shock_start'][:4]} trend"
        return text + "."
    text = (
        f"**{row['name']}** ({row['series']}): from its {better} of {_fmt(row['reference_value'], row['unit'])} "
        f"in {row['reference_period']} it {moved} to {_fmt(row['worst_value'], row['unit'])} in {row['worst_period']} "
        f"({row['depth_pct']:+.1f}%)"
    )
    if row["recovery_status"] == "recovered":
        text += f", and was back at or beyond that level from {row['recovery_period']} on"
    else:
        text += f", and by {row['last_period']} it had not yet returned to it"
    if pd.notna(row["gap_pct_latest"]):
        side = "above" if row["gap_pct_latest"] >= 0 else "below"
        text += f"; in {row['last_period']} it stood {abs(row['gap_pct_latest']):.1f}% {side} its pre-{row['shock_start'][:4]} trend"
    return text + "."


def poverty_sentence(tidy: pd.DataFrame, series: str) -> str:
    """Headline on multidimensional and extreme poverty over every year of one CONEVAL series."""
    poverty = series_values(tidy, "poverty_multidimensional_pct", series)
    extreme = series_values(tidy, "poverty_extreme_pct", series)
    persons = series_values(tidy, "poverty_multidimensional_persons", series)
    path = enumerate_words([f"{fmt_pct(v)} in {p}" for p, v in poverty.items()])
    extreme_path = enumerate_words([f"{fmt_pct(v)} ({p})" for p, v in extreme.items()])
    first, last = poverty.index[0], poverty.index[-1]
    return (
        f"Under the {SERIES_LABELS.get(series, series)}, the share of the population in "
        f"multidimensional poverty was {path}: {change_words(poverty[last] - poverty[first])} "
        f"between {first} and {last}, leaving {persons[last]:.1f} million people in poverty in "
        f"{last}. Extreme poverty: {extreme_path}."
    )
