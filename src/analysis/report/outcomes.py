"""The outcome boxes of the area pages: for each outcome or cross-cutting area, what it aims at,
its strategic lines of action, the UN resources of its priority and the attribution caveat, as
Markdown (a level-3 heading and a blockquote), every word from report/text/en.yaml."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.report.areas import area_names
from analysis.report.labels import text, text_n
from analysis.snapshot.framework import read_outcomes

#: Column of framework_outcomes.csv that counts a cross-cutting area's strategic lines of action.
CROSS_CUTTING_SLA = {"X1": "n_sla_gender_equality", "X2": "n_sla_migrants_refugees"}

#: Rows of financial_overview_2022.csv the boxes use (the report's Framework-wide totals).
AVAILABLE_2022 = "available_resources_2022"
EXECUTED_2022 = "executed_resources_2022"


@dataclass(frozen=True)
class FrameworkFacts:
    """What the boxes read from data/raw/framework: outcomes with their SLA counts, area names,
    the paraphrased aims, the 2020 resources by priority and the 2022 financial overview."""

    outcomes: pd.DataFrame
    area_names: dict[str, str]
    aims: dict[str, tuple[str, str]]
    resources_2020: pd.DataFrame
    overview_2022: pd.DataFrame


def read_aims(path: str | Path) -> dict[str, tuple[str, str]]:
    """group_id -> (aim, report section): the paraphrased aim of each outcome and area."""
    aims = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {row.group_id: (row.aim, row.report_section) for row in aims.itertuples()}


def read_facts(folder: str | Path = paths.FRAMEWORK_DIR) -> FrameworkFacts:
    """The framework files of `folder` the outcome boxes need."""
    folder = Path(folder)
    return FrameworkFacts(
        outcomes=read_outcomes(folder / "framework_outcomes.csv"),
        area_names=area_names(folder / "framework_areas.csv"),
        aims=read_aims(folder / "outcome_aims.csv"),
        resources_2020=pd.read_csv(folder / "resources_2020_by_priority.csv").set_index("area_id"),
        overview_2022=pd.read_csv(folder / "financial_overview_2022.csv").set_index("item"),
    )


def citation(section: str) -> str:
    """A report_section as readers see it: the text-copy line reference in brackets dropped
    ('Results Report 2022, 2.6 Financial overview (text lines 1307-1350; p. 70)' -> '... overview')."""
    return re.sub(r"\s*\((?:text )?lines? [^)]*\)", "", section).strip()


def money(millions: float) -> str:
    """An amount in US$ million as 'US$16.0 million' (one decimal, thousands separators)."""
    return text("outcomes.money_million", amount=f"{millions:,.1f}")


def count_word(n: int) -> str:
    """A count inside a sentence: 'none' for 0, the number otherwise."""
    return text("outcomes.none") if n == 0 else f"{n:,}"


def kind_of(group: str) -> str:
    """'outcome' or 'cross-cutting area', as a sentence names a group."""
    return text("outcomes.kind_cross" if group.startswith("X") else "outcomes.kind_outcome")


def aim_line(group: str, facts: FrameworkFacts) -> str:
    """The aim with its citation; a KeyError when outcome_aims.csv has no row for `group`."""
    if group not in facts.aims:
        raise KeyError(f"no aim for group {group!r} in data/raw/framework/outcome_aims.csv")
    aim, section = facts.aims[group]
    return text("outcomes.aim", aim=aim, citation=citation(section))


def lines_line(group: str, facts: FrameworkFacts) -> str:
    """An outcome's strategic lines of action with those related to gender equality and to
    migrants and refugees; for a cross-cutting area, how many of all lines relate to it."""
    outcomes = facts.outcomes
    cited = citation(str(outcomes["report_section"].iloc[0]))
    if group.startswith("X"):
        related = outcomes[CROSS_CUTTING_SLA[group]].astype(int)
        holding = int((related > 0).sum())
        spread = text(
            "outcomes.spread_all" if holding == len(outcomes) else "outcomes.spread",
            n=holding,
            all=len(outcomes),
        )
        return text_n(
            "outcomes.lines_cross",
            int(related.sum()),
            total=int(outcomes["n_strategic_lines"].sum()),
            topic=text(f"outcomes.topic_{group}"),
            spread=spread,
            citation=cited,
        )
    row = outcomes[outcomes["outcome_id"].astype(str) == group].iloc[0]
    total = int(row["n_strategic_lines"])
    return text(
        "outcomes.lines_outcome",
        total=text_n("outcomes.lines_total", total),
        gender=count_word(int(row["n_sla_gender_equality"])),
        migrants=count_word(int(row["n_sla_migrants_refugees"])),
        citation=citation(str(row["report_section"])),
    )


def _million_usd(resources: pd.DataFrame, area_id: str, column: str) -> float:
    """A 2020 amount of resources_2020_by_priority.csv in US$ million (the file holds dollars)."""
    row = resources.loc[area_id]
    if row["currency"] != "USD":
        raise ValueError(f"resources_2020_by_priority.csv: {area_id} is in {row['currency']}")
    return float(row[column]) / 1e6


def _total_2022(overview: pd.DataFrame, item: str) -> float:
    """A Framework-wide 2022 total of financial_overview_2022.csv, in US$ million."""
    row = overview.loc[item]
    if row["unit"] != "USD million":
        raise ValueError(
            f"financial_overview_2022.csv: {item} is in {row['unit']}, not USD million"
        )
    return float(row["value"])


def resources_line(group: str, facts: FrameworkFacts) -> str:
    """The UN resources of the group's priority: 2020 executed and mobilized (by priority), 2022
    available and executed (the report's totals only); for a cross-cutting area, the totals."""
    overview = facts.overview_2022
    resources = facts.resources_2020
    fields = {
        "available": money(_total_2022(overview, AVAILABLE_2022)),
        "executed_2022": money(_total_2022(overview, EXECUTED_2022)),
        "citation_2022": citation(str(overview.loc[EXECUTED_2022, "report_section"])),
    }
    if group.startswith("X"):
        area = "TOTAL"
        key = "outcomes.resources_cross"
    else:
        outcomes = facts.outcomes
        area = str(outcomes.loc[outcomes["outcome_id"].astype(str) == group, "area_id"].iloc[0])
        siblings = int((outcomes["area_id"] == area).sum())
        key = "outcomes.resources_priority"
        fields |= {
            "number": area.removeprefix("P"),
            "name": facts.area_names[area],
            "shared": text_n("outcomes.shared", siblings),
        }
    return text(
        key,
        executed=money(_million_usd(resources, area, "resources_executed")),
        mobilized=money(_million_usd(resources, area, "resources_mobilized")),
        citation_2020=citation(str(resources.loc[area, "report_section"])),
        **fields,
    )


def dollars_escaped(markdown: str) -> str:
    """Markdown whose '$' signs stay literal ('US$16.0 million'): pandoc and nbconvert's
    Markdown would otherwise read text between two of them as maths."""
    return markdown.replace("$", "\\$")


def outcome_box(group: str, heading: str, facts: FrameworkFacts, with_shared: bool = True) -> str:
    """A group's box: its heading (level 3), then a blockquote of aim, strategic lines of action,
    and, `with_shared`, the UN resources and the caveat that national indicators are not the
    UN's contribution (a page with several outcomes of one priority states those once, with
    `shared_box`, instead of under every outcome)."""
    parts = [aim_line(group, facts), lines_line(group, facts)]
    if with_shared:
        parts += [resources_line(group, facts), text("outcomes.caveat")]
    quoted = "\n>\n".join(f"> {part}" for part in parts)
    return dollars_escaped(f"### {heading}\n\n{quoted}")


def shared_box(groups: list[str], facts: FrameworkFacts) -> str:
    """What the outcomes of one page share, said once above them: the UN resources of their
    priority (the same line for each of its outcomes) and the attribution caveat."""
    lines = {resources_line(group, facts) for group in groups}
    if len(lines) != 1:
        raise ValueError(f"outcomes {groups} do not share one priority's resources")
    parts = [lines.pop(), text("outcomes.caveat")]
    return dollars_escaped("\n>\n".join(f"> {part}" for part in parts))


def no_indicators(group: str) -> str:
    """The line shown instead of an indicator table for a group without indicators."""
    return text("outcomes.no_indicators", kind=kind_of(group))


def report_notes(notes: pd.DataFrame, group: str) -> str:
    """What the 2020 and 2022 results reports say about a group, as a cited Markdown list under a
    bold heading; a report with no note for it says so."""
    mine = notes[notes["group_id"] == group]
    lines = [text("outcomes.reports_heading"), ""]
    for report in ("2020", "2022"):
        name = text(f"outcomes.report_{report}")
        rows = mine[mine["report"] == f"results_report_{report}"]
        if rows.empty:
            lines.append(text("outcomes.no_note", report=name, kind=kind_of(group)))
        for row in rows.itertuples():
            lines.append(text("outcomes.note", text=row.text, report=name, section=row.section))
    return dollars_escaped("\n".join(lines))


def read_notes(path: str | Path = paths.OUTCOME_NOTES) -> pd.DataFrame:
    """The paraphrased notes of the results reports (outcome_results.csv), every column as text."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)
