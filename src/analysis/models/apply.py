"""Apply the shock-and-recovery methods to the Framework's recovery series and tabulate the results.

Each method runs only where the series is long enough (models.recovery.MIN_POINTS); otherwise the
table says which methods the series was too short for, and why.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.models import recovery as rec
from analysis.snapshot.catalog import Catalog, assessed_indicators, headline_rows


@dataclass(frozen=True)
class RecoverySeries:
    """A series the recovery analysis covers, with the direction that counts as better."""

    indicator_id: str
    series: str
    direction: int


#: GDP, employment, informality and formal jobs: the recovery series of the Framework's Outcomes 4-5.
RECOVERY_SERIES = (
    RecoverySeries("gdp_real_sa_level", "inegi_base2018_sa", 1),
    RecoverySeries("gdp_per_capita_constant_lcu", "wdi", 1),
    RecoverySeries("imss_registered_jobs", "imss", 1),
    RecoverySeries("unemployment_rate", "wdi_ilo_modelled", -1),
    RecoverySeries("informality_rate", "inmujeres_enoe", -1),
    RecoverySeries("labour_force_participation", "wdi_ilo_modelled", 1),
)

#: Years before the shock in which the pre-crisis reference (peak, or best value) is sought.
PRE_CRISIS_YEARS = 5


def shock_start(freq: str, shock_year: int) -> str:
    """First shock period: the shock year (annual), its first quarter, or March (monthly, the first
    month of the pandemic lockdowns in Mexico)."""
    return {"A": str(shock_year), "Q": f"{shock_year}Q1", "M": f"{shock_year}-03"}[freq]


def horizon(freq: str, year: int) -> str:
    """Last period of a forecast horizon year."""
    return {"A": str(year), "Q": f"{year}Q4", "M": f"{year}-12"}[freq]


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


def analyse(
    tidy: pd.DataFrame,
    catalog: Catalog,
    spec: RecoverySeries,
    shock_year: int,
    level: float,
    forecast_year: int,
) -> tuple[dict, pd.DataFrame, pd.DataFrame]:
    """All methods for one series: a summary row, the counterfactual path and the forecast path."""
    values = series_values(tidy, spec.indicator_id, spec.series)
    freq = _freq_of(tidy, spec)
    start = shock_start(freq, shock_year)
    name = f"{spec.indicator_id} ({spec.series})"
    n_points, n_after = rec.point_counts(values, freq, start)
    reasons = rec.too_short_reasons(n_points, n_after, freq, name)
    cf = _attempt(
        "counterfactual", [], rec.counterfactual, values, freq, start, level=level, name=name
    )
    its = _attempt(
        "interrupted time series",
        [],
        rec.interrupted_time_series,
        values,
        freq,
        start,
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
    )
    indicator = catalog[spec.indicator_id]
    row = {
        "indicator_id": spec.indicator_id,
        "name": indicator.name,
        "unit": indicator.unit,
        "series": spec.series,
        "freq": freq,
        "direction": spec.direction,
        "shock_start": start,
        "first_period": values.index[0],
        "last_period": values.index[-1],
        "n_points": n_points,
        "n_after_shock": n_after,
        "reference_period": ptr.peak_period if ptr else None,
        "reference_value": ptr.peak_value if ptr else None,
        "worst_period": ptr.trough_period if ptr else None,
        "worst_value": ptr.trough_value if ptr else None,
        "depth_pct": ptr.depth_pct if ptr else None,
        "periods_to_worst": ptr.periods_to_trough if ptr else None,
        "recovery_period": ptr.recovery_period if ptr else None,
        "periods_to_recover": ptr.periods_to_recover if ptr else None,
        "recovery_status": ptr.status if ptr else "not assessed",
        "gap_pct_latest": None,
        "back_on_trend": None,
        "cumulative_loss_pct": None,
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
        row["gap_pct_latest"] = float(observed["gap_pct"].iloc[-1]) if not observed.empty else None
        row["back_on_trend"] = rec.back_on_trend(cf)
        row["cumulative_loss_pct"] = rec.cumulative_loss_pct(cf)
        paths.append(
            cf.reset_index(names="period").assign(
                indicator_id=spec.indicator_id, series=spec.series, freq=freq
            )
        )
    counterfactual = pd.concat(paths, ignore_index=True) if paths else pd.DataFrame()
    forecast = (
        fc.reset_index(names="period").assign(
            indicator_id=spec.indicator_id, series=spec.series, freq=freq
        )
        if fc is not None
        else pd.DataFrame()
    )
    return row, counterfactual, forecast


def recovery_tables(
    tidy: pd.DataFrame, catalog: Catalog, shock_year: int, level: float, forecast_year: int
) -> dict[str, pd.DataFrame]:
    """The recovery summary (one row per series), the counterfactual paths and the forecasts."""
    rows, paths, forecasts = [], [], []
    for spec in RECOVERY_SERIES:
        row, cf, fc = analyse(tidy, catalog, spec, shock_year, level, forecast_year)
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


def method_coverage(tidy: pd.DataFrame, catalog: Catalog, shock_year: int) -> pd.DataFrame:
    """For every assessed indicator's headline series: which shock and trend methods its length
    supports, and for the others why not (the short-series rule of models.recovery)."""
    rows = []
    for indicator in assessed_indicators(catalog):
        data = headline_rows(tidy, indicator)
        if data.empty:
            continue
        freq = str(data["freq"].iloc[0])
        values = data[data["freq"] == freq].set_index("period")["value"].sort_index()
        n_points, n_after = rec.point_counts(values, freq, shock_start(freq, shock_year))
        supported = rec.applicable_methods(n_points, n_after, freq)
        rows.append(
            {
                "indicator_id": indicator.id,
                "name": indicator.name,
                "series": indicator.headline_series,
                "freq": freq,
                "n_points": n_points,
                "n_after_shock": n_after,
                **{f"supports_{method}": ok for method, ok in supported.items()},
            }
        )
    return pd.DataFrame(rows)
