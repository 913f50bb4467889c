"""Tables for the data page: what each series covers, where it comes from, and what is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.periods import missing_periods
from analysis.report.display import FREQUENCIES, format_value
from analysis.report.labels import catalog as label_catalog
from analysis.report.labels import count, label, series_label, text, text_n
from analysis.report.words import enumerate_words
from analysis.snapshot.catalog import (
    NATIONAL,
    PEER_CODES,
    STATE_CODES,
    Catalog,
    change_unit,
    load_catalog,
)
from analysis.snapshot.framework import read_outcomes
from analysis.snapshot.validate import load_descriptor


def coverage_data(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """One row per indicator, series and frequency: geography, first and last period,
    observations, vintages and every period missing inside the covered range (national
    series); the data behind `coverage_table`."""
    rows = []
    for (indicator_id, series, freq), group in tidy.groupby(
        ["indicator_id", "series", "freq"], sort=True
    ):
        national = group[group["geo"] == NATIONAL]
        gaps = missing_periods(national["period"].tolist(), freq) if not national.empty else []
        rows.append(
            {
                "indicator_id": indicator_id,
                "name": catalog[indicator_id].name if indicator_id in catalog else indicator_id,
                "series": series,
                "freq": freq,
                "national": not national.empty,
                "states": group.loc[group["geo"].isin(STATE_CODES), "geo"].nunique(),
                "peers": ";".join(sorted(set(group["geo"]) & set(PEER_CODES))),
                "first": group["period"].min(),
                "last": group["period"].max(),
                "observations": len(group),
                "missing": ";".join(gaps),
                "vintages": ";".join(sorted(group["vintage"].unique())),
                "unit": group["unit"].iloc[0],
            }
        )
    return pd.DataFrame(rows)


def _geography(row: pd.Series) -> str:
    """'national, 32 states, 4 aggregates': where a series has values, in words."""
    peers = len(row["peers"].split(";")) if row["peers"] else 0
    parts = ["national"] if row["national"] else []
    parts += [f"{row['states']} states"] if row["states"] else []
    parts += [f"{peers} aggregate{'s' if peers > 1 else ''}"] if peers else []
    return ", ".join(parts)


def coverage_table(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """`coverage_data` as the page shows it: the indicator with its series' name, frequency,
    geography in words, the period covered, the observations and the number of periods missing
    inside that range (the periods themselves, vintages and units are in the CSV)."""
    data = coverage_data(tidy, catalog)
    return pd.DataFrame(
        {
            "Indicator (series)": [
                f"{n} ({series_label(s)})"
                for n, s in zip(data["name"], data["series"], strict=True)
            ],
            "Freq": data["freq"].map(FREQUENCIES).fillna(data["freq"]).tolist(),
            "Geography": [_geography(r) for _, r in data.iterrows()],
            "Period": [
                a if a == b else f"{a}-{b}"
                for a, b in zip(data["first"], data["last"], strict=True)
            ],
            "Obs": [f"{n:,}" for n in data["observations"]],
            "Gaps": [str(len(m.split(";"))) if m else "" for m in data["missing"]],
        }
    )


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
    """Every raw resource with publisher, table, vintage, access date, licence, URL and rows
    validated; the data behind `sources_table` and `licences_table`."""
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


def sources_table(sources: pd.DataFrame) -> pd.DataFrame:
    """The page's source table: each raw file's title with its vintage (the one wrapping
    column), access date, rows validated and official page (a link, shown as its host)."""
    return pd.DataFrame(
        {
            "Source (vintage)": [
                f"{t} (vintage: {v})"
                for t, v in zip(sources["Source"], sources["Vintage"], strict=True)
            ],
            "Accessed": sources["Accessed"].tolist(),
            "Rows": [f"{int(n):,}" for n in sources["Rows"]],
            "Official page": sources["Official page"].tolist(),
        }
    )


def licences_table(sources: pd.DataFrame) -> pd.DataFrame:
    """Publishers and the licences their files come under, with the number of files each."""
    grouped = sources.groupby(["Publisher", "Licence"], sort=True).size().reset_index(name="n")
    return pd.DataFrame(
        {
            "Publisher": grouped["Publisher"].tolist(),
            "Licence": grouped["Licence"].tolist(),
            "Files": [str(n) for n in grouped["n"]],
        }
    )


#: A number quoted with more than three decimals in a maintainer's note.
_LONG_DECIMAL = re.compile(r"(?<![\d.])\d+\.\d{4,}(?![\d.])")


def readable(text: str, catalog: Catalog) -> str:
    """Notes written for maintainers, for readers: each indicator id replaced by the
    indicator's name and each series id by the series' name (longest ids first), numbers
    quoted with more than three decimals rounded to three."""
    names = {i: indicator.name for i, indicator in catalog.items()}
    names |= {s: series_label(s) for s in label_catalog()["series"]}
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    named = pattern.sub(lambda m: names[m.group(1)], text)
    return _LONG_DECIMAL.sub(lambda m: f"{float(m.group(0)):.3f}", named)


def known_gaps(package_path: str | Path) -> pd.DataFrame:
    """Known gaps and excluded values recorded in the package (`x-known-gaps`, `x-excluded`),
    with indicator and series ids named for readers."""
    descriptor = load_descriptor(Path(package_path))
    catalog = load_catalog(Path(package_path))
    records = [
        {
            "Kind": "gap",
            "Topic": label("gap_topics", g["topic"]),
            "What": readable(g["text"], catalog),
        }
        for g in descriptor.get("x-known-gaps", [])
    ]
    records += [
        {
            "Kind": "excluded value",
            "Topic": label("gap_topics", g["topic"]),
            "What": readable(g["text"], catalog),
        }
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


def overlap_data(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Where two sources measure the same thing (one indicator names the other as its concept,
    in the same unit, from another series): both national annual series over their common
    years, the latest values, the largest difference, and which one the verdicts use (the
    concept's headline) and why; one row per pair, model values."""
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
        rows.append(
            {
                "measure": head.name,
                "unit": head.unit,
                "change_unit": change_unit(head),
                "series_used": head.headline_series,
                "series_other": indicator.headline_series,
                "assessed": head.direction != 0,
                "first_common": common[0],
                "last_common": common[-1],
                "n_common": len(common),
                "value_used": float(theirs[common[-1]]),
                "value_other": float(ours[common[-1]]),
                "largest_difference": float(gaps.max()),
                "largest_difference_year": gaps.idxmax(),
                "why": indicator.notes,
            }
        )
    return pd.DataFrame(rows)


def source_overlaps(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The overlaps in numbers: the measure with its unit, the common years, both values in the
    latest common year and the largest difference, in the unit's precision."""
    data = overlap_data(tidy, catalog)
    if data.empty:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)
    return pd.DataFrame(
        {
            "Measure (unit)": (data["measure"] + " (" + data["unit"] + ")").tolist(),
            "Common years": [
                f"{a}-{b} ({n})"
                for a, b, n in zip(
                    data["first_common"], data["last_common"], data["n_common"], strict=True
                )
            ],
            "Latest common": data["last_common"].tolist(),
            "Used": [
                format_value(v, c, u)
                for v, c, u in zip(
                    data["value_used"], data["change_unit"], data["unit"], strict=True
                )
            ],
            "Other": [
                format_value(v, c, u)
                for v, c, u in zip(
                    data["value_other"], data["change_unit"], data["unit"], strict=True
                )
            ],
            "Largest gap (year)": [
                f"{format_value(v, c, u)} ({y})"
                for v, c, u, y in zip(
                    data["largest_difference"],
                    data["change_unit"],
                    data["unit"],
                    data["largest_difference_year"],
                    strict=True,
                )
            ],
        }
    )


OVERLAP_COLUMNS = [
    "Measure (unit)",
    "Common years",
    "Latest common",
    "Used",
    "Other",
    "Largest gap (year)",
]


def overlap_series(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The overlaps in words: which series the verdicts use (none for a context measure), the
    other series, and why, from the indicator map."""
    data = overlap_data(tidy, catalog)
    return pd.DataFrame(
        {
            "Measure": data.get("measure", pd.Series(dtype=str)).tolist(),
            "Verdicts use": [
                series_label(s) if a else "neither (context only)"
                for s, a in zip(data.get("series_used", []), data.get("assessed", []), strict=True)
            ],
            "Other series": [series_label(s) for s in data.get("series_other", [])],
            "Why": [readable(w, catalog) for w in data.get("why", [])],
        }
    )
