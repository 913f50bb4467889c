"""The recovery story told one way on every page: a declared series break governs the models,
sentences, tables and charts; a run back at the reference says why it ends; a series that never
worsened is not given a depth; the shock is dated as the models date it; tables say 'n/a' and
'too short' where a method did not run; charts draw only usable forecasts, fit their y axes to
the data with a mark, and label the trough beside it. Series below are built by hand."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from analysis.models import recovery as rec
from analysis.models.apply import (
    RecoverySeries,
    analyse,
    method_coverage,
    model_freq,
    period_before,
    recovery_run,
    split_at_break,
)
from analysis.report.areas import latest_values
from analysis.report.display import (
    coverage_notes,
    recovery_display_table,
    trend_display_table,
    usable_forecast,
)
from analysis.report.figures import (
    AXIS_BREAK,
    TROUGH_OFFSET_PT,
    plot_gdp_quarterly,
    recovery_panels,
)
from analysis.report.labels import catalog as text_catalog
from analysis.report.sentences import (
    break_sentence,
    recovery_sentence,
    shock_sentence,
    trend_window_sentence,
)
from analysis.snapshot.catalog import Indicator, SeriesBreak

NAN = float("nan")


def monthly(values: dict[str, float], indicator: str = "jobs", series: str = "imss") -> list[dict]:
    return [
        {"indicator_id": indicator, "geo": "MEX", "period": p, "freq": "M", "value": v,
         "unit": "jobs", "series": series, "source_id": "s", "vintage": "v"}
        for p, v in values.items()
    ]  # fmt: skip


# --- a declared break, in the models ------------------------------------------------------------


def test_split_at_break_keeps_only_the_values_before_it() -> None:
    values = pd.Series([1.0, 2.0, 3.0, 4.0], index=["2025-05", "2025-06", "2025-11", "2026-01"])
    brk = SeriesBreak("jobs", "imss", first="2025-07", reason="a pilot")
    used, later = split_at_break(values, "M", brk)
    assert used.index.tolist() == ["2025-05", "2025-06"]
    assert later.index.tolist() == ["2025-11", "2026-01"]
    assert split_at_break(values, "M", None)[1].empty
    assert period_before("2025-07", "M") == "2025-06" and period_before("2021Q1", "Q") == "2020Q4"


def jobs_tidy() -> pd.DataFrame:
    """Monthly jobs: 2018-01..2019-12 at 100 + month (a seasonal-free rise), a fall from 2020-03 to
    90, back above the same month of 2019 from 2021-06 to 2021-08 (3 months), then no data to
    2022-09, values again from 2022-10 to 2022-12 (above 2019), and 2 months after a break."""
    values = {f"{y}-{m:02d}": 100.0 + m for y in (2018, 2019) for m in range(1, 13)}
    values |= {"2020-01": 101.0, "2020-02": 102.0}
    values |= {f"2020-{m:02d}": 90.0 for m in range(3, 13)}
    values |= {f"2021-{m:02d}": 95.0 for m in range(1, 6)}
    values |= {"2021-06": 107.0, "2021-07": 108.0, "2021-08": 109.0}
    values |= {"2022-10": 111.0, "2022-11": 112.0, "2022-12": 113.0}
    values |= {"2025-08": 150.0, "2025-09": 151.0}
    return pd.DataFrame(monthly(values))


JOBS = {"jobs": Indicator("jobs", "Jobs", "jobs", "count", direction=1, headline_series="imss")}
JOBS_BREAK = SeriesBreak("jobs", "imss", first="2025-07", reason="a pilot adds jobs from July 2025")


def jobs_row() -> pd.Series:
    row, _, _ = analyse(
        jobs_tidy(),
        JOBS,
        RecoverySeries("jobs", "imss", 1, seasonally_adjusted=False),
        2020,
        0.95,
        2026,
        brk=JOBS_BREAK,
    )
    return pd.Series(row)


def test_analyse_leaves_out_the_values_after_a_declared_break_and_counts_them() -> None:
    row = jobs_row()
    assert row["last_period"] == "2022-12" and row["break_from"] == "2025-07"
    assert row["last_comparable"] == "2025-06" and row["n_after_break"] == 2
    assert (row["first_after_break"], row["last_after_break"]) == ("2025-08", "2025-09")
    assert row["forecast_fit_end"] == "2022-12"  # no fit sees a value after the break


def test_a_run_that_ends_at_a_gap_says_so() -> None:
    """By hand: the first month at or above its same month of 2019 for 2+ months is 2021-06; the
    run holds 3 months (to 2021-08), then 2021-09 has no value: it ends at a gap lasting to
    2022-09. The 3 later values (Oct-Dec 2022) are all above their 2019 months (110-112)."""
    row = jobs_row()
    assert (row["recovery_period"], row["recovery_held"]) == ("2021-06", 3)
    assert row["recovery_run_end"] == "2021-08" and row["recovery_run_end_reason"] == "gap"
    assert row["recovery_gap_end"] == "2022-09"
    assert (row["later_values"], row["later_at_reference"]) == (3, 3)
    text = recovery_sentence(row)
    assert "from June 2021 to August 2021 (3 months in a row)" in text
    assert "because the data stop (the snapshot has no value from September 2021 to" in text
    assert "September 2022), not because a value fell back" in text
    assert "all 3 later values used, up to December 2022, were also at or above" in text
    # one end date used (December 2022); the later values are named as after the break
    assert "Its 2 later values (August 2025 to September 2025) come after a series break" in text
    assert "a pilot adds jobs from July 2025" in text and "June 2025" not in text
    assert "The series has a value for 47 of the 60 months from January 2018 to December 2022" in (
        text
    )


def test_a_run_that_lasts_to_date_or_falls_back_is_said_plainly() -> None:
    """Annual, higher is better: peak 10 (2019), trough 8 (2020); back from 2022. Lasting to the
    last year, the sentence says 'has stayed ... since'; with a fall in 2024, 'then it fell back'."""
    years = ["2015", "2016", "2017", "2018", "2019", "2020", "2021", "2022", "2023"]
    series = pd.Series([9.0, 9.2, 9.4, 9.6, 10.0, 8.0, 9.0, 10.5, 11.0], index=years)
    ptr = rec.peak_trough_recovery(series, "2020")
    assert recovery_run(series, "A", ptr, 1)["recovery_run_end_reason"] == "latest"
    fell = pd.concat([series, pd.Series([9.5, 10.2], index=["2024", "2025"])])
    ptr = rec.peak_trough_recovery(fell, "2020")
    run = recovery_run(fell, "A", ptr, 1)
    assert run["recovery_run_end"] == "2023" and run["recovery_run_end_reason"] == "fell back"
    assert (run["later_values"], run["later_at_reference"]) == (2, 1)
    base = {
        "name": "Output", "series": "wdi", "unit": "index", "freq": "A", "direction": 1,
        "shock_year": 2020, "confidence_level": 0.95, "change_unit": "points",
        "reference_rule": "best", "reference_period": "2019", "reference_value": 10.0,
        "worst_period": "2020", "worst_value": 8.0, "depth": -2.0, "depth_pct": None,
        "recovery_status": "recovered", "recovery_period": "2022", "recovery_held": 2,
        "trend_position_latest": None,
    }  # fmt: skip
    latest = pd.Series(base | {"last_period": "2023", "recovery_run_end_reason": "latest"})
    assert "has stayed at or above that level since 2022 (every year up to 2023, the latest)" in (
        recovery_sentence(latest)
    )
    falls = pd.Series(base | {"last_period": "2025"} | run)
    text = recovery_sentence(falls)
    assert "from 2022 to 2023 (2 years in a row); then it fell back" in text
    assert "1 of the 2 later values used, up to 2025, were also at or above that level" in text


def test_method_coverage_counts_as_the_models_do() -> None:
    """#10: a headline series held quarterly (1 value) and monthly (1 value) is counted at its
    quarterly value, as the progress model uses it, and the monthly one is named as not used; a
    declared break and the first-quarter shock year count as in the recovery models."""
    assert model_freq({"A"}) == "A" and model_freq({"M", "Q"}) == "Q" and model_freq({"M"}) == "M"
    lfpr = [
        {"indicator_id": "lfpr", "geo": "MEX", "period": p, "freq": f, "value": v, "unit": "%",
         "series": "enoe", "source_id": "s", "vintage": "v"}
        for p, f, v in [("2025-02", "M", 45.0), ("2025Q4", "Q", 46.4)]
    ]  # fmt: skip
    tidy = pd.concat([pd.DataFrame(lfpr), jobs_tidy()], ignore_index=True)
    catalog = JOBS | {
        "lfpr": Indicator("lfpr", "LFPR, women", "%", "share", direction=1, headline_series="enoe")
    }
    coverage = method_coverage(tidy, catalog, 2020, {("jobs", "imss"): JOBS_BREAK})
    coverage = coverage.set_index("indicator_id", drop=False)
    assert coverage.loc["lfpr", ["freq", "n_points", "n_other_freq"]].tolist() == ["Q", 1, 1]
    assert coverage.loc["jobs", ["n_points", "n_after_break"]].tolist() == [47, 2]
    notes = coverage_notes(coverage)
    assert (
        "LFPR, women: counted at its quarterly values, as the models use them; its 1 monthly"
        in (notes)
    )
    assert "(February 2025) is not used" in notes
    assert "Jobs: counted up to its declared series break; its 2 values from July 2025 on" in notes


def test_method_coverage_starts_first_quarter_series_a_year_later() -> None:
    """#21: Inmujeres' first-quarter values: the shock period starts the next year, so a series
    with values 2005-2023 has 3 after the shock (2021-2023), too few for the segmented regression,
    as the recovery table found; the coverage table then says so too."""
    til1 = [
        {"indicator_id": "til1", "geo": "MEX", "period": str(y), "freq": "A", "value": 55.0,
         "unit": "%", "series": "inmujeres_enoe", "source_id": "s", "vintage": "v"}
        for y in range(2005, 2024)
    ]  # fmt: skip
    catalog = {
        "til1": Indicator(
            "til1", "TIL1", "%", "share", direction=-1, headline_series="inmujeres_enoe"
        )
    }
    row = method_coverage(pd.DataFrame(til1), catalog, 2020).iloc[0]
    assert row["n_after_shock"] == 3 and not bool(row["supports_its"])


# --- the same break on the area pages and their charts ------------------------------------------


def test_latest_values_never_show_a_value_after_a_declared_break() -> None:
    """#3: the area table's 'latest' is the last comparable month, not the excluded pilot month."""
    latest = latest_values(jobs_tidy(), JOBS, ["jobs"], {("jobs", "imss"): JOBS_BREAK}).iloc[0]
    assert (latest["latest_period"], latest["latest_value"]) == ("2022-12", 113.0)
    assert latest["n_obs"] == 47
    unbroken = latest_values(jobs_tidy(), JOBS, ["jobs"], {}).iloc[0]
    assert unbroken["latest_period"] == "2025-09"


def test_the_package_break_is_the_default_of_every_page() -> None:
    """latest_values without `breaks` reads the package's declaration (the IMSS pilot)."""
    tidy = pd.DataFrame(monthly({"2025-06": 1.0, "2025-07": 2.0}, indicator="imss_registered_jobs"))
    catalog = {
        "imss_registered_jobs": Indicator(
            "imss_registered_jobs", "Jobs", "jobs", "count", direction=1, headline_series="imss"
        )
    }
    latest = latest_values(tidy, catalog, ["imss_registered_jobs"]).iloc[0]
    assert latest["latest_period"] == "2025-06"


# --- sentences ------------------------------------------------------------------------------------


def test_the_break_sentence_without_later_values_is_only_the_coverage() -> None:
    row = pd.Series(
        {"freq": "A", "first_period": "2000", "last_period": "2020", "n_points": 21,
         "n_after_break": 0}
    )  # fmt: skip
    assert break_sentence(row) == ""


def test_a_series_that_never_worsened_has_no_depth() -> None:
    """#19: informality (lower is better) stayed below its pre-crisis low of 55.9 (2020): the
    sentence says it did not worsen, with its highest later value; the table gives no worst
    period and no depth."""
    row = pd.Series(
        {"name": "Informality", "series": "inmujeres_enoe", "unit": "% of employed population",
         "freq": "A", "direction": -1, "shock_year": 2020, "confidence_level": 0.95,
         "change_unit": "percentage points", "reference_rule": "best",
         "reference_period": "2020", "reference_value": 55.9, "worst_period": "2022",
         "worst_value": 55.2, "depth": -0.7, "depth_pct": NAN,
         "recovery_status": "never worse than the reference", "recovery_period": None,
         "recovery_held": NAN, "last_period": "2023", "trend_position_latest": None,
         "first_quarter_values": False, "n_after_break": 0, "n_points": 19,
         "first_period": "2005"}
    )  # fmt: skip
    text = recovery_sentence(row)
    assert "did not worsen after the shock: every later value was at or below its pre-crisis" in (
        text
    )
    assert "low of 55.9% (2020), the highest being 55.2% in 2022" in text
    assert "least favourable" not in text
    table = recovery_display_table(pd.DataFrame([row]))
    assert table.iloc[0][["Worst", "Depth", "Back (periods held)"]].tolist() == [
        "", "none", "never worse",
    ]  # fmt: skip


def recovery_frame() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": ["gdp_real_sa_level", "jobs", "unemp", "til1"],
            "name": ["Real GDP (quarterly)", "Jobs", "Unemployment", "Informality"],
            "freq": ["Q", "M", "A", "A"],
            "shock_year": [2020] * 4,
            "shock_start": ["2020Q1", "2020-03", "2020", "2021"],
            "first_quarter_values": [False, False, False, True],
            "worst_period": ["2020Q2", "2020-07", "2020", "2022"],
            "trend_window_years": [10] * 4,
        }
    )


def test_the_shock_is_dated_as_the_models_date_it() -> None:
    """#11: one dating, from the parameter: Q1 2020 (quarterly), March 2020 (monthly), 2020
    (annual), 2021 (first-quarter values); the GDP trough is named as the trough (Q2 2020)."""
    assert shock_sentence(recovery_frame()) == (
        "The shock year is 2020 (set in params.yaml, like every parameter on the reproducibility "
        "page), and the shock period starts in Q1 2020 for "
        "quarterly series, March 2020 for monthly series (the first month of the pandemic "
        "lockdowns) and 2020 for annual series; for annual first-quarter values it starts in "
        "2021, because their 2020 value precedes the lockdown of late March 2020. The trough of "
        "real GDP (quarterly) was in Q2 2020."
    )


def test_the_trend_window_note_claims_no_check_it_did_not_make() -> None:
    """#22: the IMF chapter is cited for the method; the window's length is the parameter's."""
    text = trend_window_sentence(recovery_frame())
    assert "10 years before the shock (set in params.yaml" in text
    assert "not checked" not in text and "this report's choice" in text
    yaml_text = str(text_catalog())
    assert "was not checked against its text" not in yaml_text


# --- tables ---------------------------------------------------------------------------------------


def trend_rows(**changes: object) -> pd.DataFrame:
    row = {
        "name": "GDP", "confidence_level": 0.95, "change_unit": "percent", "unit": "index",
        "trend_fit_start": "2015Q1", "trend_fit_end": "2019Q4", "trend_converged": True,
        "gap_latest": 1.0, "gap_pct_latest": 0.5, "trend_position_latest": "within",
        "back_on_trend": "2021Q4", "cumulative_loss_pct": -1.9, "forecast_end": "2030Q4",
        "forecast_lower_end": 100.0, "forecast_upper_end": 120.0,
        "forecast_too_uncertain": False, "forecast_converged": True,
    }  # fmt: skip
    return pd.DataFrame([row | changes])


def test_a_forecast_is_usable_only_when_converged_and_narrow_enough() -> None:
    """#20: the reader sees no solver message; the chart draws only a usable forecast."""
    assert usable_forecast(trend_rows().iloc[0])
    unstable = trend_rows(forecast_converged=False)
    assert not usable_forecast(unstable.iloc[0])
    assert trend_display_table(unstable).iloc[0, -1] == "not usable (unstable fit)"
    assert not usable_forecast(trend_rows(forecast_too_uncertain=True).iloc[0])
    no_trend = trend_rows(trend_fit_start=None, trend_fit_end=None, back_on_trend=None)
    assert trend_display_table(no_trend).iloc[0]["Back in 95% band"] == "n/a (no trend)"


# --- charts ---------------------------------------------------------------------------------------


def panel_inputs(forecast_converged: bool = True, first_quarter: bool = False):
    """A share between 55 and 59 with a narrow trend band (54.3-55.3): zero-based, the band
    would take under 2% of the axis height."""
    years = [str(y) for y in range(2005, 2024)]
    values = [59.0 - 0.2 * i for i in range(len(years))]
    tidy = pd.DataFrame(
        [{"indicator_id": "til1", "geo": "MEX", "period": p, "freq": "A", "value": v,
          "unit": "%", "series": "inmujeres_enoe", "source_id": "s", "vintage": "v"}
         for p, v in zip(years, values, strict=True)]
    )  # fmt: skip
    recovery = pd.DataFrame(
        [{"indicator_id": "til1", "series": "inmujeres_enoe", "name": "Informality",
          "unit": "% of employed population", "freq": "A", "confidence_level": 0.95,
          "last_comparable": None, "reference_value": 55.9, "reference_rule": "best",
          "reference_period": "2020", "shock_start": "2021" if first_quarter else "2020",
          "shock_year": 2020, "first_quarter_values": first_quarter,
          "change_unit": "percentage points", "depth": -0.7, "depth_pct": NAN,
          "worst_period": "2022", "recovery_status": "never worse than the reference",
          "recovery_period": None, "last_period": "2023", "forecast_end": "2025",
          "forecast_too_uncertain": False, "forecast_converged": forecast_converged}]
    )  # fmt: skip
    cf = pd.DataFrame(
        {"indicator_id": "til1", "series": "inmujeres_enoe", "period": ["2021", "2022", "2023"],
         "expected": [54.8, 54.8, 54.8], "lower": [54.3, 54.3, 54.3], "upper": [55.3, 55.3, 55.3]}
    )  # fmt: skip
    fc = pd.DataFrame(
        {"indicator_id": "til1", "series": "inmujeres_enoe", "period": ["2024", "2025"],
         "mean": [54.0, 53.8], "lower": [53.0, 52.5], "upper": [55.0, 55.2],
         "too_uncertain": ["False", "False"]}
    )  # fmt: skip
    return tidy, recovery, cf, fc


def _panel(fig):
    (ax,) = [a for a in fig.axes if a.get_visible()]
    return ax


def test_recovery_panels_fit_the_axis_to_the_data_and_mark_it() -> None:
    """#45: every panel's y axis is fitted to its data so the band the text discusses is visible
    (here over 10% of the axis height), with the break mark and its legend entry."""
    fig = recovery_panels(*panel_inputs())
    ax = _panel(fig)
    low, high = ax.get_ylim()
    assert low > 0 and (55.3 - 54.3) / (high - low) > 0.1
    assert any(line.get_gid() == AXIS_BREAK for line in ax.lines)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "y axis does not start at zero" in legend
    plt.close(fig)


def test_recovery_panels_draw_only_a_usable_forecast() -> None:
    """#20: an unconverged forecast is neither banded nor drawn, as the caption says."""
    drawn = recovery_panels(*panel_inputs())
    legend = [t.get_text() for t in drawn.legends[0].get_texts()]
    assert "forecast, 95% band" in legend
    plt.close(drawn)
    fig = recovery_panels(*panel_inputs(forecast_converged=False))
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "forecast, 95% band" not in legend
    plt.close(fig)


def test_a_later_shock_line_for_first_quarter_values_carries_a_note() -> None:
    """#45: the informality panel's shock line stands at 2021; the panel says why."""
    fig = recovery_panels(*panel_inputs(first_quarter=True))
    notes = [t.get_text() for t in _panel(fig).texts]
    assert any("first-quarter values" in n and "2020 is pre-shock" in n for n in notes)
    plt.close(fig)
    plain = recovery_panels(*panel_inputs())
    assert not [t for t in _panel(plain).texts if "first-quarter" in t.get_text()]
    plt.close(plain)


def test_recovery_panels_do_not_draw_values_after_a_break() -> None:
    """#3: the values after a declared break are not plotted (the data table marks them)."""
    tidy, recovery, cf, fc = panel_inputs()
    extra = tidy.iloc[[-1]].assign(period="2024", value=80.0)
    recovery = recovery.assign(last_comparable="2023", last_period="2023")
    fig = recovery_panels(pd.concat([tidy, extra]), recovery, cf, fc)
    ys = [y for line in _panel(fig).lines for y in line.get_ydata() if pd.notna(y)]
    assert 80.0 not in ys
    plt.close(fig)


@pytest.mark.parametrize("trough_x", [2020.25])
def test_the_trough_label_sits_beside_the_trough(snapshot_tidy: pd.DataFrame, trough_x) -> None:
    """#42: the label's left edge is a few points right of the trough point, at its height (it
    was placed 0.6 years to the right)."""
    fig, ax = plt.subplots(figsize=(7.6, 3.5))
    plot_gdp_quarterly(ax, snapshot_tidy, 2020)
    fig.canvas.draw()
    (label,) = [t for t in ax.texts if t.get_gid() == "trough-label"]
    box = label.get_window_extent()
    point = ax.transData.transform(label.xy)
    assert label.xy[0] == pytest.approx(trough_x)
    gap_px = box.x0 - point[0]
    assert 0 < gap_px <= 2 * TROUGH_OFFSET_PT * fig.dpi / 72
    assert box.y0 <= point[1] <= box.y1
    assert "COVID-19 shock starts Q1 2020" in [t.get_text() for t in ax.get_legend().get_texts()]
    plt.close(fig)
