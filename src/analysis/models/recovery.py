"""Recovery after a shock and structural breaks in one indicator series.

Series come from `analysis.report.facts.series_values`: values indexed by period strings in the tidy
table's formats ("2020", "2020Q2", "2020-05"). Every method first puts them on a `pd.PeriodIndex`,
so a series with missing periods keeps its true time positions:

- regression methods (trend with AR(1) errors, interrupted time series, Chow, CUSUM) use the
  period's position in time as the regressor, never the row number, so gaps do not distort the
  trend;
- the SARIMAX models (annual trend with AR(1) errors, quarterly/monthly ARIMA(1,1,0) with drift)
  run on the regular period range with NaN in the gaps, which the Kalman filter skips (Durbin &
  Koopman 2012, "Time Series Analysis by State Space Methods", 2nd ed., section 4.10); no ETS
  model is used, so no method refuses a gappy series;
- recovery holds count consecutive calendar periods: a period without data breaks a run.
  Unadjusted monthly data are compared month against the same month (STL is not used: the
  series it would need, two full seasonal cycles before the shock, are not available for IMSS).

Every method refuses series shorter than `MIN_POINTS` with `SeriesTooShort`, following
Hyndman & Athanasopoulos (2021), "Forecasting: Principles and Practice" (3rd ed.), section 13.7
"Very long and very short time series": the sample must comfortably exceed the number of
parameters to estimate, more so when the data are noisy.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass

import numpy as np
import pandas as pd
import statsmodels.api as sm
from scipy import stats
from statsmodels.stats.diagnostic import acorr_ljungbox, recursive_olsresiduals
from statsmodels.tools.sm_exceptions import ConvergenceWarning
from statsmodels.tsa.statespace.sarimax import SARIMAX

from analysis.core.periods import (
    FREQ_WORDS,
    PANDAS_FREQ,
    check_freq,
    infer_freq,
    period_index,
    period_range_to,
    to_period,
)

#: Minimum observed (non-missing) points per method; Hyndman & Athanasopoulos (2021), FPP3 13.7.
#: counterfactual_*: points before the shock, by frequency (the fit uses only those);
#: its: total, with its_before / its_after on each side of the break; chow: total, with
#: chow_side on each side; peak_trough_side: points before and from the shock.
from analysis.models.minimums import MIN_POINTS

#: Method keys of `applicable_methods`, with the names used in messages.
METHOD_LABELS: dict[str, str] = {
    "counterfactual": "pre-shock trend counterfactual",
    "its": "interrupted time series",
    "chow": "Chow test",
    "cusum": "CUSUM test",
    "forecast": "forecast",
    "peak_trough": "peak/trough/recovery",
}


#: Quarterly/monthly model: ARIMA(1,1,0) on log levels with drift (see `counterfactual`).
ARIMA_ORDER = (1, 1, 0)
#: Fixed optimiser settings, so the SARIMAX fit is deterministic.
_SARIMAX_FIT = {"method": "lbfgs", "maxiter": 500, "disp": False}
#: Relative tolerance when testing whether an observation lies inside an interval, so that an exact
#: fit (a zero-width interval) counts as inside despite floating-point rounding.
_INSIDE_RTOL = 1e-9
#: Brown, Durbin & Evans (1975) boundary constant for a 5% test.
_CUSUM_A_5PCT = 0.948


class SeriesTooShort(ValueError):
    """A series has fewer points than a method needs (see `MIN_POINTS`)."""


# --- time index helpers -------------------------------------------------------------------------


def _prepare(series: pd.Series, freq: str, name: str) -> pd.Series:
    """The series as floats on a sorted PeriodIndex, missing values dropped."""
    values = pd.Series(
        pd.to_numeric(series, errors="raise").to_numpy(dtype=float),
        index=period_index(series.index.astype(str), freq),
    ).dropna()
    if values.index.has_duplicates:
        raise ValueError(f"{_who(name)} has duplicate periods")
    return values.sort_index()


def _positions(index: pd.PeriodIndex, origin: pd.Period) -> np.ndarray:
    """Time positions in periods of the series' frequency from `origin` (gaps keep their width)."""
    return (index.asi8 - origin.ordinal).astype(float)


def _labels(index: pd.PeriodIndex) -> pd.Index:
    return pd.Index([str(p) for p in index], name="period")


def _who(name: str) -> str:
    return name or "the series"


# --- minimum lengths ------------------------------------------------------------------------------


def _enough(method: str, n_points: int, n_after: int, freq: str) -> bool:
    n_before = n_points - n_after
    if method == "counterfactual":
        return n_before >= MIN_POINTS[f"counterfactual_{freq}"]
    if method == "its":
        return (
            n_points >= MIN_POINTS["its"]
            and n_after >= MIN_POINTS["its_after"]
            and n_before >= MIN_POINTS["its_before"]
        )
    if method == "chow":
        side = MIN_POINTS["chow_side"]
        return n_points >= MIN_POINTS["chow"] and min(n_before, n_after) >= side
    if method == "peak_trough":
        return min(n_before, n_after) >= MIN_POINTS["peak_trough_side"]
    return n_points >= MIN_POINTS[method]


def _too_short_message(method: str, n_points: int, n_after: int, freq: str, name: str) -> str:
    label, who = METHOD_LABELS[method], _who(name)
    given = f"{who} has {n_points} ({n_after} after the break)"
    if method == "counterfactual":
        need = MIN_POINTS[f"counterfactual_{freq}"]
        return (
            f"{label} needs at least {need} {FREQ_WORDS[freq]} observations before the shock; "
            f"{who} has {n_points - n_after}"
        )
    if method == "its":
        return (
            f"{label} needs at least {MIN_POINTS['its']} observations "
            f"({MIN_POINTS['its_after']} after the break, {MIN_POINTS['its_before']} before); {given}"
        )
    if method == "chow":
        return (
            f"{label} needs at least {MIN_POINTS['chow']} observations "
            f"({MIN_POINTS['chow_side']} on each side of the break); {given}"
        )
    if method == "peak_trough":
        side = MIN_POINTS["peak_trough_side"]
        return (
            f"{label} needs at least {side} observation before and {side} from the shock; {given}"
        )
    return f"{label} needs at least {MIN_POINTS[method]} observations; {who} has {n_points}"


def applicable_methods(n_points: int, n_after_break: int, freq: str) -> dict[str, bool]:
    """Which methods a series of this length can use (`MIN_POINTS`; Hyndman & Athanasopoulos 2021, FPP3 13.7)."""
    check_freq(freq)
    return {m: _enough(m, n_points, n_after_break, freq) for m in METHOD_LABELS}


def too_short_reasons(n_points: int, n_after_break: int, freq: str, name: str = "") -> list[str]:
    """One sentence per method the series is too short for, so a report can say why it is absent."""
    usable = applicable_methods(n_points, n_after_break, freq)
    return [
        _too_short_message(m, n_points, n_after_break, freq, name)
        for m, ok in usable.items()
        if not ok
    ]


def point_counts(series: pd.Series, freq: str, shock_start: str) -> tuple[int, int]:
    """(observed points, observed points from `shock_start` on): the inputs of `applicable_methods`."""
    values = _prepare(series, freq, "")
    return len(values), int((values.index >= to_period(shock_start, freq)).sum())


def _require(method: str, n_points: int, n_after: int, freq: str, name: str) -> None:
    if not _enough(method, n_points, n_after, freq):
        raise SeriesTooShort(_too_short_message(method, n_points, n_after, freq, name))


# --- projections ----------------------------------------------------------------------------------

#: Model scales: "log" for positive levels and counts (growth is proportional), "logit" for shares
#: and rates bounded by 0 and 100 (a trend on the logit scale never leaves the bounds), "level" for
#: series modelled on their own scale.
SCALES = ("log", "logit", "level")


def _transform(values: np.ndarray, scale: str, name: str) -> np.ndarray:
    if scale == "level":
        return values
    if scale == "log":
        if (values <= 0).any():
            raise ValueError(f"a log-scale model needs positive values; {_who(name)} has some <= 0")
        return np.log(values)
    if scale == "logit":
        if ((values <= 0) | (values >= 100)).any():
            raise ValueError(
                f"a logit-scale model needs values in (0, 100); {_who(name)} has others"
            )
        share = values / 100.0
        return np.log(share / (1.0 - share))
    raise ValueError(f"scale must be one of {', '.join(SCALES)}, not {scale!r}")


def _untransform(frame: pd.DataFrame, scale: str) -> pd.DataFrame:
    if scale == "log":
        return np.exp(frame)
    if scale == "logit":
        return 100.0 / (1.0 + np.exp(-frame))
    return frame


@dataclass(frozen=True)
class FitInfo:
    """What a projection was fitted on and how its residuals behave.

    Ljung-Box (1978) portmanteau test of the one-step residuals (statsmodels `acorr_ljungbox`),
    with `lb_lags` lags chosen as Hyndman & Athanasopoulos (2021), FPP3 section 5.4, advise:
    10 for non-seasonal data, 2m for seasonal data of period m, at most T/5; degrees of freedom
    reduced by the number of ARMA coefficients. A small p-value means the residuals are still
    autocorrelated and the intervals are too narrow.
    """

    method: str
    fit_start: str
    fit_end: str
    n_fit: int
    lb_stat: float
    lb_p: float
    lb_lags: int
    converged: bool = True


#: ARMA coefficients estimated by each model (Ljung-Box degrees of freedom are reduced by this).
_ARMA_DF = 1


def _ljung_box(resid: np.ndarray, seasonal_period: int | None) -> tuple[float, float, int]:
    """(statistic, p-value, lags) of the Ljung-Box test; NaN where too few residuals."""
    resid = resid[~np.isnan(resid)]
    lags = min(2 * seasonal_period if seasonal_period else 10, len(resid) // 5)
    lags = max(lags, _ARMA_DF + 1)
    if len(resid) <= lags + 1:
        return math.nan, math.nan, lags
    table = acorr_ljungbox(resid, lags=[lags], model_df=_ARMA_DF, return_df=True)
    return float(table["lb_stat"].iloc[0]), float(table["lb_pvalue"].iloc[0]), lags


def _interventions(window: pd.PeriodIndex, shock: pd.Period | None) -> np.ndarray | None:
    """Box & Tiao (1975) regressors: a step (1 from the shock on) and a pulse for each period of
    the shock's calendar year from the shock on (0 elsewhere); None without a shock in `window`."""
    if shock is None or shock > window[-1] or shock <= window[0]:
        return None
    step = (window >= shock).astype(float)
    pulses = [(window == p).astype(float) for p in window if p >= shock and p.year == shock.year]
    return np.column_stack([step, *pulses])


def _future_interventions(n: int, k: int) -> np.ndarray:
    """The intervention regressors over a forecast horizon: the step stays at 1, pulses are 0."""
    future = np.zeros((n, k))
    future[:, 0] = 1.0
    return future


def _sarimax_projection(
    fit: pd.Series,
    freq: str,
    horizon: pd.PeriodIndex,
    level: float,
    scale: str,
    name: str,
    shock: pd.Period | None = None,
    seasonal_period: int | None = None,
) -> tuple[pd.DataFrame, FitInfo]:
    """SARIMAX fit and forecast over `horizon` (which must start right after the fit window).

    Annual: regression on a constant and the time position with AR(1) errors, y_t = a + b t + u_t,
    u_t = phi u_{t-1} + e_t, so that the prediction intervals allow for the autocorrelation of the
    deviations from trend that OLS intervals ignore. Quarterly/monthly: ARIMA(1,1,0) with drift
    (an AR(1) in growth rates around their mean). With `shock`, Box & Tiao (1975) intervention
    regressors (`_interventions`) are added so that the shock does not inflate the model's
    variance or tilt its trend. The Kalman filter skips missing periods (NaN in the window).
    Intervals: `get_forecast(...).summary_frame(alpha=1 - level)`, back-transformed.
    """
    window = pd.period_range(fit.index[0], horizon[0] - 1, freq=fit.index.freq)
    y = fit.reindex(window).to_numpy()
    observed = ~np.isnan(y)
    y[observed] = _transform(y[observed], scale, name)
    shocks = _interventions(window, shock)
    n_shock = 0 if shocks is None else shocks.shape[1]
    if freq == "A":
        t = _positions(window, window[0])[:, None]
        exog = t if shocks is None else np.column_stack([t, shocks])
        t_ahead = _positions(horizon, window[0])[:, None]
        exog_ahead = (
            t_ahead
            if shocks is None
            else np.column_stack([t_ahead, _future_interventions(len(horizon), n_shock)])
        )
        model = SARIMAX(y, exog=exog, order=(1, 0, 0), trend="c")
        method = "regression on a linear trend with AR(1) errors (SARIMAX)"
        burn = 0
    else:
        exog, exog_ahead = (
            (None, None)
            if shocks is None
            else (shocks, _future_interventions(len(horizon), n_shock))
        )
        model = SARIMAX(y, exog=exog, order=ARIMA_ORDER, trend="c")
        method = "ARIMA(1,1,0) with drift (SARIMAX)"
        burn = 1  # the first residual of a differenced model is the level itself
    scale_words = {"log": "on logs", "logit": "on the logit of the share", "level": "on levels"}
    method += f" {scale_words[scale]}"
    if shocks is not None:
        method += ", with step and pulse intervention terms for the shock (Box & Tiao 1975)"
    with warnings.catch_warnings():
        # statsmodels warns about start values and non-convergence on stderr; whether the
        # optimiser converged is recorded in the table instead (FitInfo.converged).
        warnings.simplefilter("ignore", ConvergenceWarning)
        warnings.filterwarnings("ignore", message="Non-stationary starting", category=UserWarning)
        warnings.filterwarnings("ignore", message="Non-invertible starting", category=UserWarning)
        result = model.fit(**_SARIMAX_FIT)
    converged = bool(result.mle_retvals.get("converged", True)) if result.mle_retvals else True
    frame = result.get_forecast(len(horizon), exog=exog_ahead).summary_frame(alpha=1 - level)
    out = frame[["mean", "mean_ci_lower", "mean_ci_upper"]].set_axis(
        ["mean", "lower", "upper"], axis=1
    )
    resid = np.asarray(result.resid, dtype=float).copy()
    resid[~observed] = np.nan
    stat, p_value, lags = _ljung_box(resid[burn:], seasonal_period)
    info = FitInfo(
        method=method,
        fit_start=str(fit.index[0]),
        fit_end=str(fit.index[-1]),
        n_fit=int(observed.sum()),
        lb_stat=stat,
        lb_p=p_value,
        lb_lags=lags,
        converged=converged,
    )
    return _untransform(out, scale).set_axis(_labels(horizon)), info


def _check_level(level: float) -> None:
    if not 0 < level < 1:
        raise ValueError(f"level must be between 0 and 1, not {level}")


# --- 3. pre-shock trend counterfactual ------------------------------------------------------------

#: Periods per year by frequency (for windows given in years).
_PER_YEAR = {"A": 1, "Q": 4, "M": 12}


def counterfactual(
    series: pd.Series,
    freq: str,
    shock_start: str,
    level: float = 0.95,
    until: str | None = None,
    name: str = "",
    scale: str = "log",
    window_years: int | None = None,
    seasonal_period: int | None = None,
) -> pd.DataFrame:
    """Observed values against the path the pre-shock trend predicts (Cerra & Saxena 2008, "Growth
    dynamics: the myth of economic recovery", AER 98(1)), fitted only on data before `shock_start`,
    and over the last `window_years` years before it when given (the fixed pre-crisis window of
    IMF, World Economic Outlook, October 2009, ch. 4, "What's the damage? Medium-term output
    dynamics after financial crises"; the page says so in `sentences.trend_window` of report/text/en.yaml).

    Model (`_sarimax_projection`): annual, a linear trend with AR(1) errors; quarterly/monthly,
    ARIMA(1,1,0) with drift; on logs for levels, on the logit for shares and rates in %
    (`scale`). The point `expected` is the back-transformed median, not the mean (Hyndman &
    Athanasopoulos 2021, FPP3 5.6). The fit's description and Ljung-Box test are in
    `frame.attrs["fit"]` (a `FitInfo`).

    Returns one row per period from `shock_start` to max(last observation, `until`): observed
    (NaN in gaps), expected, lower, upper, gap = observed - expected (series' unit), gap_pct =
    100 * (observed / expected - 1), in_interval (inclusive; False where nothing was observed) and
    position ("above", "below", "within" the interval; "" where nothing was observed).
    """
    _check_level(level)
    values = _prepare(series, freq, name)
    shock = to_period(shock_start, freq)
    pre = values[values.index < shock]
    if window_years is not None:
        if window_years < 1:
            raise ValueError(f"window_years must be at least 1, not {window_years}")
        pre = pre[pre.index >= shock - window_years * _PER_YEAR[freq]]
    n_after = int((values.index >= shock).sum())
    _require("counterfactual", len(pre) + n_after, n_after, freq, name)
    end = max(values.index[-1], shock, to_period(until, freq) if until else shock)
    horizon = pd.period_range(shock, end, freq=PANDAS_FREQ[freq])
    projection, info = _sarimax_projection(
        pre, freq, horizon, level, scale, name, seasonal_period=seasonal_period
    )
    observed = values.reindex(horizon).set_axis(projection.index)
    expected, lower, upper = projection["mean"], projection["lower"], projection["upper"]
    slack = _INSIDE_RTOL * expected.abs()
    above = observed.notna() & (observed > upper + slack)
    below = observed.notna() & (observed < lower - slack)
    inside = observed.notna() & ~above & ~below
    frame = pd.DataFrame(
        {
            "observed": observed,
            "expected": expected,
            "lower": lower,
            "upper": upper,
            "gap": observed - expected,
            "gap_pct": 100.0 * (observed / expected - 1.0),
            "in_interval": inside,
            "position": np.select([above, below, inside], ["above", "below", "within"], ""),
        }
    )
    frame.attrs["fit"] = info
    return frame


def back_on_trend(cf: pd.DataFrame, hold: int = 2) -> str | None:
    """First period at or after the shock that is inside the counterfactual interval and stays
    inside for `hold` consecutive calendar periods (a period without data breaks the run); None if
    there is none yet."""
    if hold < 1:
        raise ValueError(f"hold must be at least 1, not {hold}")
    inside = cf["in_interval"].to_numpy(dtype=bool)
    for i in range(len(inside) - hold + 1):
        if inside[i : i + hold].all():
            return str(cf.index[i])
    return None


def cumulative_loss(cf: pd.DataFrame) -> float:
    """Sum of observed - expected over observed post-shock periods, in the series' units (negative
    is a loss); the output-loss measure of Cerra & Saxena (2008)."""
    seen = cf[cf["observed"].notna()]
    return float((seen["observed"] - seen["expected"]).sum())


def cumulative_loss_pct(cf: pd.DataFrame) -> float:
    """`cumulative_loss` as a percentage of the cumulative expected value over the same periods."""
    seen = cf[cf["observed"].notna()]
    return float(100.0 * cumulative_loss(cf) / seen["expected"].sum())


# --- 4. interrupted time series -------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class InterruptedTimeSeries:
    """Segmented-regression estimates; levels in the series' units, slopes per period."""

    shock_start: str
    level_change: float
    level_ci: tuple[float, float]
    level_p: float
    slope_change: float
    slope_ci: tuple[float, float]
    slope_p: float
    pre_slope: float
    n_obs: int
    n_after: int
    hac_maxlags: int
    fitted: pd.Series


def newey_west_lags(n_obs: int) -> int:
    """HAC truncation lag floor(4 (n/100)^(2/9)), at least 1 (Newey & West 1994, "Automatic lag
    selection in covariance matrix estimation", Review of Economic Studies 61(4))."""
    return max(1, math.floor(4 * (n_obs / 100) ** (2 / 9)))


def _season_dummies(index: pd.PeriodIndex, freq: str) -> np.ndarray:
    """Quarter or month dummies for the seasons present, the first present one as reference."""
    if freq == "A":
        raise ValueError("season=True needs quarterly or monthly data")
    season = np.asarray(index.quarter if freq == "Q" else index.month)
    present = np.unique(season)
    return np.column_stack([(season == s).astype(float) for s in present[1:]])


def interrupted_time_series(
    series: pd.Series,
    freq: str,
    shock_start: str,
    season: bool = False,
    level: float = 0.95,
    name: str = "",
    maxlags: int | None = None,
) -> InterruptedTimeSeries:
    """Segmented regression y = b0 + b1 t + b2 D + b3 (t - T0) D (+ season dummies), OLS with
    Newey-West HAC errors (Lopez Bernal, Cummins & Gasparrini 2017, "Interrupted time series
    regression for the evaluation of public health interventions: a tutorial", IJE 46(1)).

    t is the period's position in time (gaps keep their width), D = 1 from `shock_start` on.
    b2 (level_change) is the jump at the shock in the series' units; pass log values for a
    log-level analysis (then b2 is approximately a proportional change). b3 (slope_change) and
    b1 (pre_slope) are per period of the series' frequency. HAC lags default to `newey_west_lags`
    (counted in observations, not periods); intervals and p-values use the t distribution.
    """
    values = _prepare(series, freq, name)
    shock = to_period(shock_start, freq)
    after = values.index >= shock
    _require("its", len(values), int(after.sum()), freq, name)
    t = _positions(values.index, values.index[0])
    t0 = float(shock.ordinal - values.index[0].ordinal)
    d = after.astype(float)
    columns = [np.ones(len(values)), t, d, (t - t0) * d]
    design = np.column_stack(columns)
    if season:
        design = np.column_stack([design, _season_dummies(values.index, freq)])
    lags = newey_west_lags(len(values)) if maxlags is None else maxlags
    result = sm.OLS(values.to_numpy(), design).fit(
        cov_type="HAC", cov_kwds={"maxlags": lags, "use_correction": True}, use_t=True
    )
    ci = np.asarray(result.conf_int(alpha=1 - level))
    params, pvalues = np.asarray(result.params), np.asarray(result.pvalues)
    return InterruptedTimeSeries(
        shock_start=str(shock),
        level_change=float(params[2]),
        level_ci=(float(ci[2, 0]), float(ci[2, 1])),
        level_p=float(pvalues[2]),
        slope_change=float(params[3]),
        slope_ci=(float(ci[3, 0]), float(ci[3, 1])),
        slope_p=float(pvalues[3]),
        pre_slope=float(params[1]),
        n_obs=len(values),
        n_after=int(after.sum()),
        hac_maxlags=lags,
        fitted=pd.Series(np.asarray(result.fittedvalues), index=_labels(values.index)),
    )


# --- 5. peak, trough and recovery -----------------------------------------------------------------


@dataclass(frozen=True)
class PeakTroughRecovery:
    """Pre-crisis reference, post-shock trough and recovery (direction=-1: best = lowest).

    `reference_rule` is "best" (the best pre-shock value) or "same period" (each post-shock period
    against the same month or quarter of the last full calendar year before the shock; then
    `peak_period`/`peak_value` are the reference for the trough's period). `held` is the number of
    consecutive calendar periods with data, from `recovery_period` on, at or beyond the reference.
    `status`: "recovered", "not yet recovered", or "never worse than the reference" (the trough
    did not fall below it).
    """

    peak_period: str
    peak_value: float
    trough_period: str
    trough_value: float
    depth: float
    depth_pct: float
    periods_to_trough: int
    recovery_period: str | None
    periods_to_recover: int | None
    status: str
    direction: int
    hold: int
    reference_rule: str = "best"
    held: int | None = None


def _first_run(good: np.ndarray, hold: int) -> tuple[int | None, int | None]:
    """(start, length) of the first run of at least `hold` consecutive True values."""
    i = 0
    while i < len(good):
        if good[i]:
            j = i
            while j < len(good) and good[j]:
                j += 1
            if j - i >= hold:
                return i, j - i
            i = j
        else:
            i += 1
    return None, None


def peak_trough_recovery(
    series: pd.Series,
    shock_start: str,
    hold: int = 2,
    direction: int = 1,
    name: str = "",
    same_period: bool = False,
) -> PeakTroughRecovery:
    """Peak-to-trough depth and time to recovery (Reinhart & Rogoff 2014, "Recovery from financial
    crises: evidence from 100 episodes", AER 104(5)).

    Peak: the best value before `shock_start`; trough: the worst value from it on (first occurrence
    on ties). Recovery: the first period after the trough at or better than the peak that stays
    there for `hold` consecutive calendar periods; a period without data breaks the run (it cannot
    be shown to be back). direction=+1: higher is better (output); direction=-1: lower is better
    (unemployment, informality), so the peak is the pre-shock minimum, the trough the post-shock
    maximum and recovery means back at or below that minimum. depth is trough - peak in the
    series' units and depth_pct = 100 * (trough / peak - 1).

    `same_period=True` is for monthly or quarterly data that are not seasonally adjusted: a
    seasonal high (say, November's hiring peak) is no level to recover to, so every post-shock
    period is compared with the same month or quarter of the last full calendar year before the
    shock; the trough is the period furthest below (or above) its reference and recovery the first
    period at or beyond its own reference for `hold` consecutive calendar periods.
    """
    if direction not in (1, -1):
        raise ValueError(f"direction must be 1 or -1, not {direction}")
    if hold < 1:
        raise ValueError(f"hold must be at least 1, not {hold}")
    freq = infer_freq(series.index.astype(str))
    values = _prepare(series, freq, name)
    shock = to_period(shock_start, freq)
    before, after = values[values.index < shock], values[values.index >= shock]
    if after.empty and not values.empty:  # say which shock: the usual cause is a year past the data
        raise SeriesTooShort(
            f"{METHOD_LABELS['peak_trough']}: the shock starts at {shock}, after the last "
            f"observation of {_who(name)} ({values.index[-1]})"
        )
    _require("peak_trough", len(values), len(after), freq, name)
    if same_period and freq == "A":
        raise ValueError("same_period=True needs monthly or quarterly data")
    regular = pd.period_range(shock, values.index[-1], freq=values.index.freq)
    if same_period:
        per_year = _PER_YEAR[freq]
        ref_year = shock.year - 1
        lag = [(p.year - ref_year) * per_year for p in regular]
        ref_index = pd.PeriodIndex([p - k for p, k in zip(regular, lag, strict=True)])
        reference = pd.Series(values.reindex(ref_index).to_numpy(), index=regular)
    else:
        peak_at = (direction * before).idxmax()
        reference = pd.Series(float(values[peak_at]), index=regular)
    observed = values.reindex(regular)
    score = direction * (observed / reference - 1.0)
    if score.notna().sum() == 0:
        raise SeriesTooShort(f"{_who(name)} has no post-shock period with a reference value")
    trough_at = score.idxmin()
    peak_at = (
        trough_at - (trough_at.year - (shock.year - 1)) * _PER_YEAR[freq]
        if same_period
        else peak_at
    )
    peak, trough = float(reference[trough_at]), float(observed[trough_at])
    later = (direction * (observed - reference) >= 0)[regular > trough_at].to_numpy()
    start, held = _first_run(later, hold)
    recovery_at = None if start is None else regular[regular > trough_at][start]
    return PeakTroughRecovery(
        peak_period=str(peak_at),
        peak_value=peak,
        trough_period=str(trough_at),
        trough_value=trough,
        depth=trough - peak,
        depth_pct=100.0 * (trough / peak - 1.0),
        periods_to_trough=int(trough_at.ordinal - peak_at.ordinal),
        recovery_period=None if recovery_at is None else str(recovery_at),
        periods_to_recover=None
        if recovery_at is None
        else int(recovery_at.ordinal - peak_at.ordinal),
        status="never worse than the reference"
        if direction * (trough - peak) >= 0
        else ("not yet recovered" if recovery_at is None else "recovered"),
        direction=direction,
        hold=hold,
        reference_rule="same period" if same_period else "best",
        held=held,
    )


# --- 6. structural-break diagnostics --------------------------------------------------------------


@dataclass(frozen=True)
class ChowTest:
    """Chow F test of one break in the linear trend y = a + b t at a known date."""

    break_period: str
    f_stat: float
    p_value: float
    df_num: int
    df_den: int


def _trend_ols(
    values: pd.Series, origin: pd.Period
) -> sm.regression.linear_model.RegressionResults:
    design = np.column_stack([np.ones(len(values)), _positions(values.index, origin)])
    return sm.OLS(values.to_numpy(), design).fit()


def chow_test(series: pd.Series, freq: str, break_period: str, name: str = "") -> ChowTest:
    """Chow (1960), "Tests of equality between sets of coefficients in two linear regressions",
    Econometrica 28(3): F = ((SSR_pooled - SSR_1 - SSR_2) / k) / ((SSR_1 + SSR_2) / (n - 2k)),
    k = 2, on the trend model with t the time position; the second regime starts at `break_period`.
    """
    values = _prepare(series, freq, name)
    split = to_period(break_period, freq)
    first, second = values[values.index < split], values[values.index >= split]
    _require("chow", len(values), len(second), freq, name)
    origin = values.index[0]
    pooled = _trend_ols(values, origin).ssr
    separate = _trend_ols(first, origin).ssr + _trend_ols(second, origin).ssr
    k, df_den = 2, len(values) - 4
    f_stat = ((pooled - separate) / k) / (separate / df_den) if separate > 0 else math.inf
    return ChowTest(
        break_period=str(split),
        f_stat=float(f_stat),
        p_value=float(stats.f.sf(f_stat, k, df_den)),
        df_num=k,
        df_den=df_den,
    )


@dataclass(frozen=True, eq=False)
class CusumTest:
    """Recursive-residual CUSUM test of the linear trend; path and 5% boundary for plotting."""

    statistic: float
    p_value: float
    crossed: bool
    path: pd.Series
    boundary: pd.Series
    n_obs: int


def cusum_test(series: pd.Series, freq: str, name: str = "") -> CusumTest:
    """CUSUM of recursive residuals of y = a + b t (Brown, Durbin & Evans 1975, "Techniques for
    testing the constancy of regression relationships over time", JRSS B 37(2)).

    Path and 5% boundary a (sqrt(n-k) + 2 j / sqrt(n-k)), a = 0.948, from statsmodels
    `recursive_olsresiduals`. statistic = max_j |W_j| / (sqrt(n-k) + 2 j / sqrt(n-k)), so the
    boundary is crossed when it exceeds 0.948; p-value from the BDE approximation
    2 [1 - Phi(3 s) + exp(-4 s^2) Phi(s)].
    """
    values = _prepare(series, freq, name)
    _require("cusum", len(values), 0, freq, name)
    k = 2
    recursive = recursive_olsresiduals(_trend_ols(values, values.index[0]), skip=k, alpha=0.95)
    standardized, bounds = recursive[3], recursive[6]
    path = np.cumsum(standardized[k:])
    m = len(path)
    scale = np.sqrt(m) + 2 * np.arange(m) / np.sqrt(m)
    statistic = float(np.max(np.abs(path) / scale))
    p_value = 2 * (
        1 - stats.norm.cdf(3 * statistic) + math.exp(-4 * statistic**2) * stats.norm.cdf(statistic)
    )
    labels = _labels(values.index[k:])
    return CusumTest(
        statistic=statistic,
        p_value=float(min(1.0, p_value)),
        crossed=bool(statistic > _CUSUM_A_5PCT),
        path=pd.Series(path, index=labels),
        boundary=pd.Series(bounds[1], index=labels),
        n_obs=len(values),
    )


# --- 7. forecasts ---------------------------------------------------------------------------------


def forecast(
    series: pd.Series,
    freq: str,
    until: str,
    level: float = 0.95,
    fit_from: str | None = None,
    name: str = "",
    scale: str = "log",
    shock_start: str | None = None,
    seasonal_period: int | None = None,
) -> pd.DataFrame:
    """Forecast mean and prediction interval for each period after the last observation up to
    `until`, with the models of `counterfactual` (Hyndman & Athanasopoulos 2021, FPP3 ch. 9, 10)
    fitted on the whole series, or on the part from `fit_from` on. With `shock_start`, the shock is
    modelled by Box & Tiao (1975) intervention terms (a step from the shock on and a pulse for each
    period of the shock's calendar year), so the pandemic quarters do not widen the intervals or
    bend the trend. `frame.attrs["fit"]` holds the `FitInfo`."""
    _check_level(level)
    values = _prepare(series, freq, name)
    if fit_from is not None:
        values = values[values.index >= to_period(fit_from, freq)]
    _require("forecast", len(values), 0, freq, name)
    ahead = period_range_to(str(values.index[-1]), until, freq)
    if not ahead:
        raise ValueError(f"until={until} is not after the last observation {values.index[-1]}")
    horizon = period_index(ahead, freq)
    shock = to_period(shock_start, freq) if shock_start else None
    frame, info = _sarimax_projection(
        values, freq, horizon, level, scale, name, shock=shock, seasonal_period=seasonal_period
    )
    frame.attrs["fit"] = info
    return frame


def too_uncertain(fc: pd.DataFrame, series: pd.Series) -> bool:
    """True when the forecast interval at the horizon's last period is wider than the whole range
    the series has ever been observed in (max - min): the data then say little about that year."""
    width = float(fc["upper"].iloc[-1] - fc["lower"].iloc[-1])
    observed = pd.to_numeric(series, errors="raise").dropna()
    return bool(width > float(observed.max() - observed.min()))
