"""Content of the Framework area pages: which outcomes and indicators an area holds, how they moved,
and what the UN reports say about each outcome."""

from __future__ import annotations

import dataclasses
import functools
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.models.progress import representatives
from analysis.models.status import NOT_ASSESSED, STATUS_ORDER
from analysis.report.display import INDICATOR_UNIT, format_value, name_with_unit, period_text
from analysis.report.labels import catalog as text_catalog
from analysis.report.labels import count, label, status_name, text, text_n
from analysis.report.precision import marked
from analysis.report.words import enumerate_words, fmt_pct, lower_first
from analysis.snapshot.catalog import (
    NATIONAL,
    STATE_CODES,
    Catalog,
    Indicator,
    SeriesBreak,
    before_break,
    change_unit,
    headline_rows,
    load_breaks,
)
from analysis.snapshot.framework import outcome_labels, read_areas
from analysis.snapshot.validate import load_descriptor


def area_name(area_id: str, short: bool = False) -> str:
    """An area's one name on every page ('Peace, justice and rule of law'), or its short form
    for a table column ('Peace and justice'), from section `areas` of the text file."""
    return text_catalog()["areas"]["short" if short else "name"][area_id]


def area_names(path: str | Path = paths.FRAMEWORK_AREAS) -> dict[str, str]:
    """Every area of framework_areas.csv by its one reader-facing name, in file order (the file
    keeps the reports' own spellings, which differ between reports)."""
    return {a: area_name(a) for a in read_areas(path)["area_id"]}


def group_names(
    outcomes_path: str | Path = paths.FRAMEWORK_OUTCOMES,
    areas_path: str | Path = paths.FRAMEWORK_AREAS,
) -> dict[str, str]:
    """Label of every group a page reports on: 'Outcome 1: ...' in order, then each cross-cutting
    area by its one name ('Cross-cutting: Gender equality')."""
    cross = [a for a in read_areas(areas_path)["area_id"] if a.startswith("X")]
    return outcome_labels(outcomes_path) | {
        a: text("areas.cross_cutting", name=area_name(a)) for a in cross
    }


Breaks = dict[tuple[str, str], SeriesBreak]


@functools.cache
def declared_breaks(package: str | None = None) -> Breaks:
    """The data package's declared series breaks (`x-series-breaks`), read once per process: the
    one declaration every page follows (the models read the same entries)."""
    return load_breaks(package or paths.PACKAGE)


def groups_of(area_id: str, outcomes: pd.DataFrame) -> list[str]:
    """The outcome ids of a strategic priority, or the cross-cutting area itself."""
    if area_id.startswith("X"):
        return [area_id]
    return outcomes.loc[outcomes["area_id"] == area_id, "outcome_id"].astype(str).tolist()


def indicators_in(group: str, catalog: Catalog) -> list[str]:
    """Ids of the indicators mapped to an outcome ('1'..'10') or cross-cutting area ('X1', 'X2')."""
    return sorted(i.id for i in catalog.values() if group in i.outcomes or group in i.cross_cutting)


def area_progress(progress: pd.DataFrame, groups: list[str], catalog: Catalog) -> pd.DataFrame:
    """Framework-run rows of the progress table for the indicators of `groups` (an area's page)."""
    ids = sorted({i for group in groups for i in indicators_in(group, catalog)})
    framework = progress[progress["run"] == "framework"]
    return framework[framework["indicator_id"].isin(ids)]


def area_series(progress: pd.DataFrame, groups: list[str], catalog: Catalog) -> pd.DataFrame:
    """`area_progress` for the area's chart; an area with nothing to chart is an error (its page
    should list the `no-area-series` section instead of `area-series`, see site/pages.py)."""
    shown = area_progress(progress, groups, catalog)
    if not shown["base_period"].notna().any():
        raise ValueError(
            f"no indicator of {', '.join(groups)} has two or more annual observations to chart: "
            "give its page the section 'no-area-series' instead of 'area-series'"
        )
    return shown


def latest_values(
    tidy: pd.DataFrame, catalog: Catalog, ids: list[str], breaks: Breaks | None = None
) -> pd.DataFrame:
    """Latest national observation of each indicator's headline series (any frequency), among the
    values before a declared series break (`breaks`, by default the package's): a value the
    models leave out as not comparable is never shown as the latest."""
    breaks = declared_breaks() if breaks is None else breaks
    rows = []
    for indicator_id in ids:
        indicator = catalog[indicator_id]
        key = (indicator.id, indicator.headline_series)
        data, _ = before_break(headline_rows(tidy, indicator), breaks.get(key))
        if data.empty:
            rows.append(
                {
                    "indicator_id": indicator_id,
                    "latest_period": "",
                    "latest_value": None,
                    "first_period": "",
                    "n_obs": 0,
                }
            )
            continue
        ordered = data.sort_values(["freq", "period"])
        rows.append(
            {
                "indicator_id": indicator_id,
                "latest_period": ordered["period"].iloc[-1],
                "latest_value": float(ordered["value"].iloc[-1]),
                "first_period": ordered["period"].iloc[0],
                "n_obs": len(data),
            }
        )
    return pd.DataFrame(rows)


def _aim(indicator: Indicator) -> str:
    """What counts as better: the quantified target ('20.0 by 2030'), 'halve by 2030', the
    direction, or 'none set' for a context indicator, which is not assessed."""
    if indicator.target_value is not None:
        target = format_value(indicator.target_value, change_unit(indicator), indicator.unit)
        return text("outcomes.aim_target", target=target, year=indicator.target_year)
    if indicator.target_rule == "halve_from_base":
        return text("outcomes.aim_halve", year=indicator.target_year)
    key = {1: "aim_higher", -1: "aim_lower", 0: "aim_none"}[indicator.direction]
    return label("outcomes", key)


def release_chains(package_path: str | Path = paths.PACKAGE) -> list[list[str]]:
    """The package's `x-vintage-chains`: the series of one indicator published in several
    releases, older to newer."""
    descriptor = load_descriptor(Path(package_path))
    return [list(chain["series"]) for chain in descriptor.get("x-vintage-chains", [])]


def newest_release(indicator: Indicator, chains: list[list[str]]) -> Indicator:
    """The indicator read from the newest release of its headline series' chain (COMAR's 2024
    headline -> its January 2025 report), so a latest value never comes from an older release;
    unchanged when the headline is in no chain or is already the newest."""
    for chain in chains:
        if indicator.headline_series in chain and chain[-1] != indicator.headline_series:
            return dataclasses.replace(indicator, headline_series=chain[-1])
    return indicator


def outcome_rows(
    group: str,
    tidy: pd.DataFrame,
    catalog: Catalog,
    listed: frozenset[str] | set[str] = frozenset(),
    chains: list[list[str]] | None = None,
) -> pd.DataFrame:
    """The latest national value of every indicator of a group that has one and is not `listed`
    already on the page: id, name, unit, series (the newest release, see `newest_release`),
    period, value, and whether the series only holds whole numbers (a copy rounded at source)."""
    rows = []
    for indicator_id in indicators_in(group, catalog):
        if indicator_id in listed:
            continue
        indicator = newest_release(catalog[indicator_id], chains or [])
        last = latest_values(tidy, {indicator_id: indicator}, [indicator_id]).iloc[0]
        if pd.isna(last["latest_value"]):
            continue
        values = headline_rows(tidy, indicator)["value"].dropna()
        rows.append(
            {
                "indicator_id": indicator_id,
                "name": indicator.name,
                "unit": indicator.unit,
                "series": indicator.headline_series,
                "latest_period": str(last["latest_period"]),
                "latest_value": float(last["latest_value"]),
                "whole": bool((values == values.round()).all()),
            }
        )
    columns = ["indicator_id", "name", "unit", "series", "latest_period", "latest_value", "whole"]
    return pd.DataFrame(rows, columns=columns)


def _latest_cell(row: pd.Series, indicator: Indicator) -> str:
    """'43.9 (2020)' in the unit's precision, or whole ('44 (2020)') for a series published in
    whole numbers, so a rounded copy never shows a decimal it does not have."""
    value = float(row["latest_value"])
    shown = (
        f"{value:,.0f}"
        if row["whole"]
        else format_value(value, change_unit(indicator), indicator.unit)
    )
    return f"{shown} ({period_text(row['latest_period'])})"


def indicator_table(
    group: str,
    tidy: pd.DataFrame,
    catalog: Catalog,
    progress: pd.DataFrame,
    listed: frozenset[str] | set[str] = frozenset(),
    chains: list[list[str]] | None = None,
) -> pd.DataFrame:
    """The indicators of one group that have a value (`outcome_rows`): the name with its unit,
    the SDG target (one level of code for every row), the latest value with its period, the aim
    and both runs' statuses; `indicators_without_data` names the others."""
    shown = outcome_rows(group, tidy, catalog, listed, chains)
    if shown.empty:
        return pd.DataFrame()
    status = {  # with the precision mark where a verdict rests on a change below it
        run: {
            row["indicator_id"]: marked(row["status"], row)
            for _, row in progress[progress["run"] == run].iterrows()
        }
        for run in ("framework", "sdg")
    }
    rows = []
    for _, row in shown.iterrows():
        indicator = catalog[row["indicator_id"]]
        assessed = indicator.direction != 0
        outside = status_name("not assessed")
        rows.append(
            {
                INDICATOR_UNIT: name_with_unit(indicator.name, indicator.unit),
                "SDG target": indicator.sdg_target or indicator.sdg_indicator.rsplit(".", 1)[0],
                "Latest (period)": _latest_cell(row, indicator),
                "Aim": _aim(indicator),
                "Framework run": status["framework"].get(indicator.id, "") if assessed else outside,
                "SDG run": status["sdg"].get(indicator.id, "") if assessed else outside,
            }
        )
    return pd.DataFrame(rows)


def _year(period: object) -> int:
    return int(str(period)[:4])


#: A latest value this many years or more older than the newest one in its table is named under
#: the table, so an old figure beside this year's is never read as current.
OLD_YEARS = 4


def old_latest_note(rows: pd.DataFrame, old_years: int = OLD_YEARS) -> str:
    """The rows of `outcome_rows` whose latest period is `old_years` or more older than the
    newest in the table, with their years; "" when there are none."""
    if rows.empty:
        return ""
    years = rows["latest_period"].map(_year)
    newest = int(years.max())
    old = rows[years <= newest - old_years]
    if old.empty:
        return ""
    items = [
        text("outcomes.old_item", name=r["name"], period=period_text(r["latest_period"]))
        for _, r in old.iterrows()
    ]
    return text_n(
        "outcomes.old_latest", len(old), items="; ".join(items), newest=newest, years=old_years
    )


def listed_note(group: str, catalog: Catalog, listed: dict[str, str], kind: str) -> str:
    """The indicators of a group already shown under an earlier group of the page (`listed`:
    indicator id -> that group's label, 'Outcome 1: ...', named by its part before the colon),
    named once instead of repeating their rows; "" when there are none."""
    earlier: dict[str, list[str]] = {}
    for indicator_id in indicators_in(group, catalog):
        if indicator_id in listed:
            earlier.setdefault(listed[indicator_id], []).append(catalog[indicator_id].name)
    if not earlier:
        return ""
    parts = [
        text("outcomes.listed_under", where=where.split(":", 1)[0], names="; ".join(names))
        for where, names in earlier.items()
    ]
    return text("outcomes.listed_above", kind=kind, parts="; ".join(parts))


def indicators_without_data(group: str, tidy: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Names of the indicators of one outcome with no national value in the snapshot, so a page
    can say so in a sentence instead of showing empty rows."""
    ids = indicators_in(group, catalog)
    if not ids:
        return []
    latest = latest_values(tidy, catalog, ids).set_index("indicator_id")
    return [catalog[i].name for i in ids if pd.isna(latest.loc[i, "latest_value"])]


def area_summary(
    groups: list[str],
    catalog: Catalog,
    progress: pd.DataFrame,
    outcomes: pd.DataFrame,
) -> str:
    """What the area page adds to the summary page's one-line finding: the outcomes and
    strategic lines of action, the indicators mapped, and every assessed concept by name under
    its Framework-run status (best first), so no status is left out."""
    ids = sorted({i for g in groups for i in indicators_in(g, catalog)})
    framework = progress[(progress["run"] == "framework") & progress["indicator_id"].isin(ids)]
    numbered = [g for g in groups if g.isdigit()]
    lead = ""
    if numbered:
        slas = outcomes[outcomes["outcome_id"].astype(str).isin(numbered)]
        lead = text_n(
            "outcomes.short_outcomes",
            len(numbered),
            lines=int(slas["n_strategic_lines"].sum()),
        )
    lead += text_n("outcomes.short_indicators", len(ids))
    heads = representatives(framework) if not framework.empty else framework
    if heads.empty:
        key = "short_none" if ids else "short_unsourced"
        return lead + label("outcomes", key)
    assessed = heads[heads["status"] != NOT_ASSESSED]
    lead += text(
        "outcomes.short_assessed", assessed=len(assessed), concepts=count(len(heads), "concept")
    )
    lines = [lead]
    for status in STATUS_ORDER:
        names = sorted(str(n) for n in heads.loc[heads["status"] == status, "name"])
        if names:
            lines.append(
                text("outcomes.short_status", status=status_name(status), names="; ".join(names))
            )
    return "\n".join(lines)


def asylum_closures_sentence(tidy: pd.DataFrame, base_year: int) -> str:
    """What the recognition rate leaves out: the share of UNHCR's decided or closed cases that
    were closed without a substantive decision, in the latest year and the base year."""

    def value(indicator_id: str, year: str) -> float:
        rows = tidy[
            (tidy["indicator_id"] == indicator_id)
            & (tidy["geo"] == NATIONAL)
            & (tidy["period"].astype(str) == year)
        ]
        return float(rows["value"].iloc[0])

    closed = tidy[(tidy["indicator_id"] == "asylum_decisions_closed") & (tidy["geo"] == NATIONAL)]
    latest = str(closed["period"].astype(str).max())
    base = str(base_year)
    share = {
        y: 100 * value("asylum_decisions_closed", y) / value("asylum_decisions_total", y)
        for y in (latest, base)
    }
    total = value("asylum_decisions_total", latest)
    shut = value("asylum_decisions_closed", latest)
    return text(
        "outcomes.asylum_closures",
        year=latest,
        closed=f"{shut:,.0f}",
        total=f"{total:,.0f}",
        share=fmt_pct(share[latest]),
        base_year=base,
        base_share=fmt_pct(share[base]),
        substantive=f"{total - shut:,.0f}",
        rate=fmt_pct(value("asylum_recognition_rate", latest)),
    )


def state_ranking(
    tidy: pd.DataFrame, states: pd.DataFrame, indicator_id: str, series: str
) -> tuple[str, pd.DataFrame, list[str]]:
    """The latest of the years with the most states for an indicator-series, its values ranked,
    and the states missing."""
    rows = tidy[
        (tidy["indicator_id"] == indicator_id)
        & (tidy["series"] == series)
        & tidy["geo"].isin(STATE_CODES)  # states only, not peers
    ]
    counts = rows.groupby("period")["geo"].nunique()
    year = str(counts[counts == counts.max()].index.max())
    chosen = rows[rows["period"] == year]
    names = dict(zip(states["CVE_ENT"], states["NOM_CORTO"], strict=True))
    ranked = chosen.assign(state=chosen["geo"].map(names)).sort_values("value", ascending=False)[
        ["state", "value"]
    ]
    missing = sorted(names[c] for c in names if c not in set(chosen["geo"]))
    return year, ranked.reset_index(drop=True), missing


def state_poverty_sentence(
    year: str, ranked: pd.DataFrame, missing: list[str], national: float
) -> str:
    """The equality page's account of `state_ranking`: range across states, the national rate, and
    the states without a traceable figure."""
    low = ranked.loc[ranked["value"].idxmin()]
    high = ranked.loc[ranked["value"].idxmax()]
    among = (
        f"across all {len(ranked)} states"
        if not missing
        else f"among the {len(ranked)} states with a traceable official figure"
    )
    text = (
        f"In {year}, the latest year with the most state figures in the 2018-guidelines series, "
        f"poverty ranged from {low['value']:.1f}% ({low['state']}) to {high['value']:.1f}% "
        f"({high['state']}) {among}, against {national:.1f}% nationally. "
    )
    if missing:
        noun = "state" if len(missing) == 1 else "states"
        text += (
            f"No figure could be traced for the other {len(missing)} {noun}: "
            + ", ".join(missing)
            + ". "
        )
    return text + "The data page shows every state-year in the snapshot."


def area_groups(areas: pd.DataFrame, outcomes: pd.DataFrame) -> dict[str, list[str]]:
    """Every area's groups: a strategic priority's outcome ids, then each cross-cutting area as its
    own group (areas in file order, priorities first)."""
    ids = areas["area_id"].tolist()
    priorities = {a: groups_of(a, outcomes) for a in ids if a.startswith("P")}
    return priorities | {a: [a] for a in ids if a.startswith("X")}


def with_all_groups(progress: pd.DataFrame) -> pd.DataFrame:
    """Progress rows whose `outcomes` also lists the cross-cutting areas ('3;4' + 'X1' -> '3;4;X1'),
    so one chart counts indicators by outcome and by cross-cutting area."""
    return progress.assign(
        outcomes=progress["outcomes"].fillna("") + ";" + progress["cross_cutting"].fillna("")
    )


#: Fewer assessed concepts than this need a stated reason (data/raw/framework/evidence_gaps.csv).
MIN_ASSESSED_CONCEPTS = 2


def assessed_concepts(progress: pd.DataFrame, group: str) -> pd.DataFrame:
    """The Framework-run rows that carry a group's evidence: one per concept
    (models.progress.representatives), status not 'insufficient data'."""
    framework = progress[progress["run"] == "framework"]
    members = framework["outcomes"].fillna("").str.split(";").apply(
        lambda g: group in g
    ) | framework["cross_cutting"].fillna("").str.split(";").apply(lambda g: group in g)
    heads = representatives(framework[members])
    return heads[heads["status"] != NOT_ASSESSED] if not heads.empty else heads


def read_evidence_gaps(path: str | Path) -> dict[str, tuple[str, str]]:
    """group_id -> (reason, source): why a group rests on fewer than two assessed concepts."""
    path = Path(path)
    if not path.is_file():
        return {}
    gaps = pd.read_csv(path, dtype=str, keep_default_na=False)
    return {row.group_id: (row.reason, row.source) for row in gaps.itertuples()}


def evidence_note(group: str, progress: pd.DataFrame, gaps: dict[str, tuple[str, str]]) -> str:
    """For a group with fewer than MIN_ASSESSED_CONCEPTS assessed concepts: how many it has, which,
    and the stated reason with its source; "" for a group with enough evidence. A thin group
    without a stated reason is a ValueError (add a row to evidence_gaps.csv)."""
    heads = assessed_concepts(progress, group)
    if len(heads) >= MIN_ASSESSED_CONCEPTS:
        return ""
    if group not in gaps:
        raise ValueError(
            f"group {group} has {len(heads)} assessed concept(s) and no stated reason in "
            "evidence_gaps.csv"
        )
    reason, _ = gaps[group]
    names = enumerate_words([lower_first(str(n)) for n in heads["name"]])
    kind = label("outcomes", "thin_kind_cross" if group.startswith("X") else "thin_kind_outcome")
    if heads.empty:
        return text("outcomes.thin_none", kind=kind, least=MIN_ASSESSED_CONCEPTS, reason=reason)
    return text_n(
        "outcomes.thin",
        len(heads),
        which_clause=text("outcomes.thin_which", names=names),
        kind=kind,
        least=MIN_ASSESSED_CONCEPTS,
        reason=reason,
    )
