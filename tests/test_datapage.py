"""Data page tables and the published-figures comparison, on synthetic and real data."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.report.datapage import (
    check_failures,
    coverage_data,
    coverage_table,
    dating_notes,
    gap_contradictions,
    known_gaps,
    licences_table,
    missing_periods,
    overlap_data,
    overlap_intro,
    overlap_series,
    readable,
    source_overlaps,
    sources_table,
    sources_with_rows,
    state_coverage,
    verdict_words,
    years_in_both,
)
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.labels import catalog as label_catalog
from analysis.report.labels import label, series_label
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
        "Indicator; series", "Freq", "Geography", "Period", "Obs", "Gaps",
    ]  # fmt: skip
    where = (data["indicator_id"] == "poverty_multidimensional_pct") & (
        data["series"] == "lineamientos_2018"
    )
    poverty = table[where.to_numpy()].iloc[0]
    assert poverty["Indicator; series"].endswith(f"; {series_label('lineamientos_2018')}")
    assert (poverty["Freq"], poverty["Period"], poverty["Gaps"]) == ("annual", "2016–2024", "")
    assert poverty["Geography"] == "national, 32 states"
    assert data.loc[where, "missing"].iloc[0] == ""
    assert not table["Indicator; series"].str.contains("_").any()
    # periods as every page writes them: 'Q1 2015–Q2 2026', 'Jan 2018–Jan 2026'
    assert not table["Period"].str.contains(r"\d{4}Q\d|\d{4}-\d{2}", regex=True).any()
    assert table_width(table, "Indicator; series") <= WIDTH_BUDGET


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
            "Measure; unit": "Homicide rate; per 100,000",
            "Years in both": "2020-2021",
            "Latest common": "2021",
            "Headline": "28.0",
            "Second": "28.2",
            "Largest difference (year)": "1.0 (2020)",
        }
    ]
    assert overlap_series(_tidy(rows), catalog).to_dict("records") == [
        {
            "Measure": "Homicide rate",
            "Headline series": series_label("inegi"),
            "Second series": f"Homicide rate (UNODC); {series_label('unsd_sdg_2023_12')}",
            "Verdicts": "headline only",
            "Why": "INEGI is the national source",
        }
    ]
    assert table_width(table, "Measure; unit") <= WIDTH_BUDGET


# Known gaps: every statement about an indicator is checked against the snapshot.

#: Topics of gaps about the Framework's documents, not about a statistical series.
DOCUMENT_TOPICS = {"framework", "outcome_results"}


def test_every_known_gap_holds_on_the_snapshot(snapshot_tidy: pd.DataFrame) -> None:
    """No gap says a period is missing that the snapshot holds, or lists fewer or more periods
    than it holds: a gap that new data filled must be corrected or removed."""
    assert gap_contradictions(PACKAGE, snapshot_tidy) == []


def test_a_gap_naming_an_indicator_carries_checks(catalog) -> None:
    """A gap about the data that names an indicator states what it lacks as checks, so the test
    above can fail when the data change; only the report documents' gaps are free text."""
    descriptor = json.loads(PACKAGE.read_text(encoding="utf-8"))
    names = [i.name for i in catalog.values()]
    unchecked = [
        g["text"][:70]
        for g in descriptor["x-known-gaps"]
        if g["topic"] not in DOCUMENT_TOPICS
        and any(name in g["text"] for name in names)
        and not g.get("checks")
    ]
    assert unchecked == []


def _rows(*rows: tuple[str, str, str]) -> pd.DataFrame:
    """(indicator, geo, period) rows with a value, as a tidy table of series 's'."""
    return _tidy([(i, geo, p, "s", 1.0, "v") for i, geo, p in rows])


def test_check_failures_catch_a_gap_the_data_filled() -> None:
    """'moderate poverty 2016 missing' against a table that has 2016; 'only 2014' against 2014
    and 2019; a state-year said to be complete with one state; each true statement passes."""
    tidy = _rows(("x", "MEX", "2016"), ("x", "MEX", "2018"), ("y", "MEX", "2014"),
                 ("y", "MEX", "2019"), ("z", "09", "2020"))  # fmt: skip
    assert check_failures({"indicator": "x", "absent": ["2016", "2020"]}, tidy) == [
        "x: the note says these are missing, the snapshot holds ['2016']"
    ]
    assert check_failures({"indicator": "x", "absent": ["2020"]}, tidy) == []
    assert check_failures({"indicator": "x", "series": "other", "only": []}, tidy) == []
    assert check_failures({"indicator": "y", "only": ["2014"]}, tidy) == [
        "y: the note says only ['2014']; the snapshot also holds ['2019'] and lacks []"
    ]
    assert check_failures({"indicator": "y", "only": ["2014", "2019"]}, tidy) == []
    states = {"indicator": "z", "geo": "states"}
    assert check_failures(states | {"partial": ["2020"], "absent": ["2022"]}, tidy) == []
    assert check_failures(states | {"complete": ["2020"]}, tidy) == [
        "z geo=states: 2020 has 1 states, not complete"
    ]
    assert check_failures(states | {"absent": ["2020"]}, tidy) != []
    assert check_failures({"indicator": "z", "geo": "09", "absent": ["2020"]}, tidy) != []


@pytest.mark.parametrize(
    "check",
    [
        # The stale claims of the reviewed page: each is now contradicted by the snapshot.
        {"indicator": "poverty_moderate_pct", "series": "lineamientos_2018", "absent": ["2016"]},
        {
            "indicator": "poverty_multidimensional_pct",
            "series": "lineamientos_2018",
            "geo": "09",
            "absent": ["2018", "2020", "2022"],
        },
        {"indicator": "at_least_one_deprivation_pct", "absent": ["2020"]},
        {"indicator": "renewable_share_final_energy", "only": []},
        {"indicator": "homicide_victims_state", "geo": "states", "absent": ["2020"]},
    ],
)
def test_the_stale_gaps_of_the_reviewed_page_fail(check: dict, snapshot_tidy) -> None:
    assert check_failures(check, snapshot_tidy) != []


def test_known_gaps_read_for_the_public() -> None:
    """Gaps first, then excluded values, each grouped by topic in the text file's order; no id,
    working note or bare five-digit number reaches the reader."""
    gaps = known_gaps(PACKAGE)
    assert gaps["Kind"].tolist() == sorted(gaps["Kind"], key=["gap", "excluded value"].index)
    order = list(label_catalog()["gap_topics"].values())
    for _, kind in gaps.groupby("Kind", sort=False):
        ranks = [order.index(t) for t in kind["Topic"]]
        assert ranks == sorted(ranks)
    jargon = r"_|seed 0|the reference|the brief|bundle|GitHub|\bX[12]\b|\b\d{5,}\b"
    assert not gaps["What"].str.contains(jargon).any(), gaps.loc[
        gaps["What"].str.contains(jargon), "What"
    ].tolist()
    gini = gaps[gaps["What"].str.startswith("Gini coefficient of income (World Bank PIP)")]
    homicide = gaps[gaps["What"].str.startswith("Homicide deaths")]
    assert set(gini["Topic"]) == {label("gap_topics", "poverty")}
    assert set(homicide["Topic"]) == {label("gap_topics", "peace")}


def test_readable_writes_thousands_separators(catalog) -> None:
    """'12752' and '214000' as the site writes them; years, codes and decimals untouched."""
    shown = readable("2025, 12752; 214000 (CNSP/38/15, 2019Q3, 0.496, 12345.5, ab123456)", catalog)
    assert shown == "2025, 12,752; 214,000 (CNSP/38/15, 2019Q3, 0.496, 12345.5, ab123456)"


@pytest.mark.parametrize(
    ("first", "last", "n", "expected"),
    [("2019", "2019", 1, "2019"), ("2000", "2021", 22, "2000-2021"),
     ("2013", "2023", 3, "3 years in 2013-2023")],
)  # fmt: skip
def test_years_in_both_never_reads_as_a_range_it_is_not(
    first: str, last: str, n: int, expected: str
) -> None:
    assert years_in_both(first, last, n) == expected


def _seats() -> tuple[pd.DataFrame, dict]:
    """The Chamber of Deputies: IPU (headline) 48.6 in 2018 and 50.0 in 2022; the SDG copy
    42.6, 42.6, 48.2 for 2017-2019 and 50.0 in 2022, both assessed."""
    catalog = {
        "h": Indicator(id="h", name="Seats", unit="% of seats", kind="share", direction=1,
                       headline_series="ipu"),
        "o": Indicator(id="o", name="Seats (SDG)", unit="% of seats", kind="share", direction=1,
                       headline_series="unsd_sdg_2023_12", concept="h"),
    }  # fmt: skip
    rows = [
        ("h", "MEX", "2018", "ipu", 48.6, "v"),
        ("h", "MEX", "2022", "ipu", 50.0, "v"),
        ("o", "MEX", "2017", "unsd_sdg_2023_12", 42.6, "v"),
        ("o", "MEX", "2018", "unsd_sdg_2023_12", 42.6, "v"),
        ("o", "MEX", "2019", "unsd_sdg_2023_12", 48.2, "v"),
        ("o", "MEX", "2022", "unsd_sdg_2023_12", 50.0, "v"),
    ]
    return _tidy(rows), catalog


def test_overlap_text_says_which_series_carry_a_verdict() -> None:
    """Both series assessed: the table says so and the paragraph names the second series and
    says the measure counts once; a context-only second series is 'headline only'."""
    tidy, catalog = _seats()
    data = overlap_data(tidy, catalog)
    assert overlap_series(tidy, catalog)["Verdicts"].tolist() == ["both (counted once)"]
    intro = overlap_intro(data, catalog)
    assert "as it does for Seats (SDG)" in intro and "counts once" in intro
    assert "only the series listed first" not in intro
    assert verdict_words(True, False) == "headline only"
    assert verdict_words(False, False) == "neither (context only)"
    context = overlap_data(tidy, catalog | {"o": catalog["o"].__class__(
        **{**catalog["o"].__dict__, "direction": 0})})  # fmt: skip
    assert "Only the headline series can carry a verdict" in overlap_intro(context, catalog)


def test_a_difference_of_dating_is_explained_with_its_numbers() -> None:
    """The SDG copy repeats its 2017 value in 2018 and reaches 48.2 in 2019, within a quarter
    of the 6.0-point difference of the IPU's 48.6: a dating note; a real difference is not."""
    tidy, catalog = _seats()
    data = overlap_data(tidy, catalog)
    assert dating_notes(tidy, data) == [
        "Seats: the two series differ by 6.0 percentage points in 2018 because they date the "
        f"same change a year apart ({series_label('unsd_sdg_2023_12')}: 42.6 for 2018, as for "
        f"2017, and 48.2 in 2019; {series_label('ipu')}: 48.6 for 2018)."
    ]
    moved = tidy.assign(value=tidy["value"].where(tidy["period"] != "2017", 40.0))
    assert dating_notes(moved, overlap_data(moved, catalog)) == []


def test_another_definition_is_not_compared_as_a_second_source(snapshot_tidy, catalog) -> None:
    """The $2.15 line (2017 PPP) is not a copy of the $3.00 line (2021 PPP): no row, and the
    paragraph says why."""
    data = overlap_data(snapshot_tidy, catalog)
    assert "poverty_headcount_215_2017ppp" not in set(data["indicator_other"])
    assert (
        f"{catalog['poverty_headcount_215_2017ppp'].name} is not compared with "
        f"{catalog['poverty_headcount_300_2021ppp'].name}: it is another definition"
    ) in overlap_intro(data, catalog)
