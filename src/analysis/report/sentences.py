"""Sentences built from the tidy table and the model outputs (numbers computed, never typed)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.models.progress import representatives
from analysis.models.status import BAD, GOOD, NOT_ASSESSED, STATUS_ORDER
from analysis.report.facts import SERIES_LABELS
from analysis.report.words import (
    change_amount,
    change_words,
    enumerate_words,
    fmt_pct,
    lower_first,
)


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


def groups_without_evidence(progress: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """Labels of the groups (outcomes, cross-cutting areas) where no indicator with a desired
    direction could be assessed in this run."""
    from analysis.report.areas import with_all_groups

    rows = with_all_groups(progress)
    assessed = rows[rows["status"] != NOT_ASSESSED]
    covered = {g for groups in assessed["outcomes"].str.split(";") for g in groups if g}
    return [label for group, label in labels.items() if group not in covered]


def reading_notes(
    progress: pd.DataFrame,
    labels: dict[str, str],
    framework: tuple[int, int],
    sdg: tuple[int, int],
) -> str:
    """The summary page's "how to read" bullets, with the runs' years and the groups without
    evidence computed from the parameters and the progress table."""
    missing = groups_without_evidence(progress[progress["run"] == "framework"], labels)
    gap = (
        f" In the Framework run, {enumerate_words(missing)} "
        f"{'has' if len(missing) == 1 else 'have'} no assessed indicator; "
        "their pages report what the UN reports say."
        if missing
        else ""
    )
    return "\n".join(
        [
            "- **Statuses** follow the Open SDG progress measure: observed growth against the growth "
            "a quantified target requires, or, without a target, against fixed thresholds. They "
            "summarise the direction of travel between two points; the area pages show the whole "
            "series behind each one. *Deterioration* always means movement in the undesired "
            "direction.",
            f"- **Two runs**: the Framework run starts from {framework[0]} (or an observation within "
            f"a year of it) and looks to {framework[1]}; the SDG run starts from {sdg[0]} and looks "
            f"to {sdg[1]}.",
            "- **Insufficient data** means fewer than two usable annual points in the window from the "
            f"base observation to the latest year: a gap, not a verdict.{gap}",
            "- **Two poverty series.** CONEVAL changed its guidelines in 2018; the 2008-2018 series "
            "and the 2016-2024 series both report 2016 and 2018 with different values, and are "
            "never joined.",
            "- **Vintages.** Official figures are revised. Each series carries its release; the UN "
            "reports vs data page shows where the UN reports' figures differ from the snapshot and "
            "why.",
        ]
    )


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
        text += f" Target date passed without reaching the target: {_names(missed)}."
    if not good.empty:
        text += f" Target achieved or substantial progress: {_names(good)}."
    return text


def _fmt(value: float, unit: str) -> str:
    if "%" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


#: Plural period words for holds and counts.
PERIODS = {"A": "years", "Q": "quarters", "M": "months"}


def level_words(level: float) -> str:
    """0.95 -> '95%', 0.9 -> '90%' (the confidence level of an interval)."""
    return f"{100 * level:.0f}%" if round(100 * level) == 100 * level else f"{100 * level:g}%"


def trend_clause(row: pd.Series) -> str:
    """Where the latest value stands against the pre-shock trend: 'above'/'below' only outside the
    prediction interval, otherwise within the range the trend allows."""
    if pd.isna(row.get("trend_position_latest")) or not row.get("trend_position_latest"):
        return ""
    unit, shock_year = str(row["unit"]), int(row["shock_year"])
    level = level_words(float(row["confidence_level"]))
    trend = (
        f"trend up to the first quarter of {shock_year}"
        if bool(row.get("first_quarter_values"))
        else f"pre-{shock_year} trend"
    )
    band = f"{_fmt(row['trend_lower_latest'], unit)} to {_fmt(row['trend_upper_latest'], unit)}"
    if row["trend_position_latest"] == "within":
        return (
            f"; in {row['last_period']} it was within the range the {trend} allows "
            f"({level} prediction interval {band})"
        )
    side = row["trend_position_latest"]
    gap = change_amount(row["gap_latest"], row.get("gap_pct_latest"), row["change_unit"])
    return (
        f"; in {row['last_period']} it stood {gap} {side} its {trend}, outside the "
        f"{level} prediction interval ({band})"
    )


def _label(row: pd.Series) -> str:
    extra = ", first-quarter values" if bool(row.get("first_quarter_values")) else ""
    return f"**{row['name']}** ({row['series']}{extra})"


def recovery_sentence(row: pd.Series) -> str:
    """One sentence per recovery series, from the recovery table (units from the indicator map):
    changes of shares and rates in percentage points, of levels and counts in percent."""
    name = lower_first(row["name"])
    if pd.isna(row["reference_period"]):
        return f"The series for {name} is too short to date a pre-crisis reference."
    unit, freq = str(row["unit"]), str(row["freq"])
    same_period = row.get("reference_rule") == "same period"
    better = "peak" if row["direction"] == 1 else "pre-crisis low"
    worsened = row["direction"] * (row["worst_value"] - row["reference_value"]) < 0
    amount = change_amount(row["depth"], row.get("depth_pct"), row["change_unit"])
    if same_period:
        ref_year = str(row["reference_period"])[:4]
        text = (
            f"{_label(row)}: compared with the same month of {ref_year} (the data are not "
            f"seasonally adjusted), it was furthest {'below' if worsened else 'above'} in "
            f"{row['worst_period']}, at {_fmt(row['worst_value'], unit)} against "
            f"{_fmt(row['reference_value'], unit)} in {row['reference_period']} ({amount} "
            f"{'lower' if (row['depth'] < 0) else 'higher'})"
        )
        back = f"at or {'above' if row['direction'] == 1 else 'below'} the same month of {ref_year}"
    elif not worsened:
        text = (
            f"{_label(row)}: after the shock it never went beyond its {better} of "
            f"{_fmt(row['reference_value'], unit)} ({row['reference_period']}); its least "
            f"favourable value after the shock was {_fmt(row['worst_value'], unit)} in "
            f"{row['worst_period']}"
        )
        text += trend_clause(row) + "."
        if bool(row.get("first_quarter_values")) and row.get("notes"):
            text += f" These values are {row['notes']}."
        return text
    else:
        moved = "fell" if row["direction"] == 1 else "rose"
        text = (
            f"{_label(row)}: from its {better} of {_fmt(row['reference_value'], unit)} in "
            f"{row['reference_period']} it {moved} {amount} to {_fmt(row['worst_value'], unit)} in "
            f"{row['worst_period']}"
        )
        back = f"back at or {'above' if row['direction'] == 1 else 'below'} that level"
    if row["recovery_status"] == "recovered":
        held = int(row["recovery_held"])
        text += (
            f", and was {back} from {row['recovery_period']} for {held} consecutive "
            f"{PERIODS[freq] if held != 1 else PERIODS[freq][:-1]} with data"
        )
    elif row["recovery_status"] == "not yet recovered":
        text += f", and by {row['last_period']} it had not yet returned to it"
    text += trend_clause(row) + "."
    if bool(row.get("first_quarter_values")) and row.get("notes"):
        text += f" These values are {row['notes']}."
    if pd.notna(row.get("last_comparable")) and row.get("last_comparable"):
        text += f" The last period used is {row['last_period']}: {row['notes']}"
    return text


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
