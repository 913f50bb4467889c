"""Shock-and-recovery verdicts on small hand-made series, each answer worked out by hand in the
docstring: calendar-time holds, same-month references for unadjusted data, band judgements, the
unit of a change, the too-uncertain forecast flag; and the sentences of the real snapshot."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.models.apply import model_scale, recovery_tables
from analysis.models.recovery import (
    counterfactual,
    forecast,
    peak_trough_recovery,
    too_uncertain,
)
from analysis.report.areas import latest_values
from analysis.report.display import its_display_table, trend_display_table
from analysis.report.sentences import recovery_sentence, shock_sentence, trend_clause
from analysis.report.words import change_amount
from analysis.snapshot.catalog import Indicator, change_unit, load_breaks, load_catalog
from helpers import RAW


def monthly(values: dict[str, float]) -> pd.Series:
    return pd.Series(values, dtype=float)


def month_labels(first: str, last: str) -> list[str]:
    return [str(p) for p in pd.period_range(first, last, freq="M")]


# --- recovery dates in calendar time -----------------------------------------------------------


def test_a_gap_in_monthly_data_breaks_a_hold() -> None:
    """Seasonally adjusted monthly series: 100 in every month of 2019-01..2020-02 (the peak is
    100), 90 from the shock (2020-03) to 2020-06, 101 in 2020-07, then no data from 2020-08 to
    2021-05, and 101 in 2021-06 and 2021-07.

    By hand, with hold = 2: 2020-07 is back above 100, but the next calendar month (2020-08) has
    no data, so the run is one month long and does not count — counting observations instead of
    months would have paired 2020-07 with 2021-06 across an 11-month gap. The first run of two
    consecutive months at or above 100 starts in 2021-06: recovery 2021-06, held 2 months,
    29 months after the peak's first occurrence (2019-01 -> 2021-06)."""
    values = {p: 100.0 for p in month_labels("2019-01", "2020-02")}
    values |= {p: 90.0 for p in month_labels("2020-03", "2020-06")}
    values |= {"2020-07": 101.0, "2021-06": 101.0, "2021-07": 101.0}
    rec = peak_trough_recovery(monthly(values), "2020-03", hold=2)
    assert rec.peak_period == "2019-01" and rec.peak_value == 100
    assert rec.trough_period == "2020-03" and rec.trough_value == 90
    assert rec.recovery_period == "2021-06"
    assert rec.held == 2
    assert rec.periods_to_recover == 29
    # with hold = 1 the single month 2020-07 is enough
    assert peak_trough_recovery(monthly(values), "2020-03", hold=1).recovery_period == "2020-07"


def test_a_seasonal_november_peak_is_not_the_reference_of_unadjusted_data() -> None:
    """Unadjusted monthly series with a November hiring high: in 2019 every month is 100 except
    November, 110; after the shock (2020-03) every month of 2020 is 5% below the same month of
    2019 (95, November 104.5), and every month of 2021 is 1% above it (101, November 111.1).

    By hand: the best pre-shock value is the seasonal high 110 (2019-11); against it, 2021 would
    recover only in 2021-11 (111.1) and fall back in 2021-12 (101 < 110), so a two-month hold is
    never met. Month against the same month of 2019 instead: every 2020 month is -5% (the first,
    2020-03, is the trough; its reference is 2019-03 = 100, depth -5 jobs, -5%), and 2021-01
    (101 >= 100) starts a run of 12 months at or above the same month of 2019: recovery 2021-01,
    held 12 months."""
    base = {p: (110.0 if p.endswith("-11") else 100.0) for p in month_labels("2019-01", "2019-12")}
    values = dict(base)
    values |= {"2020-01": 100.0, "2020-02": 100.0}
    for p in month_labels("2020-03", "2020-12"):
        values[p] = 0.95 * base["2019" + p[4:]]
    for p in month_labels("2021-01", "2021-12"):
        values[p] = 1.01 * base["2019" + p[4:]]
    series = monthly(values)
    naive = peak_trough_recovery(series, "2020-03", hold=2)
    assert naive.peak_period == "2019-11" and naive.recovery_period is None
    rec = peak_trough_recovery(series, "2020-03", hold=2, same_period=True)
    assert rec.reference_rule == "same period"
    assert rec.peak_period == "2019-03" and rec.peak_value == 100
    assert rec.trough_period == "2020-03"
    assert rec.depth == pytest.approx(-5.0) and rec.depth_pct == pytest.approx(-5.0)
    assert rec.recovery_period == "2021-01" and rec.held == 12


# --- band judgements ---------------------------------------------------------------------------


def _noisy_line() -> pd.Series:
    """50 + t (t = 0 in 2008) with deviations of at most 1, 2008-2019."""
    noise = [1.0, -0.8, 0.4, -1.0, 0.8, 0.0, -0.4, 1.0, -0.8, 0.4, -1.0, 0.4]
    return pd.Series(
        [50.0 + i + e for i, e in enumerate(noise)], index=[str(2008 + i) for i in range(12)]
    )


def test_a_value_inside_the_band_is_within_the_range_and_outside_is_above() -> None:
    """Annual series 50 + t (2008 = 50) with deviations of up to 1 a year (mean about 0) to 2019,
    modelled on its own scale; after the shock 2020 = 62.0 (the line's own value, 50 + 12) and
    2021 = 70.0 (the line says 63).

    By hand: the fitted trend for 2020 is the line's 62 give or take the last deviation's
    persistence (within 1), and a 95% band around it must be wider than deviations of +-1
    allow, about +-0.9 or more: 62.0 is inside -> "within". 70 is 7 above a line that never
    strayed by more than 1 -> "above". The sentence must then say "within the range the pre-2020
    trend allows" for 2020, and "above" only for 2021, with the gap in percentage points for a
    rate in %."""
    series = _noisy_line()
    series["2020"], series["2021"] = 62.0, 70.0
    cf = counterfactual(series, "A", "2020", scale="level", window_years=10)
    assert cf.loc["2020", "expected"] == pytest.approx(62.0, abs=1.0)
    assert cf.loc["2020", "upper"] - cf.loc["2020", "lower"] > 1.6
    assert cf.loc["2020", "position"] == "within"
    assert cf.loc["2021", "position"] == "above"
    fit = cf.attrs["fit"]
    assert (fit.fit_start, fit.fit_end, fit.n_fit) == ("2010", "2019", 10)
    assert 0 <= fit.lb_p <= 1 and fit.lb_lags == 2  # 10 residuals: at most T/5 = 2 lags
    row = pd.Series(
        {
            "shock_year": 2020,
            "confidence_level": 0.95,
            "unit": "% of labour force",
            "change_unit": "percentage points",
            "first_quarter_values": False,
            "last_period": "2020",
            "trend_position_latest": cf.loc["2020", "position"],
            "trend_lower_latest": cf.loc["2020", "lower"],
            "trend_upper_latest": cf.loc["2020", "upper"],
            "gap_latest": cf.loc["2020", "gap"],
            "gap_pct_latest": None,
        }
    )
    assert "within the range the pre-2020 trend allows (95% prediction interval" in trend_clause(
        row
    )
    assert " above " not in trend_clause(row) and " below " not in trend_clause(row)
    row = pd.Series(
        row.to_dict()
        | {
            "last_period": "2021",
            "trend_position_latest": "above",
            "trend_lower_latest": cf.loc["2021", "lower"],
            "trend_upper_latest": cf.loc["2021", "upper"],
            "gap_latest": cf.loc["2021", "gap"],
            "confidence_level": 0.9,
        }
    )
    text = trend_clause(row)
    gap = cf.loc["2021", "gap"]
    assert f"stood {gap:.1f} percentage points above its pre-2020 trend, outside the 90%" in text
    # a trend whose fit did not converge is not read, as the trend table does not read it
    unstable = trend_clause(pd.Series(row.to_dict() | {"trend_converged": False}))
    assert "could not be estimated reliably" in unstable and " above " not in unstable


# --- units of change ---------------------------------------------------------------------------


def test_a_rates_change_is_stated_in_percentage_points() -> None:
    """Unemployment (% of labour force, lower is better), 2015-2019: 3.5, 3.4, 3.3, 3.4, 3.5;
    after the shock 2020-2022: 4.4, 4.0, 3.2.

    By hand: the pre-crisis low is 3.3 (2017), the worst post-shock value 4.4 (2020); the change
    is 4.4 - 3.3 = +1.1 percentage points (a relative change of +33.3% must not be stated); the
    first year back at or below 3.3 is 2022, held one year with data (hold = 1)."""
    rate = pd.Series(
        [3.5, 3.4, 3.3, 3.4, 3.5, 4.4, 4.0, 3.2], index=[str(y) for y in range(2015, 2023)]
    )
    rec = peak_trough_recovery(rate, "2020", hold=1, direction=-1)
    assert (rec.peak_period, rec.trough_period, rec.recovery_period) == ("2017", "2020", "2022")
    assert rec.depth == pytest.approx(1.1)
    unit = "% of labour force"
    share = Indicator(id="u", name="U", unit=unit, kind="share")
    jobs = Indicator(id="j", name="J", unit="jobs", kind="count")
    assert change_unit(share) == "percentage points" and model_scale("share", unit) == "logit"
    assert change_unit(jobs) == "percent" and model_scale("count", "jobs") == "log"
    assert change_amount(rec.depth, rec.depth_pct, "percentage points") == "1.1 percentage points"
    assert change_amount(-4.0, -4.4, "percent") == "4.4%"
    row = pd.Series(
        {
            "name": "Unemployment rate",
            "series": "wdi_ilo_modelled",
            "unit": unit,
            "freq": "A",
            "direction": -1,
            "shock_year": 2020,
            "confidence_level": 0.95,
            "change_unit": "percentage points",
            "reference_rule": rec.reference_rule,
            "reference_period": rec.peak_period,
            "reference_value": rec.peak_value,
            "worst_period": rec.trough_period,
            "worst_value": rec.trough_value,
            "depth": rec.depth,
            "depth_pct": None,
            "recovery_status": rec.status,
            "recovery_period": rec.recovery_period,
            "recovery_held": rec.held,
            "last_period": "2022",
            "trend_position_latest": None,
        }
    )
    text = recovery_sentence(row)
    assert "rose 1.1 percentage points to 4.4% in 2020" in text
    assert "back at or below that level in 2022 (for that year only)" in text
    assert "33.3" not in text


# --- forecasts ---------------------------------------------------------------------------------


def test_a_forecast_interval_wider_than_the_observed_range_is_flagged() -> None:
    """A series observed between 10 and 12 (range 2). By hand: an interval of [8, 14] at the
    horizon is 6 wide, more than the range -> flagged; [10.5, 11.5] is 1 wide -> not flagged."""
    series = pd.Series([10.0, 12.0, 11.0], index=["2020", "2021", "2022"])
    wide = pd.DataFrame({"mean": [11.0, 11.0], "lower": [9.0, 8.0], "upper": [13.0, 14.0]})
    narrow = pd.DataFrame({"mean": [11.0], "lower": [10.5], "upper": [11.5]})
    assert too_uncertain(wide, series)
    assert not too_uncertain(narrow, series)


def test_forecast_models_the_shock_with_intervention_terms() -> None:
    """Annual levels growing 2% a year 2000-2024 with a one-year 15% drop in 2020 (back on the
    line from 2021). By hand: with a pulse for 2020 and a step from 2020 (which, the line
    continuing, estimates near 0), the 2030 forecast is near 100 * 1.02^30 = 181.1, and the pulse
    keeps the drop out of the error variance, so the interval stays narrow (well inside +-10%)."""
    years = np.arange(2000, 2025)
    wiggle = 0.003 * np.sin(2.3 * np.arange(len(years)))
    levels = 100 * 1.02 ** (years - 2000) * np.exp(wiggle)
    levels[years == 2020] *= 0.85
    series = pd.Series(levels, index=[str(y) for y in years])
    fc = forecast(series, "A", "2030", shock_start="2020")
    assert fc.loc["2030", "mean"] == pytest.approx(100 * 1.02**30, rel=0.02)
    assert fc.loc["2030", "upper"] / fc.loc["2030", "lower"] < 1.2
    assert "Box & Tiao" in fc.attrs["fit"].method


# --- the real snapshot -------------------------------------------------------------------------

#: A number followed by % right after a verb of change, or a signed percentage in brackets.
_PERCENT_CHANGE = re.compile(
    r"(rose|fell|stood) (\d[\d,.]*)%|\([+-]\d[\d,.]*%\)|(\d[\d,.]*)% (above|below|lower|higher)"
)


@pytest.fixture(scope="module")
def real_tables() -> dict[str, pd.DataFrame]:
    tidy = build_tidy(RAW / "datapackage.json")
    catalog = load_catalog(RAW / "datapackage.json")
    breaks = load_breaks(RAW / "datapackage.json")
    return recovery_tables(tidy, catalog, 2020, 0.9, 2030, window_years=10, breaks=breaks)


def test_real_snapshot_sentences_state_rate_changes_in_percentage_points(real_tables) -> None:
    """Every recovery sentence of the real snapshot: a share or a rate in % must never change by
    a percentage; levels and counts change by a percentage; interval levels follow the run (90%
    here, never a hard-coded 95%)."""
    recovery = real_tables["recovery"]
    for _, row in recovery.iterrows():
        text = recovery_sentence(row)
        if row["change_unit"] == "percentage points":
            assert not _PERCENT_CHANGE.search(text), text
        assert "95%" not in text, text
        converged = row.get("trend_converged") not in (False, "False")
        if converged and row["trend_position_latest"] == "within":
            assert "within the range the" in text and "90% prediction interval" in text, text
    headers = list(trend_display_table(recovery).columns) + list(
        its_display_table(recovery).columns
    )
    assert not any("95%" in h for h in headers) and any("90%" in h for h in headers)


def test_real_snapshot_verdicts(real_tables) -> None:
    """The reviewer's cases on the real data: IMSS jobs are dated month against the same month of
    2019 and stop before the July 2025 platform-worker pilot; Inmujeres' first-quarter TIL1 value
    of 2020 is not a post-shock value; each trend fit reports a Ljung-Box test."""
    recovery = real_tables["recovery"].set_index("indicator_id")
    imss = recovery.loc["imss_registered_jobs"]
    assert imss["reference_rule"] == "same period" and imss["reference_period"] != "2019-11"
    assert imss["last_period"] <= "2025-06"
    assert imss["recovery_held"] >= 2
    informality = recovery.loc["informality_rate"]
    assert informality["shock_start"] == "2021" and informality["worst_period"] >= "2021"
    assert pd.isna(informality["depth_pct"])  # a rate: no relative change
    for indicator in ["gdp_real_sa_level", "unemployment_rate", "labour_force_participation"]:
        assert 0 <= recovery.loc[indicator, "trend_ljung_box_p"] <= 1
        assert recovery.loc[indicator, "trend_ljung_box_lags"] >= 2
    forecasts = real_tables["forecasts"]
    assert set(forecasts.columns) >= {"too_uncertain"}
    assert recovery.loc["imss_registered_jobs", "forecast_too_uncertain"] in (True, False)


def test_real_snapshot_one_declared_break_governs_every_page(real_tables) -> None:
    """The IMSS pilot break (x-series-breaks, from July 2025) is the one declaration: the
    recovery row, its sentence, the area table's latest value and the chart's data all stop
    before it, and the sentence names one last month used (the break month is named as such)."""
    breaks = load_breaks(RAW / "datapackage.json")
    first = breaks[("imss_registered_jobs", "imss")].first
    imss = real_tables["recovery"].set_index("indicator_id").loc["imss_registered_jobs"]
    assert imss["last_period"] < first and imss["break_from"] == first
    assert imss["n_after_break"] >= 1 and imss["first_after_break"] >= first
    text = recovery_sentence(imss)
    assert "June 2025" not in text and "truncated" not in text and "last period used" not in text
    assert "December 2024" in text and "come after a series break" in text
    # #4: the run of months back at the 2019 level ends because the data stop, said as such
    assert imss["recovery_run_end_reason"] == "gap"
    assert "because the data stop" in text and "not because a value fell back" in text
    assert f"a value for {int(imss['n_points'])} of the" in text
    tidy = build_tidy(RAW / "datapackage.json")
    catalog = load_catalog(RAW / "datapackage.json")
    latest = latest_values(tidy, catalog, ["imss_registered_jobs"], breaks).iloc[0]
    assert latest["latest_period"] == imss["last_period"] and latest["n_obs"] == imss["n_points"]


def test_real_snapshot_shock_words_match_the_models_parameter(real_tables) -> None:
    """#11: the page dates the shock as the models do (Q1 2020 for quarterly series, March for
    monthly, 2021 for first-quarter values) and names the GDP trough apart (Q2 2020)."""
    recovery = real_tables["recovery"]
    text = shock_sentence(recovery)
    starts = dict(zip(recovery["freq"], recovery["shock_start"], strict=False))
    assert starts["Q"] == "2020Q1" and "starts in Q1 2020 for quarterly series" in text
    assert "March 2020 for monthly series" in text and "it starts in 2021" in text
    assert "trough of real GDP" in text and "was in Q2 2020" in text
    assert "second quarter" not in text


def test_real_snapshot_informality_is_not_described_as_a_fall(real_tables) -> None:
    """#19: TIL1 informality never worsened after the shock: no 'depth', no 'least favourable
    value' above the reference; it stayed at or below its pre-crisis low."""
    row = real_tables["recovery"].set_index("indicator_id").loc["informality_rate"]
    assert row["recovery_status"] == "never worse than the reference"
    text = recovery_sentence(row)
    assert "least favourable" not in text and "never went beyond" not in text
    assert "did not worsen after the shock" in text and "at or below its pre-crisis low" in text
