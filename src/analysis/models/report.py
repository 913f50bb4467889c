"""Sentences and display tables built from the model outputs (numbers computed, never typed)."""

from __future__ import annotations

import pandas as pd

from analysis.figures import STATUS_ORDER
from analysis.summary import enumerate_words

GOOD = {"achieved", "on track", "significant progress"}
BAD = {"deterioration", "not achieved by target date"}


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


def progress_display_table(progress: pd.DataFrame) -> pd.DataFrame:
    """The progress table as a reviewer reads it: readable names, rates in %, empty where not computed."""
    table = pd.DataFrame(
        {
            "Indicator": progress["name"],
            "Outcome": progress["outcomes"].fillna("")
            + progress["cross_cutting"].fillna("").map(lambda c: f" ({c})" if c else ""),
            "SDG": progress["sdg_indicator"].fillna(""),
            "Better": progress["direction"].map({1: "higher", -1: "lower"}),
            "Series": progress["series"],
            "Base": progress["base_period"].fillna("")
            + ": "
            + progress["base_value"].map(lambda v: "" if pd.isna(v) else f"{v:,.4g}"),
            "Latest": progress["latest_period"].fillna("")
            + ": "
            + progress["latest_value"].map(lambda v: "" if pd.isna(v) else f"{v:,.4g}"),
            "Target": progress.apply(
                lambda r: (
                    ""
                    if pd.isna(r["target_value"])
                    else f"{r['target_value']:.4g} by {int(r['target_year'])}"
                ),
                axis=1,
            ),
            "CAGR observed (%)": 100 * progress["cagr_actual"],
            "CAGR required (%)": 100 * progress["cagr_required"],
            "Ratio R": progress["ratio"],
            "Status": progress["status"],
            "Score": progress["score"],
            "UNSD status": progress["unsd_status"],
            "Points": progress["n_points"],
            "Note": progress["note"].fillna(""),
        }
    )
    table.loc[table["Base"] == ": ", ["Base", "Latest"]] = ""
    return table


def summary_display_table(
    by_outcome: pd.DataFrame, by_cross: pd.DataFrame, labels: dict[str, str]
) -> pd.DataFrame:
    """Outcome and cross-cutting summaries in Framework order: indicators mapped and assessed and the
    count per status for the Framework run, and the mean score of both runs; groups without any
    indicator are shown with zeros, not hidden."""
    combined = pd.concat([by_outcome, by_cross], ignore_index=True)
    statuses = [s for s in STATUS_ORDER if s in combined.columns]
    rows = []
    for group, label in labels.items():
        framework = combined[(combined["group"] == group) & (combined["run"] == "framework")]
        sdg = combined[(combined["group"] == group) & (combined["run"] == "sdg")]
        row = {"Outcome or area": label}
        first = framework.iloc[0] if not framework.empty else None
        row["Indicators"] = int(first["indicators"]) if first is not None else 0
        row["Assessed"] = int(first["assessed"]) if first is not None else 0
        for status in statuses:
            row[status] = int(first[status]) if first is not None and pd.notna(first[status]) else 0
        row["Mean score, Framework run"] = first["mean_score"] if first is not None else None
        row["Mean score, SDG run"] = sdg.iloc[0]["mean_score"] if not sdg.empty else None
        rows.append(row)
    return pd.DataFrame(rows)


def _fmt(value: float, unit: str) -> str:
    if "%" in unit:
        return f"{value:.1f}%"
    return f"{value:,.0f}"


def recovery_sentence(row: pd.Series) -> str:
    """One sentence per recovery series, from the recovery table (units from the indicator map)."""
    name = row["name"][0].lower() + row["name"][1:]
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


def recovery_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """The recovery summary as a reviewer reads it."""
    return pd.DataFrame(
        {
            "Series": recovery["name"] + " (" + recovery["series"] + ")",
            "Freq": recovery["freq"],
            "Obs (after shock)": recovery["n_points"].astype(str)
            + " ("
            + recovery["n_after_shock"].astype(str)
            + ")",
            "Reference": recovery["reference_period"].fillna(""),
            "Worst": recovery["worst_period"].fillna(""),
            "Depth (%)": recovery["depth_pct"],
            "Recovered": recovery["recovery_period"].fillna("not yet"),
            "Gap to trend, latest (%)": recovery["gap_pct_latest"],
            "Back in trend band": recovery["back_on_trend"].fillna("no"),
            "Cumulative loss vs trend (%)": recovery["cumulative_loss_pct"],
            "Too short for": recovery["too_short_for"].fillna(""),
        }
    )


def _intervals(low: pd.Series, high: pd.Series) -> list[str]:
    """'[low, high]' with three significant digits, empty where no interval was estimated."""
    return ["" if pd.isna(a) else f"[{a:,.3g}, {b:,.3g}]" for a, b in zip(low, high, strict=True)]


def its_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """Interrupted time series and break tests, one row per series."""
    return pd.DataFrame(
        {
            "Series": recovery["name"] + " (" + recovery["series"] + ")",
            "Level change": recovery["its_level_change"],
            "95% interval": _intervals(recovery["its_level_low"], recovery["its_level_high"]),
            "p": recovery["its_level_p"],
            "Slope change per period": recovery["its_slope_change"],
            "Slope 95% interval": _intervals(recovery["its_slope_low"], recovery["its_slope_high"]),
            "HAC lags": recovery["its_hac_lags"],
            "Chow F (p)": recovery.apply(
                lambda r: "" if pd.isna(r["chow_f"]) else f"{r['chow_f']:.1f} ({r['chow_p']:.3f})",
                axis=1,
            ),
            "CUSUM crosses 5% bound": recovery["cusum_crossed"]
            .map({True: "yes", False: "no"})
            .fillna(""),
            "Unit": recovery["unit"],
        }
    )
