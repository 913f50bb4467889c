"""Figures for the reports: colour-blind-safe palette (Okabe-Ito), units on axes, breaks marked."""

from __future__ import annotations

import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator

from analysis.summary import SERIES_LABELS, level_recovery, series_values

#: Okabe & Ito (2008) palette, distinguishable with the common colour-vision deficiencies.
OKABE_ITO = {
    "blue": "#0072B2",
    "orange": "#E69F00",
    "vermillion": "#D55E00",
    "green": "#009E73",
    "sky": "#56B4E9",
    "purple": "#CC79A7",
    "yellow": "#F0E442",
    "black": "#000000",
    "grey": "#8C8C8C",
}


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
    rec = level_recovery(levels, shock_year)
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
