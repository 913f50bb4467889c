"""Display tables (report.display): columns and the formatting of hand-made rows."""

from __future__ import annotations

import math

import pandas as pd

from analysis.models.status import STATUS_ORDER
from analysis.report.display import (
    its_display_table,
    progress_display_table,
    recovery_display_table,
    summary_display_table,
)

NAN = math.nan


def progress_rows() -> pd.DataFrame:
    """Two rows: a poverty share assessed 2019 -> 2024 with a target; an unassessed series."""
    return pd.DataFrame(
        {
            "name": ["Poverty rate", "Informal jobs"],
            "outcomes": ["1;2", None],
            "cross_cutting": ["X1", None],
            "sdg_indicator": ["1.2.2", None],
            "direction": [-1, 1],
            "series": ["lineamientos_2018", "enoe"],
            "base_period": ["2019", None],
            "base_value": [41.9, NAN],
            "latest_period": ["2024", None],
            "latest_value": [29.6, NAN],
            "target_value": [20.95, NAN],
            "target_year": [2030.0, NAN],
            "cagr_actual": [-0.0672, NAN],
            "cagr_required": [-0.0610, NAN],
            "ratio": [1.10, NAN],
            "status": ["on track", "insufficient data"],
            "score": [4.0, NAN],
            "unsd_status": ["on track", None],
            "n_points": [3, 1],
            "note": [None, "one observation"],
        }
    )


def test_progress_display_table_reads_like_the_report() -> None:
    """Rates become percentages (-0.0672 -> -6.72); base and latest read 'period: value' with 4
    significant digits; the target 'value by year'; a series never assessed shows blanks."""
    table = progress_display_table(progress_rows())
    assert list(table.columns) == [
        "Indicator", "Outcome", "SDG", "Better", "Series", "Base", "Latest", "Target",
        "CAGR observed (%)", "CAGR required (%)", "Ratio R", "Status", "Score", "UNSD status",
        "Points", "Note",
    ]  # fmt: skip
    first, second = table.iloc[0], table.iloc[1]
    assert first["Outcome"] == "1;2 (X1)" and first["Better"] == "lower"
    assert (first["Base"], first["Latest"], first["Target"]) == (
        "2019: 41.9",
        "2024: 29.6",
        "20.95 by 2030",
    )
    assert math.isclose(first["CAGR observed (%)"], -6.72) and math.isclose(
        first["CAGR required (%)"], -6.10
    )
    assert first["Note"] == ""
    assert (second["Outcome"], second["SDG"], second["Better"]) == ("", "", "higher")
    assert (second["Base"], second["Latest"], second["Target"]) == ("", "", "")
    assert second["Note"] == "one observation"


def test_summary_display_table_keeps_framework_order_and_empty_groups() -> None:
    """Outcome 1 has 3 indicators, 2 assessed (1 on track, 1 deterioration); outcome 2 has no
    row at all and is shown with zeros; X1 comes from the cross-cutting table."""
    by_outcome = pd.DataFrame(
        {
            "group": ["1", "1"], "run": ["framework", "sdg"], "indicators": [3, 3],
            "assessed": [2, 1], "on track": [1, 1], "deterioration": [1, NAN],
            "mean_score": [2.5, 4.0],
        }
    )  # fmt: skip
    by_cross = pd.DataFrame(
        {
            "group": ["X1"], "run": ["framework"], "indicators": [1], "assessed": [0],
            "on track": [0], "deterioration": [0], "mean_score": [NAN],
        }
    )  # fmt: skip
    labels = {"2": "Outcome 2", "1": "Outcome 1", "X1": "Gender"}
    table = summary_display_table(by_outcome, by_cross, labels)
    statuses = [s for s in STATUS_ORDER if s in ("on track", "deterioration")]
    assert list(table.columns) == [
        "Outcome or area", "Indicators", "Assessed", *statuses,
        "Mean score, Framework run", "Mean score, SDG run",
    ]  # fmt: skip
    assert table["Outcome or area"].tolist() == ["Outcome 2", "Outcome 1", "Gender"]
    empty, one, gender = (table.iloc[i].to_dict() for i in range(3))
    assert (empty["Indicators"], empty["Assessed"], empty["on track"]) == (0, 0, 0)
    assert pd.isna(empty["Mean score, Framework run"]) and pd.isna(empty["Mean score, SDG run"])
    assert (one["Indicators"], one["Assessed"], one["on track"], one["deterioration"]) == (
        3,
        2,
        1,
        1,
    )
    assert (one["Mean score, Framework run"], one["Mean score, SDG run"]) == (2.5, 4.0)
    assert gender["Indicators"] == 1 and pd.isna(gender["Mean score, SDG run"])


def recovery_rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "name": ["GDP", "Unemployment"], "series": ["inegi", "wdi"], "freq": ["Q", "A"],
            "n_points": [40, 9], "n_after_shock": [16, 4],
            "reference_period": ["2019Q4", None], "worst_period": ["2020Q2", None],
            "depth_pct": [-13.7, NAN], "recovery_period": ["2021Q1", None],
            "gap_pct_latest": [-2.0, NAN], "back_on_trend": ["2023Q1", None],
            "cumulative_loss_pct": [-30.1, NAN], "too_short_for": [None, "counterfactual: ..."],
            "its_level_change": [-12.0, NAN], "its_level_low": [-15.123, NAN],
            "its_level_high": [-9.0, NAN], "its_level_p": [0.001, NAN],
            "its_slope_change": [0.5, NAN], "its_slope_low": [0.1, NAN],
            "its_slope_high": [0.9, NAN], "its_hac_lags": [3, NAN],
            "chow_f": [25.04, NAN], "chow_p": [0.0001, NAN],
            "cusum_crossed": [True, None], "unit": ["index", "%"],
        }
    )  # fmt: skip


def test_recovery_display_table_says_not_yet_and_no() -> None:
    table = recovery_display_table(recovery_rows())
    assert table["Series"].tolist() == ["GDP (inegi)", "Unemployment (wdi)"]
    assert table["Obs (after shock)"].tolist() == ["40 (16)", "9 (4)"]
    assert table.loc[0, "Recovered"] == "2021Q1" and table.loc[1, "Recovered"] == "not yet"
    assert table.loc[1, "Back in trend band"] == "no" and table.loc[1, "Reference"] == ""
    assert (
        table.loc[1, "Too short for"] == "counterfactual: ..."
        and table.loc[0, "Too short for"] == ""
    )


def test_its_display_table_formats_intervals_and_tests() -> None:
    """Intervals keep three significant digits ([-15.1, -9]); Chow F one decimal with p to three;
    where nothing was estimated the cells are empty."""
    table = its_display_table(recovery_rows())
    assert table.loc[0, "95% interval"] == "[-15.1, -9]"
    assert table.loc[0, "Slope 95% interval"] == "[0.1, 0.9]"
    assert table.loc[0, "Chow F (p)"] == "25.0 (0.000)"
    assert table.loc[0, "CUSUM crosses 5% bound"] == "yes"
    assert (
        table.loc[1, ["95% interval", "Chow F (p)", "CUSUM crosses 5% bound"]].tolist() == [""] * 3
    )
