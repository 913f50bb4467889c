"""Data page tables and the published-figures comparison, on synthetic and real data."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.report.datapage import (
    coverage_data,
    coverage_table,
    known_gaps,
    licences_table,
    missing_periods,
    overlap_series,
    readable,
    source_overlaps,
    sources_table,
    sources_with_rows,
    state_coverage,
)
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.labels import series_label
from analysis.report.published import compare_published, read_published, rounding_tolerance
from analysis.snapshot.catalog import Indicator, load_catalog
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
    """The data keep ids and every gap; the display names the series, says the geography in
    words ('national, 32 states') and counts the gaps; no id, and it fits the text column."""
    data = coverage_data(tidy, catalog)
    table = coverage_table(tidy, catalog)
    pairs = tidy[["indicator_id", "series", "freq"]].drop_duplicates()
    assert len(table) == len(data) == len(pairs)
    assert list(table.columns) == [
        "Indicator (series)", "Freq", "Geography", "Period", "Obs", "Gaps",
    ]  # fmt: skip
    where = (data["indicator_id"] == "poverty_multidimensional_pct") & (
        data["series"] == "lineamientos_2018"
    )
    poverty = table[where.to_numpy()].iloc[0]
    assert poverty["Indicator (series)"].endswith(f"({series_label('lineamientos_2018')})")
    assert (poverty["Freq"], poverty["Period"], poverty["Gaps"]) == ("annual", "2016-2024", "")
    assert poverty["Geography"] == "national, 32 states"
    assert data.loc[where, "missing"].iloc[0] == ""
    assert not table["Indicator (series)"].str.contains("_").any()
    assert table_width(table, "Indicator (series)") <= WIDTH_BUDGET


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
    shown = sources_table(sources)
    assert list(shown.columns) == ["Source (vintage)", "Accessed", "Rows", "Official page"]
    assert shown["Rows"].str.fullmatch(r"\d{1,3}(,\d{3})*").all()
    hosts = shown.assign(**{"Official page": shown["Official page"].str.split("/").str[2]})
    assert table_width(hosts, "Source (vintage)") <= WIDTH_BUDGET
    licences = licences_table(sources)
    assert list(licences.columns) == ["Publisher", "Licence", "Files"]
    assert licences["Files"].astype(int).sum() == len(sources)
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
            "series": ["inegi"],
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


def test_release_tables_show_each_pair_in_its_unit() -> None:
    """A rate in % (two decimals for its revisions) and a count (whole numbers with
    separators, never '70,426.000'); the pair named on its first row only; both fit."""
    from analysis.report.changes import release_table, revisions_data, revisions_table

    rows = [
        ("g", "MEX", "2019", "wdi_2021_01", 5.176, "v"),
        ("g", "MEX", "2019", "wdi", 5.25, "v"),
        ("g", "MEX", "2020", "wdi", -8.62, "v"),
        ("a", "MEX", "2019", "comar_2021_07", 70426.0, "v"),
        ("a", "MEX", "2019", "comar_2021_11", 70346.0, "v"),
    ]
    catalog = {
        "g": Indicator(id="g", name="GDP growth", unit="% change on previous year", kind="rate"),
        "a": Indicator(id="a", name="Applicants", unit="persons", kind="count"),
    }
    pairs = [
        {"indicator_id": "g", "old": "wdi_2021_01", "new": "wdi", "note": "base revision"},
        {"indicator_id": "a", "old": "comar_2021_07", "new": "comar_2021_11", "note": ""},
    ]
    summary = release_table(_tidy(rows), pairs, catalog)
    assert summary.to_dict("records") == [
        {
            "Indicator: releases": "GDP growth: World Bank WDI, as of January 2021 → World Bank WDI",
            "New": "1", "Revised": "1", "Unchanged": "0", "Largest revision": "+0.07 (2019)",
        },
        {
            "Indicator: releases": f"Applicants: {series_label('comar_2021_07')} → "
            f"{series_label('comar_2021_11')}",
            "New": "0", "Revised": "1", "Unchanged": "0", "Largest revision": "-80 (2019)",
        },
    ]  # fmt: skip
    table = revisions_table(_tidy(rows), pairs, catalog)
    assert table.values.tolist() == [
        [summary.iloc[0, 0], "2019", "revised", "5.18", "5.25", "+0.07"],
        ["", "2020", "new period", "", "-8.62", ""],
        [summary.iloc[1, 0], "2019", "revised", "70,426", "70,346", "-80"],
    ]
    assert len(revisions_data(_tidy(rows), pairs)) == 3
    assert table_width(summary, "Indicator: releases") <= WIDTH_BUDGET
    assert table_width(table, "Indicator: releases") <= WIDTH_BUDGET


def test_readable_names_ids_in_maintainers_notes(catalog) -> None:
    """Indicator and series ids in a note become names; words that merely contain an id stay."""
    text = "unemployment_rate, series wdi_ilo_modelled: 1990 missing; see unemployment_rate_x"
    shown = readable(text + " (PIP 2020 = 0.4459, 2.5)", catalog)
    assert shown == (
        f"{catalog['unemployment_rate'].name}, series {series_label('wdi_ilo_modelled')}: "
        "1990 missing; see unemployment_rate_x (PIP 2020 = 0.446, 2.5)"
    )
    gaps = known_gaps(PACKAGE)
    assert not gaps["What"].str.contains("wdi_ilo_modelled").any()


def test_release_pairs_from_the_package() -> None:
    from analysis.report.changes import release_pairs

    pairs = release_pairs(PACKAGE)
    assert {"indicator_id": "gdp_real_growth", "old": "wdi_2021_01", "new": "wdi"} in [
        {k: p[k] for k in ("indicator_id", "old", "new")} for p in pairs
    ]


def _tidy(rows: list[tuple[str, str, str, str, float, str]]) -> pd.DataFrame:
    """(indicator, geo, period, series, value, vintage) rows as a tidy table."""
    frame = pd.DataFrame(
        rows, columns=["indicator_id", "geo", "period", "series", "value", "vintage"]
    )
    return frame.assign(freq="A", unit="%", source_id="r")


def _figure(**values: object) -> pd.DataFrame:
    base = {
        "figure_id": "f",
        "report": "results_report_2020",
        "section": "s",
        "statement": "t",
        "unit": "%",
        "period_freq": "A",
        "geo": "MEX",
        "source_cited": "CONEVAL",
        "indicator_hint": "x",
    }
    return pd.DataFrame([base | values])


def _why(published: pd.DataFrame, tidy: pd.DataFrame, text: str, **kwargs: object) -> pd.Series:
    catalog = {
        "x": Indicator(
            id="x",
            name="Moderate poverty",
            unit="%",
            kind="share",
            headline_series="lineamientos_2018",
        )
    }
    return compare_published(published, tidy, catalog, pd.Series({"f": text}), **kwargs).iloc[0]


def test_a_figure_from_before_the_series_existed_is_not_called_a_revision() -> None:
    """The 2020 report's 34.5 for 2018 against 34.9 in the new series, first released in 2022,
    with the old series holding 2016 but not 2018: the reason names both series, not a revision."""
    tidy = _tidy(
        [
            ("x", "MEX", "2018", "lineamientos_2018", 34.9, "2022"),
            ("x", "MEX", "2016", "coneval_2008_2018", 35.9, "2017-08"),
        ]
    )
    row = _why(_figure(value=34.5, period="2018"), tidy, "34.5")
    assert row["status"] == "differs" and "revision" not in row["why"]
    assert row["why"].startswith(
        "the snapshot's only release of CONEVAL, 2018 guidelines, 2016-2024 (2022) is later than "
        "the report and gives 34.9 for 2018, 0.4 percentage points above the report's 34.5"
    )
    assert (
        "the earlier series (CONEVAL, 2008-2018 series) is held for 2016 but not for 2018"
        in row["why"]
    )


def test_a_later_release_is_named_with_its_date() -> None:
    """The series existed before the 2020 report (a 2019 release for 2018), and the snapshot's 2020
    value is from a 2025 cut: the reason says the snapshot holds a release later than the report."""
    tidy = _tidy(
        [
            ("x", "MEX", "2018", "lineamientos_2018", 900.0, "2019-01"),
            ("x", "MEX", "2020", "lineamientos_2018", 976.0, "2025-06"),
        ]
    )
    row = _why(_figure(value=939.0, period="2020"), tidy, "939")
    assert row["status"] == "differs"
    assert "as released after the report (vintage: 2025-06)" in row["why"]


def test_a_state_figure_is_looked_up_in_that_state() -> None:
    """Nuevo León (code 19) 14.5 in 2018: found in the state's rows, not reported as a missing
    national value; a state without a value is named in the reason."""
    states = pd.DataFrame({"CVE_ENT": ["19", "07"], "NOM_ENT": ["Nuevo León", "Chiapas"]})
    tidy = _tidy(
        [
            ("x", "19", "2018", "lineamientos_2018", 14.5, "2022"),
            ("x", "MEX", "2018", "lineamientos_2018", 41.9, "2022"),
        ]
    )
    found = _why(_figure(value=14.5, period="2018", geo="Nuevo León"), tidy, "14.5", states=states)
    assert found["status"] == "matches" and found["snapshot"] == 14.5
    missing = _why(_figure(value=76.4, period="2018", geo="Chiapas"), tidy, "76.4", states=states)
    assert missing["status"] == "not in snapshot" and "for Chiapas" in missing["why"]


def test_trailing_zeros_of_a_published_integer_are_rounding() -> None:
    """'753000' (published as 'nearly 753,000') covers 752,748; '939' does not cover 976."""
    assert rounding_tolerance("753000") == pytest.approx(500)
    assert rounding_tolerance("41.9") == pytest.approx(0.05)
    assert rounding_tolerance("939") == pytest.approx(0.5)


def test_source_overlaps_compare_both_series_over_common_years() -> None:
    """INEGI's homicide rate (the verdict series) beside UNODC's copy: common years 2020-2021,
    latest 28.0 / 28.2, largest difference |27.5 - 28.5| = 1.0 in 2020; an indicator in another
    unit, or one without a concept, is not an overlap."""
    catalog = {
        "h": Indicator(
            id="h",
            name="Homicide rate",
            unit="per 100,000",
            kind="level",
            direction=-1,
            headline_series="inegi",
        ),
        "u": Indicator(
            id="u",
            name="Homicide rate (UNODC)",
            unit="per 100,000",
            kind="level",
            headline_series="unsd_sdg_2023_12",
            concept="h",
            notes="INEGI is the national source",
        ),
        "x": Indicator(
            id="x", name="Other", unit="%", kind="share", headline_series="s", concept="h"
        ),
    }
    rows = [
        ("h", "MEX", "2019", "inegi", 29.0, "v"),
        ("h", "MEX", "2020", "inegi", 27.5, "v"),
        ("h", "MEX", "2021", "inegi", 28.0, "v"),
        ("u", "MEX", "2020", "unsd_sdg_2023_12", 28.5, "v"),
        ("u", "MEX", "2021", "unsd_sdg_2023_12", 28.2, "v"),
        ("x", "MEX", "2021", "s", 5.0, "v"),
    ]
    table = source_overlaps(_tidy(rows), catalog)
    assert table.to_dict("records") == [
        {
            "Measure (unit)": "Homicide rate (per 100,000)",
            "Common years": "2020-2021 (2)",
            "Latest common": "2021",
            "Used": "28.0",
            "Other": "28.2",
            "Largest gap (year)": "1.0 (2020)",
        }
    ]
    assert overlap_series(_tidy(rows), catalog).to_dict("records") == [
        {
            "Measure": "Homicide rate",
            "Verdicts use": series_label("inegi"),
            "Other series": series_label("unsd_sdg_2023_12"),
            "Why": "INEGI is the national source",
        }
    ]
    assert table_width(table, "Measure (unit)") <= WIDTH_BUDGET
