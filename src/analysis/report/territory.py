"""The territorial view (outcome 3, planning with a territorial approach): state poverty at the
Framework baseline and latest, its change in percentage points, mapped from the simplified INEGI
boundaries with matplotlib alone, a ranked dot plot, and remittances and GDP per person by state."""

from __future__ import annotations

import json
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.colors import BoundaryNorm, LinearSegmentedColormap, ListedColormap
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.ticker import FuncFormatter

from analysis.core import paths
from analysis.models.progress import base_year_for
from analysis.models.status import OKABE_ITO
from analysis.report.figures import (
    FIG_WIDTH,
    MIN_FONT,
    _alt,
    _col,
    _fig,
    text_column,
)
from analysis.report.labels import count, label, noun, text
from analysis.report.words import fmt_pct
from analysis.snapshot.catalog import STATE_CODES

#: Colour-blind-safe ends of the map scales: light to dark blue for rates; for changes, Okabe-Ito
#: blue (fall) and vermillion (rise), each from a pale tint, around a light grey middle class
#: (about no change) that stays visible against the white page.
_SEQUENTIAL = ("#eef5fb", "#0072B2", "#0b2f55")
NO_CHANGE_GREY = "#c8c8c8"
_FALL = ("#c6dcef", OKABE_ITO["blue"])
_RISE = ("#f6cdb0", OKABE_ITO["vermillion"])


def diverging_colours(n: int) -> list:
    """Colours of n (odd) diverging classes: blues darkening away from the middle on the fall
    side, the light grey NO_CHANGE_GREY in the middle, vermillions on the rise side."""
    side = n // 2
    pick = lambda ends: LinearSegmentedColormap.from_list("side", ends)(  # noqa: E731
        np.linspace(0, 1, side) if side > 1 else [1.0]
    )
    falls = list(pick(_FALL))[::-1] if side else []
    rises = list(pick(_RISE)) if side else []
    return [*falls, NO_CHANGE_GREY, *rises]


def read_state_shapes(path: str | Path = paths.STATE_GEOMETRY) -> dict[str, list[np.ndarray]]:
    """State code ('01'-'32') -> the outer rings of its polygons as (n, 2) lon/lat arrays."""
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    shapes: dict[str, list[np.ndarray]] = {}
    for feature in data["features"]:
        geometry = feature["geometry"]
        polygons = (
            [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
        )
        code = str(feature["properties"]["CVE_ENT"]).zfill(2)
        shapes[code] = [np.asarray(polygon[0], dtype=float) for polygon in polygons]
    return shapes


def _state_rows(tidy: pd.DataFrame, indicator_id: str, series: str) -> pd.DataFrame:
    return tidy[
        (tidy["indicator_id"] == indicator_id)
        & (tidy["series"] == series)
        & tidy["geo"].isin(STATE_CODES)
    ]


def complete_years(tidy: pd.DataFrame, indicator_id: str, series: str) -> list[int]:
    """Annual periods in which every one of the 32 states has a value, ascending."""
    rows = _state_rows(tidy, indicator_id, series)
    rows = rows[rows["freq"] == "A"]
    counts = rows.groupby("period")["geo"].nunique()
    return sorted(int(p) for p, n in counts.items() if n == len(STATE_CODES))


def poverty_change(
    tidy: pd.DataFrame,
    states: pd.DataFrame,
    base_year: int,
    indicator_id: str = "poverty_multidimensional_pct",
    series: str = "lineamientos_2018",
) -> pd.DataFrame:
    """Every state's rate at the baseline (the run's base year or the nearest year with all 32
    states within models.progress.base_year_for's tolerance) and in the latest such year, and the
    change in percentage points; sorted by the latest rate, highest first. Columns: geo, state,
    base_year, base, latest_year, latest, change_pp. No qualifying baseline is a ValueError."""
    years = complete_years(tidy, indicator_id, series)
    start = base_year_for(years, base_year)
    if start is None or years[-1] <= start:
        raise ValueError(
            f"{indicator_id} ({series}): no year with all 32 states near {base_year} and a later one"
        )
    latest = years[-1]
    rows = _state_rows(tidy, indicator_id, series)
    wide = rows.pivot_table(index="geo", columns="period", values="value", aggfunc="first")
    names = dict(zip(states["CVE_ENT"], states["NOM_CORTO"], strict=True))
    table = pd.DataFrame(
        {
            "geo": wide.index,
            "state": [names[g] for g in wide.index],
            "base_year": start,
            "base": wide[str(start)].to_numpy(),
            "latest_year": latest,
            "latest": wide[str(latest)].to_numpy(),
        }
    )
    table["change_pp"] = table["latest"] - table["base"]
    return table.sort_values("latest", ascending=False).reset_index(drop=True)


def territory_sentence(
    table: pd.DataFrame, base_year: int, national: tuple[float, float] | None = None
) -> str:
    """The spread and the extremes of `poverty_change`, in words: the range in both years, how
    many states fell or rose, the largest fall and rise, in percentage points; `base_year` is
    the run's baseline (said when the survey year used differs from it)."""
    b, t = int(table["base_year"].iloc[0]), int(table["latest_year"].iloc[0])
    baseline = (
        label("territory", "baseline_same")
        if b == base_year
        else text("territory.baseline_nearest", base_year=base_year)
    )
    low, high = table.loc[table["latest"].idxmin()], table.loc[table["latest"].idxmax()]
    b_low, b_high = table.loc[table["base"].idxmin()], table.loc[table["base"].idxmax()]
    fell = int((table["change_pp"] < 0).sum())
    rose = int((table["change_pp"] > 0).sum())
    down, up = table.loc[table["change_pp"].idxmin()], table.loc[table["change_pp"].idxmax()]
    sentence = text(
        "territory.spread",
        latest_year=t,
        low=fmt_pct(low["latest"]),
        low_state=low["state"],
        high=fmt_pct(high["latest"]),
        high_state=high["state"],
        states=count(len(table), "state"),
        gap=f"{high['latest'] - low['latest']:.1f}",
        base_year=b,
        baseline=baseline,
        base_low=fmt_pct(b_low["base"]),
        base_low_state=b_low["state"],
        base_high=fmt_pct(b_high["base"]),
        base_high_state=b_high["state"],
        base_gap=f"{b_high['base'] - b_low['base']:.1f}",
    )
    if national is not None:
        sentence += text(
            "territory.national", before=fmt_pct(national[0]), after=fmt_pct(national[1])
        )
    sentence += text(
        "territory.direction",
        base_year=b,
        latest_year=t,
        fell=count(fell, "state"),
        rose=count(rose, "state"),
    )
    if down["change_pp"] < 0:
        sentence += text(
            "territory.largest_fall", state=down["state"], amount=f"{abs(down['change_pp']):.1f}"
        )
    if up["change_pp"] > 0:
        sentence += text(
            "territory.largest_rise", state=up["state"], amount=f"{up['change_pp']:.1f}"
        )
    return sentence + label("territory", "end")


def _draw_states(ax: plt.Axes, shapes: dict[str, list[np.ndarray]], colours: dict[str, str]):
    polygons, faces = [], []
    for code, rings in shapes.items():
        for ring in rings:
            polygons.append(ring)
            faces.append(colours.get(code, "#ffffff"))
    ax.add_collection(
        PolyCollection(polygons, facecolors=faces, edgecolors="#555555", linewidths=0.3)
    )
    every = np.concatenate([ring for rings in shapes.values() for ring in rings])
    ax.set_xlim(every[:, 0].min() - 0.3, every[:, 0].max() + 0.3)
    ax.set_ylim(every[:, 1].min() - 0.3, every[:, 1].max() + 0.3)
    ax.set_aspect(1 / np.cos(np.radians(every[:, 1].mean())))  # equirectangular at mid-latitude
    ax.set_axis_off()


def map_classes(values: pd.Series, step: float, diverging: bool) -> np.ndarray:
    """Class edges on round multiples of `step` covering the values; when diverging, symmetric
    around 0 with a narrow middle class (-step/4 to +step/4: about no change), so that a rise of
    a point or two still shows as a rise: ..., -8, -4, -1, 1, 4, 8, ... for step 4."""
    if diverging:
        reach = max(1, int(np.ceil(values.abs().max() / step)))
        half = np.concatenate([[step / 4], step * np.arange(1, reach + 1)])
        return np.concatenate([-half[::-1], half])
    low = step * np.floor(values.min() / step)
    high = step * np.ceil(values.max() / step)
    return np.arange(low, high + step / 2, step)


def _choropleth(
    ax: plt.Axes,
    shapes: dict[str, list[np.ndarray]],
    values: pd.Series,
    edges: np.ndarray,
    diverging: bool,
    title: str,
) -> plt.cm.ScalarMappable:
    n = len(edges) - 1
    colours = (
        diverging_colours(n)
        if diverging
        else LinearSegmentedColormap.from_list("scale", _SEQUENTIAL)(np.linspace(0, 1, n))
    )
    cmap = ListedColormap(colours)
    norm = BoundaryNorm(edges, n)
    _draw_states(ax, shapes, {geo: cmap(norm(value)) for geo, value in values.items()})
    ax.set_title(title, loc="left", fontweight="bold")
    return plt.cm.ScalarMappable(norm=norm, cmap=cmap)


def _colourbar(fig: Figure, scale, axes, edges: np.ndarray, label: str) -> None:
    bar = fig.colorbar(
        scale, ax=axes, orientation="horizontal", fraction=0.05, pad=0.02, ticks=edges, aspect=40,
        drawedges=True,
    )  # fmt: skip
    bar.outline.set_edgecolor("#555555")
    bar.dividers.set_color("#555555")
    bar.set_label(label, fontsize=MIN_FONT)
    bar.ax.tick_params(labelsize=MIN_FONT)
    bar.ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g}"))


@text_column
def poverty_maps_figure(shapes: dict[str, list[np.ndarray]], table: pd.DataFrame) -> Figure:
    """Three maps: poverty at the baseline and latest year on one colour scale (top), and the
    change in percentage points on a diverging scale (below, centred)."""
    b, t = int(table["base_year"].iloc[0]), int(table["latest_year"].iloc[0])
    by_state = table.set_index("geo")
    edges = map_classes(pd.concat([table["base"], table["latest"]]), 10.0, diverging=False)
    change_edges = map_classes(by_state["change_pp"], 4.0, diverging=True)
    fig = plt.figure(figsize=(FIG_WIDTH, 7.0), layout="constrained")
    grid = fig.add_gridspec(2, 4)
    top = [fig.add_subplot(grid[0, :2]), fig.add_subplot(grid[0, 2:])]
    bottom = fig.add_subplot(grid[1, 1:3])
    scale = _choropleth(top[0], shapes, by_state["base"], edges, False, f"a. {b}")
    _choropleth(top[1], shapes, by_state["latest"], edges, False, f"b. {t}")
    _colourbar(fig, scale, top, edges, _fig("map_unit"))
    title = _fig("map_title_change", start=b, end=t)
    scale = _choropleth(bottom, shapes, by_state["change_pp"], change_edges, True, title)
    _colourbar(fig, scale, bottom, change_edges, _fig("map_change_unit"))
    return fig


def _poverty_frame(table: pd.DataFrame) -> pd.DataFrame:
    """`poverty_change` with display column names: state, baseline and latest rate, change."""
    b, t = int(table["base_year"].iloc[0]), int(table["latest_year"].iloc[0])
    return pd.DataFrame(
        {
            _col("state"): table["state"].to_numpy(),
            _col("poverty_base", year=b): table["base"].round(2).to_numpy(),
            _col("poverty_latest", year=t): table["latest"].round(2).to_numpy(),
            _col("poverty_change", start=b, end=t): table["change_pp"].round(2).to_numpy(),
        }
    )


def poverty_maps_data(table: pd.DataFrame) -> pd.DataFrame:
    """The values of `poverty_maps_figure`, one row per state (each state is drawn in all three
    maps): baseline and latest rate (%) and the change (percentage points)."""
    return _poverty_frame(table)


def poverty_dots_data(table: pd.DataFrame) -> pd.DataFrame:
    """The dots of `poverty_dots_figure`, one row per state in the figure's order (highest latest
    rate first): baseline and latest rate (%) and the change (percentage points)."""
    return _poverty_frame(table)


def _extremes(table: pd.DataFrame) -> dict[str, object]:
    """The numbers both poverty alt texts state: years, ranges, falls and rises."""
    low, high = table.loc[table["latest"].idxmin()], table.loc[table["latest"].idxmax()]
    b_low, b_high = table.loc[table["base"].idxmin()], table.loc[table["base"].idxmax()]
    down, up = table.loc[table["change_pp"].idxmin()], table.loc[table["change_pp"].idxmax()]
    fell = int((table["change_pp"] < 0).sum())
    return {
        "n": len(table),
        "start": int(table["base_year"].iloc[0]),
        "end": int(table["latest_year"].iloc[0]),
        "low": f"{low['latest']:.1f}",
        "low_state": low["state"],
        "high": f"{high['latest']:.1f}",
        "high_state": high["state"],
        "base_low": f"{b_low['base']:.1f}",
        "base_low_state": b_low["state"],
        "base_high": f"{b_high['base']:.1f}",
        "base_high_state": b_high["state"],
        "fell": fell,
        "states_fell": noun(fell, "state"),
        "rose": int((table["change_pp"] > 0).sum()),
        "fall": f"{abs(min(down['change_pp'], 0)):.1f}",
        "fall_state": down["state"],
        "rise": f"{max(up['change_pp'], 0):.1f}",
        "rise_state": up["state"],
        "rises": bool(up["change_pp"] > 0),
    }


def poverty_maps_alt(table: pd.DataFrame) -> str:
    """The maps' takeaway: the range across states in both years, how many fell and rose, the
    largest fall and rise in percentage points."""
    numbers = _extremes(table)
    text = _alt("maps", **numbers)
    return text + (_alt("maps_rise", **numbers) if numbers["rises"] else "")


def poverty_dots_alt(table: pd.DataFrame) -> str:
    """The dot plot's takeaway: the highest and lowest state in the latest year, how many fell
    and rose, the largest fall and rise in percentage points."""
    numbers = _extremes(table)
    text = _alt("dots", **numbers)
    return text + (_alt("maps_rise", **numbers) if numbers["rises"] else "")


@text_column
def poverty_dots_figure(table: pd.DataFrame) -> Figure:
    """The states ranked by the latest rate: the baseline (open) and latest (filled) dots of each
    state joined by a line, so the length of the line is the change."""
    b, t = int(table["base_year"].iloc[0]), int(table["latest_year"].iloc[0])
    ordered = table.sort_values("latest")
    y = np.arange(len(ordered))
    fig, ax = plt.subplots(figsize=(FIG_WIDTH, 0.27 * len(ordered) + 1.4), layout="constrained")
    for position, (_, row) in zip(y, ordered.iterrows(), strict=True):
        colour = OKABE_ITO["blue"] if row["change_pp"] <= 0 else OKABE_ITO["vermillion"]
        ax.plot([row["base"], row["latest"]], [position, position], color=colour, linewidth=1.6)
    ax.scatter(
        ordered["base"], y, s=30, facecolors="white", edgecolors=OKABE_ITO["black"], zorder=3
    )
    ax.scatter(ordered["latest"], y, s=30, color=OKABE_ITO["black"], zorder=3)
    ax.set_yticks(y, ordered["state"])
    ax.tick_params(axis="y", length=0)
    ax.set_xlabel(_fig("map_unit"))
    ax.set_xlim(left=0)  # a share: from zero
    ax.set_ylim(-0.7, len(ordered) - 0.3)
    ax.grid(axis="x", color="#e3e3e3", linewidth=0.8)
    ax.set_axisbelow(True)
    ax.spines[["top", "right"]].set_visible(False)
    handles = [
        Line2D([], [], marker="o", linestyle="", markerfacecolor="white",
               markeredgecolor=OKABE_ITO["black"], label=str(b)),
        Line2D([], [], marker="o", linestyle="", color=OKABE_ITO["black"], label=str(t)),
        Line2D([], [], color=OKABE_ITO["blue"], label=_fig("fell")),
        Line2D([], [], color=OKABE_ITO["vermillion"], label=_fig("rose")),
    ]  # fmt: skip
    ax.legend(handles=handles, frameon=False, loc="lower right")
    return fig


def state_economy(
    tidy: pd.DataFrame,
    states: pd.DataFrame,
    remittances: tuple[str, str] = ("remittance_inflows_state", "banxico_2026_07"),
    gdp: tuple[str, str] = ("gdp_per_person_state", "pibe_conapo"),
    population: tuple[str, str] = ("population_conapo", "conapo"),
) -> pd.DataFrame:
    """Remittances per person (US$, the four quarters of the latest year complete for all 32
    states and with CONAPO population) beside GDP per person (MXN at 2018 prices) in that year.
    Columns: geo, state, year, remittances_musd, population, remittances_per_person,
    gdp_per_person; sorted by remittances per person, highest first."""
    quarters = _state_rows(tidy, *remittances)
    quarters = quarters[quarters["freq"] == "Q"].assign(year=lambda d: d["period"].str[:4])
    per_state = quarters.groupby(["year", "geo"])["period"].nunique()
    full = per_state[per_state == 4].groupby("year").size()
    full_years = {int(y) for y, n in full.items() if n == len(STATE_CODES)}
    usable = sorted(
        full_years & set(complete_years(tidy, *population)) & set(complete_years(tidy, *gdp))
    )
    if not usable:
        raise ValueError("no year with full-year remittances, population and GDP for all 32 states")
    year = str(usable[-1])
    sums = quarters[quarters["year"] == year].groupby("geo")["value"].sum()
    people = _state_rows(tidy, *population).query("period == @year").set_index("geo")["value"]
    output = _state_rows(tidy, *gdp).query("period == @year").set_index("geo")["value"]
    names = dict(zip(states["CVE_ENT"], states["NOM_CORTO"], strict=True))
    table = pd.DataFrame({"remittances_musd": sums, "population": people, "gdp_per_person": output})
    table["remittances_per_person"] = table["remittances_musd"] * 1e6 / table["population"]
    table = table.reset_index(names="geo")
    table.insert(1, "state", table["geo"].map(names))
    table.insert(2, "year", int(year))
    return table.sort_values("remittances_per_person", ascending=False).reset_index(drop=True)


def economy_extremes(table: pd.DataFrame) -> dict[str, pd.Series | float]:
    """The states at both ends of remittances and of GDP per person, and the rank correlation
    between the two (Spearman), computed once for the sentence and the chart's alt text."""
    return {
        "rem_high": table.loc[table["remittances_per_person"].idxmax()],
        "rem_low": table.loc[table["remittances_per_person"].idxmin()],
        "gdp_high": table.loc[table["gdp_per_person"].idxmax()],
        "gdp_low": table.loc[table["gdp_per_person"].idxmin()],
        "rho": float(table["remittances_per_person"].rank().corr(table["gdp_per_person"].rank())),
    }


def national_remittances(table: pd.DataFrame) -> float:
    """Remittances per person in the whole country (US$): the states' sum over their population."""
    return float(table["remittances_musd"].sum() * 1e6 / table["population"].sum())


def economy_sentence(table: pd.DataFrame) -> str:
    """Where remittances weigh most and least per person, and how that lines up with GDP per
    person (rank correlation), computed."""
    year = int(table["year"].iloc[0])
    ends = economy_extremes(table)
    top, bottom, rich, poor = (ends[k] for k in ("rem_high", "rem_low", "gdp_high", "gdp_low"))
    rho = ends["rho"]
    national = national_remittances(table)
    relation = (
        "relation_negative"
        if rho < -0.3
        else ("relation_positive" if rho > 0.3 else "relation_none")
    )
    return text(
        "territory.economy",
        year=year,
        national=f"{national:,.0f}",
        top=f"{top['remittances_per_person']:,.0f}",
        top_state=top["state"],
        bottom=f"{bottom['remittances_per_person']:,.0f}",
        bottom_state=bottom["state"],
        poor=f"{poor['gdp_per_person']:,.0f}",
        poor_state=poor["state"],
        rich=f"{rich['gdp_per_person']:,.0f}",
        rich_state=rich["state"],
        rho=f"{rho:.2f}",
        relation=label("territory", relation),
    )


@text_column
def economy_figure(table: pd.DataFrame) -> Figure:
    """Two ranked bar panels sharing the state order (remittances per person, highest first):
    remittances per person (US$) with the national value as a line, and GDP per person
    (thousand MXN at 2018 prices)."""
    year = int(table["year"].iloc[0])
    ordered = table.iloc[::-1]
    fig, axes = plt.subplots(
        1, 2, figsize=(FIG_WIDTH, 0.27 * len(ordered) + 1.5), layout="constrained", sharey=True
    )
    axes[0].barh(ordered["state"], ordered["remittances_per_person"], color=OKABE_ITO["orange"])
    national = national_remittances(table)
    axes[0].axvline(
        national, color=OKABE_ITO["black"], linestyle="--", linewidth=1.2,
        label=_fig("national_remittances", value=f"{national:,.0f}"),
    )  # fmt: skip
    axes[0].legend(frameon=False, loc="lower right")
    axes[0].set_xlabel(_fig("remittances_unit"))
    axes[0].set_title(_fig("remittances_title", year=year), loc="left")
    axes[1].barh(ordered["state"], ordered["gdp_per_person"] / 1000, color=OKABE_ITO["blue"])
    axes[1].set_xlabel(_fig("gdp_state_unit"))
    axes[1].set_title(_fig("gdp_state_title", year=year), loc="left")
    axes[0].tick_params(axis="y", length=0)
    for ax in axes:
        ax.grid(axis="x", color="#e3e3e3", linewidth=0.8)
        ax.set_axisbelow(True)
        ax.spines[["top", "right"]].set_visible(False)
        ax.set_ylim(-0.7, len(ordered) - 0.3)
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:,.0f}"))
    return fig


def economy_data(table: pd.DataFrame) -> pd.DataFrame:
    """The bars of `economy_figure`, one row per state in its order (remittances per person,
    highest first): remittances per person (US$) and GDP per person (thousand MXN, 2018 prices)."""
    return pd.DataFrame(
        {
            _col("state"): table["state"].to_numpy(),
            _col("year"): table["year"].astype(int).to_numpy(),
            _col("remittances"): table["remittances_per_person"].round(1).to_numpy(),
            _col("gdp_state"): (table["gdp_per_person"] / 1000).round(1).to_numpy(),
        }
    )


def economy_alt(table: pd.DataFrame) -> str:
    """The two bar panels' takeaway: the highest and lowest state on each, and the rank
    correlation between them."""
    ends = economy_extremes(table)
    rem_high, rem_low, gdp_high, gdp_low = (
        ends[k] for k in ("rem_high", "rem_low", "gdp_high", "gdp_low")
    )
    rho = ends["rho"]
    return _alt(
        "economy",
        year=int(table["year"].iloc[0]),
        rem_high=f"{rem_high['remittances_per_person']:,.0f}",
        rem_high_state=rem_high["state"],
        rem_low=f"{rem_low['remittances_per_person']:,.0f}",
        rem_low_state=rem_low["state"],
        gdp_low=f"{gdp_low['gdp_per_person'] / 1000:,.0f}",
        gdp_low_state=gdp_low["state"],
        gdp_high=f"{gdp_high['gdp_per_person'] / 1000:,.0f}",
        gdp_high_state=gdp_high["state"],
        rho=f"{rho:.2f}",
    )
