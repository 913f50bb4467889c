"""Area pages and summary findings (report.areas, report.headlines) on a hand-made catalog.

The catalog has four indicators:

- `pov` (outcome 1, lower is better, target 20 by 2030): national 50.0 (2016), 43.91 (2020);
- `gdp` (outcomes 1 and 4, higher is better, no target): national 12,345.6 in 2024;
- `ctx` (outcome 4 and cross-cutting X1, context only): no data at all;
- `jobs` (outcome 4, higher is better, target rule halve_from_base, 2030): monthly 2024-01, 2024-02.

Outcomes 1 and 2 belong to area A1 (3 and 2 strategic lines), outcome 4 to A2 (4 lines).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from analysis.report.areas import (
    area_name,
    area_names,
    area_summary,
    asylum_closures_sentence,
    group_names,
    groups_of,
    indicator_table,
    indicators_in,
    indicators_without_data,
    latest_values,
    listed_note,
    newest_release,
    old_latest_note,
    outcome_rows,
    state_ranking,
)
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.headlines import area_findings, informality_sentence
from analysis.snapshot.catalog import Catalog, Indicator


@pytest.fixture
def catalog() -> Catalog:
    indicators = [
        Indicator(
            "pov", "Poverty rate", "%", "share", outcomes=("1",), sdg_indicator="1.2.2",
            direction=-1, headline_series="s", target_value=20.0, target_year=2030,
        ),
        Indicator(
            "gdp", "GDP", "MXN", "level", outcomes=("1", "4"), sdg_target="8.1", direction=1,
            headline_series="s",
        ),
        Indicator(
            "ctx", "Population", "people", "count", outcomes=("4",), cross_cutting=("X1",),
            headline_series="s",
        ),
        Indicator(
            "jobs", "Formal jobs", "jobs", "count", outcomes=("4",), direction=1,
            headline_series="m", target_rule="halve_from_base", target_year=2030,
        ),
    ]  # fmt: skip
    return {i.id: i for i in indicators}


def row(indicator: str, period: str, value: float, series: str = "s", geo: str = "MEX") -> dict:
    freq = "M" if "-" in period else "A"
    return {
        "indicator_id": indicator, "geo": geo, "period": period, "freq": freq, "value": value,
        "unit": "u", "series": series, "source_id": "src", "vintage": "v",
    }  # fmt: skip


@pytest.fixture
def tidy() -> pd.DataFrame:
    return pd.DataFrame(
        [
            row("pov", "2016", 50.0),
            row("pov", "2020", 43.91),
            row("pov", "2020", 99.0, geo="01"),  # a state: never the national latest value
            row("pov", "2022", 1.0, series="other"),  # not the headline series
            row("gdp", "2024", 12345.6),
            row("jobs", "2024-01", 10.0, series="m"),
            row("jobs", "2024-02", 11.0, series="m"),
        ]
    )


@pytest.fixture
def progress() -> pd.DataFrame:
    """Framework run: pov substantial progress, gdp deterioration, jobs insufficient data; SDG
    run: pov only, target achieved. Each indicator is its own concept; no target date passed."""
    return pd.DataFrame(
        {
            "run": ["framework", "framework", "framework", "sdg"],
            "indicator_id": ["pov", "gdp", "jobs", "pov"],
            "concept": ["pov", "gdp", "jobs", "pov"],
            "name": ["Poverty rate", "GDP", "Formal jobs", "Poverty rate"],
            "status": [
                "substantial progress", "deterioration", "insufficient data", "target achieved",
            ],
            "target_missed": [False, False, False, False],
        }
    )  # fmt: skip


OUTCOMES = pd.DataFrame(
    {"area_id": ["A1", "A1", "A2"], "outcome_id": [1, 2, 4], "n_strategic_lines": [3, 2, 4]}
)


def test_groups_of_an_area_are_its_outcomes_and_a_cross_cutting_area_is_itself() -> None:
    assert groups_of("A1", OUTCOMES) == ["1", "2"]
    assert groups_of("A2", OUTCOMES) == ["4"]
    assert groups_of("X1", OUTCOMES) == ["X1"]


def test_indicators_in_outcome_or_cross_cutting_area(catalog: Catalog) -> None:
    assert indicators_in("1", catalog) == ["gdp", "pov"]
    assert indicators_in("4", catalog) == ["ctx", "gdp", "jobs"]
    assert indicators_in("X1", catalog) == ["ctx"]
    assert indicators_in("2", catalog) == []


def test_latest_values_use_the_national_headline_series(
    tidy: pd.DataFrame, catalog: Catalog
) -> None:
    latest = latest_values(tidy, catalog, ["pov", "ctx", "jobs"]).set_index("indicator_id")
    assert latest.loc["pov"].to_dict() == {
        "latest_period": "2020", "latest_value": 43.91, "first_period": "2016", "n_obs": 2,
    }  # fmt: skip
    assert latest.loc["ctx", "n_obs"] == 0 and pd.isna(latest.loc["ctx", "latest_value"])
    assert latest.loc["jobs", "latest_period"] == "2024-02"


def test_indicator_table_formats_values_statuses_and_targets(
    tidy: pd.DataFrame, catalog: Catalog, progress: pd.DataFrame
) -> None:
    """Display strings only: a share one decimal (43.91 -> '43.9'), a level whole with separators
    (12,345.6 -> '12,346'); the unit after the name; the SDG target; a month as 'Feb 2024'; the
    aim is the target, 'halve by 2030' or the direction; an indicator without a value has no row
    (and is named by indicators_without_data); one missing from a run's table gets ''."""
    table = indicator_table("4", tidy, catalog, progress)
    assert list(table.columns) == [
        "Indicator; unit", "SDG target", "Latest (period)", "Aim", "Framework run", "SDG run",
    ]  # fmt: skip
    table = table.set_index("Indicator; unit")
    gdp_name = "GDP; MXN"
    assert list(table.index) == [gdp_name, "Formal jobs; jobs"]
    assert table.loc[gdp_name].to_dict() == {
        "SDG target": "8.1",
        "Latest (period)": "12,346 (2024)",
        "Aim": "higher",
        "Framework run": "deterioration",
        "SDG run": "",
    }
    assert table.iloc[1]["Aim"] == "halve by 2030"
    assert table.iloc[1]["Latest (period)"] == "11 (Feb 2024)"  # whole numbers at source
    assert indicators_without_data("4", tidy, catalog) == ["Population"]
    pov = indicator_table("1", tidy, catalog, progress).set_index("Indicator; unit").iloc[-1]
    assert pov["Latest (period)"] == "43.9 (2020)" and pov["Aim"] == "20.0 by 2030"
    assert (pov["SDG target"], pov["SDG run"]) == ("1.2", "target achieved")  # from 1.2.2
    assert indicator_table("2", tidy, catalog, progress).empty
    assert table_width(table.reset_index(), "Indicator; unit") <= WIDTH_BUDGET


def test_a_context_indicator_has_no_aim_and_is_not_assessed(
    tidy: pd.DataFrame, catalog: Catalog, progress: pd.DataFrame
) -> None:
    """Direction 0: the aim says none is set (never 'context'), both runs 'not assessed'."""
    catalog = catalog | {"ctx": dataclasses.replace(catalog["ctx"], headline_series="s")}
    tidy = pd.concat([tidy, pd.DataFrame([row("ctx", "2024", 5.5)])], ignore_index=True)
    shown = indicator_table("X1", tidy, catalog, progress).iloc[0]
    assert (shown["Aim"], shown["Framework run"], shown["SDG run"]) == (
        "none set",
        "not assessed",
        "not assessed",
    )


def test_a_series_of_whole_numbers_shows_no_decimal(
    catalog: Catalog, progress: pd.DataFrame
) -> None:
    """A share published rounded (44 in the UN SDG database) reads '44', not '44.0' beside a
    source's '43.9'; a share with decimals keeps the unit's one decimal ('44.0')."""
    whole = pd.DataFrame([row("pov", "2018", 42.0), row("pov", "2020", 44.0)])
    assert indicator_table("1", whole, catalog, progress).iloc[-1]["Latest (period)"] == "44 (2020)"
    mixed = pd.DataFrame([row("pov", "2018", 41.9), row("pov", "2020", 44.0)])
    assert indicator_table("1", mixed, catalog, progress).iloc[-1]["Latest (period)"] == (
        "44.0 (2020)"
    )


def test_the_latest_value_comes_from_the_newest_release(
    catalog: Catalog, progress: pd.DataFrame
) -> None:
    """pov's headline 's' is the older release of the chain [s, s2]: its latest value is read
    from s2 (2024, 30.5), never from s (2023, 99.5); a chain without the headline changes nothing."""
    tidy = pd.DataFrame(
        [row("pov", "2022", 98.5), row("pov", "2023", 99.5), row("pov", "2024", 30.5, series="s2")]
    )
    chains = [["other", "x"], ["s", "s2"]]
    assert newest_release(catalog["pov"], chains).headline_series == "s2"
    assert newest_release(catalog["gdp"], [["other", "x"]]).headline_series == "s"
    assert newest_release(catalog["pov"], [["t", "s"]]).headline_series == "s"
    shown = indicator_table("1", tidy, catalog, progress, chains=chains).iloc[-1]
    assert shown["Latest (period)"] == "30.5 (2024)"
    rows = outcome_rows("1", tidy, catalog, chains=chains).set_index("indicator_id")
    assert rows.loc["pov", "series"] == "s2"


def test_an_indicator_listed_under_an_earlier_outcome_is_named_not_repeated(
    tidy: pd.DataFrame, catalog: Catalog, progress: pd.DataFrame
) -> None:
    """gdp belongs to outcomes 1 and 4: once its row is under outcome 1, outcome 4's table leaves
    it out and a line names where it is; a group with nothing listed before has no line."""
    listed = {"gdp": "Outcome 1: People", "pov": "Outcome 1: People"}
    table = indicator_table("4", tidy, catalog, progress, listed=set(listed))
    assert list(table["Indicator; unit"]) == ["Formal jobs; jobs"]
    note = listed_note("4", catalog, listed, "outcome")
    assert note == "_Also mapped to this outcome, with their row above: under Outcome 1: GDP._"
    assert listed_note("1", catalog, {}, "outcome") == ""


def test_old_latest_values_are_named_under_their_table() -> None:
    """Latest years 2026, 2023, 2022 and 2010 in one table: the rows four or more years older
    than 2026 are named with their periods; a table of recent values has no line."""
    rows = pd.DataFrame(
        {
            "name": ["GDP", "Jobs", "Seats", "Care hours"],
            "latest_period": ["2026Q2", "2023", "2022", "2010"],
        }
    )
    note = old_latest_note(rows)
    assert "Seats: 2022; Care hours: 2010" in note and "Jobs" not in note and "(2026)" in note
    assert note.startswith("_Older latest values:")
    assert old_latest_note(rows.iloc[:2]) == "" and old_latest_note(rows.iloc[0:0]) == ""
    assert old_latest_note(rows.iloc[[0, 3]]).startswith("_Older latest value:")


def test_area_summary_names_every_assessed_concept_under_its_status(
    catalog: Catalog, progress: pd.DataFrame
) -> None:
    """Area A1 = outcomes 1 and 2: 3 + 2 strategic lines; indicators gdp and pov, two concepts,
    both assessed in the Framework run, one bullet per status (best first). Outcome 4 alone: gdp,
    jobs and the context indicator ctx; jobs has insufficient data and is listed as such."""
    text = area_summary(["1", "2"], catalog, progress, OUTCOMES)
    assert text == (
        "The Framework pursues this priority through 2 outcomes with 5 strategic lines of "
        "action. The snapshot maps 2 indicators to this area. In the Framework run, 2 of its 2 "
        "concepts with a desired direction could be assessed (the cuts of one survey measurement "
        "count once):\n- **substantial progress**: Poverty rate\n- **deterioration**: GDP"
    )
    jobs = area_summary(["4"], catalog, progress, OUTCOMES)
    assert jobs.startswith("The Framework pursues this priority through one outcome with 4 ")
    assert "1 of its 2 concepts" in jobs and "- **insufficient data**: Formal jobs" in jobs
    cross = area_summary(["X1"], catalog, progress, OUTCOMES)
    assert cross.startswith("The snapshot maps 1 indicator to this area. None of them has")
    empty = area_summary(["2"], catalog, progress, OUTCOMES)
    assert empty.endswith(
        "No indicator could be sourced for it; the outcomes below say what the UN reports describe."
    )


def test_asylum_closures_give_the_share_outside_the_recognition_rate() -> None:
    """2025: 80 of 100 cases closed without a decision (80.0%), 2019: 10 of 40 (25.0%); the rate
    rests on the other 20."""
    tidy = pd.DataFrame(
        [
            row("asylum_decisions_closed", "2019", 10.0),
            row("asylum_decisions_total", "2019", 40.0),
            row("asylum_decisions_closed", "2025", 80.0),
            row("asylum_decisions_total", "2025", 100.0),
            row("asylum_recognition_rate", "2025", 75.0),
        ]
    )
    sentence = asylum_closures_sentence(tidy, 2019)
    assert "In 2025, 80 of the 100 asylum cases" in sentence and "(80.0%)" in sentence
    assert (
        "against 25.0% in 2019" in sentence
        and "the rate of 75.0% rests on the other 20" in sentence
    )


def test_every_area_has_one_name_on_every_page() -> None:
    """The page list's titles and navbar entries are the text file's area names, and the groups'
    labels use them too; short forms exist for every area and differ from no page's name."""
    from analysis.site.pages import PAGES

    areas = {p.params["area"]: p for p in PAGES if "area" in p.params}
    for area, page in areas.items():
        assert page.title == page.nav == page.params["area_name"] == area_name(area), area
        assert area_name(area, short=True)
    assert area_names() == {a: area_name(a) for a in areas}
    names = group_names()
    assert names["X1"] == "Cross-cutting: Gender equality"
    assert names["1"].startswith("Outcome 1: ")


def test_each_outcome_of_a_page_has_its_own_table_slot() -> None:
    """An area page with n outcomes lists the sections outcome-2 .. outcome-n (each outcome's
    table cell, which carries a tbl-cap, runs only where it shows a table)."""
    from analysis.core import paths
    from analysis.site.pages import PAGES
    from analysis.snapshot.framework import read_outcomes

    outcomes = read_outcomes(paths.FRAMEWORK_OUTCOMES)
    for page in (p for p in PAGES if "area" in p.params):
        n = len(groups_of(page.params["area"], outcomes))
        slots = {s for s in page.sections if s.startswith("outcome-")}
        assert slots == {f"outcome-{k}" for k in range(2, n + 1)}, page.name


def test_state_ranking_takes_the_year_with_most_states() -> None:
    """2020 has three states, 2022 two: 2020 is ranked (high to low), state 03 is missing."""
    tidy = pd.DataFrame(
        [
            row("pov", "2020", 30.0, geo="01"),
            row("pov", "2020", 50.0, geo="02"),
            row("pov", "2020", 40.0, geo="04"),
            row("pov", "2020", 45.0),  # national: not a state
            row("pov", "2022", 20.0, geo="01"),
            row("pov", "2022", 25.0, geo="02"),
        ]
    )
    states = pd.DataFrame(
        {"CVE_ENT": ["01", "02", "03", "04"], "NOM_CORTO": ["Ags", "BC", "BCS", "Camp"]}
    )
    year, ranked, missing = state_ranking(tidy, states, "pov", "s")
    assert year == "2020"
    assert ranked.to_dict("list") == {"state": ["BC", "Camp", "Ags"], "value": [50.0, 40.0, 30.0]}
    assert missing == ["BCS"]
    # two years with every state: the later one is ranked
    later = pd.concat([tidy, pd.DataFrame([row("pov", "2022", 30.0, geo="04")])])
    assert state_ranking(later, states, "pov", "s")[0] == "2022"


def test_area_findings_one_bullet_per_area(catalog: Catalog, progress: pd.DataFrame) -> None:
    """A1 (outcomes 1, 2): pov and gdp assessed; A2 (X1 only): ctx has no Framework-run row."""
    text = area_findings(
        progress, catalog, {"A1": "People", "A2": "Gender"}, {"A1": ["1", "2"], "A2": ["X1"]}
    )
    assert text.splitlines() == [
        "- **People**: 2 of 2 concepts with a desired direction could be assessed. Target "
        "achieved or substantial progress: poverty rate. Moved against the desired direction: GDP.",
        "- **Gender**: no sourced indicator with a desired direction yet.",
    ]


def test_informality_sentence_states_latest_pre_pandemic_and_status() -> None:
    """Inmujeres' values are first-quarter values: 54.58 (2024) and 56.21 (2019) to one decimal."""
    tidy = pd.DataFrame(
        [
            row("informality_rate", "2019", 56.21, series="inmujeres_enoe"),
            row("informality_rate", "2024", 54.58, series="inmujeres_enoe"),
            row("informality_rate_women", "2024", 55.04, series="inmujeres_enoe"),
        ]
    )
    progress = pd.DataFrame(
        {"run": ["framework"], "indicator_id": ["informality_rate"], "status": ["limited progress"]}
    )
    assert informality_sentence(tidy, progress) == (
        "Informality (INEGI's TIL1 rate, Inmujeres' first-quarter values) stood at 54.6% of the "
        "employed in the first quarter of 2024, against 56.2% in the first quarter of 2019 (55.0% "
        "among women); over the Framework period that is limited progress: more than half of "
        "workers remain informal."
    )


def test_a_title_never_breaks_inside_its_year_range() -> None:
    """'2020-2025' in a page title takes the non-breaking hyphen (a phone broke it after '2020-');
    other hyphens and the page list's own title stay as written."""
    from analysis.site.pages import PAGES, nobreak_ranges

    assert nobreak_ranges("Framework 2020-2025") == "Framework 2020\u20112025"
    assert nobreak_ranges("Cross-cutting, 12-34, 2020-25") == "Cross-cutting, 12-34, 2020-25"
    index = next(p for p in PAGES if p.name == "index")
    assert "2020-2025" in index.title and "2020\u20112025" in index.fill()["title"]
