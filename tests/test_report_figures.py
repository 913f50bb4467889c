"""Figures (report.figures): panels, lines, labels and status colours, on hand-made tables.

Nothing is compared as pixels: the figure objects are inspected (axes, artists, colours, text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

from analysis.models.status import OKABE_ITO, STATUS_COLOURS
from analysis.report.figures import (
    FIG_WIDTH,
    MIN_FONT,
    MIN_PHONE_PX,
    PHONE_FONT,
    UniformTicks,
    axis_unit,
    break_gaps,
    is_share,
    isolated,
    overlapping_releases,
    overview_alt,
    overview_data,
    overview_figure,
    phone_px,
    progress_multiples_alt,
    progress_multiples_data,
    progress_small_multiples,
    readable_scale,
    recovery_alt,
    recovery_data,
    recovery_panels,
    releases_alt,
    releases_data,
    releases_figure,
    releases_in_order,
    state_ranking_alt,
    state_ranking_data,
    state_ranking_figure,
    status_snapshot,
    status_snapshot_alt,
    status_snapshot_data,
    tick_decimals,
    year_ticks,
)
from analysis.report.labels import label, series_label
from analysis.snapshot.catalog import SeriesBreak
from helpers import ROOT

#: An internal id (snake_case with an underscore) in reader-facing text.
ID = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def figure_texts(fig: Figure) -> list[Text]:
    """Every visible, non-empty text artist of a figure (titles, ticks, labels, legends, notes)."""
    return [
        t for t in fig.findobj(Text) if t.get_visible() and t.get_text().strip()
        and all(a.get_visible() for a in [t.axes] if a is not None)
    ]  # fmt: skip


def assert_text_column(fig: Figure) -> None:
    """Drawn for the text column: 7.6 in wide, every text at least 10 pt, no internal id shown."""
    assert fig.get_size_inches()[0] == pytest.approx(FIG_WIDTH)
    texts = figure_texts(fig)
    assert texts
    small = [(t.get_text(), t.get_fontsize()) for t in texts if t.get_fontsize() < MIN_FONT]
    assert not small
    ids = [t.get_text() for t in texts if ID.search(t.get_text()) or "nan" in t.get_text().split()]
    assert not ids


def bars(ax: plt.Axes) -> list[Rectangle]:
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def annual(indicator: str, series: str, values: dict[int, float], unit: str = "%") -> list[dict]:
    return [
        {
            "indicator_id": indicator, "geo": "MEX", "period": str(year), "freq": "A",
            "value": value, "unit": unit, "series": series, "source_id": "s", "vintage": "v",
        }
        for year, value in values.items()
    ]  # fmt: skip


def test_status_snapshot_stacks_one_bar_per_group_and_status() -> None:
    """Outcome 1: concepts a and c substantial progress, b deterioration; a_w, a cut of concept a,
    does not count again; outcome 2: b, deterioration (and one row of outcome 3, not drawn).
    Bars: substantial progress for 2 groups + deterioration for 2 groups = 4, coloured from
    STATUS_COLOURS, lengths the concept counts, groups top to bottom in the order given."""
    progress = pd.DataFrame(
        {
            "indicator_id": ["a", "b", "c", "a_w", "d"],
            "concept": ["a", "b", "c", "a", "d"],
            "outcomes": ["1", "1;2", "1", "1", "3"],
            "status": [
                "substantial progress", "deterioration", "substantial progress", "deterioration",
                "target achieved",
            ],
        }
    )  # fmt: skip
    fig = status_snapshot(progress, {"1": "Outcome one", "2": "Outcome two"})
    (ax,) = fig.axes
    drawn = bars(ax)
    assert len(drawn) == 4
    colour = {s: STATUS_COLOURS[s].lower() for s in ("substantial progress", "deterioration")}
    assert {to_hex(b.get_facecolor()) for b in drawn} == set(colour.values())
    # barh draws the reversed group order bottom-up, so "Outcome one" is the top label.
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Outcome two", "Outcome one"]

    def widths(status: str) -> list[float]:
        return [b.get_width() for b in drawn if to_hex(b.get_facecolor()) == colour[status]]

    # Bottom-up: outcome two, then outcome one.
    assert widths("substantial progress") == [0, 2]
    assert widths("deterioration") == [1, 1]  # a_w not counted beside its concept's headline
    assert [t.get_text() for t in fig.legends[0].get_texts()] == [
        "substantial progress",
        "deterioration",
    ]
    assert ax.get_xlabel() == "number of concepts"
    # counts written in the segments that have any
    assert sorted(t.get_text() for t in ax.texts if t.get_text()) == ["1", "1", "2"]
    # b is in both outcomes: the bars count 4 concept rows, the distinct concepts are 3, and
    # the alt text gives both, in the bars' own numbers.
    assert status_snapshot_alt(progress, {"1": "Outcome one", "2": "Outcome two"}) == (
        "The bars count 4 concept rows for the 2 outcomes and cross-cutting areas, because a "
        "concept shared by several of them appears in each of their rows (1 of the 3 concepts "
        "do): 2 with substantial progress and 2 with deterioration. Counted once each, the 3 "
        "concepts are 2 with substantial progress and 1 with deterioration. Outcome one has the "
        "most showing substantial progress or an achieved target (2 of 3). Outcome one has the "
        "most deteriorating (1 of 3)."
    )
    # Without overlap, the one count is the bars' count.
    alone = status_snapshot_alt(progress, {"1": "Outcome one"})
    assert alone.startswith("Of the 3 concepts behind the ") and "concept rows" not in alone
    data = status_snapshot_data(progress, {"1": "Outcome one", "2": "Outcome two"})
    assert data.to_dict("records") == [
        {
            "Outcome or area": "Outcome one",
            "Status": "substantial progress",
            "Concepts (number)": 2,
        },
        {"Outcome or area": "Outcome one", "Status": "deterioration", "Concepts (number)": 1},
        {"Outcome or area": "Outcome two", "Status": "deterioration", "Concepts (number)": 1},
    ]


def progress_rows(n: int) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "indicator_id": [f"i{k}" for k in range(n)],
            "name": [f"Indicator {k}" for k in range(n)],
            "outcomes": ["1"] * n,
            "cross_cutting": [None] * n,
            "series": ["s"] * n,
            "annualised": [""] * n,
            "base_period": ["2019"] * n,
            "latest_period": ["2022"] * n,
            "base_value": [10.0] * n,
            "latest_value": [13.0] * n,
            "target_value": [20.0] + [float("nan")] * (n - 1),
            "target_year": [2030.0] + [float("nan")] * (n - 1),
            "status": ["limited progress"] + ["substantial progress"] * (n - 1),
            "target_missed": [True] + [False] * (n - 1),
        }
    )


def test_small_multiples_one_panel_per_assessed_indicator() -> None:
    """Five assessed indicators, four columns asked for: at most two fit the text column, so a
    3 x 2 grid with 5 panels shown and 1 hidden. The
    first has a target: series, end points and the dashed required path (3 lines); the others 2.
    Annual values as published sit on their years (2019, 2022); a missed target is in the title."""
    tidy = pd.DataFrame(
        [r for k in range(5) for r in annual(f"i{k}", "s", {2019: 10, 2020: 11, 2022: 13}, "% pop")]
    )
    progress = pd.concat(
        [progress_rows(5), progress_rows(1).assign(base_period=None)], ignore_index=True
    )  # a row without a base period is not assessed: no panel
    fig = progress_small_multiples(tidy, progress, ncols=4)
    assert len(fig.axes) == 6
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 5
    assert [len(ax.get_lines()) for ax in shown] == [3, 2, 2, 2, 2]
    points = shown[0].get_lines()[1]
    assert list(points.get_xdata()) == [2019, 2022] and list(points.get_ydata()) == [10.0, 13.0]
    required = shown[0].get_lines()[2]
    assert required.get_linestyle() == "--" and list(required.get_xdata()) == [2019, 2030]
    assert to_hex(required.get_color()) == OKABE_ITO["vermillion"].lower()
    assert shown[0].get_title(loc="left") == "Indicator 0\nlimited progress, target missed"
    assert shown[1].get_title(loc="left") == "Indicator 1\nsubstantial progress"
    assert shown[0].get_ylabel() == "% pop"
    # 2021 is missing: the observed line breaks there instead of joining 2020 to 2022
    observed = shown[0].get_lines()[0]
    assert list(observed.get_xdata()) == [2019, 2020, 2021, 2022]
    assert pd.isna(observed.get_ydata()[2])
    assert observed.get_marker() == "o"  # sparse: every observation marked
    assert shown[0].get_ylim()[0] == 0  # a share: from zero


def test_state_ranking_figure_bars_national_line_and_caption() -> None:
    ranked = pd.DataFrame({"state": ["BC", "Camp", "Ags"], "value": [50.0, 40.0, 30.0]})
    fig = state_ranking_figure(ranked, 45.0, "% of population", missing=2)
    (ax,) = fig.axes
    assert [b.get_width() for b in bars(ax)] == [30.0, 40.0, 50.0]  # drawn bottom-up
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["national: 45.0"]
    assert ax.get_title(loc="left") == "3 states with data; 2 without"
    assert ax.get_xlabel() == "% of population"
    assert state_ranking_alt(ranked, 45.0, "% of population", missing=2) == (
        "Across the 3 states with data in % of population, values range from 30.0 in Ags to "
        "50.0 in BC. The national value is 45.0; 1 state lies above it. 2 states without data "
        "are not drawn."
    )
    assert state_ranking_data(ranked, "% of population").to_dict("list") == {
        "Rank": [1, 2, 3], "State": ["BC", "Camp", "Ags"], "% of population": [50.0, 40.0, 30.0],
    }  # fmt: skip
    without = state_ranking_figure(ranked, None, "%", missing=0)
    assert without.axes[0].get_legend() is None
    assert without.axes[0].get_title(loc="left") == "all 3 states"


def test_releases_figure_one_line_per_release_with_gaps() -> None:
    """Two releases; the second skips 2021, so its line has a gap (NaN) there."""
    tidy = pd.DataFrame(
        annual("gdp", "comar_2021_07", {2019: 1000.0, 2020: 2000.0, 2021: 3000.0})
        + annual("gdp", "comar_2023_03", {2019: 1500.0, 2020: 2400.0, 2022: 4000.0})
    )
    fig = releases_figure(tidy, "gdp", "persons")
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == [
        series_label("comar_2021_07"),
        series_label("comar_2023_03"),
    ]
    assert ax.get_ylabel() == "persons per year" and ax.get_ylim()[0] == 0
    assert list(lines[1].get_xdata()) == [2019, 2020, 2021, 2022]
    assert pd.isna(lines[1].get_ydata()[2])
    assert [to_hex(line.get_color()) for line in lines] == [
        OKABE_ITO["blue"].lower(),
        OKABE_ITO["orange"].lower(),
    ]
    assert releases_alt(tidy, "gdp", "persons") == (
        "2 releases of the series, each drawn as its own line. The latest (COMAR, figures as reported in "
        "March 2023) gives 4,000 persons in 2022; the highest figure is 4,000 in 2022 (COMAR, "
        "figures as reported in March 2023). Releases differ by up to 500 for 2019."
    )
    data = releases_data(tidy, "gdp", "persons")
    assert list(data.columns) == ["Release", "Year", "persons per year"] and len(data) == 6


def test_overview_figure_has_three_titled_panels(snapshot_tidy: pd.DataFrame) -> None:
    """On the snapshot: both poverty series as two lines, GDP growth bars with 2020 in
    vermillion, the quarterly GDP index with its 100 line."""
    fig = overview_figure(snapshot_tidy, shock_year=2020)
    poverty, growth, quarterly = fig.axes
    assert poverty.get_title(loc="left") == "a. Multidimensional poverty"
    assert growth.get_title(loc="left") == label("figure", "growth_title")
    assert quarterly.get_title(loc="left") == "c. Quarterly real GDP, INEGI"
    assert len(poverty.get_lines()) == 2 and len(poverty.get_legend().get_texts()) == 3
    assert poverty.get_ylim()[0] == 0
    legends = [t.get_text() for ax in fig.axes for t in ax.get_legend().get_texts()]
    assert "COVID-19 shock starts 2020" in legends and "COVID-19 shock starts Q1 2020" in legends
    assert any(text.startswith("methodology break") for text in legends)
    shock = [
        b for b in bars(growth) if to_hex(b.get_facecolor()) == OKABE_ITO["vermillion"].lower()
    ]
    assert len(shock) == 1 and shock[0].get_x() + shock[0].get_width() / 2 == 2020
    assert quarterly.get_ylabel().startswith("index, ") and quarterly.get_ylabel().endswith(
        " = 100"
    )


def test_status_colours_are_distinct_and_okabe_ito() -> None:
    """One colour per status, no two alike (the report once drew two statuses in one green)."""
    colours = [c.lower() for c in STATUS_COLOURS.values()]
    assert len(set(colours)) == len(colours)
    palette = {c.lower() for c in OKABE_ITO.values()}
    assert all(c.lower() in palette for s, c in STATUS_COLOURS.items() if s != "insufficient data")


def test_break_gaps_breaks_at_missing_years_and_rounds_only() -> None:
    """Annual with 2021 missing: a NaN between 2020 and 2022. A biennial survey is not broken
    every year, but a missing round (2020) is. Unsorted input comes out sorted."""
    xs, ys = break_gaps([2019, 2020, 2022, 2023], [1.0, 2.0, 3.0, 4.0])
    assert list(xs[:2]) == [2019, 2020] and np.isnan(ys[2]) and list(ys[3:]) == [3.0, 4.0]
    xs, ys = break_gaps([2016, 2018, 2020, 2022], [4.0, 3.0, 2.0, 1.0])
    assert not np.isnan(ys).any()
    xs, ys = break_gaps([2022, 2016, 2018, 2024, 2014], [1.0, 2.0, 3.0, 4.0, 5.0])
    assert list(xs[:3]) == [2014, 2016, 2018] and np.isnan(ys[3]) and len(ys) == 6
    assert list(isolated(np.array([1.0, np.nan, 2.0, np.nan, 3.0, 4.0]))) == [
        True, False, True, False, False, False,
    ]  # fmt: skip


def test_shares_are_percent_of_a_whole() -> None:
    assert is_share("% of population") and is_share("%")
    assert not is_share("% change on previous year") and not is_share("jobs")


def test_progress_multiples_alt_and_data_count_what_is_drawn() -> None:
    tidy = pd.DataFrame(
        [r for k in range(5) for r in annual(f"i{k}", "s", {2019: 10, 2020: 11, 2022: 13}, "% pop")]
    )
    progress = progress_rows(5)
    assert progress_multiples_alt(progress) == (
        "5 indicators charted: 4 with substantial progress and 1 with limited progress. "
        "1 indicator has a quantified target, drawn as a dashed path; 1 missed its target date."
    )
    data = progress_multiples_data(tidy, progress)
    # 5 x (3 observations + base + latest) + 1 target
    assert len(data) == 26
    assert list(data.columns) == ["Indicator", "Status", "Unit", "Period", "Value", "Point"]
    assert set(data["Point"]) == {
        "observed", "base value assessed", "latest value assessed", "target",
    }  # fmt: skip
    assert_text_column(progress_small_multiples(tidy, progress))


def recovery_inputs() -> tuple[pd.DataFrame, ...]:
    """One annual level series (WDI) falling 10% in 2020 from a 2019 peak, back in 2022."""
    values = {2015: 90.0, 2016: 92.0, 2017: 95.0, 2018: 98.0, 2019: 100.0, 2020: 90.0,
              2021: 96.0, 2022: 101.0, 2023: 103.0}  # fmt: skip
    tidy = pd.DataFrame(annual("gdp", "wdi", values, "MXN per person"))
    recovery = pd.DataFrame(
        [
            {
                "indicator_id": "gdp", "series": "wdi", "name": "GDP per person",
                "unit": "MXN per person", "freq": "A", "confidence_level": 0.95,
                "last_comparable": None, "reference_value": 100.0, "reference_rule": "best",
                "reference_period": "2019", "shock_start": "2020", "change_unit": "percent",
                "depth": -10.0, "depth_pct": -10.0, "worst_period": "2020",
                "recovery_status": "recovered", "recovery_period": "2022", "last_period": "2023",
                "forecast_end": "2025", "forecast_too_uncertain": False,
                "forecast_converged": True,
            }
        ]
    )  # fmt: skip
    periods = ["2020", "2021", "2022", "2023"]
    counterfactuals = pd.DataFrame(
        {"indicator_id": "gdp", "series": "wdi", "period": periods,
         "expected": [102.0, 104, 106, 108], "lower": [99.0, 100, 101, 102],
         "upper": [105.0, 108, 111, 114]}
    )  # fmt: skip
    forecasts = pd.DataFrame(
        {"indicator_id": "gdp", "series": "wdi", "period": ["2024", "2025"],
         "mean": [105.0, 107], "lower": [100.0, 99], "upper": [110.0, 115],
         "too_uncertain": ["False", "False"]}
    )  # fmt: skip
    return tidy, recovery, counterfactuals, forecasts


def test_recovery_panels_legend_alt_and_data() -> None:
    tidy, recovery, counterfactuals, forecasts = recovery_inputs()
    fig = recovery_panels(tidy, recovery, counterfactuals, forecasts)
    assert_text_column(fig)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert "COVID-19 shock (first period)" in legend and "pre-shock trend, 95% band" in legend
    (ax,) = [a for a in fig.axes if a.get_visible()]
    assert ax.get_title(loc="left") == "GDP per person\nWorld Bank WDI, annual"
    assert recovery_alt(recovery) == (
        "GDP per person: at worst 10.0% below its 2019 level (2020), back in 2022."
    )
    data = recovery_data(tidy, recovery, counterfactuals, forecasts)
    assert len(data) == 11  # 2015-2025: 9 observed years and 2 forecast years
    assert data.loc[data["Period"] == "2021", ["Observed", "Pre-shock trend"]].iloc[0].tolist() == [
        96.0, 104.0,
    ]  # fmt: skip
    assert data["Series"].unique().tolist() == ["World Bank WDI"]


def test_every_figure_is_drawn_for_the_text_column(snapshot_tidy: pd.DataFrame) -> None:
    """7.6 in wide, every text artist (titles, ticks, labels, legends, notes) >= 10 pt, no ids."""
    progress = pd.DataFrame(
        {"indicator_id": ["a", "b"], "concept": ["a", "b"], "outcomes": ["1", "2"],
         "status": ["substantial progress", "deterioration"]}
    )  # fmt: skip
    groups = {"1": "Outcome 1: one", "2": "Outcome 2: two", "3": "Outcome 3: three"}
    fig = status_snapshot(progress, groups)
    assert_text_column(fig)
    assert "no sourced indicator" in [t.get_text() for t in fig.axes[0].texts]
    assert status_snapshot_alt(progress, groups).endswith(" Outcome 3 has no sourced indicator.")
    assert_text_column(overview_figure(snapshot_tidy, shock_year=2020))
    ranked = pd.DataFrame({"state": ["BC", "Camp", "Ags"], "value": [50.0, 40.0, 30.0]})
    assert_text_column(state_ranking_figure(ranked, 45.0, "% of population", missing=2))
    tidy = pd.DataFrame(annual("x", "comar_2024", {2019: 1.0, 2021: 3.0}))
    assert_text_column(releases_figure(tidy, "x", "persons"))


def test_overview_alt_states_the_computed_numbers(snapshot_tidy: pd.DataFrame) -> None:
    """The poverty numbers in the alt text are the series' first and latest values."""
    from analysis.clean.tidy import series_values

    poverty = series_values(snapshot_tidy, "poverty_multidimensional_pct", "lineamientos_2018")
    text = overview_alt(snapshot_tidy, 2020)
    assert text.startswith(
        f"Multidimensional poverty ({series_label('lineamientos_2018')}) fell from {poverty.iloc[0]:.1f}% "
        f"in {poverty.index[0]} to {poverty.iloc[-1]:.1f}% in {poverty.index[-1]}."
    )
    growth = series_values(snapshot_tidy, "gdp_real_growth", "wdi")["2020"]
    assert f"Real GDP shrank {abs(growth):.1f}% in 2020" in text
    data = overview_data(snapshot_tidy, 2020)
    assert list(data.columns) == ["Panel", "Series", "Period", "Value", "Unit"]
    assert (data["Series"] == series_label("lineamientos_2018")).sum() == len(poverty)


def monthly(indicator: str, series: str, values: dict[str, float], unit: str) -> list[dict]:
    return [
        {
            "indicator_id": indicator, "geo": "MEX", "period": period, "freq": "M",
            "value": value, "unit": unit, "series": series, "source_id": "s", "vintage": "v",
        }
        for period, value in values.items()
    ]  # fmt: skip


def visible_axes(fig: Figure) -> list[plt.Axes]:
    return [ax for ax in fig.axes if ax.get_visible()]


def tick_texts(fig: Figure, ax: plt.Axes, axis: str = "y") -> list[str]:
    fig.canvas.draw()
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks if t.get_text()]


def test_small_multiples_stay_legible_on_a_phone() -> None:
    """At 390 px the image shrinks to the phone's column: 10 pt text would be 6.5 px there, so
    the small multiples draw every text at PHONE_FONT, which stays >= MIN_PHONE_PX."""
    assert phone_px(MIN_FONT) < MIN_PHONE_PX <= phone_px(PHONE_FONT)
    tidy = pd.DataFrame(
        [r for k in range(5) for r in annual(f"i{k}", "s", {2019: 10, 2020: 11, 2022: 13}, "% pop")]
    )
    fig = progress_small_multiples(tidy, progress_rows(5))
    assert_text_column(fig)
    small = [(t.get_text(), t.get_fontsize()) for t in figure_texts(fig)]
    assert all(size >= PHONE_FONT for _, size in small), small


def test_small_multiples_axes_from_zero_with_room_for_every_point() -> None:
    """One rule: a non-negative level (emissions 610-690) starts at zero like a share, and the
    top leaves room for the highest value (the renewable share once left the plot in 1990); a
    series with negative values keeps its range and gets a zero line."""
    tidy = pd.DataFrame(
        annual("i0", "s", {2010: 637.0, 2012: 685.0, 2019: 648.0, 2020: 614.0, 2022: 678.0}, "MtCO2e")
        + annual("i1", "s", {1990: 14.4, 2000: 12.0, 2019: 10.3, 2021: 13.0}, "% of energy")
        + annual("i2", "s", {2019: -1.0, 2020: -8.0, 2021: 5.0, 2022: 3.0}, "% change on year")
    )  # fmt: skip
    progress = progress_rows(3).assign(
        target_value=float("nan"), target_year=float("nan"), latest_period="2021",
        base_value=[648.0, 10.3, -1.0], latest_value=[678.0, 13.0, 5.0],
    )  # fmt: skip
    ghg, renewable, growth = visible_axes(progress_small_multiples(tidy, progress))
    assert ghg.get_ylim()[0] == 0 and ghg.get_ylim()[1] > 685
    assert renewable.get_ylim()[0] == 0 and renewable.get_ylim()[1] > 14.4
    assert growth.get_ylim()[0] < -8 and any(
        list(line.get_ydata()) == [0, 0] for line in growth.get_lines()
    )


def test_tick_labels_have_one_precision_and_round_steps() -> None:
    """'0.5, 0.75, 1, 1.25' and '12.5, 7.5, 2.5' were drawn: steps are now 1-2-5 and every label
    of an axis has the same decimals."""
    assert tick_decimals([0.5, 0.75, 1.0, 1.25]) == 2
    assert tick_decimals([0.0, 0.5, 1.0, 1.5]) == 1 and tick_decimals([0, 500, 1000]) == 0
    formatter = UniformTicks()
    formatter.set_locs([0.0, 0.5, 1.0, 1.5])
    assert [formatter(v) for v in (0.0, 0.5, 1.0, 1.5)] == ["0", "0.5", "1.0", "1.5"]
    formatter.set_locs([0, 500_000, 1_000_000])
    assert formatter(1_000_000) == "1,000,000"
    tidy = pd.DataFrame(
        annual("i0", "s", {2015: 0.56, 2016: 0.7, 2017: 0.91, 2019: 1.41, 2021: 1.45}, "% pop")
        + annual("i1", "s", {1990: 14.4, 2000: 12.0, 2019: 10.3, 2021: 13.0}, "% of energy")
    )  # fmt: skip
    progress = progress_rows(2).assign(latest_period="2021", base_value=[1.41, 10.3])
    fig = progress_small_multiples(tidy, progress)
    for ax in visible_axes(fig):
        labels = tick_texts(fig, ax)
        decimals = {len(t.split(".")[1]) if "." in t else 0 for t in labels if t != "0"}
        assert len(decimals) == 1, labels
        steps = np.diff(ax.get_yticks())
        assert np.allclose(steps, steps[0])
        mantissa = steps[0] / 10 ** np.floor(np.log10(steps[0]))
        assert round(mantissa, 6) in (1, 2, 5), labels


def test_year_ticks_fall_on_the_observation_years() -> None:
    """A biennial survey (2016, 2018, ...) is ticked on its survey years, never 2017, 2020, 2023;
    an annual series on round years."""
    biennial = year_ticks([2016, 2018, 2020, 2022, 2024], 2015.6, 2024.4)
    assert biennial == [2016, 2018, 2020, 2022, 2024]
    assert all(int(t) % 2 == 0 for t in year_ticks([2016, 2018, 2020, 2022, 2024], 2015.6, 2030.4))
    assert year_ticks(range(1990, 2024), 1988.4, 2024.6) == [1990, 2000, 2010, 2020]
    assert year_ticks([2018, 2022], 2017.8, 2022.2) == [2018, 2022]
    tidy = pd.DataFrame(annual("i0", "s", {y: 1.0 + y % 3 for y in range(2016, 2025, 2)}, "% p"))
    progress = progress_rows(1).assign(
        base_period="2018", latest_period="2024", target_value=float("nan"), target_year=float("nan")
    )  # fmt: skip
    fig = progress_small_multiples(tidy, progress)
    (ax,) = visible_axes(fig)
    assert tick_texts(fig, ax, "x") == ["2016", "2018", "2020", "2022", "2024"]


def test_large_levels_in_millions_and_short_unit_labels() -> None:
    """Real GDP in MXN million (26,000,000) reads as MXN trillion, as the text says; jobs in
    millions; shares stay as they are. Axis labels keep to two lines, dropping parentheses."""
    assert readable_scale("MXN million at 2018 prices", [19e6, 26e6]) == (
        1e6, "MXN trillion at 2018 prices",
    )  # fmt: skip
    assert readable_scale("jobs", [19.5e6, 22.8e6]) == (1e6, "million jobs")
    assert readable_scale("% of population", [10.0, 40.0]) == (1.0, "% of population")
    assert readable_scale("victims", [428.0, 1021.0]) == (1.0, "victims")
    assert readable_scale("Mexican pesos per person", [180e3, 205e3]) == (
        1e3,
        "thousand Mexican pesos per person",
    )
    assert readable_scale("MXN million", [25e3, 40e3]) == (1e3, "MXN billion")
    long = "Mexican pesos per person at constant prices (WDI constant LCU)"
    assert axis_unit(long, 24) == "Mexican pesos per person\nat constant prices"
    assert axis_unit("% (standard deviation / mean of the 32 state values)", 24) == "%"
    assert axis_unit("% of population", 24) == "% of population"
    tidy = pd.DataFrame(annual("i0", "s", {2018: 24e6, 2019: 24.2e6, 2022: 26e6}, "MXN million"))
    progress = progress_rows(1).assign(
        base_value=24.2e6, latest_value=26e6, target_value=float("nan"), target_year=float("nan")
    )  # fmt: skip
    fig = progress_small_multiples(tidy, progress)
    (ax,) = visible_axes(fig)
    assert ax.get_ylabel() == "MXN trillion"
    assert max(ax.get_lines()[0].get_ydata()) == pytest.approx(26.0)
    assert all(len(t) <= 4 for t in tick_texts(fig, ax))  # '0', '10', '20': no '26,000,000'


def test_small_multiples_draw_gapped_months_with_markers_and_stop_at_the_break() -> None:
    """IMSS jobs: monthly with gaps (fragments and stray dots before) and a declared break from
    2025-07 (a pilot changes the count): every observation gets a marker, nothing from the break
    on is drawn or in the data, and the panel says the series is monthly."""
    months = {f"{y}-{m:02d}": 20e6 + 1e4 * i for i, (y, m) in enumerate(
        [(2019, m) for m in range(1, 13)] + [(2020, m) for m in range(1, 13)]
        + [(2022, 10), (2023, 12), (2024, 12), (2025, 6), (2025, 11), (2025, 12)]
    )}  # fmt: skip
    tidy = pd.DataFrame(monthly("jobs", "imss", months, "jobs"))
    progress = progress_rows(1).assign(
        indicator_id="jobs", series="imss", name="Jobs registered", base_period="2019",
        latest_period="2024", base_value=20.1e6, latest_value=20.3e6,
        target_value=float("nan"), target_year=float("nan"),
        annualised="December value of each year (end-of-year stock)",
    )  # fmt: skip
    breaks = {("jobs", "imss"): SeriesBreak("jobs", "imss", "2025-07", "pilot")}
    fig = progress_small_multiples(tidy, progress, breaks=breaks)
    (ax,) = visible_axes(fig)
    observed = ax.get_lines()[0]
    assert observed.get_marker() == "o"
    assert np.nanmax(observed.get_xdata()) < 2025.5  # June 2025 is the last month drawn
    assert "monthly" in ax.get_title(loc="left")
    data = progress_multiples_data(tidy, progress, breaks=breaks)
    assert "Nov 2025" not in set(data["Period"]) and "Jun 2025" in set(data["Period"])
    assert_text_column(fig)


def asylum_like() -> pd.DataFrame:
    """Three releases: the first two agree within 1% on 2019-2020 (their lines coincide), the
    third, older by vintage but later by id, differs."""
    rows = (
        annual("asy", "comar_2021_07", {2019: 70426.0, 2020: 41133.0})
        + annual("asy", "comar_2023_03", {2019: 70310.0, 2020: 40912.0, 2021: 129780.0})
        + annual("asy", "comar_un_report_2020", {2020: 43103.0})
    )
    vintages = {
        "comar_2021_07": "2021-07",
        "comar_2023_03": "2023-03",
        "comar_un_report_2020": "2021",
    }
    return pd.DataFrame(rows).assign(vintage=lambda d: d["series"].map(vintages))


def test_releases_figure_axis_legend_order_and_overlap_note() -> None:
    """The x axis is the year the applications refer to (it once read 'release'); releases in
    the order they were published; the one-column legend lies inside the 760 px figure (it was
    cut at both edges); coinciding releases keep their own markers and the chart says so."""
    tidy = asylum_like()
    fig = releases_figure(tidy, "asy", "persons", "year the applications were received")
    (ax,) = fig.axes
    assert ax.get_xlabel() == "year the applications were received"
    assert [line.get_label() for line in ax.get_lines()] == [
        series_label("comar_un_report_2020"), series_label("comar_2021_07"),
        series_label("comar_2023_03"),
    ]  # fmt: skip
    lines = ax.get_lines()
    assert len({(line.get_marker(), line.get_linestyle()) for line in lines}) == 3
    sizes = [line.get_markersize() for line in lines]
    assert sizes == sorted(sizes, reverse=True)  # later releases inside the earlier markers
    assert all(line.get_markerfacecolor() == "none" for line in lines)
    legend = fig.legends[0]
    assert legend._ncols == 1
    fig.canvas.draw()
    box, page = legend.get_window_extent(), fig.bbox
    assert box.x0 >= page.x0 and box.x1 <= page.x1 and box.y0 >= page.y0
    pairs = overlapping_releases(releases_in_order(tidy, "asy"))
    assert [(a, b) for a, b, _ in pairs] == [("comar_2021_07", "comar_2023_03")]
    assert ax.get_title(loc="left").startswith(
        "Where lines coincide, releases agree: 1 pair of releases differ by at most 0.5%"
    )
    assert_text_column(fig)
    assert "release" not in ax.get_xlabel()
    apart = pd.DataFrame(annual("x", "comar_2024", {2019: 1.0, 2021: 3.0}))
    assert releases_figure(apart, "x", "persons").axes[0].get_title(loc="left") == ""


def test_scorecard_has_one_caption_without_a_claim_the_chart_may_not_show() -> None:
    """The index and progress pages embed the same PNG: one caption (bar the notebook named),
    and no 'empty rows' statement, which the chart itself makes only where a row is empty."""
    import json

    from analysis.site.readme import figure_call

    def caption(notebook: str, label_id: str) -> str:
        cells = json.loads((ROOT / "notebooks" / notebook).read_text(encoding="utf-8"))["cells"]
        found = [figure_call("".join(c["source"])) for c in cells if c["cell_type"] == "code"]
        (text,) = [cap for lab, cap in found if lab == label_id]
        return text.split(" Notebook: ")[0]

    index, progress = (
        caption("01_index.ipynb", "fig-scorecard"),
        caption("03_progress.ipynb", "fig-status-outcomes"),
    )
    assert index == progress
    assert "empty rows" not in index


def test_a_value_axis_from_zero_has_at_least_three_ticks_in_view() -> None:
    """Extreme poverty around 5% on an axis from zero showed one '5' tick and no scale (#N18)."""
    from analysis.report.figures import _value_axis, zero_based

    for values in ([5.3, 4.9, 5.1, 4.2], [7.2, 7.0, 8.5, 7.1], [0.43, 0.46]):
        fig, ax = plt.subplots()
        ax.plot(range(len(values)), values)
        zero_based(ax, values)
        _value_axis(ax, nbins=4)
        fig.canvas.draw()
        low, high = ax.get_ylim()
        shown = [t for t in ax.get_yticks() if low <= t <= high]
        plt.close(fig)
        assert len(shown) >= 3, (values, shown)
