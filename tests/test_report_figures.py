"""Figures (report.figures): panels, lines, labels and status colours, on hand-made tables.

Nothing is compared as pixels: the figure objects are inspected (axes, artists, colours, text).
"""

from __future__ import annotations

from collections.abc import Iterator

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import pandas as pd
import pytest
from matplotlib.colors import to_hex
from matplotlib.patches import Rectangle

from analysis.models.status import OKABE_ITO, STATUS_COLOURS
from analysis.report.figures import (
    overview_figure,
    progress_small_multiples,
    releases_figure,
    state_ranking_figure,
    status_snapshot,
)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


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
    """Five assessed indicators, four columns: a 2 x 4 grid with 5 panels shown and 3 hidden. The
    first has a target: series, end points and the dashed required path (3 lines); the others 2.
    Annual values as published sit on their years (2019, 2022); a missed target is in the title."""
    tidy = pd.DataFrame(
        [r for k in range(5) for r in annual(f"i{k}", "s", {2019: 10, 2020: 11, 2022: 13}, "% pop")]
    )
    progress = pd.concat(
        [progress_rows(5), progress_rows(1).assign(base_period=None)], ignore_index=True
    )  # a row without a base period is not assessed: no panel
    fig = progress_small_multiples(tidy, progress, ncols=4)
    assert len(fig.axes) == 8
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 5
    assert [len(ax.get_lines()) for ax in shown] == [3, 2, 2, 2, 2]
    points = shown[0].get_lines()[1]
    assert list(points.get_xdata()) == [2019, 2022] and list(points.get_ydata()) == [10.0, 13.0]
    required = shown[0].get_lines()[2]
    assert required.get_linestyle() == "--" and list(required.get_xdata()) == [2019, 2030]
    assert to_hex(required.get_color()) == OKABE_ITO["vermillion"].lower()
    assert shown[0].get_title(loc="left") == (
        "Indicator 0\n(outcome 1) limited progress, target missed"
    )
    assert shown[1].get_title(loc="left") == "Indicator 1\n(outcome 1) substantial progress"
    assert shown[0].get_ylabel() == "% pop"


def test_state_ranking_figure_bars_national_line_and_caption() -> None:
    ranked = pd.DataFrame({"state": ["BC", "Camp", "Ags"], "value": [50.0, 40.0, 30.0]})
    fig = state_ranking_figure(ranked, 45.0, "% of population", missing=2)
    (ax,) = fig.axes
    assert [b.get_width() for b in bars(ax)] == [30.0, 40.0, 50.0]  # drawn bottom-up
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["national: 45.0"]
    assert ax.get_title(loc="left") == "3 states with data; 2 without"
    assert ax.get_xlabel() == "% of population"
    without = state_ranking_figure(ranked, None, "%", missing=0)
    assert without.axes[0].get_legend() is None
    assert without.axes[0].get_title(loc="left") == "all 3 states"


def test_releases_figure_one_line_per_release_with_gaps() -> None:
    """Two releases; the second skips 2021, so its line has a gap (NaN) there."""
    tidy = pd.DataFrame(
        annual("gdp", "2023-05", {2019: 1.0, 2020: 2.0, 2021: 3.0})
        + annual("gdp", "2024-05", {2019: 1.5, 2020: 2.5, 2022: 4.0})
    )
    fig = releases_figure(tidy, "gdp", "MXN")
    (ax,) = fig.axes
    lines = ax.get_lines()
    assert [line.get_label() for line in lines] == ["2023-05", "2024-05"]
    assert list(lines[1].get_xdata()) == [2019, 2020, 2021, 2022]
    assert pd.isna(lines[1].get_ydata()[2])
    assert [to_hex(line.get_color()) for line in lines] == [
        OKABE_ITO["blue"].lower(),
        OKABE_ITO["orange"].lower(),
    ]


def test_overview_figure_has_three_titled_panels(snapshot_tidy: pd.DataFrame) -> None:
    """On the snapshot: both poverty series as two lines, GDP growth bars with 2020 in
    vermillion, the quarterly GDP index with its 100 line."""
    fig = overview_figure(snapshot_tidy, shock_year=2020)
    poverty, growth, quarterly = fig.axes
    assert poverty.get_title(loc="left") == "a. Multidimensional poverty"
    assert growth.get_title(loc="left") == "b. Real GDP growth (World Bank WDI)"
    assert quarterly.get_title(loc="left").startswith("c. Quarterly real GDP (INEGI), ")
    assert len(poverty.get_lines()) == 2 and len(poverty.get_legend().get_texts()) == 2
    shock = [
        b for b in bars(growth) if to_hex(b.get_facecolor()) == OKABE_ITO["vermillion"].lower()
    ]
    assert len(shock) == 1 and shock[0].get_x() + shock[0].get_width() / 2 == 2020
    assert quarterly.get_ylabel().startswith("index, ") and quarterly.get_ylabel().endswith(
        " = 100"
    )
