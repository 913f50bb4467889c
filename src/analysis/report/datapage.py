"""Tables for the data page: what each series covers, where it comes from, and what is missing."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.core.periods import missing_periods
from analysis.report.display import FREQUENCIES, format_value, name_with_unit
from analysis.report.labels import catalog as label_catalog
from analysis.report.labels import (
    count,
    label,
    period_label,
    period_span,
    series_label,
    text,
    text_n,
)
from analysis.report.words import enumerate_words, unit_words
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
            "Indicator; series": [
                f"{n}; {series_label(s)}" for n, s in zip(data["name"], data["series"], strict=True)
            ],
            "Freq": data["freq"].map(FREQUENCIES).fillna(data["freq"]).tolist(),
            "Geography": [_geography(r) for _, r in data.iterrows()],
            "Period": [
                period_label(a, short=True) if a == b else period_span(a, b)
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

#: A whole number of five or more digits written without thousands separators ('214000'); not
#: part of a longer token (a code, a hash, a decimal, '38/15').
_BARE_THOUSANDS = re.compile(r"(?<![\w.,/-])\d{5,}(?![\w/]|[.,]\d)")


def readable(text: str, catalog: Catalog) -> str:
    """Notes written for maintainers, for readers: each indicator id replaced by the
    indicator's name and each series id by the series' name (longest ids first), numbers
    quoted with more than three decimals rounded to three, and whole numbers of five or more
    digits given thousands separators ('214000' -> '214,000'), as the rest of the site writes them."""
    names = {i: indicator.name for i, indicator in catalog.items()}
    names |= {s: series_label(s) for s in label_catalog()["series"]}
    pattern = re.compile(
        r"(?<![\w-])("
        + "|".join(re.escape(k) for k in sorted(names, key=len, reverse=True))
        + r")(?![\w-])"
    )
    named = pattern.sub(lambda m: names[m.group(1)], text)
    rounded = _LONG_DECIMAL.sub(lambda m: f"{float(m.group(0)):.3f}", named)
    return _BARE_THOUSANDS.sub(lambda m: f"{int(m.group(0)):,}", rounded)


def _topic_order() -> dict[str, int]:
    """Topic keys in the order the text file lists them (section `gap_topics`)."""
    return {key: n for n, key in enumerate(label_catalog()["gap_topics"])}


def known_gaps(package_path: str | Path) -> pd.DataFrame:
    """Known gaps and excluded values recorded in the package (`x-known-gaps`, `x-excluded`),
    gaps first, each kind grouped by topic in the text file's order, with any indicator or
    series id named for readers."""
    descriptor = load_descriptor(Path(package_path))
    catalog = load_catalog(Path(package_path))
    order = _topic_order()
    records = [
        {
            "Kind": label("gap_kinds", kind),
            "Topic": label("gap_topics", g["topic"]),
            "What": readable(g["text"], catalog),
            "_order": (rank, order[g["topic"]], n),
        }
        for rank, (kind, key) in enumerate([("gap", "x-known-gaps"), ("excluded", "x-excluded")])
        for n, g in enumerate(descriptor.get(key, []))
    ]
    frame = pd.DataFrame(records, columns=["Kind", "Topic", "What", "_order"])
    return frame.sort_values("_order", kind="stable").drop(columns="_order").reset_index(drop=True)


def _held(tidy: pd.DataFrame, check: dict) -> pd.DataFrame:
    """The rows of `tidy` a gap check is about: its indicator, and its series, frequency and
    geography when the check names them (national by default; 'states' for the 32 states)."""
    rows = tidy[(tidy["indicator_id"] == check["indicator"]) & tidy["value"].notna()]
    if "series" in check:
        series = check["series"]
        rows = rows[rows["series"].isin([series] if isinstance(series, str) else series)]
    if "freq" in check:
        rows = rows[rows["freq"] == check["freq"]]
    geo = check.get("geo", NATIONAL)
    return rows[rows["geo"].isin(STATE_CODES)] if geo == "states" else rows[rows["geo"] == geo]


def check_failures(check: dict, tidy: pd.DataFrame) -> list[str]:
    """What the snapshot holds against one gap check, in words ([] when the check holds).
    National or one geography: `only` lists every period with a value, `absent` periods with
    none. States: `complete` periods have all 32 states, `partial` some, `absent` none."""
    rows = _held(tidy, check)
    where = check["indicator"] + "".join(
        f" {key}={check[key]}" for key in ("series", "freq", "geo") if key in check
    )
    failures = []
    if check.get("geo") == "states":
        states = rows.groupby("period")["geo"].nunique()
        tests = {
            "complete": lambda n: n == len(STATE_CODES),
            "partial": lambda n: 0 < n < len(STATE_CODES),
            "absent": lambda n: n == 0,
        }
        for kind, holds in tests.items():
            failures += [
                f"{where}: {p} has {int(states.get(p, 0))} states, not {kind}"
                for p in check.get(kind, [])
                if not holds(int(states.get(p, 0)))
            ]
        return failures
    held = set(rows["period"])
    if "only" in check and held != set(check["only"]):
        extra, lacking = sorted(held - set(check["only"])), sorted(set(check["only"]) - held)
        failures.append(
            f"{where}: the note says only {check['only']}; the snapshot also holds "
            f"{extra} and lacks {lacking}"
        )
    if present := sorted(held & set(check.get("absent", []))):
        failures.append(f"{where}: the note says these are missing, the snapshot holds {present}")
    return failures


def gap_contradictions(package_path: str | Path, tidy: pd.DataFrame) -> list[str]:
    """Every statement of a known gap (its `checks` in `x-known-gaps`) that the snapshot
    contradicts, with the gap's opening words: a gap that no longer exists must not be listed."""
    descriptor = load_descriptor(Path(package_path))
    catalog = load_catalog(Path(package_path))
    found = []
    for gap in descriptor.get("x-known-gaps", []):
        for check in gap.get("checks", []):
            if check["indicator"] not in catalog:
                found.append(f"{gap['text'][:60]}: {check['indicator']} is not in the map")
                continue
            found += [f"{gap['text'][:60]}: {f}" for f in check_failures(check, tidy)]
    return found


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


#: Indicators the map pairs with a concept that are another definition of it, not a second source
#: for it (the $2.15 line at 2017 prices beside the $3.00 line at 2021 prices): their difference
#: is one of definition, not of source, so they are not compared as two copies of one measure.
OTHER_DEFINITIONS = frozenset({"poverty_headcount_215_2017ppp"})


def _national_annual(tidy: pd.DataFrame, indicator: str, series: str) -> pd.Series:
    """One indicator-series' national annual values by period (str)."""
    rows = tidy[
        (tidy["geo"] == NATIONAL)
        & (tidy["freq"] == "A")
        & (tidy["indicator_id"] == indicator)
        & (tidy["series"] == series)
    ]
    return rows.set_index("period")["value"]


def overlap_data(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """Where two sources measure the same thing (one indicator names the other as its concept,
    in the same unit, from another series, and is not another definition of it): both national
    annual series over their common years, the latest values, the largest difference, and
    whether each carries a verdict (a direction in the map) and why; one row per pair."""
    rows = []
    for indicator in sorted(catalog.values(), key=lambda i: i.id):
        head = catalog.get(indicator.concept) if indicator.concept else None
        if head is None or head.unit != indicator.unit or indicator.id in OTHER_DEFINITIONS:
            continue
        if head.headline_series == indicator.headline_series:
            continue
        ours = _national_annual(tidy, indicator.id, indicator.headline_series)
        theirs = _national_annual(tidy, head.id, head.headline_series)
        common = sorted(set(ours.index) & set(theirs.index))
        if not common:
            continue
        gaps = (ours[common] - theirs[common]).abs()
        rows.append(
            {
                "measure": head.name,
                "unit": head.unit,
                "change_unit": change_unit(head),
                "indicator_used": head.id,
                "indicator_other": indicator.id,
                "series_used": head.headline_series,
                "series_other": indicator.headline_series,
                "assessed": head.direction != 0,
                "other_assessed": indicator.direction != 0,
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


def years_in_both(first: str, last: str, n: int) -> str:
    """The common years of two annual series in words: '2019', '2000-2021' when every year in
    between is common, '3 years in 2013-2023' when not."""
    if n == 1:
        return str(first)
    if n == int(last) - int(first) + 1:
        return f"{first}-{last}"
    return text("datapage.years_in_both", years=count(n, "A"), first=first, last=last)


def source_overlaps(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The overlaps in numbers: the measure with its unit, the common years, the headline and the
    second series' values in the latest common year and the largest difference, in the unit's
    precision."""
    data = overlap_data(tidy, catalog)
    if data.empty:
        return pd.DataFrame(columns=OVERLAP_COLUMNS)

    def shown(column: str) -> list[str]:
        return [
            format_value(v, c, u)
            for v, c, u in zip(data[column], data["change_unit"], data["unit"], strict=True)
        ]

    return pd.DataFrame(
        {
            "Measure; unit": [
                name_with_unit(m, u) for m, u in zip(data["measure"], data["unit"], strict=True)
            ],
            "Years in both": [
                years_in_both(a, b, n)
                for a, b, n in zip(
                    data["first_common"], data["last_common"], data["n_common"], strict=True
                )
            ],
            "Latest common": data["last_common"].tolist(),
            "Headline": shown("value_used"),
            "Second": shown("value_other"),
            "Largest difference (year)": [
                f"{v} ({y})"
                for v, y in zip(
                    shown("largest_difference"), data["largest_difference_year"], strict=True
                )
            ],
        }
    )


OVERLAP_COLUMNS = [
    "Measure; unit",
    "Years in both",
    "Latest common",
    "Headline",
    "Second",
    "Largest difference (year)",
]


def verdict_words(assessed: bool, other_assessed: bool) -> str:
    """Which of two series of one measure carry a verdict, in words (section `datapage`)."""
    key = {
        (True, True): "verdicts_both",
        (True, False): "verdicts_headline",
        (False, True): "verdicts_second",
        (False, False): "verdicts_neither",
    }[(bool(assessed), bool(other_assessed))]
    return label("datapage", key)


def overlap_series(tidy: pd.DataFrame, catalog: Catalog) -> pd.DataFrame:
    """The overlaps in words: the headline and the second series, which of them carry a verdict
    (each series the map gives a direction; none for a context measure), and why, from the map."""
    data = overlap_data(tidy, catalog)
    return pd.DataFrame(
        {
            "Measure": data.get("measure", pd.Series(dtype=str)).tolist(),
            "Headline series": [series_label(s) for s in data.get("series_used", [])],
            "Second series": [
                f"{catalog[i].name}; {series_label(s)}"
                for i, s in zip(
                    data.get("indicator_other", []), data.get("series_other", []), strict=True
                )
            ],
            "Verdicts": [
                verdict_words(a, b)
                for a, b in zip(
                    data.get("assessed", []), data.get("other_assessed", []), strict=True
                )
            ],
            "Why": [readable(w, catalog) for w in data.get("why", [])],
        }
    )


def overlap_intro(data: pd.DataFrame, catalog: Catalog) -> str:
    """The paragraph above the overlap tables: both series kept, which second series carry a
    verdict of their own (and that the measure still counts once), and which pairs the map
    records as another definition rather than a second source, so they are not compared."""
    both = data[data["assessed"] & data["other_assessed"]] if not data.empty else data
    if both.empty:
        verdicts = text("datapage.overlaps_verdicts_headline")
    else:
        verdicts = text(
            "datapage.overlaps_verdicts_both",
            names=enumerate_words([catalog[i].name for i in both["indicator_other"]]),
        )
    definitions = [
        text(
            "datapage.overlaps_definition",
            other=catalog[i].name,
            head=catalog[catalog[i].concept].name,
        )
        for i in sorted(OTHER_DEFINITIONS)
        if i in catalog and catalog[i].concept in catalog
    ]
    return " ".join([text("datapage.overlaps_intro"), verdicts, *definitions])


def _difference_unit(row: pd.Series) -> str:
    """The unit a difference between two values of a measure is read in: percentage points for
    shares, the measure's own unit otherwise ('persons', 'per 100,000 inhabitants')."""
    return unit_words(row["change_unit"]) if row["change_unit"] != "percent" else row["unit"]


def dating_note(tidy: pd.DataFrame, row: pd.Series) -> str | None:
    """One pair of `overlap_data` whose largest difference is one of dating, not of value: in
    that year the second series still repeats its value of the year before and moves, a year
    later, to within a quarter of that difference of the headline's value. The sentence with its
    numbers, or None for a pair whose difference is not of that kind."""
    year = int(row["largest_difference_year"])
    head = _national_annual(tidy, row["indicator_used"], row["series_used"])
    other = _national_annual(tidy, row["indicator_other"], row["series_other"])
    before, after, now = str(year - 1), str(year + 1), str(year)
    if before not in other.index or after not in other.index:
        return None
    difference = abs(other[now] - head[now])
    if other[now] != other[before] or abs(other[after] - head[now]) >= difference / 4:
        return None

    def shown(value: float) -> str:
        return format_value(value, row["change_unit"], row["unit"])

    return text(
        "datapage.overlap_dating",
        measure=row["measure"],
        year=now,
        difference=f"{shown(difference)} {_difference_unit(row)}",
        other=series_label(row["series_other"]),
        other_value=shown(other[now]),
        previous=before,
        other_next=shown(other[after]),
        next=after,
        head=series_label(row["series_used"]),
        head_value=shown(head[now]),
    )


def dating_notes(tidy: pd.DataFrame, data: pd.DataFrame) -> list[str]:
    """`dating_note` for every pair of `overlap_data` it applies to."""
    notes = [dating_note(tidy, row) for _, row in data.iterrows()]
    return [n for n in notes if n]
