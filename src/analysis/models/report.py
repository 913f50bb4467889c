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
