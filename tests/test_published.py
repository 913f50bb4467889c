"""The UN-reports-versus-data page: each figure looked up where it belongs (states, changes,
ranges), counted once, shown at one precision, and explained by what the snapshot holds."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.report.published import (
    NO_MATCH,
    as_printed,
    compare_published,
    compared_reasons,
    compared_table,
    distinct_figures,
    other_figures,
    other_figures_note,
    published_summary,
    published_text,
    read_published,
    report_part,
    shown_value,
    with_separators,
)
from analysis.snapshot.catalog import STATE_CODES, Indicator, load_catalog
from helpers import RAW

PACKAGE = RAW / "datapackage.json"
FIGURES = RAW / "framework" / "published_figures.csv"


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_tidy(PACKAGE)


@pytest.fixture(scope="module")
def published() -> pd.DataFrame:
    return read_published(FIGURES)


@pytest.fixture(scope="module")
def comparison(tidy: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """As the page calls it: no state catalogue given, the package reads INEGI's."""
    return compare_published(published, tidy, load_catalog(PACKAGE), published_text(FIGURES))


def _value(tidy: pd.DataFrame, indicator: str, geo: str, period: str, series: str) -> float:
    rows = tidy[
        (tidy["indicator_id"] == indicator)
        & (tidy["geo"] == geo)
        & (tidy["period"] == period)
        & (tidy["series"] == series)
    ]
    assert len(rows) == 1, (indicator, geo, period, series)
    return float(rows["value"].iloc[0])


def _row(comparison: pd.DataFrame, figure_id: str) -> pd.Series:
    return comparison.set_index("figure_id").loc[figure_id]


# --- the reviewer's findings on the real snapshot ------------------------------------------------


def test_state_figures_are_found_in_the_2008_2018_series(
    comparison: pd.DataFrame, tidy: pd.DataFrame
) -> None:
    """Chiapas 76.4 and Nuevo León 14.5 (2018) are in the snapshot, in CONEVAL's 2008-2018
    series: the page said 'the snapshot has no 2018 value ... for Chiapas' because the state
    names were never turned into codes."""
    for figure_id, code in [("r2020_14", "07"), ("r2020_13", "19")]:
        row = _row(comparison, figure_id)
        old = _value(tidy, "poverty_multidimensional_pct", code, "2018", "coneval_2008_2018")
        assert old == pytest.approx(row["published"])
        assert row["status"] == "matches another series"
        assert "CONEVAL, 2008-2018 series" in row["why"]
        assert "no 2018 value" not in row["why"]
        headline = _value(tidy, "poverty_multidimensional_pct", code, "2018", "lineamientos_2018")
        assert row["snapshot_shown"] == f"{headline:.1f}"


def test_the_gap_between_states_is_compared_with_the_range(
    comparison: pd.DataFrame, tidy: pd.DataFrame
) -> None:
    """'almost 62' points in 2018: the headline series gives the map's range across the 32 states
    (59.4); the 2008-2018 series holds too few states for a range, but its Chiapas minus Nuevo
    León is the report's 61.9."""
    row = _row(comparison, "r2020_12")
    assert row["status"] == "differs"
    state_range = _value(tidy, "poverty_state_range", "MEX", "2018", "states_derived")
    assert row["snapshot"] == pytest.approx(state_range)
    assert row["snapshot_shown"] == f"{state_range:.1f}"
    old = [
        _value(tidy, "poverty_multidimensional_pct", code, "2018", "coneval_2008_2018")
        for code in ("07", "19")
    ]
    gap = f"{old[0] - old[1]:.1f}"
    assert f"are {gap} percentage points apart" in row["why"]
    assert "in Chiapas" in row["why"] and "in Nuevo León" in row["why"]
    assert "too few for a range" in row["why"]


@pytest.mark.parametrize(
    ("figure_id", "indicator", "series", "start", "end"),
    [
        ("r2022_68", "imss_registered_jobs", ("imss", "imss_derived"), "2020-12", "2022-12"),
        ("r2022_77", "homicide_victims", ("sesnsp", "sesnsp"), "2021", "2022"),
    ],
)
def test_changes_are_computed_from_the_mapped_levels(
    comparison: pd.DataFrame,
    tidy: pd.DataFrame,
    figure_id: str,
    indicator: str,
    series: tuple[str, str],
    start: str,
    end: str,
) -> None:
    """The IMSS jobs change (Dec 2022 on Dec 2020) and the homicide change (2022 on 2021) were
    listed as 'not covered by the map'; the map holds both levels, and their change matches."""
    row = _row(comparison, figure_id)
    first = _value(tidy, indicator, "MEX", start, series[0])
    last = _value(tidy, indicator, "MEX", end, series[1])
    change = (last / first - 1) * 100
    assert row["snapshot"] == pytest.approx(change)
    assert row["status"] == "matches"
    assert row["snapshot_shown"] == f"{change:.1f}"
    assert f"{first:,.0f}" in row["why"] and f"{last:,.0f}" in row["why"]


def test_dwellings_with_electricity_are_not_compared_with_people(
    comparison: pd.DataFrame,
) -> None:
    row = _row(comparison, "r2022_15")
    assert row["indicator_id"] == "access_to_electricity_pct"
    assert row["status"] == "not comparable" and pd.isna(row["snapshot"])
    assert "percent of dwellings" in row["why"] and "% of population" in row["why"]
    assert "no year" in row["why"]


def test_a_count_differing_from_the_only_later_release_says_so(
    comparison: pd.DataFrame, tidy: pd.DataFrame
) -> None:
    """939 femicides (2020) against the snapshot's 976: the snapshot holds one SESNSP release,
    made after the report; the reason gives its value and the gap, counts as whole numbers."""
    row = _row(comparison, "r2020_44")
    value = _value(tidy, "femicide_victims", "MEX", "2020", "sesnsp")
    assert row["status"] == "differs"
    assert row["snapshot_shown"] == f"{value:,.0f}"
    assert row["why"] == (
        "the snapshot's only release of SESNSP, data cut of June 2025 (2025) is later than the "
        f"report and gives {value:,.0f} for 2020, {value - 939:,.0f} above the report's 939; no "
        "earlier release is held to show whether the figure was revised"
    )
    assert "predates every release" not in row["why"]


def test_values_in_reasons_have_the_precision_of_the_table(comparison: pd.DataFrame) -> None:
    """The WDI's -8.625 is '-8.6' in the table and in the sentence; CONEVAL's 14.0 is '14.0'."""
    gdp = _row(comparison, "r2020_26")
    assert gdp["snapshot_shown"] == "-8.6"
    assert gdp["why"].endswith("which gives -8.6")
    extreme = _row(comparison, "r2020_06")
    assert extreme["why"].endswith(f"which gives {extreme['snapshot_shown']}")
    assert extreme["snapshot_shown"] == f"{extreme['snapshot']:.1f}"
    for why in comparison["why"]:
        assert not any(len(d) > 1 for d in _decimal_parts(why) if d), why


def _decimal_parts(sentence: str) -> list[str]:
    """The decimals of every number in a sentence ('-8.625' -> '625')."""
    return re.findall(r"\d\.(\d+)", sentence)


def test_each_distinct_figure_is_counted_once(
    comparison: pd.DataFrame, published: pd.DataFrame
) -> None:
    """Five figures are quoted twice in the 2022 report ('Mexico at a glance' and Chapter 1): the
    headline counts them once, the table shows them once with both places."""
    keys = published.assign(
        what=[
            h or s for h, s in zip(published["indicator_hint"], published["statement"], strict=True)
        ],
        printed=published_text(FIGURES).reindex(published["figure_id"]).to_numpy(),
    )[["report", "what", "compare_as", "geo", "period", "printed"]]
    distinct = len(keys.drop_duplicates())
    assert distinct < len(published)
    assert len(distinct_figures(comparison)) == distinct
    summary = published_summary(comparison)
    assert summary.startswith(f"The UN Results Reports of 2020 and 2022 state {distinct} figures")
    repeats = int(keys.duplicated(keep=False).sum() - keys.duplicated().sum())
    assert f"({repeats} of them are quoted at two or more places" in summary
    compared = distinct_figures(comparison)
    compared = compared[compared["status"] != NO_MATCH]
    assert f"{len(compared)} of them concern an indicator in the map" in summary
    table = compared_table(comparison)
    assert len(table) == len(compared)
    assert not table.duplicated(["Report", "Figure (unit)", "Period", "Report value"]).any()
    extreme = table[
        table["Figure (unit)"].str.startswith("Share of population in extreme poverty")
        & (table["Period"] == "2020")
    ]
    assert extreme["Report"].tolist() == ["2022: Mexico at a glance; Chapter 1"]


def test_reasons_tell_figures_of_the_same_name_apart(comparison: pd.DataFrame) -> None:
    reasons = compared_reasons(comparison)
    gdp = reasons[
        (reasons["Figure"] == "Real GDP growth") & reasons["Report"].str.startswith("2022")
    ]
    assert len(gdp) == 3
    assert not gdp.duplicated(["Figure", "Period", "Report value"]).any()
    assert sorted(zip(gdp["Period"], gdp["Report value"], strict=True)) == [
        ("2021", "4.7"),
        ("2022", "2.9"),
        ("2022", "3"),
    ]


def test_other_figures_name_a_source_only_where_the_report_credits_one(
    comparison: pd.DataFrame, published: pd.DataFrame
) -> None:
    others = other_figures(published, comparison)
    cells = " ".join(others["Figure (source cited)"]) + " ".join(others["Unit"])
    assert "Not stated" not in cells and "meaning unclear" not in cells
    assert "100000" not in cells and "per 100,000 inhabitants" in cells
    covered = {"r2020_12", "r2022_01", "r2022_15", "r2022_68", "r2022_77"}
    unmatched = set(comparison.loc[comparison["status"] == NO_MATCH, "figure_id"])
    assert not covered & unmatched
    sources = published["source_cited"].str.strip()
    uncredited = published[
        published["figure_id"].isin(unmatched)
        & (sources.eq("") | sources.str.lower().str.startswith("not stated"))
    ]
    note = other_figures_note(published, comparison)
    assert note.startswith(f"Of these {len(others)} figures, {len(uncredited)} come without")


# --- the rules on synthetic data ------------------------------------------------------------------


def _tidy(rows: list[tuple[str, str, str, float, str]]) -> pd.DataFrame:
    """(geo, period, series, value, vintage) rows of indicator x."""
    frame = pd.DataFrame(rows, columns=["geo", "period", "series", "value", "vintage"])
    return frame.assign(indicator_id="x", freq="A", unit="u", source_id="r")


def _figure(**values: object) -> pd.DataFrame:
    base = {
        "figure_id": "f",
        "report": "results_report_2022",
        "section": "Chapter 1 Key developments > Economy",
        "statement": "t",
        "unit": "percent change",
        "period_freq": "A",
        "geo": "MEX",
        "source_cited": "",
        "indicator_hint": "x",
        "compare_as": "",
    }
    return pd.DataFrame([base | values])


CATALOG = {"x": Indicator(id="x", name="Jobs", unit="jobs", kind="count", headline_series="imss")}


def test_a_change_since_a_period_may_join_two_series() -> None:
    """No series holds both ends: the start from one series and the end from another, both
    named; 110 on 100 is +10.0%."""
    tidy = _tidy(
        [("MEX", "2020", "imss", 100.0, "2021"), ("MEX", "2022", "imss_derived", 110.0, "2023")]
    )
    figure = _figure(value=10.0, period="2022", compare_as="change_since:2020")
    row = compare_published(figure, tidy, CATALOG, pd.Series({"f": "10"})).iloc[0]
    assert row["status"] == "matches" and row["snapshot"] == pytest.approx(10.0)
    assert row["why"] == (
        "the snapshot's values give the same figure, 10.0: the change from 100 in 2020 (IMSS, "
        "monthly releases) to 110 in 2022 (IMSS, December levels derived from published changes)"
    )


def test_a_range_needs_every_state_of_a_series() -> None:
    """The headline series holds all 32 states (range 31.0); the other only two, whose gap (12.0)
    is named but not taken for the range."""
    codes = sorted(STATE_CODES)
    rows = [(code, "2018", "lineamientos_2018", float(i), "2023") for i, code in enumerate(codes)]
    rows += [
        ("07", "2018", "coneval_2008_2018", 20.0, "2019"),
        ("19", "2018", "coneval_2008_2018", 8.0, "2019"),
    ]
    figure = _figure(value=12.0, period="2018", unit="percentage points", compare_as="state_range")
    states = pd.DataFrame(
        {"CVE_ENT": sorted(STATE_CODES), "NOM_ENT": [f"S{c}" for c in sorted(STATE_CODES)]}
    )
    catalog = {
        "x": Indicator(
            id="x", name="Poverty", unit="%", kind="share", headline_series="lineamientos_2018"
        )
    }
    row = compare_published(figure, _tidy(rows), catalog, pd.Series({"f": "12"}), states).iloc[0]
    assert row["snapshot"] == pytest.approx(31.0) and row["status"] == "differs"
    assert "31.0 in S32 minus 0.0 in S01" in row["why"]
    assert "holds only 2 states of the 32 for 2018" in row["why"]
    assert "20.0 in S07 and 8.0 in S19, are 12.0 percentage points apart" in row["why"]


def test_an_unknown_place_is_an_error_not_a_missing_value() -> None:
    tidy = _tidy([("MEX", "2020", "imss", 1.0, "2021")])
    with pytest.raises(ValueError, match="Atlantis"):
        compare_published(_figure(value=1.0, period="2020", geo="Atlantis"), tidy, CATALOG)


def test_a_state_name_is_read_from_the_catalogue_when_none_is_given() -> None:
    tidy = _tidy([("07", "2018", "imss", 76.4, "2019")])
    row = compare_published(
        _figure(value=76.4, period="2018", geo="Chiapas"), tidy, CATALOG, pd.Series({"f": "76.4"})
    ).iloc[0]
    assert row["geo"] == "07" and row["status"] == "matches"


def test_display_strings() -> None:
    assert as_printed("21372896") == "21,372,896"
    assert as_printed("7.0") == "7.0"
    assert as_printed("-8.5") == "-8.5"
    assert as_printed(43103.0) == "43,103"
    assert shown_value(976.0, "939", "victims") == "976"
    assert shown_value(-8.625, "-8.5", "% change on previous year") == "-8.6"
    assert shown_value(14.0, "17", "% of population") == "14.0"
    assert shown_value(752748.0, "753000", "jobs") == "752,748"
    assert with_separators("victims per 100000 inhabitants in 2021") == (
        "victims per 100,000 inhabitants in 2021"
    )
    assert report_part("Chapter 1 Key developments in the country > Poverty") == "Chapter 1"
    assert report_part("2.2 Key results 2022 > Area 1") == "section 2.2"
    assert report_part("Mexico at a glance > Poverty") == "Mexico at a glance"
