"""Progress toward targets: the Eurostat / Statistics Canada (Open SDG) growth-ratio measure, with the
UN Statistics Division's SDG Progress Chart projection beside it.

Sources: Eurostat, "SDG indicators in the EU: monitoring report methodology"; Statistics Canada /
Open SDG, "Progress measurement methodology" (sdg-build ProgressMeasure); UN Statistics Division,
"SDG Progress Chart Technical Note" (2023). Notation: b base year, t latest year, T target year,
y* target value, d = +1 where higher is better and -1 where lower is better.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from analysis.models.status import NOT_ACHIEVED, NOT_ASSESSED
from analysis.snapshot.catalog import Catalog, Indicator, assessed_indicators, headline_rows

#: Open SDG replaces a zero base or target by this value (the exponential model cannot use zero).
ZERO_REPLACEMENT = 0.001


def cagr(y_start: float, y_end: float, years: float) -> float:
    """Compound annual growth rate (y_end / y_start)^(1/years) - 1."""
    if years <= 0:
        raise ValueError(f"the growth period must be positive, got {years} years")
    return (y_end / y_start) ** (1.0 / years) - 1.0


def _nonzero(value: float) -> float:
    return ZERO_REPLACEMENT if value == 0 else value


def target_reached(latest: float, target: float, direction: int) -> bool:
    """The target counts as reached when the latest value is at or beyond it in the desired direction."""
    return direction * (latest - target) >= 0


def eurostat_ratio(cagr_actual: float, cagr_required: float, direction: int) -> float:
    """R = d * CAGR_a / |CAGR_r| (Open SDG); infinite when no growth is required."""
    if cagr_required == 0:
        return float("inf") if direction * cagr_actual >= 0 else float("-inf")
    return direction * cagr_actual / abs(cagr_required)


def status_with_target(ratio: float, achieved: bool) -> str:
    """Eurostat / Open SDG cut-offs: achieved; R >= 95% on track; 60-95% acceleration needed;
    0-60% limited progress; R < 0 deterioration."""
    if achieved:
        return "achieved"
    if ratio >= 0.95:
        return "on track"
    if ratio >= 0.60:
        return "acceleration needed"
    if ratio >= 0:
        return "limited progress"
    return "deterioration"


def status_without_target(directed_cagr: float) -> str:
    """Cut-offs on d * CAGR_a: >= 1.5% significant, 0.5-1.5% moderate, 0-0.5% limited, < 0 deterioration."""
    if directed_cagr >= 0.015:
        return "significant progress"
    if directed_cagr >= 0.005:
        return "moderate progress"
    if directed_cagr >= 0:
        return "limited progress"
    return "deterioration"


def _interpolate(x: float, points: list[tuple[float, float]]) -> float:
    xs, ys = zip(*points, strict=True)
    return float(np.interp(x, xs, ys))


def score_with_target(ratio: float, achieved: bool) -> float:
    """Open SDG score (-5..+5) for a series with a target: R <= -60% -> -5, 60% -> 0, >= 130% -> +5,
    linear in between; a reached target scores +5."""
    if achieved:
        return 5.0
    return _interpolate(ratio, [(-0.6, -5.0), (0.6, 0.0), (1.3, 5.0)])


def score_without_target(directed_cagr: float) -> float:
    """Open SDG score (-5..+5) without a target: -2% -> -5, 0 -> -2.5, 0.5% -> 0, 1.5% -> 2.5,
    2% -> 5, linear in between (no natural-limit scaling)."""
    return _interpolate(
        directed_cagr, [(-0.02, -5.0), (0.0, -2.5), (0.005, 0.0), (0.015, 2.5), (0.02, 5.0)]
    )


def unsd_ratio(
    y_base: float, y_latest: float, cagr_actual: float, years_to_target: float, target: float
) -> float:
    """UNSD Progress Chart: project v_T = y_t (1 + CAGR_a)^(T - t) and return (v_T - y_b) / (y* - y_b)."""
    projected = y_latest * (1.0 + cagr_actual) ** years_to_target
    if target == y_base:
        return float("inf") if projected == target else float("-inf")
    return (projected - y_base) / (target - y_base)


def unsd_status_with_target(ratio: float, latest: float, target: float, direction: int) -> str:
    """UNSD cut-offs: achieved (latest at the target, or within 1 point of a 0% or 100% target);
    ratio >= 0.95 on track; 0.10-0.95 fair progress; below 0.10 stagnation or regression."""
    near_bound = target in (0.0, 100.0) and abs(latest - target) <= 1.0
    if target_reached(latest, target, direction) or near_bound:
        return "achieved"
    if ratio >= 0.95:
        return "on track"
    if ratio >= 0.10:
        return "fair progress"
    return "stagnation or regression"


def unsd_status_without_target(directed_cagr: float) -> str:
    """UNSD cut-offs without a target on d * CAGR: >= 2% on track (substantial), 0.5-2% fair, else stagnation."""
    if directed_cagr >= 0.02:
        return "on track"
    if directed_cagr >= 0.005:
        return "fair progress"
    return "stagnation or regression"


@dataclass(frozen=True)
class Run:
    """One assessment run: base year b and horizon year T (Framework 2019-2025, or SDG 2015-2030)."""

    label: str
    base_year: int
    target_year: int
    latest_year: int | None = None


@dataclass(frozen=True)
class Assessment:
    """One row of the progress table."""

    run: str
    indicator_id: str
    name: str
    outcomes: str
    cross_cutting: str
    sdg_indicator: str
    direction: int
    series: str
    n_points: int
    base_period: str | None
    base_value: float | None
    latest_period: str | None
    latest_value: float | None
    target_value: float | None
    target_year: int | None
    target_origin: str
    cagr_actual: float | None
    cagr_required: float | None
    ratio: float | None
    status: str
    score: float | None
    unsd_ratio: float | None
    unsd_status: str
    projected_at_horizon: float | None
    note: str


def _target_for(indicator: Indicator, y_base: float) -> float | None:
    if indicator.target_rule == "halve_from_base":
        return y_base / 2.0
    return indicator.target_value


#: Without a value in the base year, an observation at most this many years earlier stands in for it
#: (the last pre-baseline survey of a biennial series), before falling back to the first year after.
BASE_TOLERANCE_YEARS = 1


def base_year_for(
    years: list[int], base_year: int, tolerance: int = BASE_TOLERANCE_YEARS
) -> int | None:
    """The year used as base: the base year itself; else the latest year within `tolerance` years
    before it; else the first year after it (Open SDG's rule). None when no year qualifies."""
    if base_year in years:
        return base_year
    earlier = [y for y in years if base_year - tolerance <= y < base_year]
    if earlier:
        return max(earlier)
    later = [y for y in years if y > base_year]
    return min(later) if later else None


def _window(values: pd.Series, run: Run) -> pd.Series:
    if values.empty:
        return values
    years = values.index.astype(int)
    latest = run.latest_year if run.latest_year is not None else int(years.max())
    start = base_year_for([int(y) for y in years if y <= latest], run.base_year)
    if start is None:
        return values.iloc[0:0]
    return values[(years >= start) & (years <= latest)]


def assess_series(values: pd.Series, indicator: Indicator, series: str, run: Run) -> Assessment:
    """Assess one annual series (values indexed by 'YYYY') over a run; never mixes series."""
    window = _window(values.sort_index(), run)
    common = {
        "run": run.label,
        "indicator_id": indicator.id,
        "name": indicator.name,
        "outcomes": ";".join(indicator.outcomes),
        "cross_cutting": ";".join(indicator.cross_cutting),
        "sdg_indicator": indicator.sdg_indicator,
        "direction": indicator.direction,
        "series": series,
        "n_points": len(window),
        "target_origin": indicator.target_origin,
    }
    empty = dict.fromkeys(
        [
            "base_period",
            "base_value",
            "latest_period",
            "latest_value",
            "target_value",
            "target_year",
            "cagr_actual",
            "cagr_required",
            "ratio",
            "score",
            "unsd_ratio",
            "projected_at_horizon",
        ]
    )
    if len(window) < 2:
        note = f"{len(window)} observation(s) from {run.base_year}; the measure needs at least 2"
        return Assessment(
            **common, **empty, status=NOT_ASSESSED, unsd_status=NOT_ASSESSED, note=note
        )
    if not ((window > 0).all() or (window < 0).all()):
        return Assessment(
            **common,
            **empty,
            status=NOT_ASSESSED,
            unsd_status=NOT_ASSESSED,
            note="values change sign; the growth-rate measure needs one sign",
        )
    direction = indicator.direction if (window > 0).all() else -indicator.direction
    magnitude = window.abs()
    base_period, latest_period = str(window.index[0]), str(window.index[-1])
    y_b, y_t = _nonzero(float(magnitude.iloc[0])), _nonzero(float(magnitude.iloc[-1]))
    b, t = int(base_period), int(latest_period)
    growth = cagr(y_b, y_t, t - b)
    directed = direction * growth
    projected = y_t * (1.0 + growth) ** (run.target_year - t)
    target = _target_for(indicator, float(window.iloc[0]))
    note = (
        ""
        if base_period == str(run.base_year)
        else f"no value for {run.base_year}; {base_period} used as base"
    )
    if target is None or indicator.target_year is None:
        return Assessment(
            **common,
            base_period=base_period,
            base_value=float(window.iloc[0]),
            latest_period=latest_period,
            latest_value=float(window.iloc[-1]),
            target_value=None,
            target_year=None,
            cagr_actual=growth,
            cagr_required=None,
            ratio=None,
            status=status_without_target(directed),
            score=score_without_target(directed),
            unsd_ratio=None,
            unsd_status=unsd_status_without_target(directed),
            projected_at_horizon=projected,
            note=note,
        )
    target_year = indicator.target_year
    achieved = target_reached(float(window.iloc[-1]), target, indicator.direction)
    if target_year <= b:
        note = (
            note + "; " if note else ""
        ) + f"target year {target_year} is not after the base year"
        required = None
        ratio = None
        status = "achieved" if achieved else "deterioration"
        score = 5.0 if achieved else -5.0
    else:
        required = cagr(y_b, _nonzero(abs(target)), target_year - b)
        ratio = eurostat_ratio(growth, required, direction)
        status = status_with_target(ratio, achieved)
        score = score_with_target(ratio, achieved)
    u_ratio = unsd_ratio(
        float(window.iloc[0]), float(window.iloc[-1]), growth, target_year - t, target
    )
    if target_year < t:
        note = (
            note + "; " if note else ""
        ) + f"target date {target_year} has passed: status says whether the latest value meets it"
        status = "achieved" if achieved else NOT_ACHIEVED
        score = 5.0 if achieved else -5.0
    return Assessment(
        **common,
        base_period=base_period,
        base_value=float(window.iloc[0]),
        latest_period=latest_period,
        latest_value=float(window.iloc[-1]),
        target_value=target,
        target_year=target_year,
        cagr_actual=growth,
        cagr_required=required,
        ratio=ratio,
        status=status,
        score=score,
        unsd_ratio=u_ratio,
        unsd_status=unsd_status_with_target(
            u_ratio, float(window.iloc[-1]), target, indicator.direction
        ),
        projected_at_horizon=projected,
        note=note,
    )


def progress_table(tidy: pd.DataFrame, catalog: Catalog, runs: list[Run]) -> pd.DataFrame:
    """One row per assessed indicator (direction != 0) and run, on its headline series, national,
    annual data only. Indicators whose headline series is not annual are listed as not assessed."""
    rows = []
    for indicator in assessed_indicators(catalog):
        data = headline_rows(tidy, indicator)
        annual = data[data["freq"] == "A"].set_index("period")["value"]
        for run in runs:
            assessment = assess_series(annual, indicator, indicator.headline_series, run)
            if annual.empty and not data.empty:
                assessment = Assessment(
                    **{
                        **asdict(assessment),
                        "note": "headline series is not annual; see the recovery models",
                    }
                )
            rows.append(asdict(assessment))
    return pd.DataFrame(rows)


def summarise(progress: pd.DataFrame, by: str) -> pd.DataFrame:
    """Counts per status and the mean Open SDG score per group (`outcomes` or `cross_cutting`),
    with how many indicators each rests on; an indicator in two groups counts in both."""
    exploded = progress.assign(group=progress[by].str.split(";")).explode("group")
    exploded = exploded[exploded["group"].fillna("") != ""]
    counts = exploded.pivot_table(
        index=["run", "group"],
        columns="status",
        values="indicator_id",
        aggfunc="count",
        fill_value=0,
    )
    summary = counts.reset_index()
    grouped = exploded.groupby(["run", "group"])
    summary = summary.merge(
        grouped.agg(
            indicators=("indicator_id", "nunique"),
            assessed=("score", "count"),
            mean_score=("score", "mean"),
        ).reset_index(),
        on=["run", "group"],
    )
    return summary.sort_values(
        ["run", "group"], key=lambda s: s.map(lambda v: (len(str(v)), str(v)))
    ).reset_index(drop=True)
