"""Display tables for the report pages: model outputs as a reviewer reads them, and plain,
deterministic HTML markup both renderers show the same way."""

from __future__ import annotations

import html

import pandas as pd

from analysis.models.minimums import MIN_POINTS
from analysis.models.status import METHODS, STATUS_ORDER
from analysis.models.tables import method_columns, method_name
from analysis.report.words import format_change, status_label


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


def _point(period: object, value: object) -> str:
    """'2018: 41.9', or empty where the run has no such observation."""
    if pd.isna(value):
        return ""
    return f"{period}: {value:,.4g}"


def _method(row: pd.Series) -> str:
    if row["method"] != "target" or pd.isna(row["target_value"]):
        return METHODS["direction"]
    return f"{METHODS['target']} ({row['target_value']:,.4g} by {int(row['target_year'])})"


def verdict_audit_table(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator of a run: what the verdict rests on, so a reader can check it by hand
    (base and latest observation, the change in the indicator's own unit, the desired direction,
    the method, the status and the one-line reason)."""
    return pd.DataFrame(
        {
            "Indicator": progress["name"],
            "Base": [
                _point(p, v)
                for p, v in zip(progress["base_period"], progress["base_value"], strict=True)
            ],
            "Latest": [
                _point(p, v)
                for p, v in zip(progress["latest_period"], progress["latest_value"], strict=True)
            ],
            "Change": [
                "" if pd.isna(c) else format_change(c, u)
                for c, u in zip(progress["change"], progress["change_unit"], strict=True)
            ],
            "Better": progress["direction"].map({1: "higher", -1: "lower"}),
            "Method": progress.apply(_method, axis=1),
            "Status": [
                status_label(s, bool(m))
                for s, m in zip(progress["status"], progress["target_missed"], strict=True)
            ],
            "Reason": progress["reason"].fillna(""),
        }
    )


def progress_display_table(progress: pd.DataFrame) -> pd.DataFrame:
    """The computation behind each verdict: the series, how annual values were made, observed and
    required growth, the Open SDG ratio and score, and the UNSD Progress Chart status beside it."""
    return pd.DataFrame(
        {
            "Indicator": progress["name"],
            "Series": progress["series"],
            "Annual values": progress["annualised"].fillna("").replace("", "as published"),
            "Points": progress["n_points"],
            "CAGR observed (%)": 100 * progress["cagr_actual"],
            "CAGR required (%)": 100 * progress["cagr_required"],
            "Ratio R": progress["ratio"],
            "Open SDG score": progress["score"],
            "UNSD status": progress["unsd_status"],
        }
    )


def _counts_in_words(row: pd.Series, method: str) -> str:
    """'2 substantial progress, 1 deterioration' for one method's columns of a summary row."""
    parts = [
        f"{int(row[f'{method}: {status}'])} {status}"
        for status in STATUS_ORDER
        if f"{method}: {status}" in row.index and row[f"{method}: {status}"] > 0
    ]
    return ", ".join(parts)


def summary_display_table(
    by_outcome: pd.DataFrame, by_cross: pd.DataFrame, labels: dict[str, str]
) -> pd.DataFrame:
    """Outcome and cross-cutting summaries in Framework order: indicators mapped, concepts assessed
    (each survey measurement counted once), the verdicts against a target and by direction only
    (Framework run), and the mean Open SDG score of both runs; groups without any indicator are
    shown with zeros, not hidden."""
    combined = pd.concat([by_outcome, by_cross], ignore_index=True)
    rows = []
    for group, label in labels.items():
        framework = combined[(combined["group"] == group) & (combined["run"] == "framework")]
        sdg = combined[(combined["group"] == group) & (combined["run"] == "sdg")]
        first = framework.iloc[0] if not framework.empty else None
        rows.append(
            {
                "Outcome or area": label,
                "Indicators": int(first["indicators"]) if first is not None else 0,
                "Concepts assessed": (
                    f"{int(first['assessed'])} of {int(first['concepts'])}"
                    if first is not None
                    else "0 of 0"
                ),
                "Against a target": _counts_in_words(first, "target") if first is not None else "",
                "By direction only": _counts_in_words(first, "direction")
                if first is not None
                else "",
                "Mean score, Framework run": first["mean_score"] if first is not None else None,
                "Mean score, SDG run": sdg.iloc[0]["mean_score"] if not sdg.empty else None,
            }
        )
    return pd.DataFrame(rows)


def _level_label(level: float) -> str:
    return f"{100 * level:g}%"


def _unconverged(flag: object) -> str:
    """A warning for a fit whose likelihood optimiser stopped before converging."""
    return "; the optimiser did not converge: read with caution" if flag in (False, "False") else ""


def recovery_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """The recovery summary as a reviewer reads it: changes in each indicator's own unit
    (percentage points for rates and shares, percent for levels), the trend band at the level of
    the run, and the residual autocorrelation test of each trend fit."""
    level = _level_label(float(recovery["confidence_level"].iloc[0]))
    gaps = [
        ""
        if pd.isna(r["gap_latest"])
        else f"{format_change(r['gap_latest'], r['change_unit'], r['gap_pct_latest'])} "
        f"({r['trend_position_latest']})"
        for _, r in recovery.iterrows()
    ]
    ljung = [
        ""
        if pd.isna(r["trend_ljung_box_p"])
        else f"Q({int(r['trend_ljung_box_lags'])}) = {r['trend_ljung_box_stat']:.2f}, "
        f"p = {r['trend_ljung_box_p']:.3f}{_unconverged(r.get('trend_converged'))}"
        for _, r in recovery.iterrows()
    ]
    return pd.DataFrame(
        {
            "Series": recovery["name"] + " (" + recovery["series"] + ")",
            "Freq": recovery["freq"],
            "Obs (after shock)": recovery["n_points"].astype(str)
            + " ("
            + recovery["n_after_shock"].astype(str)
            + ")",
            "Reference": recovery["reference_period"].fillna("")
            + recovery["reference_rule"].map({"same period": " (same month)"}).fillna(""),
            "Worst": recovery["worst_period"].fillna(""),
            "Depth (pp for rates, % for levels)": [
                format_change(r["depth"], r["change_unit"], r["depth_pct"])
                for _, r in recovery.iterrows()
            ],
            "Recovered (consecutive periods held)": [
                (
                    "never worse"
                    if r["recovery_status"] == "never worse than the reference"
                    else "not yet"
                )
                if pd.isna(r["recovery_period"])
                else f"{r['recovery_period']} ({int(r['recovery_held'])})"
                for _, r in recovery.iterrows()
            ],
            f"Gap to trend, latest (position against the {level} band)": gaps,
            f"First period in the {level} trend band for two periods": recovery[
                "back_on_trend"
            ].fillna("no"),
            "Trend fitted on": (
                recovery["trend_fit_start"].fillna("") + "-" + recovery["trend_fit_end"].fillna("")
            ).replace("-", ""),
            "Ljung-Box, trend residuals": ljung,
            "Cumulative loss vs trend (%, levels)": recovery["cumulative_loss_pct"],
            f"Forecast {level} interval, horizon": [
                ""
                if pd.isna(r["forecast_end"])
                else (
                    f"{r['forecast_end']}: too uncertain (interval wider than the observed range)"
                    if r["forecast_too_uncertain"] in (True, "True")
                    else f"{r['forecast_end']}: [{r['forecast_lower_end']:,.4g}, "
                    f"{r['forecast_upper_end']:,.4g}]{_unconverged(r.get('forecast_converged'))}"
                )
                for _, r in recovery.iterrows()
            ],
            "Too short for": recovery["too_short_for"].fillna(""),
        }
    )


def _intervals(low: pd.Series, high: pd.Series) -> list[str]:
    """'[low, high]' with three significant digits, empty where no interval was estimated."""
    return ["" if pd.isna(a) else f"[{a:,.3g}, {b:,.3g}]" for a, b in zip(low, high, strict=True)]


def its_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """Interrupted time series and break tests, one row per series; interval headers at the
    run's confidence level."""
    level = _level_label(float(recovery["confidence_level"].iloc[0]))
    return pd.DataFrame(
        {
            "Series": recovery["name"] + " (" + recovery["series"] + ")",
            "Level change": recovery["its_level_change"],
            f"{level} interval": _intervals(recovery["its_level_low"], recovery["its_level_high"]),
            "p": recovery["its_level_p"],
            "Slope change per period": recovery["its_slope_change"],
            f"Slope {level} interval": _intervals(
                recovery["its_slope_low"], recovery["its_slope_high"]
            ),
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
