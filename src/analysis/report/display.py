"""Display tables for the report pages: model outputs as a reviewer reads them, and plain,
deterministic HTML markup both renderers show the same way."""

from __future__ import annotations

import html

import pandas as pd

from analysis.models.minimums import MIN_POINTS
from analysis.models.status import STATUS_ORDER
from analysis.models.tables import method_columns, method_name


def _cell(value: object, decimals: int) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.{decimals}f}"
    return html.escape(str(value))


def html_table(
    frame: pd.DataFrame, decimals: int = 1, index: bool = False, links: tuple[str, ...] = ()
) -> str:
    """A DataFrame as a plain HTML table: fixed decimals, empty cells for gaps, no styling ids;
    columns named in `links` hold URLs and become links."""
    shown = frame.reset_index() if index else frame
    formatted = pd.DataFrame(
        {column: [_cell(v, decimals) for v in shown[column]] for column in shown.columns}
    )
    for column in links:
        formatted[column] = [
            f'<a href="{url}">{url.split("//", 1)[-1].split("/", 1)[0]}</a>' if url else ""
            for url in formatted[column]
        ]
    return formatted.to_html(index=False, escape=False, border=0, classes="data-table")


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


def unsupported_methods(coverage: pd.DataFrame) -> pd.DataFrame:
    """Rows that cannot support every method, with `Not applicable`: the methods each lacks."""
    methods = method_columns(coverage)
    short = coverage[~coverage[methods].all(axis=1)].copy()
    short["Not applicable"] = [
        ", ".join(method_name(m) for m in methods if not row[m])
        for row in short[methods].to_dict("records")
    ]
    return short


def coverage_display(coverage: pd.DataFrame) -> pd.DataFrame:
    """The method-coverage table for a page: yes/no instead of True/False, columns in words
    ('supports_its' -> 'its', 'n_points' -> 'n points')."""
    shown = coverage.drop(columns=["indicator_id"]).replace({True: "yes", False: "no"})
    shown.columns = [method_name(c) for c in shown.columns]
    return shown


def minimums_table() -> pd.DataFrame:
    """Minimum number of observations each method requires, as the methods page shows it."""
    return pd.DataFrame(
        {
            "Requirement": [k.replace("_", " ") for k in MIN_POINTS],
            "Observations": list(MIN_POINTS.values()),
        }
    )
