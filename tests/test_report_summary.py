"""The summary page on its own: headline panel cells in the right units, a finding for every area
(also one without a verdict), scorecard rows linking to their area page, and the date line."""

from __future__ import annotations

import datetime
import re

import pandas as pd
import pytest

from analysis.core import paths
from analysis.report import summary
from analysis.report.exhibits import markdown_table
from analysis.report.labels import catalog as text_catalog
from analysis.site.pages import PAGES
from analysis.snapshot.framework import read_areas

AREA_PAGES = {
    "P1": "equality.ipynb",
    "P2": "prosperity.ipynb",
    "P3": "green.ipynb",
    "P4": "peace.ipynb",
    "X1": "gender.ipynb",
    "X2": "migration.ipynb",
}
AREAS = {
    "P1": ["1", "2"],
    "P2": ["3", "4", "5"],
    "P3": ["6", "7"],
    "P4": ["8", "9", "10"],
    "X1": ["X1"],
    "X2": ["X2"],
}
NAMES = {
    "P1": "Equality and inclusion",
    "P2": "Prosperity and innovation",
    "P3": "Green economy and climate change",
    "P4": "Peace, justice and rule of law",
    "X1": "Gender equality",
    "X2": "Migrants and refugees",
}


def _row(
    indicator_id: str, outcomes: str, unit: str, indicator_unit: str = "", **values: object
) -> dict[str, object]:
    row: dict[str, object] = {
        "run": "framework",
        "indicator_id": indicator_id,
        "name": indicator_id.replace("_", " ").capitalize(),
        "concept": indicator_id,
        "outcomes": outcomes,
        "cross_cutting": "",
        "direction": -1,
        "series": "test",
        "base_period": "2018",
        "base_value": 1.0,
        "latest_period": "2024",
        "latest_value": 1.0,
        "change": 0.0,
        "unit": indicator_unit,
        "change_unit": unit,
        "status": "substantial progress",
        "target_missed": False,
    }
    row.update(values)
    return row


NOT_ASSESSED = {
    "status": "insufficient data",
    "base_period": None,
    "base_value": None,
    "latest_period": None,
    "latest_value": None,
    "change": None,
}


@pytest.fixture
def progress() -> pd.DataFrame:
    rows = [
        _row(
            "poverty_multidimensional_pct",
            "1",
            "percentage points",
            base_value=41.9,
            latest_value=29.6,
            change=-12.3,
        ),
        _row(
            "gini_coneval",
            "1;3",
            "points",
            concept="poverty_multidimensional_pct",  # a cut: counts once with poverty
            indicator_unit="coefficient (0-1)",  # a 0-1 coefficient: 3 decimals, as CONEVAL prints it
            base_value=0.4575,
            latest_value=0.4307,
            latest_period="2022",
            change=-0.02677,
            status="moderate progress",
        ),
        _row(
            "gdp_real_sa_level",
            "4",
            "percent",
            direction=1,
            base_period="2019",
            base_value=24_096_490.0,
            latest_period="2025",
            latest_value=25_528_910.0,
            change=5.9445,
            status="moderate progress",
        ),
        _row(
            "ghg_emissions_excl_lucf",
            "6",
            "percent",
            base_period="2019",
            base_value=648.3,
            latest_period="2023",
            latest_value=678.26,
            change=4.616,
            status="deterioration",
        ),
        _row(
            "clean_share_electricity",
            "6",
            "percentage points",
            direction=1,
            change=6.0,
            status="limited progress",
            target_missed=True,
        ),
        _row(
            "homicide_rate",
            "8",
            "per 100,000 inhabitants",
            base_value=29.0,
            latest_value=25.8,
            change=-3.2,
        ),
        _row(
            "women_share_lower_house",
            "",
            "percentage points",
            cross_cutting="X1",
            direction=1,
            base_value=48.6,
            latest_value=48.6,
            change=0.0,
            status="limited progress",
        ),
        # Migration: indicators mapped, none with enough data for a verdict.
        _row(
            "asylum_recognition_rate", "", "percentage points", cross_cutting="X2", **NOT_ASSESSED
        ),
        _row("remittance_cost_pct", "", "percentage points", cross_cutting="X2", **NOT_ASSESSED),
        # Context only (no desired direction): never counted.
        _row("population", "9", "percent", direction=0),
    ]
    sdg = [dict(r, run="sdg", status="deterioration") for r in rows]
    return pd.DataFrame(rows + sdg)


PANEL = (
    ("P1", "poverty_multidimensional_pct"),
    ("P1", "gini_coneval"),
    ("P2", "gdp_real_sa_level"),
    ("P4", "homicide_rate"),
    ("X1", "women_share_lower_house"),
    ("X2", "asylum_recognition_rate"),
)


def test_headline_panel_states_value_year_change_in_its_unit_and_verdict(
    progress: pd.DataFrame,
) -> None:
    panel = summary.headline_panel(progress, AREA_PAGES, PANEL)
    assert list(panel.columns) == [
        "Area",
        "Indicator",
        "Latest (year)",
        "Change since base",
        "Verdict",
    ]
    assert panel.values.tolist() == [
        [
            "[Equality](equality.ipynb)",
            "Multidimensional poverty",
            "29.6% (2024)",
            "-12.3 pp since 2018",
            "substantial progress",
        ],
        [
            "[Equality](equality.ipynb)",
            "Income inequality (Gini, 0-1)",
            "0.431 (2022)",
            "-0.027 since 2018",
            "moderate progress",
        ],
        [
            "[Prosperity](prosperity.ipynb)",
            "Real GDP, 2018 prices",
            "MXN 25.5 trillion (2025)",
            "+5.9% since 2019",
            "moderate progress",
        ],
        [
            "[Peace and justice](peace.ipynb)",
            "Homicides",
            "25.8 per 100,000 (2024)",
            "-3.2 per 100,000 inhabitants since 2018",
            "substantial progress",
        ],
        [
            "[Gender](gender.ipynb)",
            "Women in the Chamber of Deputies",
            "48.6% (2024)",
            "none since 2018",
            "limited progress",
        ],
        [
            "[Migration](migration.ipynb)",
            "Asylum recognition rate",
            "",
            "too few points since the base year",
            "insufficient data",
        ],
    ]


def test_panel_shows_a_passed_target_date_and_refuses_an_unknown_headline(
    progress: pd.DataFrame,
) -> None:
    frame = progress.copy()
    frame.loc[frame["indicator_id"] == "women_share_lower_house", "target_missed"] = True
    panel = summary.headline_panel(frame, AREA_PAGES, (("X1", "women_share_lower_house"),))
    assert panel.iloc[0]["Verdict"] == "limited progress, target missed"
    with pytest.raises(KeyError, match="not in the progress table"):
        summary.headline_panel(progress, AREA_PAGES, (("P2", "unemployment_rate"),))


def test_panel_markdown_links_each_area_and_escapes_nothing_it_should_not(
    progress: pd.DataFrame,
) -> None:
    panel = summary.headline_panel(progress, AREA_PAGES, PANEL)
    lines = markdown_table(panel, links=("Area",)).splitlines()
    assert lines[2].startswith(
        "| [Equality](equality.ipynb) | Multidimensional poverty | 29.6% (2024) |"
    )
    assert "[Migration](migration.ipynb)" in lines[-1]


def test_a_finding_for_every_area_with_numbers_verdicts_and_its_page(
    progress: pd.DataFrame,
) -> None:
    text = summary.area_key_findings(progress, NAMES, AREAS, AREA_PAGES, summary.HEADLINES)
    bullets = text.splitlines()
    assert len(bullets) == 6
    for bullet, area in zip(bullets, AREAS, strict=True):
        assert bullet.startswith(f"- **[{NAMES[area]}]({AREA_PAGES[area]}).** ")
        assert not re.search(r"\bnan\b|\bNone\b(?! of)|\(s\)|\{", bullet)
        assert "  " not in bullet and bullet.endswith(".")
    equality, prosperity, green, peace, gender, migration = bullets
    assert (
        "Multidimensional poverty was 29.6% in 2024, 12.3 percentage points lower than in 2018 "
        "(substantial progress). In the Framework run, its one indicator concept with a desired "
        "direction could be assessed: 1 made substantial progress." in equality
    )
    assert (
        "Real GDP was MXN 25.5 trillion in 2025, 5.9% higher than in 2019 (moderate progress)"
        in prosperity
    )
    # Outcome 3 holds the Gini cut of poverty: counted with prosperity too, once.
    assert "both of its indicator concepts" in prosperity
    assert "Greenhouse gas emissions were 678 MtCO2e in 2023, 4.6% higher than in 2019" in green
    assert (
        "1 made limited progress and 1 moved against the desired direction; of these, 1 passed "
        "its target date without reaching it." in green
    )
    assert "3.2 per 100,000 inhabitants lower than in 2018" in peace
    assert "population" not in peace.lower()  # context indicators are not verdicts
    assert "was 48.6% in 2024, as in 2018 (limited progress)" in gender
    # No assessed indicator: no number, no broken sentence, a plain statement.
    assert migration == (
        "- **[Migrants and refugees](migration.ipynb).** None of its 2 indicator concepts with a "
        "desired direction has two usable annual points since the Framework's base year yet, so "
        "the area has no verdict; its page shows the data there are and what the UN results "
        "reports say."
    )


def test_an_area_without_any_sourced_indicator_says_so(progress: pd.DataFrame) -> None:
    empty = progress[progress["cross_cutting"] != "X2"]
    finding = summary.area_finding("X2", "Migrants and refugees", "migration.ipynb", ["X2"], empty)
    assert finding == (
        "- **[Migrants and refugees](migration.ipynb).** No sourced indicator with a desired "
        "direction measures this area yet; its page reports what the UN results reports say."
    )


def test_verdict_counts_are_singular_or_plural_and_best_first() -> None:
    heads = pd.DataFrame(
        {
            "status": ["deterioration", "target achieved", "target achieved", "moderate progress"],
            "target_missed": [False, False, False, True],
        }
    )
    assert summary.verdict_counts(heads) == (
        "2 reached their targets, 1 made moderate progress and 1 moved against the desired "
        "direction; of these, 1 passed its target date without reaching it"
    )  # the passed target date is one of the four, not a fifth concept


def test_scorecard_rows_link_to_the_page_of_their_area() -> None:
    outcomes = pd.DataFrame({"outcome_id": ["1", "3", "8"], "area_id": ["P1", "P2", "P4"]})
    pages = summary.group_pages(outcomes, AREA_PAGES)
    assert pages == {
        "1": "equality.ipynb",
        "3": "prosperity.ipynb",
        "8": "peace.ipynb",
        "X1": "gender.ipynb",
        "X2": "migration.ipynb",
    }
    labels = {
        "1": "Outcome 1: Poverty",
        "8": "Outcome 8: Violence_free",
        "X2": "Cross-cutting: Migrants",
    }
    scorecard = pd.DataFrame(
        {"Outcome or area": [*labels.values(), "Total"], "Indicators": [3, 1, 2, 6]}
    )
    linked = summary.link_rows(scorecard, "Outcome or area", labels, pages)
    assert linked["Outcome or area"].tolist() == [
        "[Outcome 1: Poverty](equality.ipynb)",
        "[Outcome 8: Violence_free](peace.ipynb)",
        "[Cross-cutting: Migrants](migration.ipynb)",
        "Total",
    ]
    table = markdown_table(linked, links=("Outcome or area",)).splitlines()
    assert table[2] == "| [Outcome 1: Poverty](equality.ipynb) | 3 |"
    assert table[3] == r"| [Outcome 8: Violence\_free](peace.ipynb) | 1 |"  # text escaped
    # A plain URL in a link column still shows as its host.
    urls = markdown_table(
        pd.DataFrame({"Page": ["https://www.inegi.org.mx/temas/pib/"]}), links=("Page",)
    )
    assert urls.splitlines()[2] == "| [www.inegi.org.mx](https://www.inegi.org.mx/temas/pib/) |"


def test_the_area_pages_sentence_reaches_all_six_area_pages() -> None:
    pages = {p.params["area"]: p.href for p in PAGES if "area" in p.params}
    titles = {p.params["area"]: p.title for p in PAGES if "area" in p.params}
    assert pages == AREA_PAGES
    sentence = summary.area_pages_sentence(titles, pages)
    for area, href in AREA_PAGES.items():
        assert f"[{titles[area]}]({href})" in sentence
    assert sentence.endswith("(migration.ipynb).")


def _package(vintages: list[str]) -> dict[str, object]:
    return {
        "resources": [
            {"name": f"r{i}", "x-provenance": {"publisher": "INEGI", "vintage": v}}
            for i, v in enumerate(vintages)
        ]
    }


def test_the_date_line_gives_data_as_of_the_newest_release_and_the_build_date() -> None:
    package = _package(["2025-04-15", "data cut June 2025, compiled 2025-12-09", "2024"])
    built = datetime.datetime(2027, 2, 3, 10, 0, tzinfo=datetime.UTC)
    assert summary.dates_line(package, ["2024", "2025", "2023"], built) == (
        "**Data as of 9 December 2025**, the newest source release in the data snapshot. The "
        "newest values in the *At a glance* table below are for 2025 (annual values, as the "
        "verdicts use them). Built on 3 February 2027."
    )
    # Quarterly and monthly figures quoted further down are named when newer than the panel.
    line = summary.dates_line(package, ["2024", "2025"], built, ["2026Q2", "2024-12"])
    assert "; the quarterly and monthly figures quoted further down run to Q2 2026." in line
    assert "further down" not in summary.dates_line(package, ["2025"], built, ["2025-12"])
    with pytest.raises(ValueError, match="no source release date"):
        summary.dates_line(_package(["2024"]), ["2024"], built)


def test_every_headline_has_its_words_and_every_area_a_headline() -> None:
    words = text_catalog()["summary"]
    areas = set(read_areas(paths.FRAMEWORK_AREAS)["area_id"])
    assert {area for area, _ in summary.HEADLINES} == areas == set(words["area_short"])
    for _, indicator_id in summary.HEADLINES:
        assert set(words["headlines"][indicator_id]) >= {"label", "noun", "value"}


def test_panel_notes_say_a_shared_reason_once_naming_every_row() -> None:
    from analysis.report.summary import panel_notes

    same = "The change runs from 2018, because the series has no usable 2019 value."
    notes = {
        "poverty_multidimensional_pct": same,
        "poverty_extreme_pct": same,
        "homicide_rate": same + " Whole numbers.",
    }
    assert panel_notes(notes).splitlines() == [
        f"- *Multidimensional poverty* and *Extreme poverty*: {same}",
        f"- *Homicides*: {same} Whole numbers.",
    ]
