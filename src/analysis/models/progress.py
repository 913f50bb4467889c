"""Progress toward targets: the Open SDG progress measure, with the UN Statistics Division's SDG
Progress Chart projection beside it.

Sources, implemented as written:
- Open SDG progress measure: open-sdg/sdg-build, `sdg/ProgressMeasure.py` at commit 139fede7
  (its newest stored version, which also defines the -5..+5 series score); the no-target cut-offs
  date from the June 2023 commit 6d3d128 "Methodology changes". Documentation: Open SDG,
  "Progress measurement methodology".
- UN Statistics Division, "SDG Progress Chart 2023: Technical Note".

Notation: b base year, t latest year, T target year, y* target value, d = +1 where higher is
better and -1 where lower is better. Where our rules are stricter than Open SDG's (the base
observation, annual data), `BASE_TOLERANCE_YEARS` and `annual_values` say how, and the methods
page says so too.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass

import pandas as pd

from analysis.models.status import (
    DETERIORATION,
    LIMITED,
    MODERATE,
    NOT_ASSESSED,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
)
from analysis.snapshot.catalog import (
    Catalog,
    Indicator,
    SeriesBreak,
    assessed_indicators,
    before_break,
    change_in_unit,
    change_unit,
    concept_of,
    headline_rows,
)

#: Open SDG replaces a zero base or target by this value (the exponential model cannot use zero).
ZERO_REPLACEMENT = 0.001

#: Open SDG's default thresholds (`get_progress_thresholds`): on the growth ratio R with a target
#: (method 2), on d * CAGR_a without one (method 1); high, medium, low.
THRESHOLDS = {"target": (0.95, 0.6, 0.0), "direction": (0.015, 0.005, 0.0)}


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


def growth_ratio(cagr_actual: float, cagr_required: float, direction: int) -> float:
    """Open SDG's progress value with a target: R = d * CAGR_a / |CAGR_r|; infinite when no growth
    is required."""
    if cagr_required == 0:
        return float("inf") if direction * cagr_actual >= 0 else float("-inf")
    return direction * cagr_actual / abs(cagr_required)


def opensdg_status(progress_value: float, method: str, achieved: bool = False) -> str:
    """Open SDG `get_progress_status`: target achieved; else >= high substantial progress,
    >= medium moderate, >= low limited, below it deterioration (thresholds in THRESHOLDS)."""
    if achieved:
        return TARGET_ACHIEVED
    high, medium, low = THRESHOLDS[method]
    if progress_value >= high:
        return SUBSTANTIAL
    if progress_value >= medium:
        return MODERATE
    if progress_value >= low:
        return LIMITED
    return DETERIORATION


def opensdg_score(progress_value: float, method: str, achieved: bool = False) -> float:
    """Open SDG `SeriesProgress.get_score` (-5..+5) for the default thresholds: with a target,
    min(7.1429 R - 4.2857, 5) from R = 0.6 up and max(4.1667 R - 2.5, -5) below; without one,
    max(125 x - 2.5, -5) below 0, 500 x - 2.5 up to 0.5%, 250 x - 1.25 up to 1.5%, then
    min(500 x - 5, 5) (no natural limit declared, so the coefficient is 1). A reached target: 5."""
    if achieved:
        return 5.0
    x = progress_value
    if method == "target":
        if x >= 0.6:
            return min(7.1429 * x - 4.2857, 5.0)
        return max(4.1667 * x - 2.5, -5.0)
    if x < 0:
        return max(125 * x - 2.5, -5.0)
    if x >= 0.015:
        return min(500 * x - 5, 5.0)
    if x >= 0.005:
        return 250 * x - 1.25
    return 500 * x - 2.5


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
    """One row of the progress table: the verdict and everything needed to check it by hand."""

    run: str
    indicator_id: str
    name: str
    concept: str
    outcomes: str
    cross_cutting: str
    sdg_indicator: str
    direction: int
    series: str
    annualised: str
    n_points: int
    base_period: str | None
    base_value: float | None
    latest_period: str | None
    latest_value: float | None
    change: float | None
    unit: str
    change_unit: str
    target_value: float | None
    target_year: int | None
    target_origin: str
    method: str
    cagr_actual: float | None
    cagr_required: float | None
    ratio: float | None
    status: str
    target_missed: bool
    score: float | None
    unsd_ratio: float | None
    unsd_status: str
    projected_at_horizon: float | None
    reason: str


#: More decimals than this are not a publisher's precision but a computed value (a ratio, a mean).
MAX_PUBLISHED_DECIMALS = 6


def value_decimals(value: float) -> int:
    """Decimals a value is written with (29.0 -> 0, 25.8 -> 1, 1.41 -> 2); a computed value
    (79.944...) gives MAX_PUBLISHED_DECIMALS."""
    for decimals in range(MAX_PUBLISHED_DECIMALS):
        if math.isclose(
            round(value, decimals), value, rel_tol=0, abs_tol=1e-9 * max(1, abs(value))
        ):
            return decimals
    return MAX_PUBLISHED_DECIMALS


def published_decimals(values: pd.Series) -> int | None:
    """The precision a series was published with: the most decimals any of its values has (a
    whole number such as 19.0 among 18.6 and 19.2 was published as 19.0); None without values.
    Descriptive only: no verdict reads it; the report marks changes smaller than it."""
    values = values.dropna()
    if values.empty:
        return None
    return max(value_decimals(float(v)) for v in values)


def _target_for(indicator: Indicator, y_base: float) -> float | None:
    if indicator.target_rule == "halve_from_base":
        return y_base / 2.0
    return indicator.target_value


#: Our base rule, stricter than Open SDG's (which takes the next available year at any distance):
#: the run's base year, else the nearest observation at most this many years away, the earlier one
#: winning a tie (a survey before the baseline describes the situation the Framework started from);
#: otherwise the indicator has insufficient data for the run.
BASE_TOLERANCE_YEARS = 1


def base_year_for(
    years: list[int], base_year: int, tolerance: int = BASE_TOLERANCE_YEARS
) -> int | None:
    """The year used as base: the base year itself; else the nearest year within `tolerance`
    years, the earlier of two equally near; None when no year qualifies."""
    present = set(years)
    for offset in range(tolerance + 1):
        for year in (base_year - offset, base_year + offset):
            if year in present:
                return year
    return None


def annual_values(rows: pd.DataFrame, kind: str = "") -> tuple[pd.Series, str]:
    """An indicator's headline rows as annual values ('YYYY' -> value) and how they were made.

    Annual rows are used as they are. Quarterly and monthly rows of rates, shares and flows become
    the average of each complete calendar year (4 quarters, 12 months). Monthly stocks (kind
    `count`, such as jobs registered at the end of each month) use the December value: comparing
    the same month every year leaves the seasonal pattern out, and it is the month IMSS itself
    uses for annual job creation. An incomplete year or a missing December is left out, never
    filled. With several sub-annual frequencies, the quarterly rows are used.
    """
    if rows.empty:
        return pd.Series(dtype=float), ""
    freqs = set(rows["freq"])
    if freqs == {"A"}:
        return rows.set_index("period")["value"].sort_index(), ""
    freq = "Q" if "Q" in freqs else "M"
    rows = rows[rows["freq"] == freq]
    word = {"Q": "quarterly", "M": "monthly"}[freq]
    years = rows["period"].str[:4]
    if freq == "M" and kind == "count":
        december = rows[rows["period"].str.endswith("-12")]
        values = pd.Series(december["value"].to_numpy(), index=december["period"].str[:4])
        return values.sort_index(), "December value of each year (end-of-year stock)"
    grouped = rows.groupby(years)["value"]
    complete = grouped.count() == {"Q": 4, "M": 12}[freq]
    return (
        grouped.mean()[complete].sort_index(),
        f"annual average of {word} values (complete years only)",
    )


def _window(values: pd.Series, run: Run) -> tuple[pd.Series, str]:
    """The observations a run uses, from the base observation to the latest year, and why none
    qualify when the window is empty."""
    if values.empty:
        return values, "no usable annual value in the snapshot"
    years = values.index.astype(int)
    latest = run.latest_year if run.latest_year is not None else int(years.max())
    start = base_year_for([int(y) for y in years if y <= latest], run.base_year)
    if start is None:
        return (
            values.iloc[0:0],
            f"no observation within {BASE_TOLERANCE_YEARS} year of the {run.base_year} base year",
        )
    return values[(years >= start) & (years <= latest)], ""


def _fmt(value: float) -> str:
    return f"{value:,.4g}"


def _reason(
    method: str,
    status: str,
    directed: float,
    ratio: float | None,
    target: float | None,
    target_year: int | None,
    missed: bool,
) -> str:
    """One line that says why the status follows from the numbers."""
    if status == TARGET_ACHIEVED:
        return f"the latest value is at or beyond the target of {_fmt(target)}"  # type: ignore[arg-type]
    if method == "direction":
        way = "in the desired direction" if directed >= 0 else "against the desired direction"
        return (
            f"moved {abs(100 * directed):.2f}% a year {way} (compound rate; Open SDG cut-offs "
            "without a target: 1.5%, 0.5% and 0 in the desired direction)"
        )
    text = (
        f"grew at {ratio:.2f} times the pace needed to reach {_fmt(target)} by {target_year} "  # type: ignore[arg-type]
        "(Open SDG cut-offs on that ratio: 0.95, 0.6 and 0)"
    )
    return text + "; the target year has passed without reaching it" if missed else text


def assess_series(
    values: pd.Series, indicator: Indicator, series: str, run: Run, annualised: str = ""
) -> Assessment:
    """Assess one annual series (values indexed by 'YYYY') over a run; never mixes series."""
    window, why_empty = _window(values.sort_index(), run)
    common = {
        "run": run.label,
        "indicator_id": indicator.id,
        "name": indicator.name,
        "concept": concept_of(indicator),
        "outcomes": ";".join(indicator.outcomes),
        "cross_cutting": ";".join(indicator.cross_cutting),
        "sdg_indicator": indicator.sdg_indicator,
        "direction": indicator.direction,
        "series": series,
        "annualised": annualised,
        "n_points": len(window),
        "unit": indicator.unit,
        "change_unit": change_unit(indicator),
        "target_origin": indicator.target_origin,
        "target_missed": False,
    }
    empty = dict.fromkeys(
        [
            "base_period",
            "base_value",
            "latest_period",
            "latest_value",
            "change",
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
    has_target = indicator.target_year is not None and (
        indicator.target_value is not None or bool(indicator.target_rule)
    )
    not_assessed = {"status": NOT_ASSESSED, "unsd_status": NOT_ASSESSED}
    method = "target" if has_target else "direction"
    if len(window) < 2:
        reason = why_empty or (
            f"{len(window)} usable annual point in the window from the base year; at least 2 are needed"
        )
        return Assessment(**common, **empty, **not_assessed, method=method, reason=reason)
    if not ((window > 0).all() or (window < 0).all()):
        reason = "values change sign; the growth-rate measure needs one sign"
        return Assessment(**common, **empty, **not_assessed, method=method, reason=reason)
    direction = indicator.direction if (window > 0).all() else -indicator.direction
    magnitude = window.abs()
    base_period, latest_period = str(window.index[0]), str(window.index[-1])
    y_base, y_latest = float(window.iloc[0]), float(window.iloc[-1])
    y_b, y_t = _nonzero(float(magnitude.iloc[0])), _nonzero(float(magnitude.iloc[-1]))
    b, t = int(base_period), int(latest_period)
    growth = cagr(y_b, y_t, t - b)
    directed = direction * growth
    observed = {
        "base_period": base_period,
        "base_value": y_base,
        "latest_period": latest_period,
        "latest_value": y_latest,
        "change": change_in_unit(indicator, y_base, y_latest),
        "cagr_actual": growth,
        "projected_at_horizon": y_t * (1.0 + growth) ** (run.target_year - t),
    }
    target = _target_for(indicator, y_base) if has_target else None
    target_year = indicator.target_year
    if target is None or target_year is None or target_year <= b:
        # Without a target, or one dated before the base year: Open SDG's method 1.
        status = opensdg_status(directed, "direction")
        return Assessment(
            **common,
            **observed,
            target_value=None,
            target_year=None,
            method="direction",
            cagr_required=None,
            ratio=None,
            status=status,
            score=opensdg_score(directed, "direction"),
            unsd_ratio=None,
            unsd_status=unsd_status_without_target(directed),
            reason=_reason("direction", status, directed, None, None, None, False),
        )
    achieved = target_reached(y_latest, target, indicator.direction)
    required = cagr(y_b, _nonzero(abs(target)), target_year - b)
    ratio = growth_ratio(growth, required, direction)
    status = opensdg_status(ratio, "target", achieved)
    score = opensdg_score(ratio, "target", achieved)
    if not math.isfinite(ratio):  # the target equals the base value: no growth is required
        ratio = None
    missed = not achieved and target_year < t
    u_ratio = unsd_ratio(y_base, y_latest, growth, target_year - t, target)
    return Assessment(
        **{**common, "target_missed": missed},
        **observed,
        target_value=target,
        target_year=target_year,
        method="target",
        cagr_required=required,
        ratio=ratio,
        status=status,
        score=score,
        unsd_ratio=u_ratio,
        unsd_status=unsd_status_with_target(u_ratio, y_latest, target, indicator.direction),
        reason=_reason("target", status, directed, ratio, target, target_year, missed),
    )


def progress_table(
    tidy: pd.DataFrame,
    catalog: Catalog,
    runs: list[Run],
    breaks: dict[tuple[str, str], SeriesBreak] | None = None,
    period_notes: dict[str, str] | None = None,
) -> pd.DataFrame:
    """One row per assessed indicator (direction != 0) and run, on its national headline series;
    quarterly and monthly series are assessed on annual values (`annual_values`), and values after
    a declared series break are left out so the comparison stays within comparable data. Each row
    also records the series' published precision (`published_decimals`), for the report."""
    rows = []
    for indicator in assessed_indicators(catalog):
        key = (indicator.id, indicator.headline_series)
        comparable, cut = before_break(headline_rows(tidy, indicator), (breaks or {}).get(key))
        annual, annualised = annual_values(comparable, indicator.kind)
        note = (period_notes or {}).get(indicator.headline_series, "")
        annualised = "; ".join(part for part in (annualised, note, cut) if part)
        decimals = published_decimals(comparable["value"])
        for run in runs:
            assessment = assess_series(
                annual, indicator, indicator.headline_series, run, annualised
            )
            rows.append(asdict(assessment) | {"published_decimals": decimals})
    return pd.DataFrame(rows)


def representatives(rows: pd.DataFrame) -> pd.DataFrame:
    """One row per concept among `rows` (one run, one group): the concept's headline indicator if
    it is there, else the first of its cuts by id, so a cut mapped elsewhere still counts once."""
    if rows.empty:
        return rows
    ranked = rows.assign(_rank=(rows["indicator_id"] != rows["concept"]).astype(int)).sort_values(
        ["concept", "_rank", "indicator_id"], kind="stable"
    )
    return ranked.drop_duplicates("concept").drop(columns="_rank").sort_index()


def summarise(progress: pd.DataFrame, by: str) -> pd.DataFrame:
    """Per group (`outcomes` or `cross_cutting`) and run: the indicators mapped, the concepts they
    measure, how many concepts could be assessed, the count per method and status, and the mean
    Open SDG score. Each concept counts once per group, through `representatives` (the cuts of
    one survey measurement do not outvote a single indicator); an indicator in two groups counts
    in both."""
    exploded = progress.assign(group=progress[by].str.split(";")).explode("group")
    exploded = exploded[exploded["group"].fillna("") != ""]
    heads = pd.concat(
        [representatives(rows) for _, rows in exploded.groupby(["run", "group"], sort=False)]
    )
    assessed = heads[heads["status"] != NOT_ASSESSED]
    counts = (
        assessed.assign(key=assessed["method"] + ": " + assessed["status"])
        .pivot_table(index=["run", "group"], columns="key", values="indicator_id", aggfunc="count")
        .fillna(0)
        .astype(int)
    )
    grouped = exploded.groupby(["run", "group"])
    summary = grouped.agg(
        indicators=("indicator_id", "nunique"), concepts=("concept", "nunique")
    ).join(
        assessed.groupby(["run", "group"]).agg(
            assessed=("indicator_id", "count"), mean_score=("score", "mean")
        )
    )
    summary = summary.join(counts).reset_index()
    summary["assessed"] = summary["assessed"].fillna(0).astype(int)
    for column in counts.columns:
        summary[column] = summary[column].fillna(0).astype(int)
    return summary.sort_values(
        ["run", "group"], key=lambda s: s.map(lambda v: (len(str(v)), str(v)))
    ).reset_index(drop=True)
