"""The outcome boxes of the area pages (report.outcomes): on the snapshot's framework files for
known outcomes, and on hand-made facts for singular counts and one-outcome priorities."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from analysis.report.labels import MissingPart
from analysis.report.outcomes import (
    FrameworkFacts,
    citation,
    lines_line,
    money,
    no_indicators,
    outcome_box,
    read_facts,
    read_notes,
    report_notes,
    resources_line,
    shared_box,
)
from helpers import RAW

FRAMEWORK = RAW / "framework"
CAVEAT = "their verdicts are not verdicts on the UN's work"


@pytest.fixture(scope="module")
def facts() -> FrameworkFacts:
    return read_facts(FRAMEWORK)


def test_box_of_outcome_1_states_the_raw_files_counts_and_amounts(facts: FrameworkFacts) -> None:
    """Outcome 1 (P1): 8 lines, 4 gender, 1 migrants; P1 executed 15,974,730 and mobilized
    12,176,438 dollars in 2020; 143 and 107.5 million available and executed in 2022."""
    box = outcome_box("1", "Outcome 1: Social development", facts)
    assert box.startswith("### Outcome 1: Social development\n\n> **Aim.** ")
    assert (
        "8 strategic lines of action, of which 4 related to gender equality and 1 to migrants"
        in box
    )
    assert (
        "**UN resources for strategic priority 1, Equality and inclusion** (shared by its 2 " in box
    )
    assert "2020: US\\$16.0 million executed and US\\$12.2 million mobilized" in box
    assert "US\\$143.0 million available and US\\$107.5 million executed" in box
    assert "2022: not reported by priority" in box
    assert "(Results Report 2022, 2.6 Financial overview)" in box  # text-copy lines dropped
    assert "text lines" not in box and "seed 00" not in box
    assert CAVEAT in box
    # every paragraph of the box is quoted: one blockquote, no bare line inside it
    assert all(line.startswith(">") for line in box.split("\n\n", 1)[1].splitlines())


def test_boxes_name_each_area_as_every_page_does(facts: FrameworkFacts) -> None:
    """The priority's name in a box is its one reader-facing name (text file `areas.name`), not
    the spelling of the framework file ('Peace, justice, and rule of law')."""
    assert facts.area_names["P4"] == "Peace, justice and rule of law"
    assert "strategic priority 4, Peace, justice and rule of law**" in resources_line("8", facts)


def test_box_of_outcome_6_says_none_and_its_priority_amounts(facts: FrameworkFacts) -> None:
    """Outcome 6: 13 lines, 7 gender, 0 migrants; P3 10,085,495 executed, 4,891,528 mobilized."""
    box = outcome_box("6", "Outcome 6", facts)
    assert "13 strategic lines of action, of which 7 related to gender equality and none to" in box
    assert "US\\$10.1 million executed and US\\$4.9 million mobilized" in box


def test_cross_cutting_boxes_count_their_lines_across_outcomes(facts: FrameworkFacts) -> None:
    """47 of 91 lines relate to gender equality (in all 10 outcomes), 15 to migrants (in 8);
    resources are the published 2020 totals, 58,745,712 and 42,736,430 dollars."""
    gender = outcome_box("X1", "Cross-cutting: Gender", facts)
    assert (
        "47 of the Framework's 91 strategic lines of action relate to gender equality, in all 10"
        in gender
    )
    migrants = lines_line("X2", facts)
    assert (
        "15 of the Framework's 91 strategic lines of action relate to migrants and refugees, in 8 of its 10 outcomes"
        in migrants
    )
    assert "no amounts by cross-cutting area" in gender
    assert "US\\$58.7 million executed and US\\$42.7 million mobilized" in gender
    assert CAVEAT in gender


def test_every_group_has_a_complete_box(facts: FrameworkFacts) -> None:
    """All ten outcomes and both cross-cutting areas: aim, lines, resources and caveat, no gaps."""
    for group in [*map(str, range(1, 11)), "X1", "X2"]:
        box = outcome_box(group, f"Group {group}", facts)
        assert box.count("\n>\n") == 3, group
        for part in ("**Aim.**", "**Strategic lines of action.**", "resources", CAVEAT):
            assert part in box, (group, part)
        assert not re.search(r"\b(nan|None)\b|\(s\)", box), group


def test_a_page_states_its_priority_resources_and_the_caveat_once(facts: FrameworkFacts) -> None:
    """Outcomes 1 and 2 share priority 1's resources: said once above them, not in each box."""
    shared = shared_box(["1", "2"], facts)
    assert "US\\$16.0 million executed and US\\$12.2 million mobilized" in shared
    assert CAVEAT in shared and shared.count(CAVEAT) == 1
    box = outcome_box("2", "Outcome 2", facts, with_shared=False)
    assert "**Aim.**" in box and "**Strategic lines of action.**" in box
    assert "resources" not in box and CAVEAT not in box
    with pytest.raises(ValueError, match="do not share"):
        shared_box(["1", "6"], facts)  # two priorities: no single resources line


def small_facts(lines: int, gender: int, migrants: int) -> FrameworkFacts:
    """One priority with one outcome, and the 2020 and 2022 files' rows the boxes read."""
    section = "Results Report 2020, 2.2 (text lines 1-2)"
    outcomes = pd.DataFrame(
        {
            "outcome_id": ["1"], "area_id": ["P1"], "name": ["Peace"],
            "n_strategic_lines": [lines], "n_sla_gender_equality": [gender],
            "n_sla_migrants_refugees": [migrants], "report_section": [section],
        }
    )  # fmt: skip
    resources = pd.DataFrame(
        {
            "resources_executed": [1_250_000, 1_250_000], "resources_mobilized": [49_999, 49_999],
            "currency": ["USD", "USD"], "report_section": ["Results Report 2020, 2.7"] * 2,
        },
        index=pd.Index(["P1", "TOTAL"], name="area_id"),
    )  # fmt: skip
    overview = pd.DataFrame(
        {
            "value": [2.0, 1.04], "unit": ["USD million", "USD million"],
            "report_section": ["Results Report 2022, 2.6 (text lines 3-4)"] * 2,
        },
        index=pd.Index(["available_resources_2022", "executed_resources_2022"], name="item"),
    )  # fmt: skip
    return FrameworkFacts(
        outcomes=outcomes,
        area_names={"P1": "Peace"},
        aims={"1": ("An aim.", "Results Report 2020, 2.2"), "X1": ("Equality.", "Report")},
        resources_2020=resources,
        overview_2022=overview,
    )


def test_one_line_and_one_outcome_are_singular() -> None:
    facts = small_facts(lines=1, gender=0, migrants=1)
    assert lines_line("1", facts) == (
        "**Strategic lines of action.** 1 strategic line of action, of which none related to "
        "gender equality and 1 to migrants and refugees (Results Report 2020, 2.2)."
    )
    assert lines_line("X2", facts) == (
        "**Strategic lines of action.** 1 of the Framework's 1 strategic lines of action relates "
        "to migrants and refugees, in all 1 of its outcomes (Results Report 2020, 2.2)."
    )
    resources = resources_line("1", facts)
    assert "strategic priority 1, Peace** (its only outcome)" in resources
    assert "US$1.2 million executed and US$0.0 million mobilized" in resources
    assert "US$2.0 million available and US$1.0 million executed" in resources


def test_several_lines_are_plural() -> None:
    facts = small_facts(lines=2, gender=2, migrants=0)
    assert lines_line("1", facts).startswith(
        "**Strategic lines of action.** 2 strategic lines of action, of which 2 related to gender "
        "equality and none to migrants"
    )
    assert "2 of the Framework's 2 strategic lines of action relate to gender" in lines_line(
        "X1", facts
    )


def test_money_and_citation() -> None:
    assert money(15.97473) == "US$16.0 million"
    assert money(1234.56) == "US$1,234.6 million"
    assert citation("Results Report 2020, 2.7, FIGURE 7 (text lines 3477-3534; c. pp. 74-75)") == (
        "Results Report 2020, 2.7, FIGURE 7"
    )


def test_an_outcome_without_indicators_says_so() -> None:
    assert no_indicators("9") == "_No indicator in the snapshot measures this outcome._"
    assert no_indicators("X2") == "_No indicator in the snapshot measures this cross-cutting area._"


def test_a_group_without_an_aim_fails_loudly() -> None:
    with pytest.raises(KeyError, match="no aim for group '2'"):
        outcome_box("2", "Outcome 2", small_facts(1, 1, 1))


def test_an_amount_in_another_unit_is_refused() -> None:
    facts = small_facts(1, 1, 1)
    facts.overview_2022.loc["executed_resources_2022", "unit"] = "USD billion"
    with pytest.raises(ValueError, match="not USD million"):
        resources_line("1", facts)


def test_report_notes_cite_each_report_and_say_when_one_has_none() -> None:
    notes = pd.DataFrame(
        {
            "group_id": ["1", "1", "2"],
            "report": ["results_report_2022", "results_report_2022", "results_report_2020"],
            "section": ["2.2 > Outcome 1", "2.2 > Outcome 1", "2.2 > Outcome 2"],
            "text": ["A tool was built.", "Staff costing US$5 million were trained.", "Other."],
        }
    )
    assert report_notes(notes, "1") == (
        "**What the UN results reports say**\n\n"
        "- _Results Report 2020: no specific result reported for this outcome._\n"
        "- A tool was built. (Results Report 2022, 2.2 > Outcome 1)\n"
        "- Staff costing US\\$5 million were trained. (Results Report 2022, 2.2 > Outcome 1)"
    )
    assert "Results Report 2022: no specific result reported for this cross-cutting area" in (
        report_notes(notes, "X1")
    )


def test_a_note_without_text_is_a_missing_part() -> None:
    notes = pd.DataFrame(
        {"group_id": ["1"], "report": ["results_report_2020"], "section": ["2.2"], "text": [""]}
    )
    with pytest.raises(MissingPart):
        report_notes(notes, "1")


def test_the_snapshot_notes_cover_both_reports_for_outcome_2() -> None:
    shown = report_notes(read_notes(FRAMEWORK / "outcome_results.csv"), "2")
    assert "(Results Report 2020, " in shown and "(Results Report 2022, " in shown
    assert "no specific result" not in shown


def test_every_box_and_note_passes_the_page_text_checks(facts: FrameworkFacts) -> None:
    """The boxes and the reports' notes of all twelve groups, as Markdown text: no placeholder
    and no more precision than the unit allows (the checks the rendered pages get)."""
    from test_page_text import problems_of

    notes = read_notes(FRAMEWORK / "outcome_results.csv")
    for group in [*map(str, range(1, 11)), "X1", "X2"]:
        shown = outcome_box(group, f"Group {group}", facts) + "\n" + report_notes(notes, group)
        body = "".join(f"<p>{line}</p>" for line in shown.replace("\\$", "$").splitlines())
        assert not problems_of(body), (group, problems_of(body))
