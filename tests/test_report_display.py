"""Display tables (report.display): columns and the formatting of hand-made rows."""

from __future__ import annotations

import math

import pandas as pd

from analysis.report.display import (
    its_display_table,
    progress_display_table,
    recovery_display_table,
    summary_display_table,
    verdict_audit_table,
)

NAN = math.nan


def progress_rows() -> pd.DataFrame:
    """Two rows: a poverty share assessed 2019 -> 2024 against a target (41.9 -> 29.6, a change
    of -12.3 percentage points); a quarterly series never assessed (one annual value)."""
    return pd.DataFrame(
        {
            "name": ["Poverty rate", "Informal jobs"],
            "concept": ["poverty", "informal"],
            "outcomes": ["1;2", None],
            "cross_cutting": ["X1", None],
            "sdg_indicator": ["1.2.2", None],
            "direction": [-1, 1],
            "series": ["lineamientos_2018", "enoe"],
            "annualised": ["", "annual average of quarterly values (complete years only)"],
            "n_points": [3, 1],
            "base_period": ["2019", None],
            "base_value": [41.9, NAN],
            "latest_period": ["2024", None],
            "latest_value": [29.6, NAN],
            "change": [-12.3, NAN],
            "change_unit": ["percentage points", "percentage points"],
            "target_value": [20.95, NAN],
            "target_year": [2030.0, NAN],
            "method": ["target", "direction"],
            "cagr_actual": [-0.0672, NAN],
            "cagr_required": [-0.0610, NAN],
            "ratio": [1.10, NAN],
            "status": ["substantial progress", "insufficient data"],
            "target_missed": [False, False],
            "score": [4.0, NAN],
            "unsd_status": ["on track", None],
            "reason": ["observed growth 1.10 times the required growth", None],
        }
    )


def test_verdict_audit_table_shows_what_each_verdict_rests_on() -> None:
    """Base and latest read 'period: value' with 4 significant digits; the change in the
    indicator's own unit (-12.3 pp); the method names the target 'value by year'; a series never
    assessed shows blanks and is judged by direction only."""
    table = verdict_audit_table(progress_rows())
    assert list(table.columns) == [
        "Indicator", "Base", "Latest", "Change", "Better", "Method", "Status", "Reason",
    ]  # fmt: skip
    first, second = table.iloc[0].to_dict(), table.iloc[1].to_dict()
    assert first == {
        "Indicator": "Poverty rate",
        "Base": "2019: 41.9",
        "Latest": "2024: 29.6",
        "Change": "-12.3 pp",
        "Better": "lower",
        "Method": "against a target (20.95 by 2030)",
        "Status": "substantial progress",
        "Reason": "observed growth 1.10 times the required growth",
    }
    assert (second["Base"], second["Latest"], second["Change"]) == ("", "", "")
    assert (second["Better"], second["Method"]) == ("higher", "by direction only")
    assert (second["Status"], second["Reason"]) == ("insufficient data", "")
    missed = progress_rows().assign(target_missed=[True, False])
    assert verdict_audit_table(missed).loc[0, "Status"] == "substantial progress, target missed"


def test_progress_display_table_reads_like_the_report() -> None:
    """Rates become percentages (-0.0672 -> -6.72); annual values published as such say so; a
    series never assessed shows empty growth figures."""
    table = progress_display_table(progress_rows())
    assert list(table.columns) == [
        "Indicator", "Series", "Annual values", "Points", "CAGR observed (%)",
        "CAGR required (%)", "Ratio R", "Open SDG score", "UNSD status",
    ]  # fmt: skip
    first, second = table.iloc[0], table.iloc[1]
    assert (first["Series"], first["Annual values"], first["Points"]) == (
        "lineamientos_2018",
        "as published",
        3,
    )
    assert math.isclose(first["CAGR observed (%)"], -6.72) and math.isclose(
        first["CAGR required (%)"], -6.10
    )
    assert (first["Ratio R"], first["Open SDG score"], first["UNSD status"]) == (
        1.10,
        4.0,
        "on track",
    )
    assert second["Annual values"] == "annual average of quarterly values (complete years only)"
    assert pd.isna(second["CAGR observed (%)"]) and pd.isna(second["Open SDG score"])


def test_summary_display_table_keeps_framework_order_and_empty_groups() -> None:
    """Outcome 1 has 3 indicators measuring 2 concepts, both assessed in the Framework run (1
    substantial progress against a target, 1 deterioration by direction only); outcome 2 has no
    row at all and is shown with zeros; X1 comes from the cross-cutting table, with no concept
    assessed and no SDG-run row."""
    by_outcome = pd.DataFrame(
        {
            "group": ["1", "1"], "run": ["framework", "sdg"], "indicators": [3, 3],
            "concepts": [2, 2], "assessed": [2, 1], "mean_score": [2.5, 4.0],
            "direction: deterioration": [1, 0], "target: substantial progress": [1, 1],
        }
    )  # fmt: skip
    by_cross = pd.DataFrame(
        {
            "group": ["X1"], "run": ["framework"], "indicators": [1], "concepts": [1],
            "assessed": [0], "mean_score": [NAN],
        }
    )  # fmt: skip
    labels = {"2": "Outcome 2", "1": "Outcome 1", "X1": "Gender"}
    table = summary_display_table(by_outcome, by_cross, labels)
    assert list(table.columns) == [
        "Outcome or area", "Indicators", "Concepts assessed", "Against a target",
        "By direction only", "Mean score, Framework run", "Mean score, SDG run",
    ]  # fmt: skip
    assert table["Outcome or area"].tolist() == ["Outcome 2", "Outcome 1", "Gender"]
    empty, one, gender = (table.iloc[i].to_dict() for i in range(3))
    assert (empty["Indicators"], empty["Concepts assessed"]) == (0, "0 of 0")
    assert (empty["Against a target"], empty["By direction only"]) == ("", "")
    assert pd.isna(empty["Mean score, Framework run"]) and pd.isna(empty["Mean score, SDG run"])
    assert (one["Indicators"], one["Concepts assessed"]) == (3, "2 of 2")
    assert (one["Against a target"], one["By direction only"]) == (
        "1 substantial progress",
        "1 deterioration",
    )
    assert (one["Mean score, Framework run"], one["Mean score, SDG run"]) == (2.5, 4.0)
    assert (gender["Indicators"], gender["Concepts assessed"]) == (1, "0 of 1")
    assert gender["Against a target"] == "" and gender["By direction only"] == ""
    assert pd.isna(gender["Mean score, SDG run"])


def recovery_rows() -> pd.DataFrame:
    """GDP (quarterly index, a level: changes in percent) fell 13.7% and recovered; its trend fit
    did not converge. Unemployment (annual rate) is too short for anything beyond its counts."""
    return pd.DataFrame(
        {
            "name": ["GDP", "Unemployment"], "series": ["inegi", "wdi"], "freq": ["Q", "A"],
            "confidence_level": [0.9, 0.9], "change_unit": ["percent", "percentage points"],
            "n_points": [40, 9], "n_after_shock": [16, 4],
            "reference_rule": ["best", "best"], "reference_period": ["2019Q4", None],
            "worst_period": ["2020Q2", None], "depth": [-13.7, NAN], "depth_pct": [-13.7, NAN],
            "recovery_status": ["recovered", "not yet recovered"],
            "recovery_period": ["2021Q1", None], "recovery_held": [4.0, NAN],
            "gap_latest": [-2.1, NAN], "gap_pct_latest": [-2.0, NAN],
            "trend_position_latest": ["below", None], "back_on_trend": ["2023Q1", None],
            "trend_fit_start": ["2015Q1", None], "trend_fit_end": ["2019Q4", None],
            "trend_ljung_box_stat": [5.123, NAN], "trend_ljung_box_p": [0.7443, NAN],
            "trend_ljung_box_lags": [8.0, NAN], "trend_converged": [False, None],
            "cumulative_loss_pct": [-30.1, NAN],
            "forecast_end": ["2025Q4", None], "forecast_lower_end": [101.23, NAN],
            "forecast_upper_end": [110.456, NAN], "forecast_too_uncertain": [False, None],
            "forecast_converged": [True, None], "too_short_for": [None, "counterfactual: ..."],
            "its_level_change": [-12.0, NAN], "its_level_low": [-15.123, NAN],
            "its_level_high": [-9.0, NAN], "its_level_p": [0.001, NAN],
            "its_slope_change": [0.5, NAN], "its_slope_low": [0.1, NAN],
            "its_slope_high": [0.9, NAN], "its_hac_lags": [3, NAN],
            "chow_f": [25.04, NAN], "chow_p": [0.0001, NAN],
            "cusum_crossed": [True, None], "unit": ["index", "%"],
        }
    )  # fmt: skip


def test_recovery_display_table_says_not_yet_and_no() -> None:
    """Headers carry the run's 90% level; GDP's depth and gap in percent, its recovery with the
    periods it held, its Ljung-Box test with the unconverged fit flagged, its forecast interval
    to 4 significant digits; unemployment 'not yet', 'no' and blanks."""
    table = recovery_display_table(recovery_rows())
    gap = "Gap to trend, latest (position against the 90% band)"
    band = "First period in the 90% trend band for two periods"
    forecast = "Forecast 90% interval, horizon"
    recovered = "Recovered (consecutive periods held)"
    assert table["Series"].tolist() == ["GDP (inegi)", "Unemployment (wdi)"]
    assert table["Obs (after shock)"].tolist() == ["40 (16)", "9 (4)"]
    gdp, unemployment = table.iloc[0].to_dict(), table.iloc[1].to_dict()
    assert (gdp["Reference"], gdp["Depth (pp for rates, % for levels)"]) == ("2019Q4", "-13.7%")
    assert (gdp[recovered], gdp[gap], gdp[band]) == ("2021Q1 (4)", "-2.0% (below)", "2023Q1")
    assert gdp["Trend fitted on"] == "2015Q1-2019Q4"
    assert gdp["Ljung-Box, trend residuals"] == (
        "Q(8) = 5.12, p = 0.744; the optimiser did not converge: read with caution"
    )
    assert gdp[forecast] == "2025Q4: [101.2, 110.5]" and gdp["Too short for"] == ""
    assert (unemployment[recovered], unemployment[band], unemployment["Reference"]) == (
        "not yet",
        "no",
        "",
    )
    assert unemployment["Depth (pp for rates, % for levels)"] == unemployment[gap] == ""
    assert unemployment["Trend fitted on"] == unemployment[forecast] == ""
    assert unemployment["Too short for"] == "counterfactual: ..."
    other = recovery_rows().assign(
        reference_rule=["same period", "best"],
        recovery_status=["recovered", "never worse than the reference"],
        forecast_too_uncertain=[True, None],
    )
    shown = recovery_display_table(other)
    assert shown.loc[0, "Reference"] == "2019Q4 (same month)"
    assert shown.loc[1, recovered] == "never worse"
    assert shown.loc[0, forecast] == (
        "2025Q4: too uncertain (interval wider than the observed range)"
    )


def test_its_display_table_formats_intervals_and_tests() -> None:
    """Intervals keep three significant digits ([-15.1, -9]) under the run's level (90%); Chow F
    one decimal with p to three; where nothing was estimated the cells are empty."""
    table = its_display_table(recovery_rows())
    assert table.loc[0, "90% interval"] == "[-15.1, -9]"
    assert table.loc[0, "Slope 90% interval"] == "[0.1, 0.9]"
    assert table.loc[0, "Chow F (p)"] == "25.0 (0.000)"
    assert table.loc[0, "CUSUM crosses 5% bound"] == "yes"
    assert (
        table.loc[1, ["90% interval", "Chow F (p)", "CUSUM crosses 5% bound"]].tolist() == [""] * 3
    )
