"""Figures for the reports, drawn for the 760 px text column (7.6 in wide, all text >= 10 pt):
colour-blind-safe palette (Okabe-Ito), units on axes, gaps drawn as gaps, shares from zero, breaks
and the shock in the legend. Every figure function has two pure companions: `<name>_alt`, the
alt text stating the takeaway with its numbers, and `<name>_data`, the tidy frame behind it.

Axis rule of the small multiples (one rule, so no panel exaggerates a small change): a series
whose values are all non-negative (shares, rates, counts, amounts, scores, indices) is drawn on an
axis from zero; a series with negative values (changes) spans its range with a zero line. Tick
steps are 1, 2 or 5 times a power of ten and every label of an axis has the same decimals.
The small multiples are drawn with PHONE_FONT text, so that on a phone, where the image shrinks to
PHONE_COLUMN_PX, their text stays at least MIN_PHONE_PX high."""

from __future__ import annotations

import functools
import math
import re
import textwrap
from collections.abc import Callable, Sequence
from typing import ParamSpec, TypeVar

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FixedLocator, Formatter, FuncFormatter, MaxNLocator

from analysis.clean.tidy import series_values
from analysis.core.periods import PER_YEAR, decimal_year, infer_freq
from analysis.models.progress import representatives
from analysis.models.recovery import peak_trough_recovery
from analysis.models.status import BAD, GOOD, OKABE_ITO, STATUS_COLOURS, STATUS_ORDER
from analysis.report.display import period_text, usable_forecast
from analysis.report.labels import label, noun, series_label
from analysis.report.words import status_label
from analysis.snapshot.catalog import SeriesBreak

#: Width of every figure: Quarto's 760 px text column at the 100 px per inch it is displayed at.
FIG_WIDTH = 7.6
#: Smallest font size (pt) of any chart text at that width.
MIN_FONT = 10.0
#: Matplotlib settings every figure is drawn under (fonts at or above MIN_FONT).
TEXT_COLUMN_RC = {
    "font.size": MIN_FONT,
    "axes.titlesize": 11,
    "axes.labelsize": MIN_FONT,
    "xtick.labelsize": MIN_FONT,
    "ytick.labelsize": MIN_FONT,
    "legend.fontsize": MIN_FONT,
    "legend.title_fontsize": MIN_FONT,
    "figure.titlesize": 11,
    "axes.titlelocation": "left",
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.formatter.useoffset": False,
    "figure.dpi": 100,
}
#: Width (CSS px) of the text column on a 390 px phone (the page gutters take 2 x 16 px).
PHONE_COLUMN_PX = 358
#: Smallest text (CSS px) that stays legible on the phone.
MIN_PHONE_PX = 8.0
#: Font size (pt) of the small multiples: at FIG_WIDTH, shrunk to PHONE_COLUMN_PX, at least
#: MIN_PHONE_PX (10 pt would be 6.5 px there).
PHONE_FONT = 12.5
#: Matplotlib settings of the small multiples (every text at PHONE_FONT).
PHONE_RC = TEXT_COLUMN_RC | {
    key: PHONE_FONT
    for key in (
        "font.size", "axes.titlesize", "axes.labelsize", "xtick.labelsize", "ytick.labelsize",
        "legend.fontsize", "legend.title_fontsize", "figure.titlesize",
    )
}  # fmt: skip
#: Most panels per row that stay readable at FIG_WIDTH (small multiples and recovery panels).
MAX_COLUMNS = 2
#: Series with at most this many observations (or sparser than annual) are drawn with markers.
SPARSE_POINTS = 25

P = ParamSpec("P")
R = TypeVar("R")


def text_column(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw under TEXT_COLUMN_RC, so every text artist the figure creates is at least MIN_FONT."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with plt.rc_context(TEXT_COLUMN_RC):
            return draw(*args, **kwargs)

    return wrapper


def phone_column(draw: Callable[P, R]) -> Callable[P, R]:
    """Draw under PHONE_RC: every text artist at least PHONE_FONT, legible on a phone."""

    @functools.wraps(draw)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with plt.rc_context(PHONE_RC):
            return draw(*args, **kwargs)

    return wrapper


def phone_px(points: float, width: float = FIG_WIDTH) -> float:
    """Height in CSS px on a phone of text `points` tall in a figure `width` inches wide (the
    image is scaled to the phone's text column)."""
    return points / 72 * PHONE_COLUMN_PX / width


def _fig(key: str, **fields: object) -> str:
    return label("figure", key).format(**fields)


def _col(key: str, **fields: object) -> str:
    return label("figure_data", key).format(**fields)


def _alt(key: str, **fields: object) -> str:
    return label("alt", key).format(**fields)


def is_share(unit: str) -> bool:
    """A unit in percent of a whole ('% of population'), whose axis starts at zero; a change in
    percent ('% change on previous year') is not one."""
    return unit.strip().startswith("%") and "change" not in unit


def break_gaps(x: Sequence[float], y: Sequence[float]) -> tuple[np.ndarray, np.ndarray]:
    """Points sorted by x with a NaN inserted wherever two neighbours are further apart than 1.5
    times the series' usual step (its most common spacing), so a line breaks across a missing
    year or survey round instead of joining over it; a biennial survey is not broken every year."""
    xs, ys = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    order = np.argsort(xs, kind="stable")
    xs, ys = xs[order], ys[order]
    if len(xs) < 3:
        return xs, ys
    steps = np.round(np.diff(xs), 6)
    values, counts = np.unique(steps, return_counts=True)
    usual = values[counts == counts.max()].min()
    out_x, out_y = [xs[0]], [ys[0]]
    for step, x_next, y_next in zip(steps, xs[1:], ys[1:], strict=True):
        if step > 1.5 * usual:
            out_x.append((out_x[-1] + x_next) / 2)
            out_y.append(np.nan)
        out_x.append(x_next)
        out_y.append(y_next)
    return np.asarray(out_x), np.asarray(out_y)


def isolated(ys: np.ndarray) -> np.ndarray:
    """Which points have no finite neighbour, so a line alone would not show them."""
    finite = np.isfinite(ys)
    before = np.concatenate([[False], finite[:-1]])
    after = np.concatenate([finite[1:], [False]])
    return finite & ~before & ~after


def _plot_line(ax: plt.Axes, xs: np.ndarray, ys: np.ndarray, marker: bool, **style) -> None:
    """A line with markers where observations are sparse; points cut off by gaps on both sides
    get a marker anyway."""
    ax.plot(xs, ys, marker="o" if marker else None, markersize=3, **style)
    alone = isolated(ys)
    if alone.any() and not marker:
        ax.plot(xs[alone], ys[alone], "o", markersize=2.5, color=style.get("color"))


def _sparse(xs: np.ndarray) -> bool:
    """Few points, or points more than a year apart: draw markers so each observation shows."""
    finite = xs[np.isfinite(xs)]
    if len(finite) <= SPARSE_POINTS:
        return True
    return bool(np.median(np.diff(finite)) > 1)


def _number(value: float, _position: object = None) -> str:
    """Tick labels without offset text ('1e7'): thousands separators, no trailing zeros."""
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:g}"


def _from_zero(ax: plt.Axes, unit: str) -> None:
    """Shares start at zero (a truncated axis exaggerates a small change)."""
    if is_share(unit):
        ax.set_ylim(bottom=0)


#: Tick steps: 1, 2 or 5 times a power of ten (never 2.5 or 0.25).
NICE_STEPS = [1, 2, 5, 10]


def tick_decimals(locs: Sequence[float]) -> int:
    """The fewest decimals (at most 4) that show every tick value exactly, so that an axis reads
    '0.0, 0.5, 1.0, 1.5' rather than '0, 0.5, 1, 1.5'."""
    for decimals in range(5):
        if all(abs(v - round(v, decimals)) < 1e-9 * max(1.0, abs(v)) for v in locs):
            return decimals
    return 4


class UniformTicks(Formatter):
    """Tick labels with one number of decimals per axis and thousands separators, no offset."""

    decimals = 0

    def set_locs(self, locs: Sequence[float]) -> None:
        super().set_locs(locs)
        self.decimals = tick_decimals(list(locs))

    def __call__(self, value: float, position: object = None) -> str:
        text = f"{value:,.{self.decimals}f}"
        return "0" if text.strip("-0.,") == "" else text


def _value_axis(ax: plt.Axes, nbins: int = 5) -> None:
    """Y ticks on 1-2-5 steps (at least three, so a scale can be read), with uniform decimals."""
    ax.yaxis.set_major_locator(MaxNLocator(nbins=nbins, steps=NICE_STEPS, min_n_ticks=3))
    ax.yaxis.set_major_formatter(UniformTicks())


def zero_based(ax: plt.Axes, values: Sequence[float]) -> None:
    """The small multiples' axis rule: non-negative values on an axis from zero (the top keeps
    room for the highest value); values below zero keep their range and get a zero line."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if finite.size == 0:
        return
    low, high = float(finite.min()), float(finite.max())
    if low >= 0:
        ax.set_ylim(0, high * 1.06 if high > 0 else 1)
    else:
        ax.axhline(0, color="#333333", linewidth=0.8)


def readable_scale(unit: str, values: Sequence[float]) -> tuple[float, str]:
    """(divisor, unit) that keeps tick labels short: values of a million or more are shown in
    millions of the unit ('MXN million' -> 'MXN trillion', 'jobs' -> 'million jobs'), from 10,000
    in thousands ('thousand pesos per person'); shares and smaller values are left as they are."""
    finite = np.asarray(values, dtype=float)
    finite = finite[np.isfinite(finite)]
    if is_share(unit) or finite.size == 0 or np.abs(finite).max() < 1e4:
        return 1.0, unit
    if np.abs(finite).max() < 1e6:  # '200,000' pesos as '200' thousand: ticks fit the panel
        for small, large in (("million", "billion"), ("thousand", "million")):
            if re.search(rf"\b{small}\b", unit):
                return 1e3, re.sub(rf"\b{small}\b", large, unit, count=1)
        return 1e3, _fig("thousands_of", unit=unit)
    for small, large in (("million", "trillion"), ("thousand", "billion")):
        if re.search(rf"\b{small}\b", unit):
            return 1e6, re.sub(rf"\b{small}\b", large, unit, count=1)
    return 1e6, _fig("millions_of", unit=unit)


def axis_unit(unit: str, width: int, lines: int = 2) -> str:
    """A unit as an axis label of at most `lines` lines: when the whole does not fit, without its
    parentheses, then only up to its first comma (the data file keeps the full unit)."""
    for shorter in (
        unit,
        re.sub(r"\s*\([^)]*\)", "", unit).strip(),
        re.sub(r"\s*\([^)]*\)", "", unit).split(",")[0].strip(),
    ):
        if shorter and len(textwrap.wrap(shorter, width=width)) <= lines:
            return _wrap(shorter, width, lines)
    return _wrap(unit, width, lines)


def year_ticks(observed: Sequence[float], low: float, high: float, most: int = 5) -> list[float]:
    """Year ticks between `low` and `high`, at most `most`: on the observation years when a series
    is observed every s > 1 years (a biennial survey: 2016, 2018, ...), else on round 1-2-5
    years (2015, 2020, ...)."""
    years = sorted({math.floor(y) for y in observed})
    step = 1
    if len(years) > 1:
        step = functools.reduce(math.gcd, np.diff(years).astype(int).tolist())
    span = max(high - low, 1)
    for factor in (1, 2, 5, 10, 20, 50):
        every = max(step, 1) * factor
        if span / every < most:
            break
    anchor = years[0] if step > 1 and years else 0
    first = anchor + math.ceil((low - anchor) / every) * every
    return [float(t) for t in np.arange(first, high + 1e-9, every)]


def _grid(ax: plt.Axes, axis: str = "y") -> None:
    ax.grid(axis=axis, color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)


def _wrap(text: str, width: int, lines: int) -> str:
    return "\n".join(textwrap.wrap(text, width=width, max_lines=lines, placeholder="..."))


def _short_group(name: str) -> str:
    """'Outcome 2: Full exercise of ...' -> 'Outcome 2', for sentences; names without a colon stay."""
    return name.split(":")[0]


def _counts_phrase(statuses: pd.Series) -> str:
    """'9 substantial progress, 3 deterioration and 2 insufficient data', best status first."""
    counts = statuses.value_counts()
    parts = [_alt("status_count", n=int(counts[s]), status=s) for s in STATUS_ORDER if s in counts]
    return parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]


# --- a. the summary page's overview: poverty, annual growth, quarterly GDP -----------------------

_POVERTY_STYLES = {
    "coneval_2008_2018": dict(color=OKABE_ITO["orange"], marker="s", linestyle="--"),
    "lineamientos_2018": dict(color=OKABE_ITO["blue"], marker="o", linestyle="-"),
}


def plot_poverty_series(ax: plt.Axes, tidy: pd.DataFrame) -> None:
    """Both CONEVAL series as separate lines, never joined, with the methodology break marked."""
    for series, style in _POVERTY_STYLES.items():
        values = series_values(tidy, "poverty_multidimensional_pct", series)
        xs, ys = break_gaps(values.index.astype(int), values.to_numpy())
        ax.plot(xs, ys, label=series_label(series), markersize=5, **style)
    ax.axvspan(
        2016,
        2018,
        color=OKABE_ITO["grey"],
        alpha=0.2,
        linewidth=0,
        label=_wrap(_fig("methodology_break"), 34, 3),
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="lower left")
    ax.set_title(_fig("poverty_title"), fontweight="bold")
    ax.set_ylabel(_fig("poverty_unit"))
    _grid(ax)


def _growth(tidy: pd.DataFrame, first_year: int) -> pd.Series:
    growth = series_values(tidy, "gdp_real_growth", "wdi")
    return growth[growth.index.astype(int) >= first_year]


def plot_gdp_growth(
    ax: plt.Axes, tidy: pd.DataFrame, shock_year: int, first_year: int = 2000
) -> None:
    """Annual real GDP growth (WDI) as bars, the shock year highlighted and named in the legend."""
    growth = _growth(tidy, first_year)
    years = growth.index.astype(int)
    colours = [OKABE_ITO["vermillion"] if y == shock_year else OKABE_ITO["sky"] for y in years]
    ax.bar(years, growth.to_numpy(), color=colours, width=0.8)
    ax.axhline(0, color="#333333", linewidth=0.8)
    ax.legend(
        handles=[
            Patch(color=OKABE_ITO["vermillion"], label=_fig("shock", period=shock_year)),
            Patch(color=OKABE_ITO["sky"], label=_fig("other_years")),
        ],
        frameon=False,
        loc="lower left",
    )
    ax.set_title(_fig("growth_title"), fontweight="bold")
    ax.set_ylabel(_fig("growth_unit"))
    _grid(ax)


def _quarterly_index(tidy: pd.DataFrame, shock_year: int):
    levels = series_values(tidy, "gdp_real_sa_level", "inegi_base2018_sa")
    rec = peak_trough_recovery(levels, f"{shock_year}Q1")
    return 100 * levels / rec.peak_value, rec


#: Distance (points) of the trough's label from the trough, to its right.
TROUGH_OFFSET_PT = 6


def plot_gdp_quarterly(ax: plt.Axes, tidy: pd.DataFrame, shock_year: int) -> None:
    """Quarterly seasonally adjusted real GDP as an index, pre-shock peak = 100, on a time axis
    (a missing quarter breaks the line); the shock's first quarter in the legend."""
    index, rec = _quarterly_index(tidy, shock_year)
    xs, ys = break_gaps([decimal_year(p, "Q") for p in index.index], index.to_numpy())
    ax.plot(xs, ys, color=OKABE_ITO["blue"], linewidth=1.8, label=_fig("observed"))
    ax.axhline(
        100,
        color=OKABE_ITO["grey"],
        linestyle="--",
        linewidth=1,
        label=_fig("peak_line", period=period_text(rec.peak_period)),
    )
    ax.axvline(
        decimal_year(f"{shock_year}Q1", "Q"),
        color=OKABE_ITO["vermillion"],
        linewidth=1,
        label=_fig("shock", period=period_text(f"{shock_year}Q1")),
    )
    trough_x = decimal_year(rec.trough_period, "Q")
    trough_y = float(index[rec.trough_period])
    ax.plot([trough_x], [trough_y], "o", color=OKABE_ITO["vermillion"], markersize=4)
    ax.annotate(  # beside the trough's own point, a few points to its right
        _fig("trough", period=period_text(rec.trough_period)),
        xy=(trough_x, trough_y),
        xytext=(TROUGH_OFFSET_PT, 0),
        textcoords="offset points",
        ha="left",
        va="center",
        color=OKABE_ITO["vermillion"],
        gid="trough-label",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, loc="lower right", bbox_to_anchor=(1.0, 0.1))  # above the trough label
    ax.set_title(_fig("quarterly_title"), fontweight="bold")
    ax.set_ylabel(_fig("index_unit", period=period_text(rec.peak_period)))
    _grid(ax)


@text_column
def overview_figure(tidy: pd.DataFrame, shock_year: int) -> Figure:
    """Three panels for the text column: poverty (both series) and annual GDP growth side by side,
    the quarterly GDP index below across the full width."""
    fig = plt.figure(figsize=(FIG_WIDTH, 7.4), layout="constrained")
    grid = fig.add_gridspec(2, 2, height_ratios=(1.1, 1))
    plot_poverty_series(fig.add_subplot(grid[0, 0]), tidy)
    plot_gdp_growth(fig.add_subplot(grid[0, 1]), tidy, shock_year)
    plot_gdp_quarterly(fig.add_subplot(grid[1, :]), tidy, shock_year)
    return fig


def overview_data(tidy: pd.DataFrame, shock_year: int, first_year: int = 2000) -> pd.DataFrame:
    """Every point of `overview_figure`: panel, series, period, value and unit."""
    frames = []
    for series in _POVERTY_STYLES:
        values = series_values(tidy, "poverty_multidimensional_pct", series)
        frames.append((_fig("poverty_title"), series_label(series), values, _fig("poverty_unit")))
    frames.append(
        (_fig("growth_title"), series_label("wdi"), _growth(tidy, first_year), _fig("growth_unit"))
    )
    index, rec = _quarterly_index(tidy, shock_year)
    unit = _fig("index_unit", period=period_text(rec.peak_period))
    frames.append((_fig("quarterly_title"), series_label("inegi_base2018_sa"), index, unit))
    return pd.DataFrame(
        [
            {
                _col("panel"): panel,
                _col("series"): series,
                _col("period"): period_text(str(period)),
                _col("value"): round(float(value), 2),
                _col("unit"): unit,
            }
            for panel, series, values, unit in frames
            for period, value in values.items()
        ]
    )


def overview_alt(
    tidy: pd.DataFrame, shock_year: int, poverty_series: str = "lineamientos_2018"
) -> str:
    """The overview's takeaway: poverty from its first to its latest survey, GDP growth in the
    shock year, the quarterly fall from the peak and the return to it."""
    poverty = series_values(tidy, "poverty_multidimensional_pct", poverty_series).dropna()
    first, last = float(poverty.iloc[0]), float(poverty.iloc[-1])
    text = _alt(
        "overview_poverty",
        series=series_label(poverty_series),
        verb=_fig("fell") if last < first else _fig("rose"),
        first=f"{first:.1f}",
        start=poverty.index[0],
        last=f"{last:.1f}",
        end=poverty.index[-1],
    )
    growth = series_values(tidy, "gdp_real_growth", "wdi")
    if str(shock_year) in growth.index:
        value = float(growth[str(shock_year)])
        text += _alt(
            "overview_growth",
            verb=_alt("shrank") if value < 0 else _alt("grew"),
            value=f"{abs(value):.1f}",
            year=shock_year,
        )
    index, rec = _quarterly_index(tidy, shock_year)
    recovery = (
        _alt("overview_recovered", period=period_text(rec.recovery_period))
        if rec.recovery_period
        else _alt("overview_not_recovered")
    )
    return text + _alt(
        "overview_quarterly",
        depth=f"{abs(rec.depth_pct):.1f}",
        peak=period_text(rec.peak_period),
        trough=period_text(rec.trough_period),
        recovery=recovery,
        last_period=period_text(index.index[-1]),
        last=f"{float(index.iloc[-1]):.1f}",
    )


# --- b. the scorecard: concepts by status and group ----------------------------------------------


def _status_counts(progress: pd.DataFrame, groups: dict[str, str], by: str) -> pd.DataFrame:
    """Concepts per group (rows, in the order of `groups`) and status (columns, best first), each
    concept counted once per group (see models.progress.representatives)."""
    exploded = progress.assign(group=progress[by].str.split(";")).explode("group")
    exploded = exploded[exploded["group"].isin(groups)]
    picked = [representatives(rows) for _, rows in exploded.groupby("group", sort=False)]
    exploded = pd.concat(picked) if picked else exploded
    counts = exploded.groupby(["group", "status"]).size().unstack(fill_value=0)
    statuses = [s for s in STATUS_ORDER if s in counts.columns]
    return counts.reindex(index=list(groups), columns=statuses, fill_value=0)


def _ink(colour: str) -> str:
    """Black or white, whichever reads better on `colour` (relative luminance)."""
    r, g, b = (int(colour.lstrip("#")[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.4 else "white"


@text_column
def status_snapshot(progress: pd.DataFrame, groups: dict[str, str], by: str = "outcomes") -> Figure:
    """Horizontal stacked bars: how many concepts of each group (outcome or cross-cutting area) are
    in each status, each concept counted once per group; the count is written in each segment and
    a group without a sourced indicator says so."""
    counts = _status_counts(progress, groups, by).iloc[::-1]
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, 0.72 * len(groups) + 1.5), layout="constrained")
    labels = [_wrap(groups[g], 34, 4) for g in counts.index]
    left = pd.Series(0, index=counts.index)
    for status in counts.columns:
        colour = STATUS_COLOURS[status]
        bars = ax.barh(
            labels, counts[status], left=left, color=colour, edgecolor="white", label=status
        )
        ax.bar_label(
            bars,
            labels=[str(n) if n else "" for n in counts[status]],
            label_type="center",
            color=_ink(colour),
        )
        left += counts[status]
    for position, total in enumerate(left):
        if not total:
            ax.text(
                0.1, position, _fig("no_indicator"), va="center", color="#555555", style="italic"
            )
    ax.set_xlabel(_fig("concepts_axis"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.tick_params(axis="y", length=0)
    _grid(ax, "x")
    fig.legend(frameon=False, loc="outside upper center", ncol=3)
    return fig


def status_snapshot_data(
    progress: pd.DataFrame, groups: dict[str, str], by: str = "outcomes"
) -> pd.DataFrame:
    """One row per drawn segment of `status_snapshot`: group, status and number of concepts."""
    counts = _status_counts(progress, groups, by)
    rows = [
        {_col("group"): groups[g], _col("status"): s, _col("concepts"): int(counts.at[g, s])}
        for g in counts.index
        for s in counts.columns
        if counts.at[g, s]
    ]
    return pd.DataFrame(rows, columns=[_col("group"), _col("status"), _col("concepts")])


def status_snapshot_alt(
    progress: pd.DataFrame, groups: dict[str, str], by: str = "outcomes"
) -> str:
    """The scorecard's takeaway, in the bars' own numbers: how many concept rows each status has
    (a concept shared by several groups is in each of their rows) and, where rows overlap, how
    many distinct concepts there are in each status; then which group has the most good and the
    most deteriorating, and which have no sourced indicator."""
    exploded = progress.assign(group=progress[by].str.split(";")).explode("group")
    inside = exploded[exploded["group"].isin(groups)]
    concepts = representatives(inside.drop_duplicates("indicator_id"))
    n = len(concepts)
    counts = _status_counts(progress, groups, by)
    placements = int(counts.to_numpy().sum())
    fields = {"n": n, "concepts": noun(n, "concept"), "groups": len(groups)}
    phrase = _counts_phrase(concepts["status"]) if n else "0"
    if placements == n:
        text = _alt("snapshot", counts=phrase, **fields)
    else:
        per_group = (
            inside.drop_duplicates(["group", "concept"]).groupby("concept")["group"].nunique()
        )
        bars = pd.Series({s: int(counts[s].sum()) for s in counts.columns})
        text = _alt(
            "snapshot_shared",
            placements=placements,
            shared=int((per_group > 1).sum()),
            bar_counts=_counts_phrase(bars.repeat(bars.to_numpy()).index.to_series()),
            counts=phrase,
            **fields,
        )
    totals = counts.sum(axis=1)
    good = counts[[c for c in counts.columns if c in GOOD]].sum(axis=1)
    bad = counts[[c for c in counts.columns if c in BAD]].sum(axis=1)
    if good.max() > 0:
        g = good.idxmax()
        text += _alt(
            "snapshot_best", group=_short_group(groups[g]), k=int(good[g]), total=int(totals[g])
        )
    if bad.max() > 0:
        g = bad.idxmax()
        text += _alt(
            "snapshot_worst", group=_short_group(groups[g]), k=int(bad[g]), total=int(totals[g])
        )
    empty = [_short_group(groups[g]) for g in counts.index if not totals[g]]
    if empty:
        names = empty[0] if len(empty) == 1 else ", ".join(empty[:-1]) + " and " + empty[-1]
        verb = noun(len(empty), "snapshot_empty", "alt")
        text += _alt("snapshot_empty", names=names, verb=verb)
    return text


# --- c. small multiples of the assessed indicators -----------------------------------------------


def _panel_grid(n: int, ncols: int, height: float) -> tuple[Figure, np.ndarray]:
    """A text-column-wide grid of at least one row with room for n panels `height` inches tall,
    at most MAX_COLUMNS to a row (more would shrink panels below readability)."""
    ncols = min(ncols, MAX_COLUMNS)
    nrows = max(1, -(-n // ncols))
    return plt.subplots(
        nrows,
        ncols,
        figsize=(FIG_WIDTH, height * nrows + 0.6),
        layout="constrained",
        squeeze=False,
    )


def _annual_value_position(annualised: str, freq: str) -> float:
    """Where in its year an annual value sits on a sub-annual time axis: December for a December
    value, the middle of the year's periods for an annual average, the year itself otherwise."""
    per_year = PER_YEAR[freq]
    if annualised.startswith("December"):
        return (per_year - 1) / per_year
    if annualised.startswith("annual average"):
        return (per_year - 1) / (2 * per_year)
    return 0.0


def _assessed(progress: pd.DataFrame) -> pd.DataFrame:
    return progress[progress["base_period"].notna()].sort_values(["outcomes", "indicator_id"])


def _unit_of(tidy: pd.DataFrame, indicator_id: str) -> str:
    return str(tidy.loc[tidy["indicator_id"] == indicator_id, "unit"].iloc[0])


def _panel_title(row: pd.Series, width: int, freq: str = "A") -> str:
    """Indicator name (at most four lines) and its status, with the frequency of a quarterly or
    monthly series unless the name says it: no ids, no outcome codes."""
    name = _wrap(str(row["name"]), width, 4)
    status = status_label(row["status"], bool(row["target_missed"]))
    frequency = _fig(f"frequency_{freq}")
    if freq != "A" and frequency not in name.lower():
        status = _fig("status_frequency", status=status, frequency=frequency)
    return f"{name}\n{_wrap(status, width + 4, 2)}"


def _has_target(row: pd.Series) -> bool:
    return bool(pd.notna(row["target_value"]) and pd.notna(row["target_year"]))


def _annualised(row: pd.Series) -> str:
    value = row.get("annualised")
    return value if isinstance(value, str) else ""


def comparable_values(
    tidy: pd.DataFrame, row: pd.Series, breaks: dict[tuple[str, str], SeriesBreak] | None
) -> pd.Series:
    """A panel's headline series up to its declared break (the package's `x-series-breaks`, as
    the progress model reads them): later periods are not comparable and are not drawn."""
    values = series_values(tidy, row["indicator_id"], row["series"])
    brk = (breaks or {}).get((row["indicator_id"], row["series"]))
    return values if brk is None else values[values.index < brk.first]


def _marked(xs: np.ndarray, ys: np.ndarray, freq: str) -> bool:
    """Markers on every observation of a sparse series: few points, points more than a year
    apart, or (any frequency) a series with gaps, whose pieces would otherwise be fragments."""
    if freq == "A" and _sparse(xs):
        return True
    return bool(np.isnan(ys).any()) or np.isfinite(ys).sum() <= SPARSE_POINTS


#: Inches of one row of small multiples at PHONE_FONT (a four-line title and the plot).
MULTIPLES_ROW = 3.3


@phone_column
def progress_small_multiples(
    tidy: pd.DataFrame,
    progress: pd.DataFrame,
    ncols: int = 2,
    breaks: dict[tuple[str, str], SeriesBreak] | None = None,
) -> Figure:
    """One panel per assessed indicator (two per row at the text column's width, text legible on
    a phone): its headline series up to any declared break (markers where sparse or gapped,
    broken across gaps), the base and latest values assessed, and the straight path to the
    target where one exists; axes from zero for non-negative series, large levels in millions."""
    rows = _assessed(progress)
    n = len(rows)
    fig, axes = _panel_grid(n, ncols, MULTIPLES_ROW)
    any_target = False
    for ax, (_, row) in zip(axes.flat, rows.iterrows(), strict=False):
        values = comparable_values(tidy, row, breaks)
        freq = infer_freq(values.index)
        unit = _unit_of(tidy, row["indicator_id"])
        divisor, shown_unit = readable_scale(unit, values.to_numpy())
        xs, ys = break_gaps(
            [decimal_year(p, freq) for p in values.index], values.to_numpy() / divisor
        )
        marked = _marked(xs, ys, freq)
        ax.plot(
            xs, ys, color=OKABE_ITO["blue"], linewidth=1.4 if freq == "A" else 1.1,
            marker="o" if marked else None, markersize=3.5 if freq == "A" else 2.5,
        )  # fmt: skip
        ends = [int(row["base_period"]), int(row["latest_period"])]
        points = [row["base_value"] / divisor, row["latest_value"] / divisor]
        ax.plot(
            [year + _annual_value_position(_annualised(row), freq) for year in ends],
            points,
            "o",
            color=OKABE_ITO["black"],
            markersize=6,
        )
        drawn = [*ys, *points]
        if _has_target(row):
            any_target = True
            ax.plot(
                [ends[0], int(row["target_year"])],
                [row["base_value"] / divisor, row["target_value"] / divisor],
                linestyle="--",
                color=OKABE_ITO["vermillion"],
                linewidth=1.4,
            )
            drawn.append(row["target_value"] / divisor)
        ax.set_title(_panel_title(row, 28, freq), fontsize=PHONE_FONT)
        ax.set_ylabel(axis_unit(shown_unit, 24))
        zero_based(ax, drawn)
        _value_axis(ax, nbins=4)
        low, high = ax.get_xlim()
        observed = xs[np.isfinite(ys)] if freq == "A" else []
        ax.xaxis.set_major_locator(FixedLocator(year_ticks(observed, low, high)))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
        ax.set_xlim(low, high)
        _grid(ax)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles = [
        Line2D([], [], color=OKABE_ITO["blue"], marker="o", markersize=3.5, label=_fig("observed")),
        Line2D(
            [],
            [],
            color=OKABE_ITO["black"],
            marker="o",
            markersize=6,
            linestyle="",
            label=_fig("assessed_points"),
        ),
    ]
    if any_target:
        handles.append(
            Line2D([], [], color=OKABE_ITO["vermillion"], linestyle="--", label=_fig("target_path"))
        )
    fig.legend(handles=handles, frameon=False, loc="outside upper center", ncol=1)
    return fig


def progress_multiples_data(
    tidy: pd.DataFrame,
    progress: pd.DataFrame,
    breaks: dict[tuple[str, str], SeriesBreak] | None = None,
) -> pd.DataFrame:
    """Every point of `progress_small_multiples`: indicator, status, unit, period, value and what
    the point is (an observation, the base or latest value assessed, or the target); values in
    the series' own unit, periods after a declared break left out as in the figure."""
    records = []
    for _, row in _assessed(progress).iterrows():
        common = {
            _col("indicator"): row["name"],
            _col("status"): status_label(row["status"], bool(row["target_missed"])),
            _col("unit"): _unit_of(tidy, row["indicator_id"]),
        }
        values = comparable_values(tidy, row, breaks)
        for period, value in values.items():
            records.append(
                common
                | {
                    _col("period"): period_text(str(period)),
                    _col("value"): value,
                    _col("point"): _fig("observed"),
                }
            )
        points = [
            (row["base_period"], row["base_value"], "base_point"),
            (row["latest_period"], row["latest_value"], "latest_point"),
        ]
        if _has_target(row):
            points.append((int(row["target_year"]), row["target_value"], "target_point"))
        for period, value, kind in points:
            records.append(
                common
                | {
                    _col("period"): str(int(period)),
                    _col("value"): value,
                    _col("point"): _col(kind),
                }
            )
    return pd.DataFrame(records)


def progress_multiples_alt(progress: pd.DataFrame) -> str:
    """The small multiples' takeaway: how many indicators are in each status, how many have a
    target and how many missed its date."""
    rows = _assessed(progress)
    n = len(rows)
    text = _alt(
        "multiples",
        n=n,
        indicators=noun(n, "indicator"),
        counts=_counts_phrase(rows["status"]) if n else "0",
    )
    targets = int(rows.apply(_has_target, axis=1).sum()) if n else 0
    if targets:
        text += _alt(
            "multiples_targets",
            k=targets,
            indicators=noun(targets, "indicator"),
            verb=noun(targets, "has", "alt"),
        )
        missed = int(rows["target_missed"].astype(bool).sum())
        if missed:
            text += _alt("multiples_missed", k=missed, its=noun(missed, "its", "alt"))
        text += "."
    return text


# --- d. recovery panels --------------------------------------------------------------------------


def _recovery_parts(row: pd.Series, tidy, counterfactuals, forecasts):
    """The observed values split at the series' declared break (the values from it on are not
    drawn; the data table marks them), and the trend and forecast rows of one series."""
    same = lambda frame: frame[  # noqa: E731
        (frame["indicator_id"] == row["indicator_id"]) & (frame["series"] == row["series"])
    ]
    values = series_values(tidy, row["indicator_id"], row["series"])
    later = values.iloc[0:0]
    if pd.notna(row.get("last_comparable")) and row.get("last_comparable"):
        later = values[values.index > str(row["last_comparable"])]
        values = values[values.index <= str(row["last_comparable"])]
    return values, later, same(counterfactuals), same(forecasts)


#: gid of the marks drawn on a y axis that does not start at zero.
AXIS_BREAK = "axis-break"


def mark_axis_break(ax: plt.Axes) -> None:
    """Two short slashes across the foot of the y axis when it does not start at zero (a share's
    axis may then be fitted to its data, so a prediction band stays visible: the mark says so)."""
    if ax.get_ylim()[0] <= 0:
        return
    style = dict(transform=ax.transAxes, color="black", linewidth=1, clip_on=False, gid=AXIS_BREAK)
    for dy in (0.0, 0.03):
        ax.plot([-0.02, 0.02], [0.02 + dy, 0.05 + dy], **style)


def _note_first_quarter(ax: plt.Axes, row: pd.Series) -> None:
    """A note beside the shock line of first-quarter values, which stands a year after the
    others: their shock-year value precedes the lockdown."""
    ax.annotate(
        _fig("first_quarter_shock", year=int(row["shock_year"])),
        xy=(decimal_year(row["shock_start"], row["freq"]), 0.97),
        xycoords=("data", "axes fraction"),
        xytext=(4, 0),
        textcoords="offset points",
        ha="left",
        va="top",
        color=OKABE_ITO["vermillion"],
        gid="first-quarter-note",
    )


def _recovery_title(row: pd.Series) -> str:
    freq = _fig(f"frequency_{row['freq']}")
    source = f"{series_label(row['series'])}, {freq}"
    return f"{_wrap(str(row['name']), 30, 3)}\n{_wrap(source, 30, 2)}"


_AXIS_BREAK_HANDLE = Line2D([], [], color="black", marker="$//$", markersize=9, linestyle="")


@text_column
def recovery_panels(
    tidy: pd.DataFrame,
    recovery: pd.DataFrame,
    counterfactuals: pd.DataFrame,
    forecasts: pd.DataFrame,
    ncols: int = 2,
) -> Figure:
    """One panel per recovery series, two per row: observed values (broken across gaps), the
    pre-shock trend counterfactual with its prediction band, the pre-crisis reference level, the
    shock's first period and the forecast fan to the horizon. Band labels carry the run's
    confidence level; only a usable forecast is drawn (display.usable_forecast: not too uncertain,
    its fit converged; the trend table says which); no reference line where the reference is the
    same month of the year before the shock; values after a declared series break are not drawn.
    Every y axis is fitted to its panel's data, with a mark where it does not start at zero, so
    the trend bands the text discusses stay visible; first-quarter values carry a note at their
    later shock line. One legend for all panels, including the shock and the axis mark."""
    n = len(recovery)
    level = f"{100 * float(recovery['confidence_level'].iloc[0]):g}%"
    fig, axes = _panel_grid(n, ncols, 3.0)
    legend: dict[str, object] = {}
    for ax, (_, row) in zip(axes.flat, recovery.iterrows(), strict=False):
        values, _, cf, fc = _recovery_parts(row, tidy, counterfactuals, forecasts)
        freq = row["freq"]
        xs, ys = break_gaps([decimal_year(p, freq) for p in values.index], values.to_numpy())
        _plot_line(
            ax,
            xs,
            ys,
            _marked(xs, ys, freq),  # markers where sparse or gapped (IMSS), not fragments
            color=OKABE_ITO["black"],
            linewidth=1.3,
            label=_fig("observed"),
        )
        if not cf.empty:
            cx = [decimal_year(p, freq) for p in cf["period"]]
            ax.fill_between(
                cx, cf["lower"], cf["upper"], color=OKABE_ITO["sky"], alpha=0.35, linewidth=0,
                label=_fig("trend_band", level=level),
            )  # fmt: skip
            ax.plot(
                cx,
                cf["expected"],
                color=OKABE_ITO["blue"],
                linestyle="--",
                linewidth=1.1,
                label=_fig("trend_expected"),
            )
        if not fc.empty and usable_forecast(row):  # too uncertain or unstable: not drawn
            fx = [decimal_year(p, freq) for p in fc["period"]]
            ax.fill_between(
                fx, fc["lower"], fc["upper"], color=OKABE_ITO["orange"], alpha=0.25, linewidth=0,
                label=_fig("forecast_band", level=level),
            )  # fmt: skip
            ax.plot(fx, fc["mean"], color=OKABE_ITO["orange"], linewidth=1.1)
        if pd.notna(row["reference_value"]) and row.get("reference_rule") != "same period":
            ax.axhline(
                row["reference_value"], color=OKABE_ITO["grey"], linestyle=":", linewidth=1.2,
                label=_fig("reference"),
            )  # fmt: skip
        ax.axvline(
            decimal_year(row["shock_start"], freq),
            color=OKABE_ITO["vermillion"],
            linewidth=1,
            label=_fig("shock_start"),
        )
        if bool(row.get("first_quarter_values")):
            _note_first_quarter(ax, row)
        ax.set_title(_recovery_title(row), fontsize=MIN_FONT)
        ax.set_ylabel(_wrap(str(row["unit"]), 30, 3))
        ax.yaxis.set_major_formatter(FuncFormatter(_number))
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
        _grid(ax)
        mark_axis_break(ax)  # every panel fitted to its data, marked where not from zero
        if ax.get_ylim()[0] > 0:
            legend.setdefault(_fig("axis_break"), _AXIS_BREAK_HANDLE)
        for handle, text in zip(*ax.get_legend_handles_labels(), strict=True):
            legend.setdefault(text, handle)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    fig.legend(
        list(legend.values()), list(legend), frameon=False, loc="outside upper center", ncol=2
    )
    return fig


def recovery_data(
    tidy: pd.DataFrame,
    recovery: pd.DataFrame,
    counterfactuals: pd.DataFrame,
    forecasts: pd.DataFrame,
) -> pd.DataFrame:
    """Every period of `recovery_panels`, one row per series and period: observed value, trend
    with its band, forecast with its band, in the series' unit."""
    frames = []
    for _, row in recovery.iterrows():
        values, later, cf, fc = _recovery_parts(row, tidy, counterfactuals, forecasts)
        used = pd.Series(_col("used_yes"), index=values.index)
        left_out = pd.Series(_col("used_after_break"), index=later.index)
        parts = [
            pd.concat([values, later]).rename(_col("observed")),
            pd.concat([used, left_out]).rename(_col("used")),
            cf.set_index("period")[["expected", "lower", "upper"]].set_axis(
                [_col("trend"), _col("trend_low"), _col("trend_high")], axis=1
            ),
        ]
        if not fc.empty:
            columns = ["mean", "lower", "upper"] if usable_forecast(row) else ["mean"]
            names = [_col("forecast"), _col("forecast_low"), _col("forecast_high")][: len(columns)]
            parts.append(fc.set_index("period")[columns].set_axis(names, axis=1))
        table = pd.concat(parts, axis=1).sort_index()
        table.insert(0, _col("period"), [period_text(str(p)) for p in table.index])
        table.insert(0, _col("unit"), row["unit"])
        table.insert(0, _col("series"), series_label(row["series"]))
        table.insert(0, _col("indicator"), row["name"])
        frames.append(table.reset_index(drop=True))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def _recovery_phrase(row: pd.Series) -> str:
    name, reference = str(row["name"]), period_text(str(row["reference_period"]))
    if row["recovery_status"] == "never worse than the reference":
        return _alt("recovery_never", name=name, reference=reference)
    percent = row["change_unit"] == "percent"
    value = float(row["depth_pct"] if percent else row["depth"])
    text = _alt(
        "recovery_depth_percent" if percent else "recovery_depth_points",
        name=name,
        value=f"{abs(value):.1f}",
        side=_alt("below" if value < 0 else "above"),
        reference=reference,
        worst=period_text(str(row["worst_period"])),
    )
    if isinstance(row["recovery_period"], str) and row["recovery_period"]:
        return text + _alt("recovery_back", period=period_text(row["recovery_period"]))
    return text + _alt("recovery_not_back", period=period_text(str(row["last_period"])))


def recovery_alt(recovery: pd.DataFrame) -> str:
    """The recovery panels' takeaway: per series, the depth of the fall against its pre-crisis
    reference (percent for levels, percentage points for rates) and when it was back."""
    return "; ".join(_recovery_phrase(row) for _, row in recovery.iterrows()) + "."


# --- e. states ranked ----------------------------------------------------------------------------


@text_column
def state_ranking_figure(
    ranked: pd.DataFrame, national: float | None, unit: str, missing: int
) -> Figure:
    """States ranked by value (horizontal bars, values written at their ends), the national value
    as a line; missing states are named in the text, not drawn."""
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, 0.26 * len(ranked) + 1.3), layout="constrained")
    bars = ax.barh(ranked["state"][::-1], ranked["value"][::-1], color=OKABE_ITO["blue"])
    ax.bar_label(bars, labels=[f"{v:.1f}" for v in ranked["value"][::-1]], padding=2)
    if national is not None:
        ax.axvline(
            national,
            color=OKABE_ITO["vermillion"],
            linestyle="--",
            linewidth=1.2,
            label=_fig("national", value=f"{national:.1f}"),
        )
        ax.legend(frameon=False, loc="lower right")
    ax.set_xlabel(unit)
    ax.set_ylim(-0.7, len(ranked) - 0.3)
    ax.tick_params(axis="y", length=0)
    ax.margins(x=0.08)
    _grid(ax, "x")
    title = (
        _fig("states_all", n=len(ranked))
        if not missing
        else _fig("states_some", n=len(ranked), missing=missing)
    )
    ax.set_title(title)
    return fig


def state_ranking_data(ranked: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The bars of `state_ranking_figure`, highest first: rank, state and value in `unit`."""
    return pd.DataFrame(
        {
            _col("rank"): range(1, len(ranked) + 1),
            _col("state"): ranked["state"].to_numpy(),
            unit: ranked["value"].round(2).to_numpy(),
        }
    )


def state_ranking_alt(ranked: pd.DataFrame, national: float | None, unit: str, missing: int) -> str:
    """The ranking's takeaway: the range across states, how many lie above the national value,
    and how many are missing."""
    n = len(ranked)
    high, low = ranked.loc[ranked["value"].idxmax()], ranked.loc[ranked["value"].idxmin()]
    text = _alt(
        "ranking",
        n=n,
        states=noun(n, "state"),
        unit=unit,
        low=f"{low['value']:.1f}",
        low_state=low["state"],
        high=f"{high['value']:.1f}",
        high_state=high["state"],
    )
    if national is not None:
        above = int((ranked["value"] > national).sum())
        text += _alt(
            "ranking_national", national=f"{national:.1f}", above=above,
            states_above=noun(above, "state"), lie=noun(above, "lie", "alt"),
        )  # fmt: skip
    if missing:
        text += _alt("ranking_missing", missing=missing, states=noun(missing, "state"))
    return text


# --- f. releases of one indicator ----------------------------------------------------------------

#: Release colours: Okabe-Ito without yellow (too light on white), then black and grey.
_RELEASE_COLOURS = [
    OKABE_ITO[c]
    for c in ("blue", "orange", "green", "vermillion", "purple", "sky", "black", "grey")
]
_RELEASE_MARKERS = ["o", "s", "^", "D", "v", "P", "X", "*"]
_RELEASE_LINES = ["-", "--", ":", "-."]
#: Releases whose figures differ by less than this share (%) for every common year draw one
#: line over the other; the figure says which.
OVERLAP_PCT = 1.0


def releases_in_order(tidy: pd.DataFrame, indicator_id: str) -> dict[str, pd.Series]:
    """Release (series id) -> its annual values by year, releases from the oldest vintage to the
    newest (then by id)."""
    rows = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["geo"] == "MEX")]
    vintage = rows.groupby("series")["vintage"].first().astype(str)
    order = sorted(vintage.index, key=lambda series: (vintage[series], series))
    return {
        series: (lambda g: g.set_index(g["period"].astype(int))["value"].sort_index())(
            rows[rows["series"] == series]
        )
        for series in order
    }


def overlapping_releases(
    releases: dict[str, pd.Series], within_pct: float = OVERLAP_PCT
) -> list[tuple[str, str, float]]:
    """Pairs of releases (older first) with at least two years in common whose figures differ by
    less than `within_pct` percent in every common year, with their largest difference (%)."""
    names = list(releases)
    pairs = []
    for i, first in enumerate(names):
        for second in names[i + 1 :]:
            a, b = releases[first].align(releases[second], join="inner")
            if len(a) < 2:
                continue
            gap = float((100 * (a - b).abs() / b.abs()).max())
            if gap < within_pct:
                pairs.append((first, second, gap))
    return pairs


@text_column
def releases_figure(
    tidy: pd.DataFrame, indicator_id: str, unit: str, x_label: str | None = None
) -> Figure:
    """Every release (series) of one indicator as its own line, oldest first, each with its own
    colour, line style and open marker (smaller for later releases, so coinciding points stay
    visible), a missing year breaking the line; the axis starts at zero; the legend in one
    column below the plot, and a note naming the releases whose lines lie on each other."""
    releases = releases_in_order(tidy, indicator_id)
    pairs = overlapping_releases(releases)
    height = 4.6 + 0.22 * len(releases) + (0.5 if pairs else 0)
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, height), layout="constrained")
    sizes = np.linspace(11, 5, max(len(releases), 2))
    for k, (series, values) in enumerate(releases.items()):
        values = values.reindex(range(values.index.min(), values.index.max() + 1))
        ax.plot(
            values.index, values.to_numpy(), linewidth=1.3,
            color=_RELEASE_COLOURS[k % len(_RELEASE_COLOURS)],
            linestyle=_RELEASE_LINES[k % len(_RELEASE_LINES)],
            marker=_RELEASE_MARKERS[k % len(_RELEASE_MARKERS)], markersize=sizes[k],
            markerfacecolor="none", markeredgewidth=1.3, label=series_label(series),
        )  # fmt: skip
    ax.set_ylabel(_fig("per_year", unit=unit))
    ax.set_xlabel(x_label or _fig("reference_year_axis"))
    ax.set_ylim(bottom=0)
    ax.yaxis.set_major_locator(MaxNLocator(nbins=6, steps=NICE_STEPS))
    ax.yaxis.set_major_formatter(UniformTicks())
    years = sorted({int(y) for values in releases.values() for y in values.index})
    ax.xaxis.set_major_locator(FixedLocator(year_ticks(years, years[0] - 0.5, years[-1] + 0.5, 7)))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:.0f}"))
    _grid(ax)
    fig.legend(
        frameon=False, loc="outside lower left", ncol=1, title=_fig("release_legend"),
        alignment="left",
    )  # fmt: skip
    if pairs:
        note = _fig(
            "releases_overlap",
            n=len(pairs),
            pairs=noun(len(pairs), "release_pair"),
            share=f"{max(gap for *_, gap in pairs):.1f}",
        )
        ax.set_title(_wrap(note, 95, 3), loc="left", fontsize=MIN_FONT, color="#333333")
    return fig


def releases_data(tidy: pd.DataFrame, indicator_id: str, unit: str) -> pd.DataFrame:
    """Every point of `releases_figure`: release, year and value in `unit` per year."""
    column = _fig("per_year", unit=unit)
    return pd.DataFrame(
        [
            {_col("release"): series_label(series), _col("year"): int(year), column: value}
            for series, values in releases_in_order(tidy, indicator_id).items()
            for year, value in values.items()
        ]
    )


def releases_alt(tidy: pd.DataFrame, indicator_id: str, unit: str) -> str:
    """The releases' takeaway: how many, what the latest gives for its latest year, the highest
    figure and the largest difference between releases for one year."""
    releases = releases_in_order(tidy, indicator_id)
    latest_year = max(int(v.index.max()) for v in releases.values())
    latest = [s for s, v in releases.items() if latest_year in v.index][-1]
    stacked = pd.DataFrame(releases)
    peak_year = int(stacked.max(axis=1).idxmax())
    peak_release = stacked.loc[peak_year].idxmax()
    text = _alt(
        "releases",
        n=len(releases),
        releases=noun(len(releases), "release"),
        latest=series_label(latest),
        value=f"{releases[latest][latest_year]:,.0f}",
        unit=unit,
        year=latest_year,
        peak=f"{stacked.loc[peak_year, peak_release]:,.0f}",
        peak_year=peak_year,
        peak_release=series_label(peak_release),
    )
    spread = (stacked.max(axis=1) - stacked.min(axis=1))[stacked.count(axis=1) > 1]
    if not spread.empty and spread.max() > 0:
        text += _alt(
            "releases_revision", difference=f"{spread.max():,.0f}", year=int(spread.idxmax())
        )
    return text
