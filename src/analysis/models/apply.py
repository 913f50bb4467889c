"""Apply the shock-and-recovery methods to the Framework's recovery series and tabulate the results.

Each method runs only where the series is long enough (models.recovery.MIN_POINTS); otherwise the
table says which methods the series was too short for, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.core.periods import from_step_count, step_count
from analysis.models import recovery as rec
from analysis.snapshot.catalog import (
    Catalog,
    SeriesBreak,
    assessed_indicators,
    change_unit,
    headline_rows,
)


@dataclass(frozen=True)
class RecoverySeries:
    """A series the recovery analysis covers, with the direction that counts as better.

    seasonally_adjusted: False for monthly or quarterly data in original (unadjusted) figures;
    their reference level and recovery are then judged month against the same month
    (`peak_trough_recovery(same_period=True)`), and the residual test uses the seasonal lag rule.
    first_quarter: annual values that refer to the first quarter (January-March) of each year; the
    shock year's value then precedes the shock, and the first post-shock value is the next year's.
    notes: said on the page. A series break is not declared here but in the data package
    (`x-series-breaks`, read by snapshot.catalog.load_breaks), the one declaration that the
    progress verdicts, the recovery methods, the tables and the charts all follow.
    """

    indicator_id: str
    series: str
    direction: int
    seasonally_adjusted: bool = True
    first_quarter: bool = False
    notes: str = ""


#: Series whose annual values are first-quarter values (Inmujeres' tabulations of ENOE): their
#: first post-shock value is the year after the shock year, in every method and table.
FIRST_QUARTER_SERIES = frozenset({"inmujeres_enoe"})
#: Inmujeres' TIL1 table gives one value a year without stating the reference quarter; the
#: project's reference table records that Inmujeres' basic indicators use the first quarter.
TIL1_QUARTER_NOTE = (
    "treated as first-quarter (January-March) values. Inmujeres does not state the reference "
    "quarter, but its basic indicators refer to the first quarter (as recorded with the official "
    "figures compiled for this report), and the 2020 value is close to INEGI's seasonally "
    "adjusted estimate for the first quarter of 2020. The 2020 value therefore precedes the "
    "lockdown of late March 2020, and the first value after the shock is 2021's"
)

#: GDP, employment, informality and formal jobs: the recovery series of the Framework's Outcomes 4-5.
RECOVERY_SERIES = (
    RecoverySeries("gdp_real_sa_level", "inegi_base2018_sa", 1),
    RecoverySeries("gdp_per_capita_constant_lcu", "wdi", 1),
    RecoverySeries("imss_registered_jobs", "imss", 1, seasonally_adjusted=False),
    RecoverySeries("unemployment_rate", "wdi_ilo_modelled", -1),
    RecoverySeries(
        "informality_rate",
        "inmujeres_enoe",
        -1,
        first_quarter="inmujeres_enoe" in FIRST_QUARTER_SERIES,
        notes=TIL1_QUARTER_NOTE,
    ),
    RecoverySeries("labour_force_participation", "wdi_ilo_modelled", 1),
)

#: Years before the shock in which the pre-crisis reference (peak, or best value) is sought.
PRE_CRISIS_YEARS = 5


def shock_start(freq: str, shock_year: int, first_quarter: bool = False) -> str:
    """First shock period: the shock year (annual; the next year for first-quarter values), its
    first quarter, or March (monthly, the first month of the pandemic lockdowns in Mexico)."""
    if freq == "A" and first_quarter:
        return str(shock_year + 1)
    return {"A": str(shock_year), "Q": f"{shock_year}Q1", "M": f"{shock_year}-03"}[freq]


def horizon(freq: str, year: int) -> str:
    """Last period of a forecast horizon year."""
    return {"A": str(year), "Q": f"{year}Q4", "M": f"{year}-12"}[freq]


def model_scale(kind: str, unit: str) -> str:
    """Scale a series is modelled on: shares and rates in % on the logit (bounded by 0 and 100),
    other rates (per 100,000) on their own scale, levels, counts and indices on logs."""
    if kind == "share" or "%" in unit:
        return "logit"
    if kind == "rate":
        return "level"
    return "log"


def split_at_break(
    values: pd.Series, freq: str, brk: SeriesBreak | None
) -> tuple[pd.Series, pd.Series]:
    """(values comparable with the series' start, values from a declared break on): the first part
    is all a method may use; the second is only counted and named on the page."""
    if brk is None:
        return values, values.iloc[0:0]
    first = step_count(brk.first, freq)
    after = [step_count(str(p), freq) >= first for p in values.index]
    return values[[not a for a in after]], values[after]


def period_before(period: str, freq: str) -> str:
    """The period just before `period` at its frequency ('2025-07' -> '2025-06')."""
    return from_step_count(step_count(period, freq) - 1, freq)


def _reference_at(
    values: pd.Series, freq: str, ptr: rec.PeakTroughRecovery, period: str
) -> float | None:
    """The reference a post-shock period is judged against: the pre-crisis level, or (same-period
    rule) the same month or quarter of the reference year; None where that has no value."""
    if ptr.reference_rule != "same period":
        return ptr.peak_value
    years = int(period[:4]) - int(ptr.peak_period[:4])
    earlier = from_step_count(step_count(period, freq) - years * {"Q": 4, "M": 12}[freq], freq)
    return float(values[earlier]) if earlier in values.index else None


def recovery_run(
    values: pd.Series, freq: str, ptr: rec.PeakTroughRecovery, direction: int
) -> dict[str, object]:
    """How the first run back at the reference ends, so a page can say why it stops: 'latest' (it
    lasts to the last period used), 'gap' (the next period has no value), 'fell back' (the next
    value is worse than its reference) or 'no reference' (nothing to judge it by); the run's
    last period, the last period of a gap, and how many of the values used after the run are
    also at or beyond their reference."""
    if ptr.recovery_period is None or not ptr.held:
        return recovery_run_empty()
    values = values.dropna()
    steps = {step_count(str(p), freq): str(p) for p in values.index}
    end = step_count(ptr.recovery_period, freq) + int(ptr.held) - 1
    later = [steps[k] for k in sorted(steps) if k > end]
    judged = [(p, _reference_at(values, freq, ptr, p)) for p in later]
    if not later:
        reason, gap_end = "latest", None
    elif end + 1 not in steps:
        reason, gap_end = "gap", period_before(later[0], freq)
    else:  # the next value is worse than its reference, or has none to be judged by
        reason, gap_end = ("fell back" if judged[0][1] is not None else "no reference"), None
    at = sum(1 for p, r in judged if r is not None and direction * (values[p] - r) >= 0)
    return {
        "recovery_run_end": from_step_count(end, freq),
        "recovery_run_end_reason": reason,
        "recovery_gap_end": gap_end,
        "later_values": len(later),
        "later_at_reference": at,
    }


def recovery_run_empty() -> dict[str, object]:
    """The `recovery_run` columns of a series without a recovery dating."""
    return dict.fromkeys(
        (
            "recovery_run_end",
            "recovery_run_end_reason",
            "recovery_gap_end",
            "later_values",
            "later_at_reference",
        )
    )


def _freq_of(tidy: pd.DataFrame, spec: RecoverySeries) -> str:
    rows = tidy[(tidy["indicator_id"] == spec.indicator_id) & (tidy["series"] == spec.series)]
    return str(rows["freq"].iloc[0])


def _attempt(method: str, reasons: list[str], function, *args, **kwargs):
    """Run one method; a series too short (or unsuitable) adds a reason instead of a result."""
    try:
        return function(*args, **kwargs)
    except ValueError as exc:  # SeriesTooShort is a ValueError
        reasons.append(f"{method}: {exc}")
        return None


def _fit_columns(prefix: str, frame: pd.DataFrame | None) -> dict:
    info = frame.attrs.get("fit") if frame is not None else None
    return {
        f"{prefix}_method": info.method if info else None,
        f"{prefix}_fit_start": info.fit_start if info else None,
        f"{prefix}_fit_end": info.fit_end if info else None,
        f"{prefix}_n_fit": info.n_fit if info else None,
        f"{prefix}_ljung_box_stat": info.lb_stat if info else None,
        f"{prefix}_ljung_box_p": info.lb_p if info else None,
        f"{prefix}_ljung_box_lags": info.lb_lags if info else None,
        f"{prefix}_converged": info.converged if info else None,
    }


def analyse(
    tidy: pd.DataFrame,
    catalog: Catalog,
    spec: RecoverySeries,
    shock_year: int,
    level: float,
    forecast_year: int,
    window_years: int | None = None,
    brk: SeriesBreak | None = None,
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """All methods for one series: a summary row, the counterfactual path and the forecast path.
    Values from a declared series break `brk` on are left out of every method; the row counts
    and names them."""
    observed = series_values(tidy, spec.indicator_id, spec.series)  # KeyError if not in the table
    freq = _freq_of(tidy, spec)
    values, after_break = split_at_break(observed, freq, brk)
    indicator = catalog[spec.indicator_id]
    scale = model_scale(indicator.kind, indicator.unit)
    in_unit = change_unit(indicator)
    is_level = in_unit == "percent"
    start = shock_start(freq, shock_year, spec.first_quarter)
    # Messages say 'the series': the page names the indicator (for readers) beside them.
    name = ""
    season = None if freq == "A" or spec.seasonally_adjusted else {"Q": 4, "M": 12}[freq]
    n_points, n_after = rec.point_counts(values, freq, start)
    reasons = rec.too_short_reasons(n_points, n_after, freq, name)
    cf = _attempt(
        "counterfactual",
        [],
        rec.counterfactual,
        values,
        freq,
        start,
        level=level,
        name=name,
        scale=scale,
        window_years=window_years,
        seasonal_period=season,
    )
    its = _attempt(
        "interrupted time series",
        [],
        rec.interrupted_time_series,
        values,
        freq,
        start,
        season=season is not None,
        level=level,
        name=name,
    )
    chow = _attempt("Chow test", [], rec.chow_test, values, freq, start, name=name)
    cusum = _attempt("CUSUM", [], rec.cusum_test, values, freq, name=name)
    recent = values[values.index.str[:4].astype(int) >= shock_year - PRE_CRISIS_YEARS]
    ptr = _attempt(
        "peak and trough",
        reasons,
        rec.peak_trough_recovery,
        recent,
        start,
        direction=spec.direction,
        name=name,
        same_period=season is not None,
    )
    fc = _attempt(
        "forecast",
        [],
        rec.forecast,
        values,
        freq,
        horizon(freq, forecast_year),
        level=level,
        name=name,
        scale=scale,
        shock_start=start,
        seasonal_period=season,
    )
    uncertain = rec.too_uncertain(fc, values) if fc is not None else None
    row = {
        "indicator_id": spec.indicator_id,
        "name": indicator.name,
        "unit": indicator.unit,
        "kind": indicator.kind,
        "series": spec.series,
        "freq": freq,
        "direction": spec.direction,
        "shock_year": shock_year,
        "shock_start": start,
        "confidence_level": level,
        "trend_window_years": window_years,
        "scale": scale,
        "change_unit": in_unit,
        "seasonally_adjusted": spec.seasonally_adjusted if freq != "A" else None,
        "first_quarter_values": spec.first_quarter,
        "break_from": brk.first if brk else None,
        "last_comparable": period_before(brk.first, freq) if brk else None,
        "break_reason": brk.reason if brk else None,
        "n_after_break": len(after_break),
        "first_after_break": str(after_break.index[0]) if len(after_break) else None,
        "last_after_break": str(after_break.index[-1]) if len(after_break) else None,
        "notes": spec.notes,
        "first_period": values.index[0],
        "last_period": values.index[-1],
        "n_points": n_points,
        "n_after_shock": n_after,
        "reference_rule": ptr.reference_rule if ptr else None,
        "reference_period": ptr.peak_period if ptr else None,
        "reference_value": ptr.peak_value if ptr else None,
        "worst_period": ptr.trough_period if ptr else None,
        "worst_value": ptr.trough_value if ptr else None,
        "depth": ptr.depth if ptr else None,
        "depth_pct": ptr.depth_pct if ptr and is_level else None,
        "periods_to_worst": ptr.periods_to_trough if ptr else None,
        "recovery_period": ptr.recovery_period if ptr else None,
        "recovery_held": ptr.held if ptr else None,
        "periods_to_recover": ptr.periods_to_recover if ptr else None,
        "recovery_status": ptr.status if ptr else "not assessed",
        **(recovery_run(values, freq, ptr, spec.direction) if ptr else recovery_run_empty()),
        "trend_expected_latest": None,
        "trend_lower_latest": None,
        "trend_upper_latest": None,
        "gap_latest": None,
        "gap_pct_latest": None,
        "trend_position_latest": None,
        "back_on_trend": None,
        "cumulative_loss_pct": None,
        **_fit_columns("trend", cf),
        "forecast_end": None,
        "forecast_mean_end": None,
        "forecast_lower_end": None,
        "forecast_upper_end": None,
        "forecast_too_uncertain": uncertain,
        **_fit_columns("forecast", fc),
        "its_level_change": its.level_change if its else None,
        "its_level_low": its.level_ci[0] if its else None,
        "its_level_high": its.level_ci[1] if its else None,
        "its_level_p": its.level_p if its else None,
        "its_slope_change": its.slope_change if its else None,
        "its_slope_low": its.slope_ci[0] if its else None,
        "its_slope_high": its.slope_ci[1] if its else None,
        "its_hac_lags": its.hac_maxlags if its else None,
        "chow_f": chow.f_stat if chow else None,
        "chow_p": chow.p_value if chow else None,
        "cusum_crossed": cusum.crossed if cusum else None,
        "cusum_p": cusum.p_value if cusum else None,
        "too_short_for": "; ".join(reasons),
    }
    paths = []
    if cf is not None:
        observed = cf.dropna(subset=["observed"])
        if not observed.empty:
            latest = observed.iloc[-1]
            row["trend_expected_latest"] = float(latest["expected"])
            row["trend_lower_latest"] = float(latest["lower"])
            row["trend_upper_latest"] = float(latest["upper"])
            row["gap_latest"] = float(latest["gap"])
            row["gap_pct_latest"] = float(latest["gap_pct"]) if is_level else None
            row["trend_position_latest"] = str(latest["position"])
        row["back_on_trend"] = rec.back_on_trend(cf)
        row["cumulative_loss_pct"] = rec.cumulative_loss_pct(cf) if is_level else None
        paths.append(
            cf.reset_index(names="period").assign(
                indicator_id=spec.indicator_id, series=spec.series, freq=freq
            )
        )
    if fc is not None:
        row["forecast_end"] = str(fc.index[-1])
        row["forecast_mean_end"] = float(fc["mean"].iloc[-1])
        row["forecast_lower_end"] = float(fc["lower"].iloc[-1])
        row["forecast_upper_end"] = float(fc["upper"].iloc[-1])
    counterfactual = pd.concat(paths, ignore_index=True) if paths else pd.DataFrame()
    forecast = (
        fc.reset_index(names="period").assign(
            indicator_id=spec.indicator_id,
            series=spec.series,
            freq=freq,
            too_uncertain=uncertain,
        )
        if fc is not None
        else pd.DataFrame()
    )
    return row, counterfactual, forecast


def recovery_tables(
    tidy: pd.DataFrame,
    catalog: Catalog,
    shock_year: int,
    level: float,
    forecast_year: int,
    window_years: int | None = None,
    breaks: dict[tuple[str, str], SeriesBreak] | None = None,
) -> dict[str, pd.DataFrame]:
    """The recovery summary (one row per series), the counterfactual paths and the forecasts;
    `breaks` are the package's declared series breaks (snapshot.catalog.load_breaks)."""
    rows, paths, forecasts = [], [], []
    for spec in RECOVERY_SERIES:
        brk = (breaks or {}).get((spec.indicator_id, spec.series))
        row, cf, fc = analyse(
            tidy, catalog, spec, shock_year, level, forecast_year, window_years, brk
        )
        rows.append(row)
        paths.append(cf)
        forecasts.append(fc)
    first = ["indicator_id", "series", "freq", "period"]

    def tidy_up(frames: list[pd.DataFrame]) -> pd.DataFrame:
        combined = pd.concat([f for f in frames if not f.empty], ignore_index=True)
        return combined[first + [c for c in combined.columns if c not in first]]

    return {
        "recovery": pd.DataFrame(rows),
        "counterfactuals": tidy_up(paths),
        "forecasts": tidy_up(forecasts),
    }


def model_freq(freqs: set[str]) -> str:
    """The frequency the models use of a series held at several: annual when it is all there is,
    else quarterly before monthly (the rule of models.progress.annual_values)."""
    if freqs == {"A"}:
        return "A"
    return "Q" if "Q" in freqs else "M"


def method_coverage(
    tidy: pd.DataFrame,
    catalog: Catalog,
    shock_year: int,
    breaks: dict[tuple[str, str], SeriesBreak] | None = None,
) -> pd.DataFrame:
    """For every assessed indicator's headline series: which shock and trend methods its length
    supports, and for the others why not (the short-series rule of models.recovery). Counted as
    the models count: at the frequency they use (`model_freq`; values at another frequency are
    counted apart, as not used), before a declared series break, and from the first post-shock
    value of first-quarter series."""
    rows = []
    for indicator in assessed_indicators(catalog):
        data = headline_rows(tidy, indicator)
        if data.empty:
            continue
        freq = model_freq(set(data["freq"]))
        values = data[data["freq"] == freq].set_index("period")["value"].sort_index()
        brk = (breaks or {}).get((indicator.id, indicator.headline_series))
        values, after_break = split_at_break(values, freq, brk)
        other = data[data["freq"] != freq]
        start = shock_start(freq, shock_year, indicator.headline_series in FIRST_QUARTER_SERIES)
        n_points, n_after = rec.point_counts(values, freq, start)
        supported = rec.applicable_methods(n_points, n_after, freq)
        rows.append(
            {
                "indicator_id": indicator.id,
                "name": indicator.name,
                "series": indicator.headline_series,
                "freq": freq,
                "n_points": n_points,
                "n_after_shock": n_after,
                "n_after_break": len(after_break),
                "break_from": brk.first if brk else None,
                "other_freq": ";".join(sorted(set(other["freq"]))),
                "n_other_freq": len(other),
                "other_periods": ";".join(sorted(other["period"].astype(str))),
                **{f"supports_{method}": ok for method, ok in supported.items()},
            }
        )
    return pd.DataFrame(rows)
