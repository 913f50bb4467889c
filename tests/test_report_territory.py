"""The territorial view (report.territory), the peer comparison (report.peers) and the evidence
notes (report.areas.evidence_note) on small hand-made inputs; then, on the built checkout, that
every outcome has evidence or a stated reason and that the pages show peers and the maps."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection

from analysis.report import territory
from analysis.report.areas import (
    MIN_ASSESSED_CONCEPTS,
    assessed_concepts,
    evidence_note,
    groups_of,
    read_evidence_gaps,
)
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.peers import peer_comparison, peer_display_table, peer_reading
from analysis.snapshot.catalog import STATE_CODES, Indicator
from helpers import RAW, ROOT
from test_report_figures import assert_text_column

CODES = sorted(STATE_CODES)


@pytest.fixture(autouse=True)
def close_figures() -> Iterator[None]:
    yield
    plt.close("all")


def row(indicator: str, period: str, value: float, geo: str, series: str = "s") -> dict:
    freq = "Q" if "Q" in period else "A"
    return {
        "indicator_id": indicator, "geo": geo, "period": period, "freq": freq, "value": value,
        "unit": "u", "series": series, "source_id": "src", "vintage": "v",
    }  # fmt: skip


@pytest.fixture
def states() -> pd.DataFrame:
    return pd.DataFrame({"CVE_ENT": CODES, "NOM_CORTO": [f"S{c}" for c in CODES]})


def poverty_rows(years: dict[str, list[float]]) -> list[dict]:
    return [
        row("pov", year, value, geo)
        for year, values in years.items()
        for geo, value in zip(CODES, values, strict=False)
    ]


def test_poverty_change_takes_the_nearest_complete_year_and_the_latest(states) -> None:
    """Base year 2019: 2018 and 2020 are both a year away, the earlier wins; 2024 has 2 states
    only, so 2022 is the latest year with all 32."""
    base = [40.0 + i for i in range(32)]
    tidy = pd.DataFrame(
        [
            *poverty_rows(
                {
                    "2018": base,
                    "2020": [v + 1 for v in base],
                    "2022": [base[0] + 3, base[1] - 5, *(v - 2 for v in base[2:])],
                    "2024": [1.0, 2.0],
                }
            ),
            row("pov", "2018", 50.0, "MEX"),  # the nation is not a state
        ]
    )
    table = territory.poverty_change(tidy, states, 2019, "pov", "s")
    assert len(table) == 32
    assert set(table["base_year"]) == {2018} and set(table["latest_year"]) == {2022}
    first = table.set_index("geo").loc["01"]
    assert (first["base"], first["latest"], first["change_pp"]) == (40.0, 43.0, 3.0)
    assert table["latest"].is_monotonic_decreasing
    text = territory.territory_sentence(table, 2019, (50.0, 47.5))
    assert text.startswith(
        "In 2022, multidimensional poverty ranged from 36.0% (S02) to 69.0% (S32) across the 32 "
        "states, a gap of 33.0 percentage points;"
    )
    assert "in 2018, the survey year nearest the Framework's 2019 baseline, it ranged from 40.0% (S01) to 71.0% (S32), a gap of 31.0 percentage points" in text  # fmt: skip
    assert "Nationally the rate went from 50.0% to 47.5%." in text
    assert "fell in 31 states and rose in 1 state; the largest fall was in S02 (5.0 percentage points), the largest rise in S01 (3.0 percentage points)." in text  # fmt: skip
    same = territory.territory_sentence(table.assign(base_year=2019), 2019)
    assert "in 2019, the Framework baseline," in same


def test_poverty_change_without_a_baseline_is_an_error(states) -> None:
    tidy = pd.DataFrame(poverty_rows({"2016": [1.0] * 32, "2022": [2.0] * 32}))
    with pytest.raises(ValueError, match="near 2019"):
        territory.poverty_change(tidy, states, 2019, "pov", "s")


def test_map_classes_round_and_symmetric() -> None:
    edges = territory.map_classes(pd.Series([13.3, 78.0]), 10.0, diverging=False)
    assert edges.tolist() == [10, 20, 30, 40, 50, 60, 70, 80]
    change = territory.map_classes(pd.Series([-10.6, 1.5]), 4.0, diverging=True)
    assert change.tolist() == [-12, -8, -4, -1, 1, 4, 8, 12]  # +1.5 falls in a rise class


def square(x: float) -> list[list[float]]:
    return [[x, 0.0], [x + 1, 0.0], [x + 1, 1.0], [x, 1.0], [x, 0.0]]


def test_read_state_shapes_keeps_outer_rings(tmp_path: Path) -> None:
    path = tmp_path / "s.geojson"
    features = [
        {"properties": {"CVE_ENT": "01"}, "geometry": {"type": "Polygon", "coordinates": [square(0), square(0.2)]}},
        {"properties": {"CVE_ENT": "02"}, "geometry": {"type": "MultiPolygon", "coordinates": [[square(2)], [square(4)]]}},
    ]  # fmt: skip
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}))
    shapes = territory.read_state_shapes(path)
    assert sorted(shapes) == ["01", "02"]
    assert len(shapes["01"]) == 1 and len(shapes["02"]) == 2
    assert shapes["02"][1][0].tolist() == [4.0, 0.0]


def test_maps_and_dots_figures_draw_every_state() -> None:
    shapes = {code: [np.array(square(i))] for i, code in enumerate(CODES)}
    table = pd.DataFrame(
        {
            "geo": CODES, "state": [f"S{c}" for c in CODES], "base_year": 2018,
            "base": np.linspace(20, 70, 32), "latest_year": 2022,
            "latest": np.linspace(15, 72, 32),
        }
    )  # fmt: skip
    table["change_pp"] = table["latest"] - table["base"]
    fig = territory.poverty_maps_figure(shapes, table)
    maps = [ax for ax in fig.axes if any(isinstance(c, PolyCollection) for c in ax.collections)]
    assert [ax.get_title(loc="left") for ax in maps] == ["a. 2018", "b. 2022", "c. Change, 2018 to 2022"]  # fmt: skip
    assert all(len(ax.collections[0].get_paths()) == 32 for ax in maps)
    labels = [ax.get_xlabel() for ax in fig.axes if ax not in maps]
    assert "% of population in multidimensional poverty" in labels
    assert any(label.startswith("percentage points") for label in labels)
    dots = territory.poverty_dots_figure(table).axes[0]
    assert len(dots.get_yticklabels()) == 32
    assert [t.get_text() for t in dots.get_legend().get_texts()] == ["2018", "2022", "fell", "rose"]
    assert dots.get_xlabel() == "% of population in multidimensional poverty"
    assert min(t.get_fontsize() for t in dots.get_yticklabels()) >= 10
    assert dots.get_xlim()[0] == 0  # a share: from zero
    for figure in (fig, dots.figure):
        assert_text_column(figure)
    # change = -5 + 7 k / 31 for the k-th state: negative up to k = 22, so 23 fell and 9 rose
    assert territory.poverty_maps_alt(table) == (
        "In 2018, poverty ranged from 20.0% in S01 to 70.0% in S32; in 2022, from 15.0% in S01 "
        "to 72.0% in S32. It fell in 23 states and rose in 9; the largest fall was 5.0 "
        "percentage points in S01. The largest rise was 2.0 percentage points in S32."
    )
    assert territory.poverty_dots_alt(table).startswith(
        "The 32 states ranked by poverty in 2022: highest in S32 (72.0%), lowest in S01 (15.0%)."
    )
    data = territory.poverty_dots_data(table)
    assert list(data.columns) == [
        "State", "Poverty 2018 (% of population)", "Poverty 2022 (% of population)",
        "Change 2018-2022 (percentage points)",
    ]  # fmt: skip
    assert len(data) == 32 and territory.poverty_maps_data(table).equals(data)


def test_change_map_no_change_class_is_visible_on_a_white_page() -> None:
    """The middle class (-1 to 1 percentage points) was white, like the page: it is a light grey,
    the fall side blue and the rise side vermillion, and the colour bar has outlined classes."""
    from matplotlib.colorbar import Colorbar
    from matplotlib.colors import to_hex, to_rgb

    colours = [to_hex(c) for c in territory.diverging_colours(7)]
    assert colours[3] == territory.NO_CHANGE_GREY and colours[3] != "#ffffff"
    assert min(to_rgb(colours[3])) < 0.85  # clearly darker than the white page
    assert colours[0] == "#0072b2" and colours[-1] == "#d55e00"
    assert len(set(colours)) == 7
    shapes = {code: [np.array(square(i))] for i, code in enumerate(CODES)}
    change = np.linspace(-9, 3, 32)
    table = pd.DataFrame(
        {"geo": CODES, "state": CODES, "base_year": 2018, "base": 50.0, "latest_year": 2022,
         "latest": 50.0 + change, "change_pp": change}
    )  # fmt: skip
    fig = territory.poverty_maps_figure(shapes, table)
    change_map = next(ax for ax in fig.axes if ax.get_title(loc="left").startswith("c."))
    faces = {to_hex(f) for f in change_map.collections[0].get_facecolors()}
    assert territory.NO_CHANGE_GREY in faces  # states within 1 point of no change
    bars = [a._colorbar for a in fig.axes if isinstance(getattr(a, "_colorbar", None), Colorbar)]
    assert bars and all(bar.drawedges for bar in bars)


def test_state_economy_per_person_in_the_latest_complete_year(states) -> None:
    """2025 has only three quarters: 2024 is used. State 01: 4 x 25 US$ million over 1e6 people."""
    rows = []
    for i, geo in enumerate(CODES):
        for q in range(1, 5):
            rows.append(row("rem", f"2024Q{q}", 25.0 * (i + 1), geo, "b"))
        for q in range(1, 4):
            rows.append(row("rem", f"2025Q{q}", 1.0, geo, "b"))
        for year in ("2024", "2025"):
            rows.append(row("pop", year, 1e6, geo, "c"))
            rows.append(row("gdp", year, 300_000.0 - 5_000 * i, geo, "g"))
    table = territory.state_economy(
        pd.DataFrame(rows), states, ("rem", "b"), ("gdp", "g"), ("pop", "c")
    )
    assert set(table["year"]) == {2024}
    first = table.set_index("geo").loc["01"]
    assert first["remittances_per_person"] == pytest.approx(100.0)
    assert table["remittances_per_person"].is_monotonic_decreasing
    text = territory.economy_sentence(table)
    assert text.startswith("In 2024, remittances came to US$1,650 per person nationally, from US$3,200 in S32 to US$100 in S01.")  # fmt: skip
    assert "rank correlation between the two is -1.00: remittances weigh most where output per person is lower." in text  # fmt: skip
    fig = territory.economy_figure(table)
    # the national value the sentence gives is drawn as a line on the remittances panel
    national = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"]
    assert [list(line.get_xdata()) for line in national] == [[1650.0, 1650.0]]
    assert territory.national_remittances(table) == pytest.approx(1650.0)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["national: US$1,650 per person"]
    assert [ax.get_xlabel() for ax in fig.axes] == [
        "US$ per person (nominal)",
        "thousand MXN per person, 2018 prices",
    ]
    assert_text_column(fig)
    assert territory.economy_alt(table) == (
        "In 2024, remittances per person ranged from US$3,200 in S32 to US$100 in S01; GDP per "
        "person from MXN 145 thousand in S32 to MXN 300 thousand in S01. The rank correlation "
        "between the two is -1.00."
    )
    data = territory.economy_data(table)
    assert data.iloc[0].to_dict() == {
        "State": "S32", "Year": 2024, "Remittances per person (US$, nominal)": 3200.0,
        "GDP per person (thousand MXN, 2018 prices)": 145.0,
    }  # fmt: skip


@pytest.fixture
def peer_catalog() -> dict[str, Indicator]:
    indicators = [
        Indicator("imr", "Infant mortality rate", "per 1,000 live births", "rate", outcomes=("2",), direction=-1, headline_series="wdi"),
        Indicator("ctx", "Health spending", "US$", "level", outcomes=("2",), headline_series="wdi"),
        Indicator("net", "Internet users", "% of population", "share", outcomes=("4",), direction=1, headline_series="wdi"),
    ]  # fmt: skip
    return {i.id: i for i in indicators}


@pytest.fixture
def peer_tidy() -> pd.DataFrame:
    values = {"MEX": 10.8, "LCN": 13.5, "UMC": 11.5, "OED": 5.8, "WLD": 27.1}
    rows = [row("imr", "2023", v, g, "wdi") for g, v in values.items()]
    rows += [row("imr", "2024", 10.0, "MEX", "wdi"), row("imr", "2024", 13.0, "LCN", "wdi")]
    rows += [row("ctx", "2023", 1.0, g, "wdi") for g in values]  # context: not compared
    rows += [row("net", "2023", 81.2, "MEX", "wdi")]  # no peers: left out
    return pd.DataFrame(rows)


def test_peer_comparison_latest_common_year(peer_tidy, peer_catalog) -> None:
    comparison = peer_comparison(peer_tidy, peer_catalog, ["2", "4"])
    assert comparison["indicator_id"].tolist() == ["imr"]
    first = comparison.iloc[0]
    assert first["year"] == "2023" and first["aggregates"] == "World Bank aggregates"
    assert (first["Mexico"], first["OECD"]) == (10.8, 5.8)
    # lower is better for infant mortality: better than three groups, worse than the OECD
    assert peer_reading(comparison).splitlines() == [
        "- Against Latin America and the Caribbean, Mexico does better on the one indicator with "
        "a value for both.",
        "- Against upper-middle-income countries, Mexico does better on the one indicator with a "
        "value for both.",
        "- Against the OECD, Mexico does worse on the one indicator with a value for both.",
        "- Against the world, Mexico does better on the one indicator with a value for both.",
    ]
    shown = peer_display_table(comparison)
    assert list(shown.columns) == [
        "Indicator; unit", "Year", "Mexico", "Latin America and the Caribbean",
        "Upper middle income", "OECD", "World",
    ]  # fmt: skip
    assert shown.iloc[0].to_dict() == {
        "Indicator; unit": "Infant mortality rate; per 1,000 live births",
        "Year": "2023",
        "Mexico": "10.8",
        "Latin America and the Caribbean": "13.5",
        "Upper middle income": "11.5",
        "OECD": "5.8",
        "World": "27.1",
    }
    assert table_width(shown, "Indicator; unit") <= WIDTH_BUDGET
    assert peer_comparison(peer_tidy, peer_catalog, ["4"]).empty
    assert peer_reading(peer_comparison(peer_tidy, peer_catalog, ["4"])).startswith("_No assessed")


def test_peer_comparison_m49_regions_and_percent_units(peer_catalog) -> None:
    tidy = pd.DataFrame(
        [row("net", "2021", v, g, "wdi") for g, v in {"MEX": 50.0, "M49_419": 40.0, "M49_001": 50.0}.items()]
    )  # fmt: skip
    comparison = peer_comparison(tidy, peer_catalog, ["4"])
    first = comparison.iloc[0]
    assert first["aggregates"] == "UN M49 regions" and pd.isna(first["OECD"])
    shown = peer_display_table(comparison)
    assert list(shown.columns) == [
        "Indicator; unit", "Year", "Mexico", "Latin America and the Caribbean", "World",
    ]  # fmt: skip
    assert shown.iloc[0, 2:].tolist() == ["50.0", "40.0", "50.0"]
    assert peer_reading(comparison).splitlines() == [
        "- Against Latin America and the Caribbean, Mexico does better on the one indicator with "
        "a value for both.",
        "- Against the world, Mexico is level on the one indicator with a value for both.",
    ]
    two = pd.concat([comparison, comparison.assign(direction=-1)], ignore_index=True)
    assert peer_reading(two).splitlines()[0] == (
        "- Against Latin America and the Caribbean, Mexico does better on 1 and worse on 1 of the "
        "2 indicators with a value for both."
    )


def progress_rows(rows: list[tuple[str, str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {"run": run, "indicator_id": i, "concept": concept, "name": i.capitalize(),
             "outcomes": outcomes, "cross_cutting": "", "status": status}
            for run, i, concept, outcomes, status in rows
        ]
    )  # fmt: skip


def test_evidence_note_counts_concepts_once_and_states_the_reason() -> None:
    progress = progress_rows(
        [
            ("framework", "forest", "forest", "7", "limited progress"),
            ("framework", "a", "a", "7;6", "insufficient data"),
            ("framework", "p", "p", "1", "moderate progress"),
            ("framework", "p_cut", "p", "1", "moderate progress"),  # a cut: same concept
            ("sdg", "q", "q", "1", "moderate progress"),  # another run
            ("framework", "r", "r", "10", "deterioration"),
            ("framework", "s", "s", "10", "deterioration"),
        ]
    )
    assert assessed_concepts(progress, "1")["indicator_id"].tolist() == ["p"]
    assert len(assessed_concepts(progress, "10")) == MIN_ASSESSED_CONCEPTS
    gaps = {"7": ("No adaptation series.", "indicator_map.csv")}
    assert evidence_note("7", progress, gaps) == (
        "**Thin evidence.** Only one indicator concept (forest) of this outcome could be assessed "
        "in the Framework run, and this report reads an outcome's verdicts as evidence only when "
        "at least 2 concepts are assessed. No adaptation series. (The reason and its sources are "
        "in data/raw/framework/evidence_gaps.csv.)"
    )
    none = evidence_note("7", progress[progress["outcomes"] != "7"], gaps)
    assert none.startswith("**Thin evidence.** No indicator concept of this outcome could be")
    assert evidence_note("10", progress, gaps) == ""
    with pytest.raises(ValueError, match="group 1 has 1 assessed concept"):
        evidence_note("1", progress, gaps)


def test_the_stated_reasons_are_registered(tmp_path: Path) -> None:
    package = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in package["resources"] if r["name"] == "framework_evidence_gaps")
    assert resource["path"] == "framework/evidence_gaps.csv" and resource["x-provenance"]
    gaps = read_evidence_gaps(RAW / resource["path"])
    assert set(gaps) <= {str(n) for n in range(1, 11)} | {"X1", "X2"}
    assert read_evidence_gaps(tmp_path / "absent.csv") == {}


# ---- on the built checkout -------------------------------------------------------------------


def _built(path: Path) -> Path:
    if not path.is_file():
        pytest.skip(f"{path.relative_to(ROOT)} not built (make all)")
    return path


@pytest.mark.build
def test_every_group_has_two_assessed_concepts_or_a_stated_reason() -> None:
    progress = pd.read_csv(_built(ROOT / "data/processed/progress.csv"), dtype=str)
    gaps = read_evidence_gaps(RAW / "framework/evidence_gaps.csv")
    for group in [str(n) for n in range(1, 11)] + ["X1", "X2"]:
        heads = assessed_concepts(progress, group)
        assert len(heads) >= MIN_ASSESSED_CONCEPTS or group in gaps, group
        evidence_note(group, progress, gaps)  # raises for a thin group without a reason
    for group in gaps:  # a reason is only kept while it is needed
        assert len(assessed_concepts(progress, group)) < MIN_ASSESSED_CONCEPTS, group


def _page_text(name: str) -> str:
    html = _built(ROOT / "reports/_site" / f"{name}.html").read_text(encoding="utf-8")
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


@pytest.mark.build
def test_peers_appear_on_the_pages_that_use_them() -> None:
    from analysis.clean.tidy import read_tidy
    from analysis.site.pages import AREA_NOTEBOOK, PAGES
    from analysis.snapshot.catalog import load_catalog
    from analysis.snapshot.framework import read_outcomes

    tidy = read_tidy(_built(ROOT / "data/processed/indicators.csv"))
    catalog = load_catalog(RAW / "datapackage.json")
    outcomes = read_outcomes(RAW / "framework/framework_outcomes.csv")
    for page in (p for p in PAGES if p.stem == AREA_NOTEBOOK):
        comparison = peer_comparison(tidy, catalog, groups_of(page.params["area"], outcomes))
        text = _page_text(page.name)
        if comparison.empty:
            assert "has regional or income-group aggregates" in text, page.name
            continue
        assert "Latin America and the Caribbean" in text, page.name
        for line in peer_reading(comparison).splitlines():
            assert line.removeprefix("- ") in text.replace("&amp;", "&"), page.name
    assert not peer_comparison(tidy, catalog, ["2"]).empty  # infant mortality, life expectancy


@pytest.mark.build
def test_prosperity_page_shows_the_territorial_view_and_outcome_7_its_reason() -> None:
    text = _page_text("prosperity")
    assert "multidimensional poverty ranged from" in text and "across the 32 states" in text
    assert "rank correlation" in text
    assert "Thin evidence." in _page_text("green")
    assert "across all 32 states" in _page_text("equality")
