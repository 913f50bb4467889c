"""Area pages and summary findings (report.areas, report.headlines) on a hand-made catalog.

The catalog has four indicators:

- `pov` (outcome 1, lower is better, target 20 by 2030): national 50.0 (2016), 43.91 (2020);
- `gdp` (outcomes 1 and 4, higher is better, no target): national 12,345.6 in 2024;
- `ctx` (outcome 4 and cross-cutting X1, context only): no data at all;
- `jobs` (outcome 4, higher is better, target rule halve_from_base, 2030): monthly 2024-01, 2024-02.

Outcomes 1 and 2 belong to area A1 (3 and 2 strategic lines), outcome 4 to A2 (4 lines).
"""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.report.areas import (
    area_summary,
    groups_of,
    indicator_table,
    indicators_in,
    indicators_without_data,
    latest_values,
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
    (12,345.6 -> '12,346'); the unit beside the name; the aim is the target, 'halve by 2030' or
    the direction; an indicator without a value has no row (and is named by
    indicators_without_data); one missing from a run's table gets ''."""
    table = indicator_table("4", tidy, catalog, progress)
    assert list(table.columns) == [
        "Indicator (unit)", "SDG", "Latest (period)", "Aim", "Framework run", "SDG run",
    ]  # fmt: skip
    table = table.set_index("Indicator (unit)")
    gdp_name = f"GDP ({catalog['gdp'].unit})"
    assert list(table.index) == [gdp_name, f"Formal jobs ({catalog['jobs'].unit})"]
    assert table.loc[gdp_name].to_dict() == {
        "SDG": "8.1",
        "Latest (period)": "12,346 (2024)",
        "Aim": "higher",
        "Framework run": "deterioration",
        "SDG run": "",
    }
    assert table.iloc[1]["Aim"] == "halve by 2030"
    assert indicators_without_data("4", tidy, catalog) == ["Population"]
    pov = indicator_table("1", tidy, catalog, progress).set_index("Indicator (unit)").iloc[-1]
    assert pov["Latest (period)"] == "43.9 (2020)" and pov["Aim"] == "20.0 by 2030"
    assert (pov["SDG"], pov["SDG run"]) == ("1.2.2", "target achieved")
    assert indicator_table("2", tidy, catalog, progress).empty
    assert table_width(table.reset_index(), "Indicator (unit)") <= WIDTH_BUDGET


def test_area_summary_counts_outcomes_lines_and_statuses(
    catalog: Catalog, progress: pd.DataFrame
) -> None:
    """Area A1 = outcomes 1 and 2: 3 + 2 strategic lines; indicators gdp and pov, two concepts,
    both assessed in the Framework run: pov substantial progress (good), gdp deterioration (bad).
    Outcome 4 alone: gdp, jobs and the context indicator ctx (no progress row); of the two
    concepts with a direction only gdp has enough data."""
    text = area_summary("People", ["1", "2"], {}, catalog, progress, OUTCOMES)
    assert text == (
        "**People.** The Framework pursues this priority through 2 outcomes with 5 strategic "
        "lines of action. The snapshot maps 2 indicators to this area; over the Framework period, 2 of "
        "2 concepts with a desired direction could be assessed. Target achieved or substantial "
        "progress: poverty rate. Moved against the desired direction: GDP."
    )
    assert area_summary("Jobs", ["4"], {}, catalog, progress, OUTCOMES) == (
        "**Jobs.** The Framework pursues this priority through 1 outcome with 4 strategic lines "
        "of action. The snapshot maps 3 indicators to this area; over the Framework period, 1 of 2 "
        "concepts with a desired direction could be assessed. Moved against the desired "
        "direction: GDP."
    )
    cross = area_summary("Gender", ["X1"], {}, catalog, progress, OUTCOMES)
    assert cross == (
        "**Gender.** The snapshot maps 1 indicator to this area; over the Framework period, no sourced "
        "indicator with a desired direction yet."
    )
    empty = area_summary("Peace", ["2"], {}, catalog, progress, OUTCOMES)
    assert empty == (
        "**Peace.** The Framework pursues this priority through 1 outcome with 2 strategic lines "
        "of action. The snapshot maps 0 indicators to this area; over the Framework period, no sourced "
        "indicator with a desired direction yet. No indicator could be sourced for it; the page "
        "says what the UN reports describe."
    )


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
