"""The summary page on its own: a headline panel (each key number with its year, its change since
the Framework baseline and its verdict), one finding per area linking to its page, the scorecard's
links, and the dates a reader needs (data as of, built on). Words in report/text/<lang>.yaml,
section `summary`."""

from __future__ import annotations

import datetime
from typing import Any

import pandas as pd

from analysis.models.progress import representatives
from analysis.models.status import NOT_ASSESSED, STATUS_ORDER
from analysis.report.buildinfo import data_vintage, display_date
from analysis.report.display import format_delta, format_value, value_decimals
from analysis.report.labels import catalog as text_catalog
from analysis.report.labels import text_n
from analysis.report.words import change_amount, enumerate_words, status_label

#: The headline panel: (area id, indicator id) in page order, a few key numbers per area, each a
#: row of the progress table (Framework run). The first assessed one of an area leads its finding.
HEADLINES: tuple[tuple[str, str], ...] = (
    ("P1", "poverty_multidimensional_pct"),
    ("P1", "poverty_extreme_pct"),
    ("P1", "gini_coneval"),
    ("P2", "gdp_real_sa_level"),
    ("P2", "unemployment_rate"),
    ("P2", "informality_rate"),
    ("P3", "ghg_emissions_excl_lucf"),
    ("P3", "renewables_share_electricity"),
    ("P4", "homicide_rate"),
    ("P4", "wjp_rule_of_law_index"),
    ("X1", "women_share_lower_house"),
    ("X1", "informality_rate_women"),
    ("X2", "asylum_recognition_rate"),
    ("X2", "remittance_cost_pct"),
)

#: Factors that bring a level to the unit of its value template (MXN million -> MXN trillion).
SCALES: dict[str, float] = {"gdp_real_sa_level": 1e-6}


def _words() -> dict[str, Any]:
    """The `summary` section of the text file."""
    return text_catalog()["summary"]


def _framework(progress: pd.DataFrame) -> pd.DataFrame:
    return progress[progress["run"] == "framework"].set_index("indicator_id", drop=False)


def _unit(row: pd.Series) -> str:
    unit = row.get("unit", "")
    return "" if unit is None or pd.isna(unit) else str(unit)


def headline_value(row: pd.Series) -> str:
    """A headline number with its unit, as its template in the text file writes it ('29.6%'),
    at the precision of its unit (display.format_value), after the template's scale."""
    indicator_id = row["indicator_id"]
    template = _words()["headlines"][indicator_id]["value"]
    scaled = row["latest_value"] * SCALES.get(indicator_id, 1.0)
    return template.format(value=format_value(scaled, row["change_unit"], _unit(row)))


def headline_change(row: pd.Series) -> str:
    """The change since the base year in its unit ('-12.3 pp since 2018', '+5.9% since 2019',
    '-0.027 since 2018'), or 'none since 2018' when it rounds to zero."""
    words = _words()
    if _rounds_to_zero(row):
        return words["no_change_cell"].format(year=row["base_period"])
    change = format_delta(row["change"], row["change_unit"], unit=_unit(row), spelled=True)
    return words["change_cell"].format(change=change, year=row["base_period"])


def _rounds_to_zero(row: pd.Series) -> bool:
    """Whether a change shows as zero at the precision its unit is shown with."""
    decimals = value_decimals(row["change_unit"], 0.0, _unit(row))
    return round(abs(row["change"]), decimals) == 0


def _assessed(row: pd.Series) -> bool:
    return row["status"] != NOT_ASSESSED and pd.notna(row["change"])


def headline_panel(
    progress: pd.DataFrame,
    area_pages: dict[str, str],
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
) -> pd.DataFrame:
    """The headline panel as display-ready strings: area (a link to its page), indicator, latest
    value and year, change since the Framework base, verdict. A headline missing from the
    progress table is an error; one without enough data says so instead of a number."""
    words = _words()
    framework = _framework(progress)
    rows = []
    for area, indicator_id in headlines:
        if indicator_id not in framework.index:
            raise KeyError(f"headline {indicator_id!r} is not in the progress table")
        row = framework.loc[indicator_id]
        area_cell = f"[{words['area_short'][area]}]({area_pages[area]})"
        label = words["headlines"][indicator_id]["label"]
        if not _assessed(row):
            latest, change, verdict = "", words["not_assessed_cell"], row["status"]
        else:
            latest = words["latest_cell"].format(
                value=headline_value(row), year=row["latest_period"]
            )
            change = headline_change(row)
            verdict = status_label(row["status"], bool(row["target_missed"]))
        rows.append(
            {
                words["column_area"]: area_cell,
                words["column_indicator"]: label,
                words["column_latest"]: latest,
                words["column_change"]: change,
                words["column_verdict"]: verdict,
            }
        )
    return pd.DataFrame(rows)


def headline_data(
    progress: pd.DataFrame, headlines: tuple[tuple[str, str], ...] = HEADLINES
) -> pd.DataFrame:
    """The numbers behind the headline panel (its CSV): the progress rows in panel order."""
    framework = _framework(progress)
    columns = [
        "indicator_id",
        "name",
        "series",
        "base_period",
        "base_value",
        "latest_period",
        "latest_value",
        "change",
        "unit",
        "change_unit",
        "status",
        "target_missed",
    ]
    frame = framework.loc[[i for _, i in headlines], columns].reset_index(drop=True)
    return frame.assign(area=[a for a, _ in headlines])[["area", *columns]]


def lead_sentence(row: pd.Series) -> str:
    """One headline number in a sentence: where it stands, how far it moved since the base year
    (in its change unit) and the verdict."""
    words = _words()
    indicator_id = row["indicator_id"]
    spec = words["headlines"][indicator_id]
    fields = {
        "noun": spec["noun"],
        "verb": words["verb_plural" if spec.get("plural") else "verb"],
        "latest": headline_value(row),
        "latest_year": row["latest_period"],
        "base_year": row["base_period"],
        "status": status_label(row["status"], bool(row["target_missed"])),
    }
    if _rounds_to_zero(row):
        return words["lead_unchanged"].format(**fields)
    return words["lead"].format(
        **fields,
        amount=change_amount(row["change"], row["change"], row["change_unit"], _unit(row)),
        comparison=words["higher" if row["change"] > 0 else "lower"],
    )


def verdict_counts(heads: pd.DataFrame) -> str:
    """Assessed concepts by status, best first: '5 made substantial progress, 1 made limited
    progress and 2 moved against the desired direction', then how many of them passed a target
    date (a subset of the statuses, never counted twice)."""
    words = _words()
    parts = [
        text_n(f"summary.count_{status.replace(' ', '_')}", int((heads["status"] == status).sum()))
        for status in STATUS_ORDER
        if f"count_{status.replace(' ', '_')}_one" in words and (heads["status"] == status).any()
    ]
    missed = int(heads["target_missed"].astype(bool).sum())
    counted = enumerate_words(parts)
    return f"{counted}; {text_n('summary.target_missed', missed)}" if missed else counted


def _members(progress: pd.DataFrame, groups: list[str]) -> pd.DataFrame:
    """Framework-run rows mapped to any of `groups` (outcome ids, or a cross-cutting area)."""
    framework = progress[progress["run"] == "framework"]

    def in_groups(cell: object) -> bool:
        return bool(set(str(cell if pd.notna(cell) else "").split(";")) & set(groups))

    mask = framework["outcomes"].apply(in_groups) | framework["cross_cutting"].apply(in_groups)
    return framework[mask & (framework["direction"] != 0)]


def verdict_sentence(progress: pd.DataFrame, groups: list[str]) -> str:
    """The area's verdicts in the Framework run, each concept once; says so plainly when no
    concept has a verdict, or no indicator was sourced."""
    words = _words()
    heads = representatives(_members(progress, groups))
    if heads.empty:
        return words["none_sourced"]
    assessed = heads[heads["status"] != NOT_ASSESSED]
    noun = words["concept_one" if len(heads) == 1 else "concept_other"]
    if assessed.empty:
        return words["none_assessed"].format(concepts=len(heads), concept_noun=noun)
    template = "verdicts"
    if len(assessed) == len(heads):
        template = {1: "verdicts_only", 2: "verdicts_both"}.get(len(heads), "verdicts_all")
    return words[template].format(
        assessed=len(assessed),
        concepts=len(heads),
        concept_noun=noun,
        counts=verdict_counts(assessed),
    )


def area_finding(
    area: str,
    name: str,
    href: str,
    groups: list[str],
    progress: pd.DataFrame,
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
) -> str:
    """One Markdown bullet for an area: its name linking to its page, the first assessed
    headline number in a sentence, then the area's verdicts."""
    framework = _framework(progress)
    lead = ""
    for head_area, indicator_id in headlines:
        if head_area == area and indicator_id in framework.index:
            row = framework.loc[indicator_id]
            if _assessed(row):
                lead = lead_sentence(row)
                break
    return _words()["finding"].format(
        area=name, href=href, lead=lead, verdicts=verdict_sentence(progress, groups)
    )


def area_key_findings(
    progress: pd.DataFrame,
    names: dict[str, str],
    areas: dict[str, list[str]],
    area_pages: dict[str, str],
    headlines: tuple[tuple[str, str], ...] = HEADLINES,
) -> str:
    """A finding for every area (priorities, then cross-cutting areas), one bullet each."""
    return "\n".join(
        area_finding(area, names[area], area_pages[area], groups, progress, headlines)
        for area, groups in areas.items()
    )


def group_pages(outcomes: pd.DataFrame, area_pages: dict[str, str]) -> dict[str, str]:
    """Every scorecard group's page: an outcome ('1'..'10') goes to its priority's page, a
    cross-cutting area ('X1') to its own."""
    pages = {
        str(row.outcome_id): area_pages[row.area_id]
        for row in outcomes.itertuples()
        if row.area_id in area_pages
    }
    return pages | {a: href for a, href in area_pages.items() if a.startswith("X")}


def link_rows(
    frame: pd.DataFrame, column: str, labels: dict[str, str], pages: dict[str, str]
) -> pd.DataFrame:
    """`frame` with each cell of `column` that is a group's label turned into a Markdown link to
    the group's page (shown by `markdown_table` when `column` is among its `links`)."""
    by_label = {labels[g]: href for g, href in pages.items() if g in labels}
    linked = [f"[{cell}]({by_label[cell]})" if cell in by_label else cell for cell in frame[column]]
    return frame.assign(**{column: linked})


def area_pages_sentence(titles: dict[str, str], area_pages: dict[str, str]) -> str:
    """The prose link to every area page: 'The six area pages ...: [Equality ...](equality.ipynb),
    ... and [Migrants and refugees](migration.ipynb).'"""
    links = [f"[{titles[a]}]({href})" for a, href in area_pages.items()]
    return _words()["area_pages"].format(links=enumerate_words(links))


def dates_line(package: dict[str, Any], panel_periods: list[str], built: datetime.datetime) -> str:
    """The page's date line: data as of the snapshot's newest source release (the footer's date,
    buildinfo.data_vintage), the newest period in the panel, and the build date."""
    months = text_catalog()["site"]["months"]
    vintage = data_vintage(package)
    if vintage is None:
        raise ValueError("the data package names no source release date")
    return _words()["dates"].format(
        vintage=display_date(vintage, months),
        latest=max(str(p) for p in panel_periods),
        built=display_date((built.year, built.month, built.day), months),
    )
