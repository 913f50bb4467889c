"""What changed between releases of the same series: new periods and revised values.

Pairs of releases come from two places in datapackage.json: resources written by `make fetch`
(x-provenance.refreshes names the resource they refresh) and the package's `x-vintage-chains`
(older to newer series of one indicator, for releases embedded in the snapshot).
"""

from __future__ import annotations

from itertools import pairwise
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.report.labels import count, series_label, text, text_n
from analysis.snapshot.catalog import NATIONAL, Catalog
from analysis.snapshot.validate import load_descriptor

#: Differences smaller than this are rounding, not revisions.
TOLERANCE = 1e-9


def release_pairs(package_path: str | Path) -> list[dict[str, Any]]:
    """Consecutive (indicator, older series, newer series) pairs to compare."""
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
            }
            for a, b in pairwise(series)
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
    tidy: pd.DataFrame, indicator_id: str, old: str, new: str, geo: str = NATIONAL
) -> pd.DataFrame:
    """Period by period: new, revised, unchanged or dropped, with old and new values and the revision."""
    rows = tidy[(tidy["indicator_id"] == indicator_id) & (tidy["geo"] == geo)]
    before = rows[rows["series"] == old].set_index("period")["value"]
    after = rows[rows["series"] == new].set_index("period")["value"]
    periods = sorted(set(before.index) | set(after.index))
    records = []
    for period in periods:
        a, b = before.get(period), after.get(period)
        if a is None:
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
            }
        )
    return pd.DataFrame(records, columns=["period", "status", "older", "newer", "revision"])


def change_summary(tidy: pd.DataFrame, pairs: list[dict[str, Any]]) -> pd.DataFrame:
    """One row per release pair: counts of new, revised and unchanged periods and the largest revision."""
    rows = []
    for pair in pairs:
        changes = compare_releases(tidy, pair["indicator_id"], pair["old"], pair["new"])
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
                "largest revision": ""
                if largest is None
                else f"{largest['revision']:+,.3g} ({largest['period']})",
                "note": pair["note"],
            }
        )
    return pd.DataFrame(rows)


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


def pair_heading(pair: dict[str, Any], catalog: Catalog) -> str:
    """A release pair's heading with display names: '**Real GDP growth**: World Bank WDI, as of
    January 2021 → World Bank WDI (the note)'."""
    fields = {
        "indicator": catalog[pair["indicator_id"]].name,
        "old": series_label(pair["old"]),
        "new": series_label(pair["new"]),
    }
    if pair.get("note"):
        return text("changes.pair_heading", note=pair["note"], **fields)
    return text("changes.pair_heading_plain", **fields)
