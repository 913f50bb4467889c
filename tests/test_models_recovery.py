"""Recovery and structural-break models: known answers on synthetic series and on the tidy table."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from analysis.clean.tidy import series_values
from analysis.models.recovery import (
    MIN_POINTS,
    SeriesTooShort,
    applicable_methods,
    back_on_trend,
    chow_test,
    counterfactual,
    cumulative_loss,
    cumulative_loss_pct,
    cusum_test,
    forecast,
    interrupted_time_series,
    newey_west_lags,
    peak_trough_recovery,
    period_index,
    period_range_to,
    point_counts,
    too_short_reasons,
)


def annual(values: np.ndarray | list[float], start: int) -> pd.Series:
    return pd.Series(
        np.asarray(values, dtype=float), index=[str(start + i) for i in range(len(values))]
    )


def quarters(values: np.ndarray | list[float], start_year: int = 2018) -> pd.Series:
    index = [f"{start_year + i // 4}Q{i % 4 + 1}" for i in range(len(values))]
    return pd.Series(np.asarray(values, dtype=float), index=index)


def months(values: np.ndarray, start_year: int = 2016) -> pd.Series:
    index = [f"{start_year + i // 12}-{i % 12 + 1:02d}" for i in range(len(values))]
    return pd.Series(np.asarray(values, dtype=float), index=index)


def wiggle(n: int, amplitude: float = 0.5) -> np.ndarray:
    """Small deterministic noise: a fast sine pattern that no trend can absorb."""
    return amplitude * np.sin(2.3 * np.arange(n) + 0.4)


def growth_3pct(first: int = 2005, last: int = 2024) -> pd.Series:
    years = np.arange(first, last + 1)
    return annual(100 * 1.03 ** (years - first), first)


# --- helpers and minimum lengths ------------------------------------------------------------------


def test_period_helpers_keep_tidy_formats() -> None:
    assert period_range_to("2024", "2027", "A") == ["2025", "2026", "2027"]
    assert period_range_to("2025Q3", "2026Q2", "Q") == ["2025Q4", "2026Q1", "2026Q2"]
    assert period_range_to("2025-11", "2026-02", "M") == ["2025-12", "2026-01", "2026-02"]
    assert period_range_to("2026", "2025", "A") == []
    index = period_index(["2019-12", "2020-03"], "M")
    assert list(index.asi8[1:] - index.asi8[:-1]) == [3]
    with pytest.raises(ValueError, match="not a quarterly period"):
        period_index(["2020"], "Q")


def test_five_point_biennial_series_is_too_short_for_every_model() -> None:
    poverty = pd.Series(
        [43.2, 41.9, 43.9, 36.3, 29.6], index=["2016", "2018", "2020", "2022", "2024"]
    )
    name = "poverty_multidimensional_pct"
    assert point_counts(poverty, "A", "2020") == (5, 3)
    assert applicable_methods(5, 3, "A") == {
        "counterfactual": False,
        "its": False,
        "chow": False,
        "cusum": False,
        "forecast": False,
        "peak_trough": True,
    }
    calls = {
        "pre-shock trend counterfactual needs at least 8 annual observations before the shock; "
        f"{name} has 2": lambda: counterfactual(poverty, "A", "2020", name=name),
        "interrupted time series needs at least 12 observations (4 after the break, 3 before); "
        f"{name} has 5 (3 after the break)": lambda: interrupted_time_series(
            poverty, "A", "2020", name=name
        ),
        "Chow test needs at least 10 observations (3 on each side of the break); "
        f"{name} has 5 (3 after the break)": lambda: chow_test(poverty, "A", "2020", name=name),
        f"CUSUM test needs at least 12 observations; {name} has 5": lambda: cusum_test(
            poverty, "A", name=name
        ),
        f"forecast needs at least 10 observations; {name} has 5": lambda: forecast(
            poverty, "A", "2030", name=name
        ),
    }
    for message, call in calls.items():
        with pytest.raises(SeriesTooShort) as caught:
            call()
        assert str(caught.value) == message
        assert isinstance(caught.value, ValueError)
    assert too_short_reasons(5, 3, "A", name) == list(calls)


def test_minimum_lengths_are_boundaries() -> None:
    assert applicable_methods(MIN_POINTS["its"], MIN_POINTS["its_after"], "A")["its"]
    assert not applicable_methods(MIN_POINTS["its"] + 5, MIN_POINTS["its_after"] - 1, "A")["its"]
    assert applicable_methods(20, 20 - MIN_POINTS["counterfactual_Q"], "Q")["counterfactual"]
    assert not applicable_methods(20, 21 - MIN_POINTS["counterfactual_M"], "M")["counterfactual"]
    assert not applicable_methods(30, 2, "A")["chow"]
    assert applicable_methods(MIN_POINTS["forecast"], 0, "M")["forecast"]
    assert not applicable_methods(MIN_POINTS["cusum"] - 1, 0, "Q")["cusum"]
    assert newey_west_lags(12) == 2
    assert newey_west_lags(46) == 3
    assert newey_west_lags(3) == 1


# --- pre-shock trend counterfactual ---------------------------------------------------------------


def test_counterfactual_of_exact_growth_is_the_series_itself() -> None:
    cf = counterfactual(growth_3pct(), "A", "2020", until="2026")
    assert list(cf.index) == [str(y) for y in range(2020, 2027)]
    seen = cf.dropna(subset=["observed"])
    assert np.allclose(seen["expected"], seen["observed"], rtol=1e-4, atol=0)
    # maximum likelihood with AR(1) errors fits an exact trend only to optimiser precision
    assert (seen["gap_pct"].abs() < 0.01).all()
    assert seen["in_interval"].all()
    assert not cf.loc["2025", "in_interval"]  # nothing observed there
    assert cf.loc["2026", "expected"] == pytest.approx(100 * 1.03**21, rel=1e-4)
    assert back_on_trend(cf) == "2020"
    assert cumulative_loss(cf) == pytest.approx(0, abs=0.1)  # series near 160: 0.1 is 1e-3 relative


def test_counterfactual_measures_a_permanent_level_drop() -> None:
    series = growth_3pct()
    series[series.index >= "2020"] *= 0.9
    cf = counterfactual(series, "A", "2020")
    assert np.allclose(cf["gap_pct"], -10.0, atol=0.01)
    assert not cf["in_interval"].any()
    assert back_on_trend(cf) is None
    expected = 100 * 1.03 ** np.arange(15, 20)
    assert cumulative_loss(cf) == pytest.approx(-0.1 * expected.sum(), rel=1e-3)
    assert cumulative_loss_pct(cf) == pytest.approx(-10.0, abs=0.01)


def test_quarterly_counterfactual_uses_drift_and_tolerates_gaps() -> None:
    n_pre, n_post = 24, 8
    trend = 100 * 1.005 ** np.arange(n_pre + n_post)
    levels = trend * np.exp(wiggle(n_pre + n_post, 0.002))
    levels[n_pre:] *= 0.9
    series = quarters(levels, 2014)
    cf = counterfactual(series, "Q", "2020Q1")
    assert cf.loc["2020Q1", "gap_pct"] == pytest.approx(-10, abs=1.0)
    assert cf.loc["2021Q4", "expected"] == pytest.approx(trend[-1], rel=0.01)  # drift carried on
    assert (cf["lower"] < cf["expected"]).all() and (cf["expected"] < cf["upper"]).all()
    gappy = counterfactual(series.drop(["2016Q2", "2016Q3", "2018Q1"]), "Q", "2020Q1")
    assert np.allclose(gappy["expected"], cf["expected"], rtol=0.01)


def test_counterfactual_on_logs_needs_positive_values() -> None:
    series = annual(np.linspace(-3, 8, 15), 2005)
    with pytest.raises(ValueError, match="needs positive values"):
        counterfactual(series, "A", "2018")
    cf = counterfactual(series, "A", "2018", scale="level")
    assert np.allclose(cf["expected"], cf["observed"])


# --- interrupted time series ----------------------------------------------------------------------


def step_series(step: float) -> pd.Series:
    """Linear trend 1995-2029 with a step at 2020: ten points after the break, so HAC errors are
    not starved (with five, a fixed noise pattern can give a spuriously narrow interval)."""
    years = np.arange(1995, 2030)
    return annual(50 + 2 * (years - 1995) + step * (years >= 2020) + wiggle(len(years)), 1995)


def test_its_recovers_a_known_step() -> None:
    its = interrupted_time_series(step_series(-10.0), "A", "2020", name="synthetic")
    assert its.level_change == pytest.approx(-10.0, rel=0.05)
    assert its.level_ci[1] < 0
    assert its.level_p < 0.05
    assert its.pre_slope == pytest.approx(2.0, rel=0.05)
    assert its.slope_ci[0] < 0 < its.slope_ci[1]
    assert (its.n_obs, its.n_after, its.hac_maxlags) == (35, 10, 3)
    assert list(its.fitted.index[:2]) == ["1995", "1996"]


def test_its_without_a_step_finds_none() -> None:
    its = interrupted_time_series(step_series(0.0), "A", "2020")
    assert its.level_ci[0] < 0 < its.level_ci[1]
    assert abs(its.level_change) < 1.0


def test_its_with_season_dummies() -> None:
    n = 32
    pattern = np.tile([3.0, -1.0, -4.0, 2.0], n // 4)
    t = np.arange(n)
    series = quarters(100 + 0.5 * t + pattern - 10 * (t >= 20) + wiggle(n, 0.3), 2015)
    its = interrupted_time_series(series, "Q", "2020Q1", season=True)
    assert its.level_change == pytest.approx(-10, rel=0.05)
    plain = interrupted_time_series(series, "Q", "2020Q1")
    assert abs(plain.level_change + 10) > abs(its.level_change + 10)


def test_gaps_keep_the_time_position() -> None:
    t = np.arange(60)
    full = months(1000 + 5 * t - 50 * (t >= 40) + 2 * (t - 40) * (t >= 40))
    gappy = full.drop(["2016-03", "2016-04", "2017-07", "2017-08", "2017-09", "2019-06"])
    a = interrupted_time_series(full, "M", "2019-05")
    b = interrupted_time_series(gappy, "M", "2019-05")
    assert b.n_obs == a.n_obs - 6
    assert b.pre_slope == pytest.approx(5.0) and a.pre_slope == pytest.approx(5.0)
    assert b.level_change == pytest.approx(a.level_change) == pytest.approx(-50.0)
    assert b.slope_change == pytest.approx(a.slope_change) == pytest.approx(2.0)


# --- peak, trough, recovery -----------------------------------------------------------------------


def test_v_shape_with_a_blip_that_does_not_hold() -> None:
    #   2018: 100 102 101 101   2019: 100 99 100 101   2020: 90 80 95 103   2021: 101 102 104 105
    levels = quarters([100, 102, 101, 101, 100, 99, 100, 101, 90, 80, 95, 103, 101, 102, 104, 105])
    rec = peak_trough_recovery(levels, "2020Q1")
    assert (rec.peak_period, rec.peak_value) == ("2018Q2", 102)
    assert (rec.trough_period, rec.trough_value) == ("2020Q2", 80)
    assert rec.periods_to_trough == 8
    assert rec.depth == -22
    assert rec.depth_pct == pytest.approx(100 * (80 / 102 - 1))
    assert (rec.recovery_period, rec.periods_to_recover) == ("2021Q2", 12)
    assert rec.status == "recovered"
    assert peak_trough_recovery(levels, "2020Q1", hold=1).recovery_period == "2020Q4"
    unconfirmed = peak_trough_recovery(levels.iloc[:-2], "2020Q1")  # ends on one quarter at 102
    assert (unconfirmed.status, unconfirmed.recovery_period) == ("not yet recovered", None)


def test_periods_are_counted_on_the_time_index() -> None:
    levels = quarters([100, 102, 101, 101, 100, 99, 100, 101, 90, 80, 95, 103, 101, 102, 104, 105])
    rec = peak_trough_recovery(levels.drop(["2018Q4", "2019Q1", "2019Q2"]), "2020Q1")
    assert rec.periods_to_trough == 8
    assert rec.periods_to_recover == 12


def test_lower_is_better_mirrors_the_logic() -> None:
    rate = annual([5.0, 4.8, 4.5, 4.2, 3.9, 3.5, 3.3, 3.4, 4.4, 4.0, 3.2, 3.4, 3.3, 3.1], 2012)
    rec = peak_trough_recovery(rate, "2020", direction=-1, name="unemployment_rate")
    assert (rec.peak_period, rec.peak_value) == ("2018", 3.3)
    assert (rec.trough_period, rec.trough_value) == ("2020", 4.4)
    assert rec.periods_to_trough == 2
    assert rec.depth == pytest.approx(1.1)
    assert (rec.recovery_period, rec.periods_to_recover) == ("2024", 6)
    assert peak_trough_recovery(rate, "2020").peak_period == "2012"
    with pytest.raises(ValueError, match="direction"):
        peak_trough_recovery(rate, "2020", direction=0)


def test_shock_after_the_data_names_the_shock_and_the_last_observation() -> None:
    """A shock year past the data (params allow years beyond it) is refused naming both ends:
    quarters 2018Q1-2021Q4 and a shock in 2035Q1 leave no observation from the shock on."""
    levels = quarters([100, 102, 101, 101, 100, 99, 100, 101, 90, 80, 95, 103, 101, 102, 104, 105])
    with pytest.raises(
        SeriesTooShort, match=r"starts at 2035Q1, after the last observation of gdp \(2021Q4\)"
    ):
        peak_trough_recovery(levels, "2035Q1", name="gdp")


# --- structural breaks ----------------------------------------------------------------------------


def broken_trend(break_size: float) -> pd.Series:
    t = np.arange(35)
    after = t >= 20
    return annual(
        10 + 1.0 * t + break_size * (after * 1.0 + 0.5 * (t - 20) * after) + wiggle(35), 1990
    )


def test_chow_detects_a_known_break() -> None:
    broken = chow_test(broken_trend(3.0), "A", "2010")
    assert (broken.df_num, broken.df_den) == (2, 31)
    assert broken.f_stat > 50
    assert broken.p_value < 1e-6
    stable = chow_test(broken_trend(0.0), "A", "2010")
    assert stable.p_value > 0.1


def test_cusum_crosses_only_when_the_slope_changes() -> None:
    broken = cusum_test(broken_trend(3.0), "A")
    assert broken.crossed
    assert broken.p_value < 0.05
    assert (broken.path.abs() > broken.boundary).any()
    assert list(broken.path.index[:1]) == ["1992"] and len(broken.path) == 33
    stable = cusum_test(broken_trend(0.0), "A")
    assert not stable.crossed
    assert stable.p_value > 0.05
    assert (stable.path.abs() <= stable.boundary).all()


# --- forecasts ------------------------------------------------------------------------------------


def test_annual_forecast_continues_the_log_linear_trend() -> None:
    fc = forecast(growth_3pct(), "A", "2030")
    assert list(fc.index) == [str(y) for y in range(2025, 2031)]
    assert np.allclose(fc["mean"], 100 * 1.03 ** np.arange(20, 26), rtol=1e-4)
    series = growth_3pct()
    series[series.index >= "2015"] = series["2014"] * 1.01 ** np.arange(1, 11)
    post = forecast(series, "A", "2026", fit_from="2015")
    assert post.loc["2026", "mean"] == pytest.approx(series["2014"] * 1.01**12, rel=1e-4)
    with pytest.raises(ValueError, match="not after the last observation"):
        forecast(series, "A", "2024")


def test_quarterly_forecast_has_widening_intervals() -> None:
    series = quarters(100 * 1.005 ** np.arange(24) * np.exp(wiggle(24, 0.002)), 2020)
    fc = forecast(series, "Q", "2027Q4")
    assert list(fc.index) == [
        "2026Q1",
        "2026Q2",
        "2026Q3",
        "2026Q4",
        "2027Q1",
        "2027Q2",
        "2027Q3",
        "2027Q4",
    ]
    width = fc["upper"] - fc["lower"]
    assert (width.diff().dropna() > 0).all()
    assert fc.loc["2027Q4", "mean"] == pytest.approx(100 * 1.005**31, rel=0.01)
    with pytest.raises(SeriesTooShort, match="forecast needs at least 10 observations; gdp has 9"):
        forecast(series.iloc[:9], "Q", "2027Q4", name="gdp")


# --- real data ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def gdp(snapshot_tidy: pd.DataFrame) -> pd.Series:
    """The snapshot's quarterly GDP, cleaned in this process: no build needed."""
    return series_values(snapshot_tidy, "gdp_real_sa_level", "inegi_base2018_sa")


def test_real_quarterly_gdp_shock(gdp: pd.Series) -> None:
    its = interrupted_time_series(gdp, "Q", "2020Q2", name="gdp_real_sa_level")
    assert its.level_change < 0
    assert its.level_ci[1] < 0
    cf = counterfactual(gdp, "Q", "2020Q2", name="gdp_real_sa_level")
    assert cf.loc["2020Q2", "gap_pct"] < -10
    rec = peak_trough_recovery(gdp, "2020Q2")
    assert (rec.peak_period, rec.trough_period) == ("2018Q3", "2020Q2")
