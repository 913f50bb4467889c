"""Figures for the reports: colour-blind-safe palette (Okabe-Ito), units on axes, breaks marked."""

from __future__ import annotations

import textwrap

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from analysis.clean.tidy import series_values
from analysis.core.periods import PER_YEAR, decimal_year, infer_freq
from analysis.models.progress import representatives
from analysis.models.recovery import peak_trough_recovery
from analysis.models.status import OKABE_ITO, STATUS_COLOURS, STATUS_ORDER
from analysis.report.facts import SERIES_LABELS
from analysis.report.words import status_label


def _style(ax: plt.Axes, title: str, ylabel: str) -> None:
    ax.set_title(title, loc="left", fontsize=11, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.spines[["top", "right"]].set_visible(False)
    ax.grid(axis="y", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)


def plot_poverty_series(ax: plt.Axes, tidy: pd.DataFrame) -> None:
    """Both CONEVAL series as separate lines, never joined, with the methodology break marked."""
    styles = {
        "coneval_2008_2018": dict(color=OKABE_ITO["orange"], marker="s", linestyle="--"),
        "lineamientos_2018": dict(color=OKABE_ITO["blue"], marker="o", linestyle="-"),
    }
    for series, style in styles.items():
        values = series_values(tidy, "poverty_multidimensional_pct", series)
        ax.plot(values.index.astype(int), values.to_numpy(), label=SERIES_LABELS[series], **style)
    ax.axvspan(2016, 2018, color=OKABE_ITO["grey"], alpha=0.15, linewidth=0)
    ax.text(
        2017,
        0.45,
        "methodology break:\n2016-2018 in both\nseries, not comparable",
        transform=ax.get_xaxis_transform(),
        ha="center",
        va="center",
        fontsize=7.5,
        color="#444444",
    )
    ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=5))
    ax.legend(fontsize=8, frameon=False, loc="lower left")
    _style(ax, "a. Multidimensional poverty", "% of population")


def plot_gdp_growth(
    ax: plt.Axes, tidy: pd.DataFrame, shock_year: int, first_year: int = 2000
) -> None:
    """Annual real GDP growth (WDI) as bars, the shock year highlighted."""
    growth = series_values(tidy, "gdp_real_growth", "wdi")
    growth = growth[growth.index.astype(int) >= first_year]
    years = growth.index.astype(int)
    colours = [OKABE_ITO["vermillion"] if y == shock_year else OKABE_ITO["sky"] for y in years]
    ax.bar(years, growth.to_numpy(), color=colours, width=0.8)
    ax.axhline(0, color="#333333", linewidth=0.8)
    _style(ax, "b. Real GDP growth (World Bank WDI)", "% change on previous year")


def plot_gdp_quarterly(ax: plt.Axes, tidy: pd.DataFrame, shock_year: int) -> None:
    """Quarterly seasonally adjusted real GDP as an index, pre-shock peak = 100."""
    levels = series_values(tidy, "gdp_real_sa_level", "inegi_base2018_sa")
    rec = peak_trough_recovery(levels, f"{shock_year}Q1")
    index = 100 * levels / rec.peak_value
    positions = range(len(index))
    ax.plot(list(positions), index.to_numpy(), color=OKABE_ITO["blue"], linewidth=1.8)
    ax.axhline(100, color=OKABE_ITO["grey"], linestyle="--", linewidth=1)
    trough_at = list(index.index).index(rec.trough_period)
    ax.annotate(
        f"trough {rec.trough_period}",
        xy=(trough_at, index[rec.trough_period]),
        xytext=(trough_at + 2, index[rec.trough_period] + 1),
        fontsize=8,
        color=OKABE_ITO["vermillion"],
    )
    ticks = [i for i, p in enumerate(index.index) if p.endswith("Q1") and int(p[:4]) % 2 == 1]
    ax.set_xticks(ticks, [index.index[i][:4] for i in ticks])
    _style(
        ax,
        f"c. Quarterly real GDP (INEGI), {rec.peak_period} = 100",
        f"index, {rec.peak_period} = 100",
    )


def overview_figure(tidy: pd.DataFrame, shock_year: int) -> Figure:
    """Three panels: poverty (both series), annual GDP growth, quarterly GDP index."""
    fig, axes = plt.subplots(1, 3, figsize=(12, 4.2), dpi=110, layout="constrained")
    plot_poverty_series(axes[0], tidy)
    plot_gdp_growth(axes[1], tidy, shock_year)
    plot_gdp_quarterly(axes[2], tidy, shock_year)
    return fig


def status_snapshot(progress: pd.DataFrame, groups: dict[str, str], by: str = "outcomes") -> Figure:
    """Horizontal stacked bars: how many concepts of each group (outcome or cross-cutting area) are
    in each status, each concept counted once per group (see models.progress.representatives); the bar
    length is the number of concepts the group rests on."""
    exploded = progress.assign(group=progress[by].str.split(";")).explode("group")
    exploded = pd.concat(
        [representatives(rows) for _, rows in exploded.groupby("group", sort=False)]
    )
    exploded = exploded[exploded["group"].isin(groups)]
    counts = exploded.groupby(["group", "status"]).size().unstack(fill_value=0)
    counts = counts.reindex(index=list(groups)[::-1], fill_value=0)
    statuses = [s for s in STATUS_ORDER if s in counts.columns]
    fig, ax = plt.subplots(figsize=(10, 0.55 * len(groups) + 1.8), dpi=100, layout="constrained")
    left = pd.Series(0, index=counts.index)
    labels = [
        "\n".join(textwrap.wrap(groups[g], width=55, max_lines=2, placeholder="..."))
        for g in counts.index
    ]
    for status in statuses:
        ax.barh(
            labels,
            counts[status],
            left=left,
            color=STATUS_COLOURS[status],
            edgecolor="white",
            label=status,
        )
        left += counts[status]
    ax.set_xlabel("number of concepts")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(axis="y", labelsize=8)
    fig.legend(fontsize=8, frameon=False, loc="outside lower center", ncol=5)
    return fig


def _panel_grid(
    n: int, ncols: int, panel: tuple[float, float], dpi: int
) -> tuple[Figure, np.ndarray]:
    """A grid of at least one row with room for n panels of `panel` inches each."""
    nrows = max(1, -(-n // ncols))
    return plt.subplots(
        nrows,
        ncols,
        figsize=(panel[0] * ncols, panel[1] * nrows),
        dpi=dpi,
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


def progress_small_multiples(tidy: pd.DataFrame, progress: pd.DataFrame, ncols: int = 4) -> Figure:
    """One panel per assessed indicator: its headline series, the base and latest points used, and
    the required path to the target where a target exists."""
    rows = progress[progress["base_period"].notna()].sort_values(["outcomes", "indicator_id"])
    n = len(rows)
    fig, axes = _panel_grid(n, ncols, (3.0, 2.8), dpi=100)
    for ax, (_, row) in zip(axes.flat, rows.iterrows(), strict=False):
        values = series_values(tidy, row["indicator_id"], row["series"])
        freq = infer_freq(values.index)
        # Sub-annual series are drawn as published; the dots are the annual values assessed.
        ax.plot(
            [decimal_year(p, freq) for p in values.index],
            values.to_numpy(),
            color=OKABE_ITO["blue"],
            linewidth=1.4 if freq == "A" else 0.9,
        )
        ends = [int(row["base_period"]), int(row["latest_period"])]
        ax.plot(
            [year + _annual_value_position(str(row["annualised"]), freq) for year in ends],
            [row["base_value"], row["latest_value"]],
            "o",
            color=OKABE_ITO["black"],
            markersize=3.5,
        )
        if pd.notna(row["target_value"]) and pd.notna(row["target_year"]):
            ax.plot(
                [ends[0], int(row["target_year"])],
                [row["base_value"], row["target_value"]],
                linestyle="--",
                color=OKABE_ITO["vermillion"],
                linewidth=1.1,
            )
        name = textwrap.shorten(row["name"], width=80, placeholder="...")
        title = "\n".join(textwrap.wrap(name, width=40)[:2])
        group = "; ".join(
            part
            for part in (row["outcomes"], row["cross_cutting"])
            if isinstance(part, str) and part
        )
        where = f"outcome {group}" if group and group[0].isdigit() else group
        status = status_label(row["status"], bool(row["target_missed"]))
        ax.set_title(f"{title}\n({where}) {status}", fontsize=9.5, loc="left")
        ax.tick_params(labelsize=9)
        unit = tidy.loc[tidy["indicator_id"] == row["indicator_id"], "unit"].iloc[0]
        ax.set_ylabel(unit[:28], fontsize=9)
        ax.yaxis.set_major_formatter(  # no offset text such as "1e7": the unit says the scale
            FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
        )
        ax.xaxis.set_major_locator(MaxNLocator(integer=True, nbins=4))
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    return fig


def recovery_panels(
    tidy: pd.DataFrame,
    recovery: pd.DataFrame,
    counterfactuals: pd.DataFrame,
    forecasts: pd.DataFrame,
    ncols: int = 3,
) -> Figure:
    """One panel per recovery series: observed values, the pre-shock trend counterfactual with its
    prediction band, the pre-crisis reference level, and the forecast fan to the horizon. Band
    labels carry the run's confidence level; no fan is drawn where the forecast is flagged too
    uncertain (its horizon interval is wider than the observed range), only the mean as a thin
    line; no reference line where the reference is the same month of the year before the shock."""
    n = len(recovery)
    level = f"{100 * float(recovery['confidence_level'].iloc[0]):g}%"
    fig, axes = _panel_grid(n, ncols, (4.3, 3.1), dpi=95)
    for ax, (_, row) in zip(axes.flat, recovery.iterrows(), strict=False):
        key = (counterfactuals["indicator_id"] == row["indicator_id"]) & (
            counterfactuals["series"] == row["series"]
        )
        cf = counterfactuals[key]
        fc = forecasts[
            (forecasts["indicator_id"] == row["indicator_id"])
            & (forecasts["series"] == row["series"])
        ]
        values = series_values(tidy, row["indicator_id"], row["series"])
        freq = row["freq"]
        if pd.notna(row.get("last_comparable")) and row.get("last_comparable"):
            # after a series break: shown apart, left out of every fit
            later = values[values.index > str(row["last_comparable"])]
            values = values[values.index <= str(row["last_comparable"])]
            ax.plot(
                [decimal_year(p, freq) for p in later.index],
                later.to_numpy(),
                color=OKABE_ITO["grey"],
                linestyle="--",
                linewidth=1.0,
            )
            ax.text(
                0.02,
                0.96,
                f"grey: after {row['last_comparable']}, series break",
                transform=ax.transAxes,
                fontsize=6.5,
                va="top",
                color=OKABE_ITO["grey"],
            )
        ax.plot(
            [decimal_year(p, freq) for p in values.index],
            values.to_numpy(),
            color=OKABE_ITO["black"],
            linewidth=1.3,
            label="observed",
        )
        if not cf.empty:
            xs = [decimal_year(p, freq) for p in cf["period"]]
            ax.fill_between(
                xs,
                cf["lower"],
                cf["upper"],
                color=OKABE_ITO["sky"],
                alpha=0.35,
                linewidth=0,
                label=f"pre-shock trend, {level} band",
            )
            ax.plot(xs, cf["expected"], color=OKABE_ITO["blue"], linestyle="--", linewidth=1.1)
        uncertain = not fc.empty and bool(fc["too_uncertain"].astype(str).eq("True").any())
        if not fc.empty and uncertain:
            xs = [decimal_year(p, freq) for p in fc["period"]]
            ax.plot(xs, fc["mean"], color=OKABE_ITO["orange"], linewidth=0.8, linestyle=":")
            ax.text(
                0.98,
                0.04,
                "forecast too uncertain:\nno band drawn",
                transform=ax.transAxes,
                ha="right",
                fontsize=6.5,
                color=OKABE_ITO["orange"],
            )
        elif not fc.empty:
            xs = [decimal_year(p, freq) for p in fc["period"]]
            ax.fill_between(
                xs,
                fc["lower"],
                fc["upper"],
                color=OKABE_ITO["orange"],
                alpha=0.25,
                linewidth=0,
                label=f"forecast, {level} band",
            )
            ax.plot(xs, fc["mean"], color=OKABE_ITO["orange"], linewidth=1.1)
        if pd.notna(row["reference_value"]) and row.get("reference_rule") != "same period":
            ax.axhline(
                row["reference_value"],
                color=OKABE_ITO["grey"],
                linestyle=":",
                linewidth=1,
                label="pre-crisis reference",
            )
        ax.axvline(
            decimal_year(row["shock_start"], freq), color=OKABE_ITO["vermillion"], linewidth=0.8
        )
        ax.set_title(
            f"{row['name'][:46]}\n({row['series']}, {row['freq']})", fontsize=8.5, loc="left"
        )
        ax.set_ylabel(str(row["unit"])[:40], fontsize=7)
        ax.yaxis.set_major_formatter(
            FuncFormatter(lambda v, _: f"{v:,.0f}" if abs(v) >= 1000 else f"{v:g}")
        )
        ax.tick_params(labelsize=7)
        ax.spines[["top", "right"]].set_visible(False)
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles, labels = axes.flat[0].get_legend_handles_labels()
    fig.legend(handles, labels, fontsize=8, frameon=False, loc="outside lower center", ncol=4)
    return fig


def state_ranking_figure(
    ranked: pd.DataFrame, national: float | None, unit: str, missing: int
) -> Figure:
    """States ranked by value (horizontal bars), the national value as a line; missing states are
    named in the caption, not drawn."""
    fig, ax = plt.subplots(figsize=(9, 0.3 * len(ranked) + 1.4), dpi=100, layout="constrained")
    ax.barh(ranked["state"][::-1], ranked["value"][::-1], color=OKABE_ITO["blue"])
    if national is not None:
        ax.axvline(
            national,
            color=OKABE_ITO["vermillion"],
            linestyle="--",
            linewidth=1.2,
            label=f"national: {national:.1f}",
        )
        ax.legend(fontsize=10, frameon=False, loc="lower right")
    ax.set_xlabel(unit, fontsize=10.5)
    ax.tick_params(labelsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    title = (
        f"all {len(ranked)} states"
        if not missing
        else f"{len(ranked)} states with data; {missing} without"
    )
    ax.set_title(title, loc="left", fontsize=10.5)
    return fig


def releases_figure(tidy: pd.DataFrame, indicator_id: str, unit: str) -> Figure:
    """Every release (series) of one indicator as its own line, so revisions stay visible."""
    rows = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["geo"] == "MEX")]
    colours = list(OKABE_ITO.values())
    fig, ax = plt.subplots(figsize=(9, 4), dpi=100, layout="constrained")
    for colour, (series, group) in zip(colours, rows.groupby("series", sort=True), strict=False):
        values = group.set_index(group["period"].astype(int))["value"].sort_index()
        values = values.reindex(
            range(values.index.min(), values.index.max() + 1)
        )  # gaps break lines
        ax.plot(
            values.index,
            values.to_numpy(),
            marker="o",
            markersize=3.5,
            linewidth=1.2,
            color=colour,
            label=series,
        )
    ax.set_ylabel(unit)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.spines[["top", "right"]].set_visible(False)
    ax.legend(fontsize=8, frameon=False, title="release", title_fontsize=8)
    return fig
