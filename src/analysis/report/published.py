"""What the UN reports said, beside what the snapshot gives: the published-figures comparison."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.report.words import enumerate_words
from analysis.snapshot.catalog import NATIONAL, Catalog

#: Status of a published figure that no indicator of the map measures.
NO_MATCH = "no matching indicator"


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


def _report_year(report: str) -> str:
    digits = "".join(ch for ch in report if ch.isdigit())
    return digits[:4]


def explain(
    status: str, figure: pd.Series, match: pd.Series | None, other: pd.Series | None
) -> str:
    """Why the published figure and the snapshot agree or differ, from what the data record says."""
    if status == "matches":
        return "same value, within the rounding of the published figure"
    if status == "matches another series":
        return (
            f"the report's figure is the {other['series']} series (release {other['vintage']}); "
            f"the snapshot's headline series {match['series']} gives {match['value']:,.6g}"
        )
    if status == "differs":
        if str(match["vintage"])[:4] > _report_year(figure["report"]):
            return (
                f"revision or later vintage: the snapshot holds the {match['vintage']} release of "
                f"{match['series']}, published after the report"
            )
        cited = figure.get("source_cited") or "not stated"
        return f"different source or definition: the report cites {cited}; the snapshot uses {match['series']}"
    if status == "not in snapshot":
        return f"the snapshot has no value of {figure['indicator_hint']} for {figure['period']}"
    return "no indicator in the map measures this figure"


def compare_published(
    published: pd.DataFrame,
    tidy: pd.DataFrame,
    catalog: Catalog,
    raw_values: pd.Series | None = None,
) -> pd.DataFrame:
    """One row per published figure: the snapshot's value for the same indicator, geography and
    period (the indicator's headline series first), the difference, a classification and a reason.

    `raw_values` (the published values as text, by figure_id) sets the rounding tolerance; a figure
    that differs from the headline series but equals another series is reported as such.
    """
    rows = []
    for _, figure in published.iterrows():
        hint, period = figure["indicator_hint"], figure["period"]
        geo = NATIONAL if figure["geo"] in {"MEX", ""} else figure["geo"]
        candidates = tidy.iloc[0:0]
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
        published_value = float(figure["value"])
        other = None
        if match is None:
            status = "not in snapshot" if hint else "no matching indicator"
        elif abs(float(match["value"]) - published_value) <= tolerance:
            status = "matches"
        else:
            close = candidates[(candidates["value"] - published_value).abs() <= tolerance]
            other = close.iloc[0] if not close.empty else None
            status = "matches another series" if other is not None else "differs"
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "report": figure["report"],
                "section": figure["section"],
                "statement": figure["statement"],
                "period": period,
                "published": published_value,
                "unit": figure["unit"],
                "indicator_id": hint,
                "snapshot": float(match["value"]) if match is not None else None,
                "difference": float(match["value"]) - published_value
                if match is not None
                else None,
                "series": match["series"] if match is not None else "",
                "vintage": match["vintage"] if match is not None else "",
                "status": status,
                "why": explain(status, figure, match, other),
            }
        )
    return pd.DataFrame(rows)


def published_text(path: str | Path = paths.PUBLISHED_FIGURES) -> pd.Series:
    """Each figure's value as the report printed it (text, by figure_id), for its decimals."""
    return pd.read_csv(path, dtype=str).set_index("figure_id")["value"]


def published_summary(comparison: pd.DataFrame) -> str:
    """How many figures the reports state, how many concern a mapped indicator, by status."""
    counts = comparison["status"].value_counts()
    compared = comparison[comparison["status"] != NO_MATCH]
    return (
        f"The two reports state {len(comparison)} figures about Mexico. {len(compared)} of them "
        "concern an indicator in the map: "
        + enumerate_words([f"{n} {s}" for s, n in counts.items() if s != NO_MATCH])
        + f". The remaining {counts.get(NO_MATCH, 0)} (census, debt, human development and other "
        "context figures) are listed at the end without a comparison."
    )


def _report_names(frame: pd.DataFrame) -> pd.DataFrame:
    return frame.assign(report=frame["report"].str.replace("results_report_", "Report "))


def compared_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The figures with a matching indicator, as the page shows them."""
    compared = comparison[comparison["status"] != NO_MATCH]
    columns = ["report", "statement", "period", "published", "unit", "snapshot", "difference"]
    return _report_names(compared[[*columns, "series", "status", "why"]].copy())


def other_figures(published: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """The figures no mapped indicator measures, with the source each report credits."""
    unmatched = comparison.loc[comparison["status"] == NO_MATCH, "figure_id"]
    others = _report_names(published[published["figure_id"].isin(unmatched)])
    return others[["report", "section", "statement", "value", "unit", "period", "source_cited"]]
