"""Sentences built from the tidy table and the model outputs (numbers computed, never typed)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.models.status import BAD, GOOD, STATUS_ORDER
from analysis.report.facts import SERIES_LABELS
from analysis.report.words import change_words, enumerate_words, fmt_pct


def progress_headline(progress: pd.DataFrame, base_year: int, end_year: int) -> str:
    """One paragraph: how many indicators were assessed, how many moved well or badly, which ones."""
    assessed = progress[progress["status"] != "insufficient data"]
    good = assessed[assessed["status"].isin(GOOD)]
    bad = assessed[assessed["status"].isin(BAD)]
    insufficient = len(progress) - len(assessed)
    counts = assessed["status"].value_counts()
    parts = [f"{counts[s]} {s}" for s in STATUS_ORDER if s in counts]
    text = (
        f"Of the {len(progress)} indicators with a desired direction, {len(assessed)} have at least two "
        f"annual observations from {base_year} (or the nearest survey) to the latest year available "
        f"and could be assessed against the {end_year} horizon: {enumerate_words(parts)}. "
        f"{insufficient} could not be assessed for lack of data."
    )
    if not bad.empty:
        text += " Moving the wrong way: " + enumerate_words(sorted(bad["name"].str.lower())) + "."
    if not good.empty:
        text += (
            f" {len(good)} are on track or improving fast, among them "
            + enumerate_words(sorted(good["name"].str.lower())[:5])
            + "."
        )
    return text


def _fmt(value: float, unit: str) -> str:
    if "%" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


#: Plural period words for holds and counts.
PERIODS = {"A": "years", "Q": "quarters", "M": "months"}


def change_amount(change: float, change_pct: float | None, change_unit: str) -> str:
    """The size of a change in the indicator's own unit: '1.2 percentage points' for shares and
    rates in %, '3.0 per 100,000 people' for other rates, '4.4%' for levels and counts."""
    if change_unit == "percent":
        if change_pct is None or pd.isna(change_pct):
            raise ValueError("a level's change needs its percentage")
        return f"{abs(change_pct):.1f}%"
    if change_unit == "percentage points":
        return f"{abs(change):.1f} percentage points"
    return f"{abs(change):,.1f} {change_unit}"


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
    name = row["name"][0].lower() + row["name"][1:]
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
