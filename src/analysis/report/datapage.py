"""Tables for the data page: what each series covers, where it comes from, and what is missing."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.periods import missing_periods
from analysis.report.labels import count, series_label, text, text_n
from analysis.report.words import enumerate_words
from analysis.snapshot.catalog import NATIONAL, PEER_CODES, STATE_CODES, Catalog
from analysis.snapshot.framework import read_outcomes
from analysis.snapshot.validate import load_descriptor


def coverage_table(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per indicator, series and frequency: geography, first and last period, observations,
    vintages and the periods missing inside the covered range (national series)."""
    rows = []
    for (indicator_id, series, freq), group in tidy.groupby(
        ["indicator_id", "series", "freq"], sort=True
    ):
        national = group[group["geo"] == NATIONAL]
        states = group.loc[group["geo"].isin(STATE_CODES), "geo"].nunique()
        peers = sorted(set(group["geo"]) & set(PEER_CODES))
        gaps = missing_periods(national["period"].tolist(), freq) if not national.empty else []
        rows.append(
            {
                "Indicator": catalog[indicator_id].name
                if indicator_id in catalog
                else indicator_id,
                "indicator_id": indicator_id,
                "Series": series,
                "Freq": freq,
                "Geography": (
                    "national" + (f" + {states} states" if states else "")
                    if not national.empty
                    else f"{states} states"
                )
                + (f" + peers {', '.join(peers)}" if peers else ""),
                "First": group["period"].min(),
                "Last": group["period"].max(),
                "Obs": len(group),
                "Missing inside range": ", ".join(gaps[:8])
                + (f" (+{len(gaps) - 8})" if len(gaps) > 8 else ""),
                "Vintage": "; ".join(sorted(group["vintage"].unique()))[:60],
                "Unit": group["unit"].iloc[0],
            }
        )
    return pd.DataFrame(rows)


def state_coverage(
    tidy: pd.DataFrame, indicator_id: str, series: str, states: pd.DataFrame
) -> pd.DataFrame:
    """States x years for one indicator-series: the value where one exists, empty where it is a gap."""
    rows = tidy[
        (tidy["indicator_id"] == indicator_id)
        & (tidy["series"] == series)
        & tidy["geo"].isin(STATE_CODES)  # states only, not peers
    ]
    table = rows.pivot(index="geo", columns="period", values="value")
    table = table.reindex(sorted(states["CVE_ENT"]))
    table.index = table.index.map(dict(zip(states["CVE_ENT"], states["NOM_CORTO"], strict=True)))
    table.index.name = "State"
    return table


def sources_with_rows(package_path: str | Path, validation: dict) -> pd.DataFrame:
    """Every raw resource with publisher, table, vintage, access date, licence, URL and rows validated."""
    descriptor = load_descriptor(Path(package_path))
    rows_by_name = {r["name"]: r["rows"] for r in validation["resources"]}
    records = []
    for resource in descriptor["resources"]:
        provenance = resource["x-provenance"]
        licence = resource["licenses"][0]
        records.append(
            {
                "Source": resource["title"],
                "Publisher": provenance["publisher"],
                "Vintage": provenance["vintage"],
                "Accessed": provenance["access_date"],
                "Licence": licence.get("title", licence["name"]),
                "Official page": resource["sources"][0]["path"],
                "File": (paths.RAW_DIR / resource["path"]).as_posix(),
                "Rows": rows_by_name.get(resource["name"], 0),
            }
        )
    return pd.DataFrame(records)


def known_gaps(package_path: str | Path) -> pd.DataFrame:
    """Known gaps and excluded values recorded in the package (`x-known-gaps`, `x-excluded`)."""
    descriptor = load_descriptor(Path(package_path))
    records = [
        {"Kind": "gap", "Topic": g["topic"], "What": g["text"]}
        for g in descriptor.get("x-known-gaps", [])
    ]
    records += [
        {"Kind": "excluded value", "Topic": g["topic"], "What": g["text"]}
        for g in descriptor.get("x-excluded", [])
    ]
    return pd.DataFrame(records, columns=["Kind", "Topic", "What"])


def snapshot_summary(tidy: pd.DataFrame, validation: dict, catalog: Catalog) -> str:
    """A short computed paragraph on the snapshot: sources, rows, checks, indicators, coverage."""
    resources = validation["resources"]
    cells = sum(r["rows"] * r["fields"] for r in resources)
    publishers = tidy.loc[tidy["source_id"] != "derived", "source_id"].nunique()
    annual = tidy[tidy["freq"] == "A"]["period"]
    mapped = sorted(set(tidy["indicator_id"]) & set(catalog))
    areas = {o for i in mapped for o in catalog[i].outcomes}
    states = tidy.loc[tidy["geo"].isin(STATE_CODES), "geo"].nunique()
    pairs = tidy[["indicator_id", "series"]].drop_duplicates().shape[0]
    return text(
        "datapage.snapshot_summary",
        files=count(len(resources), "raw_file"),
        rows=f"{validation['n_rows']:,}",
        cells=f"{cells:,}",
        cleaned=publishers,
        observations=count(len(tidy), "observation"),
        indicators=count(tidy["indicator_id"].nunique(), "indicator"),
        pairs=count(pairs, "indicator_series"),
        first_year=annual.min(),
        last_year=annual.max(),
        outcomes=len(areas),
        outcomes_total=len(read_outcomes(paths.FRAMEWORK_OUTCOMES)),
        states_clause=text_n("datapage.states_with_values", states),
    )


def state_coverage_sentence(state_table: pd.DataFrame, series: str) -> str:
    """How many of the states have a figure in each year of `state_coverage`'s table."""
    with_data = state_table.notna().sum()
    total = count(len(state_table), "state")
    counts = enumerate_words(
        [
            text("datapage.state_coverage_year", n=int(n), total=total, year=year)
            for year, n in with_data.items()
        ]
    )
    return text("datapage.state_coverage", series=series_label(series), counts=counts)


def source_overlaps(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Where two sources measure the same thing (one indicator names the other as its concept,
    in the same unit, from another series): both national series over their common years, the
    largest difference, and which one the verdicts use (the concept's headline) and why."""
    rows = []
    national = tidy[(tidy["geo"] == NATIONAL) & (tidy["freq"] == "A")]
    for indicator in sorted(catalog.values(), key=lambda i: i.id):
        head = catalog.get(indicator.concept) if indicator.concept else None
        if head is None or head.unit != indicator.unit:
            continue
        if head.headline_series == indicator.headline_series:
            continue
        ours = national[
            (national["indicator_id"] == indicator.id)
            & (national["series"] == indicator.headline_series)
        ].set_index("period")["value"]
        theirs = national[
            (national["indicator_id"] == head.id) & (national["series"] == head.headline_series)
        ].set_index("period")["value"]
        common = sorted(set(ours.index) & set(theirs.index))
        if not common:
            continue
        gaps = (ours[common] - theirs[common]).abs()
        last = common[-1]
        used = head.headline_series if head.direction != 0 else "neither (context only)"
        rows.append(
            {
                "Measure": head.name,
                "Series used": head.headline_series,
                "Other series": indicator.headline_series,
                "Common years": f"{common[0]}-{last} ({len(common)})",
                "Latest common year: used / other": (
                    f"{last}: {theirs[last]:,.4g} / {ours[last]:,.4g} {head.unit}"
                ),
                "Largest difference": f"{gaps.max():,.3g} ({gaps.idxmax()})",
                "Verdicts use": used,
                "Why": indicator.notes,
            }
        )
    return pd.DataFrame(rows)
