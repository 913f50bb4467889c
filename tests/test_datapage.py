"""Data page tables and the published-figures comparison, on synthetic and real data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.report.datapage import (
    coverage_table,
    known_gaps,
    missing_periods,
    sources_with_rows,
    state_coverage,
)
from analysis.report.published import compare_published, read_published
from analysis.snapshot.catalog import load_catalog
from analysis.snapshot.validate import validate_snapshot
from helpers import RAW

PACKAGE = RAW / "datapackage.json"


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_tidy(PACKAGE)


@pytest.fixture(scope="module")
def catalog():
    return load_catalog(PACKAGE)


@pytest.mark.parametrize(
    ("periods", "freq", "expected"),
    [
        (["2016", "2018", "2022", "2024"], "A", ["2020"]),  # biennial: odd years are not gaps
        (["2019", "2020", "2021"], "A", []),
        (["2019Q3", "2019Q4", "2020Q3", "2020Q4", "2021Q1"], "Q", ["2020Q1", "2020Q2"]),
        (["2020-11", "2020-12", "2021-01", "2021-03"], "M", ["2021-02"]),
        (["2020", "2024"], "A", []),  # two points say nothing about the step
    ],
)
def test_missing_periods(periods: list[str], freq: str, expected: list[str]) -> None:
    assert missing_periods(periods, freq) == expected


def test_coverage_has_a_row_per_indicator_series(tidy: pd.DataFrame, catalog) -> None:
    table = coverage_table(tidy, catalog)
    pairs = tidy[["indicator_id", "series", "freq"]].drop_duplicates()
    assert len(table) == len(pairs)
    poverty = table[
        (table["indicator_id"] == "poverty_multidimensional_pct")
        & (table["Series"] == "lineamientos_2018")
    ].iloc[0]
    assert (poverty["First"], poverty["Last"]) == ("2016", "2024")
    assert poverty["Geography"].startswith("national + ")
    assert poverty["Missing inside range"] == ""


def test_state_coverage_keeps_every_state(tidy: pd.DataFrame) -> None:
    states = pd.read_csv(RAW / "inegi" / "catalogo_entidades.csv", dtype=str)
    table = state_coverage(tidy, "poverty_multidimensional_pct", "coneval_2008_2018", states)
    assert len(table) == 32 and table["2010"].notna().all()
    assert table.loc["Chiapas", "2018"] == 76.4 and table.loc["Nuevo León", "2018"] == 14.5
    assert table.loc["Ciudad de México"].isna().any()  # gaps stay gaps


def test_sources_and_gaps_cover_the_package() -> None:
    report = validate_snapshot(PACKAGE)
    sources = sources_with_rows(PACKAGE, report.as_dict())
    assert len(sources) == len(report.resources) and (sources["Rows"] > 0).all()
    assert sources["Official page"].str.match(r"https?://").all()
    gaps = known_gaps(PACKAGE)
    assert {"gap", "excluded value"} <= set(gaps["Kind"])


def test_published_figures_match_the_data_where_both_exist(tidy: pd.DataFrame, catalog) -> None:
    published = read_published(RAW / "framework" / "published_figures.csv")
    raw_text = pd.read_csv(RAW / "framework" / "published_figures.csv", dtype=str).set_index(
        "figure_id"
    )["value"]
    comparison = compare_published(published, tidy, catalog, raw_text).set_index("figure_id")
    assert len(comparison) == len(published)

    def row(indicator: str, period: str, value: float) -> pd.Series:
        hits = comparison[
            (comparison["indicator_id"] == indicator)
            & (comparison["period"] == period)
            & (comparison["published"] == value)
        ]
        assert not hits.empty, (indicator, period, value)
        return hits.iloc[0]

    for indicator, period, value in [
        ("poverty_multidimensional_pct", "2020", 43.9),
        ("poverty_extreme_pct", "2020", 8.5),
        ("imss_registered_jobs", "2022-12", 21372896),
        ("unemployment_rate", "2022Q3", 3.4),
    ]:
        match = row(indicator, period, value)
        assert match["status"] == "matches", match.to_dict()


def test_comparison_flags_differences() -> None:
    tidy = pd.DataFrame(
        {
            "indicator_id": ["x"],
            "geo": ["MEX"],
            "period": ["2020"],
            "freq": ["A"],
            "value": [10.4],
            "unit": ["%"],
            "series": ["s"],
            "source_id": ["r"],
            "vintage": ["v"],
        }
    )
    published = pd.DataFrame(
        {
            "figure_id": ["a", "b", "c"],
            "report": "r",
            "section": "s",
            "statement": "t",
            "value": [10.0, 10.4, 5.0],
            "unit": "%",
            "period": ["2020", "2020", "2019"],
            "period_freq": "A",
            "geo": "MEX",
            "source_cited": "",
            "indicator_hint": ["x", "x", "x"],
        }
    )
    result = compare_published(
        published, tidy, {}, pd.Series({"a": "10", "b": "10.4", "c": "5"})
    ).set_index("figure_id")
    assert result.loc["a", "status"] == "matches"  # 10 published without decimals covers 10.4
    assert result.loc["b", "status"] == "matches"
    assert result.loc["c", "status"] == "not in snapshot"
    published.loc[0, "value"] = 11.0
    assert (
        compare_published(
            published, tidy, {}, pd.Series({"a": "11.0", "b": "10.4", "c": "5"})
        ).iloc[0]["status"]
        == "differs"
    )


def test_release_comparison_known_answer() -> None:
    from analysis.report.changes import compare_releases

    rows = [
        ("old", "2019", 1.0),
        ("old", "2020", -8.2),
        ("new", "2019", 1.0),
        ("new", "2020", -8.6),
        ("new", "2021", 5.7),
        ("old", "2018", 2.0),
    ]
    tidy = pd.DataFrame(
        [
            {
                "indicator_id": "g",
                "geo": "MEX",
                "period": p,
                "freq": "A",
                "value": v,
                "unit": "%",
                "series": s,
                "source_id": "r",
                "vintage": "v",
            }
            for s, p, v in rows
        ]
    )
    changes = compare_releases(tidy, "g", "old", "new").set_index("period")
    assert changes.loc["2019", "status"] == "unchanged"
    assert changes.loc["2020", "status"] == "revised" and changes.loc[
        "2020", "revision"
    ] == pytest.approx(-0.4)
    assert changes.loc["2021", "status"] == "new period"
    assert changes.loc["2018", "status"] == "not in the newer release"


def test_release_pairs_from_the_package() -> None:
    from analysis.report.changes import release_pairs

    pairs = release_pairs(PACKAGE)
    assert {"indicator_id": "gdp_real_growth", "old": "wdi_2021_01", "new": "wdi"} in [
        {k: p[k] for k in ("indicator_id", "old", "new")} for p in pairs
    ]
