"""Display tables (report.display): headers, the exact display strings of hand-made rows, and
a width budget so that every table fits Quarto's ~760 px text column."""

from __future__ import annotations

import math

import pandas as pd

from analysis.report.display import (
    WIDTH_BUDGET,
    coverage_display,
    format_delta,
    format_value,
    its_display_table,
    its_notes,
    minimums_table,
    name_with_unit,
    p_value,
    progress_display_table,
    recovery_display_table,
    summary_display_table,
    table_width,
    trend_display_table,
    trim_zeros,
    unit_text,
    unsupported_display,
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
            "unit": ["% of population", None],
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


def test_values_have_one_precision_per_unit() -> None:
    """Rates and shares one decimal, indices two, levels and counts whole (with separators) from
    100 up; never '43,103.00' or '1.928e+05'."""
    assert format_value(41.94, "percentage points") == "41.9"
    assert format_value(0.4345, "points") == "0.43"
    assert format_value(43103.0, "percent") == "43,103"
    assert format_value(192_800.4, "percent") == "192,800"
    assert format_value(51.94, "percent") == "51.9"
    assert format_value(28.18, "per 100,000 inhabitants") == "28.2"
    assert format_value(NAN, "percent") == format_value(None, "points") == ""
    assert format_delta(-12.34, "percentage points") == "-12.3 pp"
    assert format_delta(-2.0, "percent", 8.94) == "+8.9%"
    assert format_delta(0.0251, "points") == "+0.03"
    assert format_delta(-3.21, "per 100,000 inhabitants") == "-3.2"
    assert format_delta(NAN, "percent") == ""
    assert format_value(1.0, "points") == "1" and format_delta(0.001, "points") == "+0.001"
    assert (trim_zeros("5.00"), trim_zeros("-3.000"), trim_zeros("1,234.00")) == (
        "5",
        "-3",
        "1,234",
    )
    assert (trim_zeros("5.0"), trim_zeros("0.10"), trim_zeros("+0.00")) == ("5.0", "0.10", "0")
    assert (p_value(0.0001), p_value(0.1734), p_value(NAN)) == ("<0.001", "0.173", "")


def test_verdict_audit_table_shows_what_each_verdict_rests_on() -> None:
    """The indicator with its unit after a semicolon (a row without one: the name alone); base
    and latest read 'value (year)' in the unit's precision; the change in the indicator's own
    unit (-12.3 pp); the aim is the target 'value by year' or the direction; a series never
    assessed shows blanks."""
    table = verdict_audit_table(progress_rows())
    assert list(table.columns) == [
        "Indicator; unit", "Base (year)", "Latest (year)", "Change", "Aim", "Status",
    ]  # fmt: skip
    first, second = table.iloc[0].to_dict(), table.iloc[1].to_dict()
    assert second["Indicator; unit"] == "Informal jobs"
    assert first == {
        "Indicator; unit": "Poverty rate; % of population",
        "Base (year)": "41.9 (2019)",
        "Latest (year)": "29.6 (2024)",
        "Change": "-12.3 pp",
        "Aim": "20.9 by 2030",
        "Status": "substantial progress",
    }
    assert (second["Base (year)"], second["Latest (year)"], second["Change"]) == ("", "", "")
    assert (second["Aim"], second["Status"]) == ("higher", "insufficient data")
    missed = verdict_audit_table(progress_rows().assign(target_missed=[True, False]))
    assert (missed.loc[0, "Aim"], missed.loc[0, "Status"]) == (
        "20.9 by 2030, missed",
        "substantial progress",
    )
    floats = progress_rows().assign(base_period=[2019.0, NAN], latest_period=[2024.0, NAN])
    assert verdict_audit_table(floats).loc[0, "Base (year)"] == "41.9 (2019)"


def test_units_follow_the_name_without_nested_brackets() -> None:
    """A scale in brackets joins its word, an aside follows a comma: the unit can stand after a
    name with its own brackets ('(CONEVAL); coefficient 0-1', never '(coefficient (0-1))')."""
    assert unit_text("coefficient (0-1)") == "coefficient 0-1"
    assert unit_text("percentile rank (0-100)") == "percentile rank 0-100"
    assert unit_text("US$ million (nominal)") == "US$ million, nominal"
    assert unit_text("estimate (standard normal units, about -2.5 to 2.5)") == (
        "estimate, standard normal units, about -2.5 to 2.5"
    )
    assert unit_text("per 100,000 inhabitants") == "per 100,000 inhabitants"
    shown = name_with_unit("Gini coefficient of income (CONEVAL)", "coefficient (0-1)")
    assert shown == "Gini coefficient of income (CONEVAL); coefficient 0-1"
    assert "((" not in shown and "))" not in shown
    assert name_with_unit("Jobs", None) == name_with_unit("Jobs", NAN) == "Jobs"


def test_progress_display_table_reads_like_the_report() -> None:
    """Growth rates in % a year with two decimals (-0.0672 -> '-6.72'); ratio and score with two;
    a series never assessed shows empty growth figures; every cell is a display string."""
    table = progress_display_table(progress_rows())
    assert list(table.columns) == [
        "Indicator", "Method", "Points", "Growth (%/yr)", "Needed (%/yr)", "Ratio R", "Score",
        "UNSD status",
    ]  # fmt: skip
    assert table.iloc[0].to_dict() == {
        "Indicator": "Poverty rate",
        "Method": "target",
        "Points": "3",
        "Growth (%/yr)": "-6.72",
        "Needed (%/yr)": "-6.10",
        "Ratio R": "1.10",
        "Score": "4",
        "UNSD status": "on track",
    }
    second = table.iloc[1].to_dict()
    assert (second["Method"], second["Points"], second["Growth (%/yr)"]) == ("direction", "1", "")
    assert second["Score"] == second["UNSD status"] == ""
    tiny = progress_rows().assign(cagr_actual=[-0.00001, NAN])
    assert progress_display_table(tiny).loc[0, "Growth (%/yr)"] == "0"


def test_progress_tables_fit_the_text_column() -> None:
    """With the longest indicator name of the snapshot wrapping, both tables fit the budget."""
    rows = progress_rows().assign(
        name="Bribery prevalence: persons who paid a bribe to a public official (SDG 16.5.1)",
        base_value=[22_508_972.0, NAN],
        base_period=["2026-01", None],
        status=["limited progress", "insufficient data"],
        target_missed=[True, False],
        unit=["% of the official secondary-age population (gross)", "per 100,000 inhabitants"],
    )
    assert table_width(verdict_audit_table(rows), "Indicator; unit") <= WIDTH_BUDGET
    assert table_width(progress_display_table(rows), "Indicator") <= WIDTH_BUDGET


def summary_rows() -> tuple[pd.DataFrame, pd.DataFrame, dict[str, str]]:
    """Outcome 1 has 3 indicators measuring 2 concepts, both assessed in the Framework run (1
    substantial progress against a target, 1 deterioration by direction only); outcome 2 has no
    row at all; X1 comes from the cross-cutting table, with no concept assessed."""
    by_outcome = pd.DataFrame(
        {
            "group": ["1", "1"], "run": ["framework", "sdg"], "indicators": [3, 3],
            "concepts": [2, 2], "assessed": [2, 1], "mean_score": [2.5, 4.0],
            "direction: deterioration": [1, 0], "target: substantial progress": [1, 1],
            "target: target achieved": [1, 0],
        }
    )  # fmt: skip
    by_cross = pd.DataFrame(
        {
            "group": ["X1"], "run": ["framework"], "indicators": [1], "concepts": [1],
            "assessed": [0], "mean_score": [NAN],
        }
    )  # fmt: skip
    labels = {"2": "Outcome 2", "1": "Outcome 1", "X1": "Gender"}
    return by_outcome, by_cross, labels


def test_summary_display_table_keeps_framework_order_and_empty_groups() -> None:
    """Groups in the labels' order; verdicts counted by status over both methods (achieved and
    substantial together); an outcome without rows shows zeros and an empty score."""
    table = summary_display_table(*summary_rows())
    assert list(table.columns) == [
        "Outcome or area", "Indicators", "Assessed", "Substantial", "Moderate", "Limited",
        "Worse", "Score",
    ]  # fmt: skip
    assert table["Outcome or area"].tolist() == ["Outcome 2", "Outcome 1", "Gender"]
    empty, one, gender = (table.iloc[i].to_dict() for i in range(3))
    assert empty == {
        "Outcome or area": "Outcome 2", "Indicators": "0", "Assessed": "0 of 0",
        "Substantial": "0", "Moderate": "0", "Limited": "0", "Worse": "0",
        "Score": "",
    }  # fmt: skip
    assert one == {
        "Outcome or area": "Outcome 1", "Indicators": "3", "Assessed": "2 of 2",
        "Substantial": "2", "Moderate": "0", "Limited": "0", "Worse": "1",
        "Score": "2.50",
    }  # fmt: skip
    assert (gender["Assessed"], gender["Score"]) == ("0 of 1", "")
    long_name = "Outcome 10: Sustainable management of natural resources and climate resilience"
    labels = {"1": long_name}
    assert table_width(summary_display_table(*summary_rows()[:2], labels), "Outcome or area") <= (
        WIDTH_BUDGET
    )


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


def test_recovery_display_table_says_not_yet_and_never_worse() -> None:
    """GDP's depth in percent and its recovery with the periods it held; unemployment 'not yet'
    and blanks; the same-month reference and 'never worse' in words."""
    table = recovery_display_table(recovery_rows())
    assert list(table.columns) == ["Series", "Reference", "Worst", "Depth", "Back (periods held)"]
    assert table.iloc[0].to_dict() == {
        "Series": "GDP",
        "Reference": "Q4 2019",
        "Worst": "Q2 2020",
        "Depth": "-13.7%",
        "Back (periods held)": "Q1 2021 (4)",
    }
    assert table.iloc[1].to_dict() == {
        "Series": "Unemployment",
        "Reference": "",
        "Worst": "",
        "Depth": "",
        "Back (periods held)": "not yet",
    }
    other = recovery_rows().assign(
        reference_rule=["same period", "best"],
        recovery_status=["recovered", "never worse than the reference"],
    )
    shown = recovery_display_table(other)
    assert shown.loc[0, "Reference"] == "Q4 2019 (same month)"
    assert shown.loc[1, "Back (periods held)"] == "never worse"


def test_trend_display_table_headers_carry_level_and_horizon() -> None:
    """Headers at the run's 90% level and the forecast year; the gap in percent with its position,
    the loss one decimal, the interval in the series' precision; unemployment 'no' and blanks."""
    table = trend_display_table(recovery_rows())
    assert list(table.columns) == [
        "Series", "Trend fitted", "Gap, latest", "Back in 90% band", "Loss (%)", "Forecast 2025 (90%)",
    ]  # fmt: skip
    assert table.iloc[0].to_dict() == {
        "Series": "GDP",
        "Trend fitted": "Q1 2015–Q4 2019 (unstable fit)",
        # an unstable trend's gap and return date are not read (the CSV keeps them)
        "Gap, latest": "unstable fit",
        "Back in 90% band": "n/a (unstable)",
        "Loss (%)": "-30.1",
        "Forecast 2025 (90%)": "101 to 110",
    }
    converged = trend_display_table(recovery_rows().assign(trend_converged=[True, None]))
    assert converged.loc[0, "Trend fitted"] == "Q1 2015–Q4 2019"
    assert converged.loc[0, "Gap, latest"] == "-2.0% (below)"
    assert converged.loc[0, "Back in 90% band"] == "Q1 2023"
    # no trend fitted: not applicable, not 'no' (#20)
    assert table.iloc[1].drop("Series").tolist() == ["", "", "n/a (no trend)", "", ""]
    never_back = recovery_rows().assign(back_on_trend=[None, None], trend_converged=[True, None])
    assert trend_display_table(never_back).loc[0, "Back in 90% band"] == "no"
    other = recovery_rows().assign(
        forecast_too_uncertain=[True, None], forecast_converged=[True, None]
    )
    assert trend_display_table(other).loc[0, "Forecast 2025 (90%)"] == "too uncertain"
    unconverged = recovery_rows().assign(forecast_converged=[False, None])
    shown = trend_display_table(unconverged).loc[0, "Forecast 2025 (90%)"]
    assert shown == "not usable (unstable fit)" and "converged" not in shown


def test_its_display_table_formats_intervals_and_tests() -> None:
    """Values and intervals in the series' precision under the run's level (90%); Chow F one
    decimal with p to three; a series without an estimate keeps its row, marked too short, and
    the note below the table says why (#21)."""
    table = its_display_table(recovery_rows())
    assert list(table.columns) == [
        "Series; unit", "Level change", "90% interval", "Slope change", "Slope 90% interval",
        "Chow F (p)", "CUSUM break",
    ]  # fmt: skip
    assert table.iloc[0].to_dict() == {
        "Series; unit": "GDP; index",
        "Level change": "-12.0",
        "90% interval": "-15.1 to -9.0",
        "Slope change": "+0.5",
        "Slope 90% interval": "0.1 to 0.9",
        "Chow F (p)": "25.0 (<0.001)",
        "CUSUM break": "yes",
    }
    assert len(table) == 2 and table.iloc[1]["Series; unit"] == "Unemployment; %"
    assert table.iloc[1]["Level change"] == "too short"
    assert its_notes(recovery_rows()) == (
        "Unemployment: no segmented regression, which needs at least 12 values, 3 before the "
        "shock period and 4 from it on; the series has 9, 4 from the shock period on."
    )


def test_recovery_tables_fit_the_text_column() -> None:
    """GDP in MXN million: the widest numbers of the real run still fit beside a wrapping name."""
    rows = recovery_rows().assign(
        name="Jobs registered with IMSS (puestos de trabajo afiliados)",
        unit="MXN million at 2018 prices, seasonally adjusted",
        reference_period=["2019-07", None],
        reference_rule=["same period", "best"],
        forecast_lower_end=[26_600_068.0, NAN],
        forecast_upper_end=[29_386_381.0, NAN],
        forecast_converged=[False, None],
        its_level_change=[-2_096_450.0, NAN],
        its_level_low=[-2_969_947.0, NAN],
        its_level_high=[-1_222_953.0, NAN],
        its_slope_change=[74_898.0, NAN],
        its_slope_low=[13_006.0, NAN],
        its_slope_high=[136_791.0, NAN],
    )
    assert table_width(recovery_display_table(rows), "Series") <= WIDTH_BUDGET
    assert table_width(trend_display_table(rows), "Series") <= WIDTH_BUDGET
    assert table_width(its_display_table(rows), "Series; unit") <= WIDTH_BUDGET


COVERAGE = pd.DataFrame(
    {
        "name": ["Real GDP", "Poverty rate"],
        "freq": ["Q", "A"],
        "n_points": [46, 5],
        "n_after_shock": [26, 2],
        "supports_counterfactual": [True, False],
        "supports_its": [True, False],
        "supports_peak_trough": [True, True],
    }
)


def test_coverage_tables_name_methods_in_words() -> None:
    """Frequencies and methods in words; a series long enough for every method says 'none'; the
    methods page lists only the series too short for one."""
    shown = coverage_display(COVERAGE)
    assert list(shown.columns) == ["Indicator", "Freq", "Obs", "After shock", "Too short for"]
    assert shown.iloc[0].tolist() == ["Real GDP", "quarterly", "46", "26", "none"]
    assert shown.iloc[1].tolist() == ["Poverty rate", "annual", "5", "2", "trend, ITS"]
    short = unsupported_display(COVERAGE)
    assert list(short.columns) == ["Indicator", "Freq", "Obs", "Too short for"]
    assert short["Indicator"].tolist() == ["Poverty rate"]
    assert table_width(shown, "Indicator") <= WIDTH_BUDGET


def test_minimums_table_names_methods_and_scopes() -> None:
    """'counterfactual_Q' reads 'trend counterfactual, quarterly'; counts are whole numbers."""
    table = minimums_table()
    assert list(table.columns) == ["Method", "Observations"]
    rows = dict(zip(table["Method"], table["Observations"], strict=True))
    assert rows["trend counterfactual, quarterly"] == "12"
    assert rows["Chow test, each side of the shock"] == "3"
    assert "_" not in "".join(table["Method"])


def test_verdict_rows_follow_the_framework_outcomes_then_the_names() -> None:
    from analysis.report.display import reading_order

    progress = pd.DataFrame(
        {
            "indicator_id": ["asylum_rate", "poverty", "gini", "women_seats"],
            "name": ["Asylum recognition rate", "Poverty", "Gini index", "Women in parliament"],
            "outcomes": [None, "1", "1;3", "9"],
        }
    )
    assert reading_order(progress)["name"].tolist() == [
        "Gini index",
        "Poverty",
        "Women in parliament",
        "Asylum recognition rate",  # no outcome: a cross-cutting area, after the ten outcomes
    ]


def test_a_change_of_a_duration_is_shown_in_its_unit() -> None:
    from analysis.report.display import format_delta

    assert format_delta(0.539, "years") == "+0.5 years"
    assert format_delta(-1.25, "hours per week") == "-1.2 hours a week"
    assert format_delta(-3.21, "per 100,000 inhabitants") == "-3.2"  # the unit is in the header


def test_an_index_is_shown_at_its_scale_s_precision_and_its_change_at_the_same() -> None:
    """A 0-1 coefficient (Gini, WJP score) has 3 decimals, as its publishers print it, and its
    change the same, so the summary, the area pages and the progress tables agree; other indices
    keep 2; a rate per N people spells its unit only where no header carries it."""
    gini = "coefficient (0-1)"
    assert format_value(0.43069, "points", gini) == "0.431"
    assert format_delta(-0.026771, "points", unit=gini) == "-0.027"
    assert format_value(43.396, "points", "percentile rank (0-100)") == "43.40"
    assert format_delta(4.3486, "points", unit="percentile rank (0-100)") == "+4.35"
    assert format_delta(-3.21, "per 100,000 inhabitants") == "-3.2"
    spelled = format_delta(-3.21, "per 100,000 inhabitants", spelled=True)
    assert spelled == "-3.2 per 100,000 inhabitants"
    assert format_delta(0.51, "years") == "+0.5 years"
    assert format_delta(-1.26, "percentage points") == "-1.3 pp"
