"""Content of the Framework area pages: which outcomes and indicators an area holds, how they moved,
and what the UN reports say about each outcome."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.models.progress import representatives
from analysis.models.status import NOT_ASSESSED
from analysis.report.display import format_value
from analysis.report.precision import marked
from analysis.report.sentences import verdict_phrase
from analysis.report.words import enumerate_words, lower_first
from analysis.snapshot.catalog import (
    STATE_CODES,
    Catalog,
    Indicator,
    change_unit,
    headline_rows,
)


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


def latest_values(tidy: pd.DataFrame, catalog: Catalog, ids: list[str]) -> pd.DataFrame:
    """Latest national observation of each indicator's headline series (any frequency)."""
    rows = []
    for indicator_id in ids:
        indicator = catalog[indicator_id]
        data = headline_rows(tidy, indicator)
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
    direction, or 'context' for an indicator that is not assessed."""
    if indicator.target_value is not None:
        target = format_value(indicator.target_value, change_unit(indicator), indicator.unit)
        return f"{target} by {indicator.target_year}"
    if indicator.target_rule == "halve_from_base":
        return "halve by 2030"
    return {1: "higher", -1: "lower", 0: "context"}[indicator.direction]


def indicator_table(
    group: str, tidy: pd.DataFrame, catalog: Catalog, progress: pd.DataFrame
) -> pd.DataFrame:
    """The indicators of one outcome that have a value: what they measure (with the unit), the
    latest value in the unit's precision with its period, the aim and both runs' statuses;
    `indicators_without_data` names the others."""
    ids = indicators_in(group, catalog)
    if not ids:
        return pd.DataFrame()
    latest = latest_values(tidy, catalog, ids).set_index("indicator_id")
    status = {  # with the precision mark where a verdict rests on a change below it
        run: {
            row["indicator_id"]: marked(row["status"], row)
            for _, row in progress[progress["run"] == run].iterrows()
        }
        for run in ("framework", "sdg")
    }
    rows = []
    for indicator_id in ids:
        indicator = catalog[indicator_id]
        last = latest.loc[indicator_id]
        if pd.isna(last["latest_value"]):
            continue
        assessed = indicator.direction != 0
        rows.append(
            {
                "Indicator (unit)": f"{indicator.name} ({indicator.unit})",
                "SDG": indicator.sdg_indicator or indicator.sdg_target,
                "Latest (period)": (
                    f"{format_value(last['latest_value'], change_unit(indicator), indicator.unit)} "
                    f"({last['latest_period']})"
                ),
                "Aim": _aim(indicator),
                "Framework run": status["framework"].get(indicator_id, "")
                if assessed
                else "not assessed",
                "SDG run": status["sdg"].get(indicator_id, "") if assessed else "not assessed",
            }
        )
    return pd.DataFrame(rows)


def indicators_without_data(group: str, tidy: pd.DataFrame, catalog: Catalog) -> list[str]:
    """Names of the indicators of one outcome with no national value in the snapshot, so a page
    can say so in a sentence instead of showing empty rows."""
    ids = indicators_in(group, catalog)
    if not ids:
        return []
    latest = latest_values(tidy, catalog, ids).set_index("indicator_id")
    return [catalog[i].name for i in ids if pd.isna(latest.loc[i, "latest_value"])]


def area_summary(
    area_label: str,
    groups: list[str],
    labels: dict[str, str],
    catalog: Catalog,
    progress: pd.DataFrame,
    outcomes: pd.DataFrame,
) -> str:
    """A computed paragraph: the area's outcomes, strategic lines of action, indicators and verdicts."""
    ids = sorted({i for g in groups for i in indicators_in(g, catalog)})
    framework = progress[(progress["run"] == "framework") & progress["indicator_id"].isin(ids)]
    text = f"**{area_label}.** "
    numbered = [g for g in groups if g.isdigit()]
    if numbered:
        slas = outcomes[outcomes["outcome_id"].astype(str).isin(numbered)]
        noun = "outcome" if len(numbered) == 1 else "outcomes"
        text += (
            f"The Framework pursues this priority through {len(numbered)} {noun} with "
            f"{int(slas['n_strategic_lines'].sum())} strategic lines of action. "
        )
    text += (
        f"The snapshot maps {len(ids)} indicator{'s' if len(ids) != 1 else ''} to this area; over the "
        f"Framework period, {verdict_phrase(framework)}."
    )
    if not ids:
        text += " No indicator could be sourced for it; the page says what the UN reports describe."
    return text


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
    count = {0: "No indicator concept", 1: "Only one indicator concept"}.get(
        len(heads), f"Only {len(heads)} indicator concepts"
    )
    which = f" ({names})" if names else ""
    kind = "cross-cutting area" if group.startswith("X") else "outcome"
    return (
        f"**Thin evidence.** {count}{which} of this {kind} could be assessed in the Framework run; "
        f"this report reads an outcome's indicators as evidence from {MIN_ASSESSED_CONCEPTS} "
        f"assessed concepts on. {reason} (The reason and its sources: "
        "data/raw/framework/evidence_gaps.csv.)"
    )
