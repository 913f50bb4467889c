"""What the UN reports said, beside what the snapshot gives: the published-figures comparison."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.catalog import NATIONAL, Catalog

#: Differences up to half a unit of the last published decimal are rounding, not revisions.
COLUMNS = [
    "figure_id",
    "report",
    "section",
    "statement",
    "value",
    "unit",
    "period",
    "period_freq",
    "geo",
    "source_cited",
    "indicator_hint",
]


def read_published(path: str | Path) -> pd.DataFrame:
    """The published-figures table of the UN reports (text columns kept as text)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    return frame


def _decimals(text: str) -> int:
    return len(text.split(".")[1]) if "." in text else 0


def _pick(candidates: pd.DataFrame, headline: str) -> pd.Series | None:
    if candidates.empty:
        return None
    preferred = candidates[candidates["series"] == headline]
    return (preferred if not preferred.empty else candidates.sort_values("series")).iloc[0]


def compare_published(
    published: pd.DataFrame,
    tidy: pd.DataFrame,
    catalog: Catalog,
    raw_values: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per published figure: the snapshot's value for the same indicator, geography and
    period (the indicator's headline series first), the difference, and a first classification.

    `raw_values` (the published values as text, by figure_id) sets the rounding tolerance.
    """
    rows = []
    for _, figure in published.iterrows():
        hint, period = figure["indicator_hint"], figure["period"]
        geo = NATIONAL if figure["geo"] in {"MEX", ""} else figure["geo"]
        match = None
        if hint:
            candidates = tidy[
                (tidy["indicator_id"] == hint) & (tidy["geo"] == geo) & (tidy["period"] == period)
            ]
            headline = catalog[hint].headline_series if hint in catalog else ""
            match = _pick(candidates, headline)
        text_value = (
            raw_values[figure["figure_id"]] if raw_values is not None else str(figure["value"])
        )
        tolerance = 0.5 * 10 ** (-_decimals(text_value)) + 1e-9
        if match is None:
            status = "not in snapshot" if hint else "no matching indicator"
            data_value = difference = None
            series = vintage = ""
        else:
            data_value = float(match["value"])
            difference = data_value - float(figure["value"])
            series, vintage = match["series"], match["vintage"]
            status = "matches" if abs(difference) <= tolerance else "differs"
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "report": figure["report"],
                "section": figure["section"],
                "statement": figure["statement"],
                "period": period,
                "published": float(figure["value"]),
                "unit": figure["unit"],
                "indicator_id": hint,
                "snapshot": data_value,
                "difference": difference,
                "series": series,
                "vintage": vintage,
                "status": status,
            }
        )
    return pd.DataFrame(rows)
