"""What changed between releases of the same series: new periods and revised values.

Pairs of releases come from two places in datapackage.json: resources written by `make fetch`
(x-provenance.refreshes names the resource they refresh) and the package's `x-vintage-chains`
(older to newer series of one indicator, for releases embedded in the snapshot).

A release may quote only some periods (COMAR's releases are quoted for a few years each), so a
period the release just before leaves out is compared with the latest earlier release of the
chain that gives it: 'new period' means that no earlier release gave it.
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.report.display import trim_zeros
from analysis.report.labels import count, period_label, series_label, text, text_n
from analysis.snapshot.catalog import NATIONAL, Catalog, change_unit
from analysis.snapshot.validate import load_descriptor

#: Differences smaller than this are rounding, not revisions.
TOLERANCE = 1e-9


def release_pairs(package_path: str | Path) -> list[dict[str, Any]]:
    """Consecutive (indicator, older series, newer series) pairs to compare, each with the
    releases of its chain before the older one (`earlier`, oldest first)."""
    descriptor = load_descriptor(Path(package_path))
    pairs = []
    for chain in descriptor.get("x-vintage-chains", []):
        series = chain["series"]
        pairs += [
            {
                "indicator_id": chain["indicator_id"],
                "old": a,
                "new": b,
                "note": chain.get("note", ""),
                "earlier": tuple(series[:number]),
            }
            for number, (a, b) in enumerate(pairwise(series))
        ]
    by_name = {r["name"]: r for r in descriptor["resources"]}
    for resource in descriptor["resources"]:
        refreshed = resource.get("x-provenance", {}).get("refreshes")
        if refreshed in by_name and "x-clean" in resource:
            old, new = by_name[refreshed]["x-clean"], resource["x-clean"]
            for indicator in _indicators_of(new):
                pairs.append(
                    {
                        "indicator_id": indicator,
                        "old": old["series"],
                        "new": new["series"],
                        "note": "online refresh",
                        "earlier": (),
                    }
                )
    return pairs


def _indicators_of(clean: dict[str, Any]) -> list[str]:
    if "indicators" in clean:
        return sorted(set(clean["indicators"].values()))
    if "columns" in clean:
        return sorted(set(clean["columns"].values()))
    if "rows" in clean:
        return sorted(set(clean["rows"].values()))
    return [clean["indicator"]]


def compare_releases(
    tidy: pd.DataFrame,
    indicator_id: str,
    old: str,
    new: str,
    geo: str = NATIONAL,
    earlier: tuple[str, ...] = (),
) -> pd.DataFrame:
    """Period by period: new, revised, unchanged or dropped, with old and new values, the
    revision and the release the older value comes from (`against`): `old`, or for a period `old`
    leaves out the latest of the `earlier` releases (oldest first) that gives it."""
    rows = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["geo"] == geo)]

    def values(series: str) -> pd.Series:
        return rows[rows["series"] == series].dropna(subset=["value"]).set_index("period")["value"]

    after = values(new)
    releases = [(series, values(series)) for series in (*earlier, old)]
    before = releases[-1][1]
    periods = sorted(set(before.index) | set(after.index))
    records = []
    for period in periods:
        b = after.get(period)
        # The newest release before `new` that gives the period: `old`, else an earlier one.
        source, a = next(
            ((series, v[period]) for series, v in reversed(releases) if period in v.index),
            (None, None),
        )
        if b is not None and source is None:
            status = "new period"
        elif b is None:
            status = "not in the newer release"
        elif abs(b - a) > TOLERANCE:
            status = "revised"
        else:
            status = "unchanged"
        records.append(
            {
                "period": period,
                "status": status,
                "older": a,
                "newer": b,
                "revision": None if a is None or b is None else b - a,
                "against": source,
            }
        )
    return pd.DataFrame(
        records, columns=["period", "status", "older", "newer", "revision", "against"]
    )


def _compare(tidy: pd.DataFrame, pair: dict[str, Any]) -> pd.DataFrame:
    """`compare_releases` for one release pair."""
    return compare_releases(
        tidy, pair["indicator_id"], pair["old"], pair["new"], earlier=pair.get("earlier", ())
    )


def change_summary(tidy: pd.DataFrame, pairs: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per release pair: counts of new, revised and unchanged periods and the largest revision."""
    rows = []
    for pair in pairs:
        changes = _compare(tidy, pair)
        revised = changes[changes["status"] == "revised"]
        largest = revised.loc[revised["revision"].abs().idxmax()] if not revised.empty else None
        rows.append(
            {
                "indicator_id": pair["indicator_id"],
                "older release": pair["old"],
                "newer release": pair["new"],
                "new periods": int((changes["status"] == "new period").sum()),
                "revised": len(revised),
                "unchanged": int((changes["status"] == "unchanged").sum()),
                "compared with an earlier release": _against_earlier(changes, pair),
                "largest revision": ""
                if largest is None
                else f"{largest['revision']:+,.3g} ({largest['period']})",
                "note": pair["note"],
            }
        )
    return pd.DataFrame(rows)


def _against_earlier(changes: pd.DataFrame, pair: dict[str, Any]) -> int:
    """Periods of the newer release compared with a release before the older one (which
    leaves them out)."""
    return int((changes["against"].notna() & (changes["against"] != pair["old"])).sum())


def pair_name(pair: dict[str, Any], catalog: Catalog) -> str:
    """'Real GDP growth: World Bank WDI, as of January 2021 → World Bank WDI': the indicator and
    both releases by name, so that the pairs of one chain can be told apart."""
    releases = {"old": series_label(pair["old"]), "new": series_label(pair["new"])}
    if pair["indicator_id"] in catalog:
        indicator = catalog[pair["indicator_id"]].name
        return text("changes.pair_name", indicator=indicator, **releases)
    return text("changes.pair_name_plain", **releases)


def _change_words(change: pd.Series, pair: dict[str, Any]) -> str:
    """'revised', or 'revised (older value: <release>)' when the older value comes from a
    release before the pair's older one."""
    against = change["against"]
    if against is None or pd.isna(against) or against == pair["old"]:
        return str(change["status"])
    return text("changes.status_against", status=change["status"], release=series_label(against))


def _unit_of(pair: dict[str, Any], catalog: Catalog) -> str:
    indicator = catalog.get(pair["indicator_id"])
    return change_unit(indicator) if indicator is not None else "percent"


def pair_decimals(changes: pd.DataFrame, unit: str) -> int:
    """One precision for a release pair's values and revisions: two decimals for rates in % and
    for indices (revisions of a rate are often a few hundredths), one for rates per N people,
    levels and counts whole when the pair's values reach 100, else one."""
    if unit in ("percentage points", "points"):
        return 2
    if unit != "percent":
        return 1
    values = pd.concat([changes["older"], changes["newer"]]).dropna().abs()
    return 0 if not values.empty and values.max() >= 100 else 1


def _number(value: object, decimals: int, signed: bool = False) -> str:
    """A value or revision at the pair's precision; a revision too small to show at it reads
    '<0.01' (never '+0.00'), a whole value as an integer."""
    if value is None or pd.isna(value):
        return ""
    shown = f"{float(value):{'+' if signed else ''},.{decimals}f}"
    if signed and decimals and float(shown) == 0:
        return "<" + f"{10**-decimals:.{decimals}f}"
    return trim_zeros(shown)


def release_table(
    tidy: pd.DataFrame, pairs: list[dict[str, Any]], catalog: Catalog
) -> pd.DataFrame:
    """The page's summary of release pairs: the indicator and releases in words, periods added,
    values revised and unchanged, and the largest revision with its period, in the unit's
    precision (`change_summary` is the data)."""
    rows = []
    for pair in pairs:
        unit = _unit_of(pair, catalog)
        changes = _compare(tidy, pair)
        revised = changes[changes["status"] == "revised"]
        largest = revised.loc[revised["revision"].abs().idxmax()] if not revised.empty else None
        places = pair_decimals(changes, unit)
        rows.append(
            {
                "Indicator: releases": pair_name(pair, catalog),
                "New": str(int((changes["status"] == "new period").sum())),
                "Revised": str(len(revised)),
                "Unchanged": str(int((changes["status"] == "unchanged").sum())),
                "Largest revision": ""
                if largest is None
                else f"{_number(largest['revision'], places, signed=True)} "
                f"({period_label(largest['period'], short=True)})",
            }
        )
    return pd.DataFrame(rows)


def revisions_data(tidy: pd.DataFrame, pairs: list[dict[str, Any]]) -> pd.DataFrame:
    """Every period added or revised between consecutive releases, with ids, for the CSV."""
    frames = [
        _compare(tidy, pair).assign(
            indicator_id=pair["indicator_id"], older_release=pair["old"], newer_release=pair["new"]
        )
        for pair in pairs
    ]
    if not frames:
        return pd.DataFrame()
    data = pd.concat(frames, ignore_index=True)
    return data[data["status"].isin(["revised", "new period"])].reset_index(drop=True)


def revisions_table(
    tidy: pd.DataFrame, pairs: list[dict[str, Any]], catalog: Catalog
) -> pd.DataFrame:
    """Every period added or revised, one table for all pairs: the pair named on its first row
    only (so the eye finds where each begins), the period, what changed, both values and the
    revision in the unit's precision; a period the older release leaves out names the earlier
    release its older value comes from."""
    rows = []
    for pair in pairs:
        unit = _unit_of(pair, catalog)
        changes = _compare(tidy, pair)
        places = pair_decimals(changes, unit)
        shown = changes[changes["status"].isin(["revised", "new period"])]
        for number, (_, change) in enumerate(shown.iterrows()):
            rows.append(
                {
                    "Indicator: releases": pair_name(pair, catalog) if number == 0 else "",
                    "Period": period_label(change["period"], short=True),
                    "Change": _change_words(change, pair),
                    "Older": _number(change["older"], places),
                    "Newer": _number(change["newer"], places),
                    "Revision": _number(change["revision"], places, signed=True),
                }
            )
    return pd.DataFrame(
        rows, columns=["Indicator: releases", "Period", "Change", "Older", "Newer", "Revision"]
    )


def changes_sentence(pairs: list[dict[str, Any]], summary: pd.DataFrame) -> str:
    """How many release pairs and indicators the snapshot holds, values revised, periods added."""
    revised, added = int(summary["revised"].sum()), int(summary["new periods"].sum())
    return text(
        "changes.summary",
        pairs=count(len(pairs), "release_pair"),
        indicators=count(summary["indicator_id"].nunique(), "indicator"),
        revised=text_n("changes.revised", revised),
        added=text_n("changes.added", added),
    )


def earlier_sentence(summary: pd.DataFrame) -> str:
    """Why a period can be compared with a release other than the one just before (some releases
    quote only some periods), with how many are; empty when none is."""
    n = int(summary["compared with an earlier release"].sum()) if not summary.empty else 0
    return text_n("changes.earlier", n) if n else ""
