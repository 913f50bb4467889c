"""What the UN reports said, beside what the snapshot gives: the published-figures comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.report.labels import label as _label
from analysis.report.labels import noun, period_label, series_label, text, text_n
from analysis.report.words import enumerate_words, lower_first
from analysis.snapshot.catalog import NATIONAL, Catalog

#: Status of a published figure that no indicator of the map measures.
NO_MATCH = "no matching indicator"


def read_published(path: str | Path) -> pd.DataFrame:
    """The published-figures table of the UN reports (text columns kept as text)."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False)
    frame["value"] = frame["value"].astype(float)
    return frame


def rounding_tolerance(text: str) -> float:
    """Half a unit of the last digit a published figure shows: '41.9' -> 0.05; an integer's
    trailing zeros count as rounding ('753000', published as 'nearly 753,000' -> 500)."""
    text = text.strip()
    if "." in text:
        return 0.5 * 10 ** -len(text.split(".")[1]) + 1e-9
    zeros = len(text) - len(text.rstrip("0")) if text.strip("0") else 0
    return 0.5 * 10**zeros + 1e-9


def _pick(candidates: pd.DataFrame, headline: str) -> pd.Series | None:
    if candidates.empty:
        return None
    preferred = candidates[candidates["series"] == headline]
    return (preferred if not preferred.empty else candidates.sort_values("series")).iloc[0]


def _report_year(report: str) -> str:
    digits = "".join(ch for ch in report if ch.isdigit())
    return digits[:4]


def _year_of(vintage: object) -> str:
    """The first four-digit year in a vintage label ('2023-08-10', 'data cut June 2025 (...)')."""
    match = re.search(r"(19|20)\d{2}", str(vintage))
    return match.group(0) if match else ""


def _where(geo: str, names: dict[str, str]) -> str:
    if geo == NATIONAL:
        return _label("published", "nationally")
    return text("published.for_state", state=names.get(geo, geo))


def _held(rows: pd.DataFrame) -> str:
    held = sorted(rows["period"].unique())
    if not held:
        return ""
    more = _label("published", "more") if len(held) > 8 else ""
    return text("published.held", periods=", ".join(period_label(p) for p in held[:8]) + more)


def explain(
    status: str,
    figure: pd.Series,
    match: pd.Series | None,
    other: pd.Series | None,
    *,
    series_rows: pd.DataFrame | None = None,
    geo: str = NATIONAL,
    names: dict[str, str] | None = None,
    label: str = "",
) -> str:
    """Why the published figure and the snapshot agree or differ, from what the snapshot records:
    which series, which geography, which release. `series_rows` are the snapshot's rows of the
    figure's indicator and geography (every series and period); `label` is the indicator's name
    as a sentence writes it (without it, a figure not in the snapshot gets a wording that names
    no indicator)."""
    names = names or {}
    rows = (
        series_rows
        if series_rows is not None
        else pd.DataFrame(columns=["series", "period", "vintage"])
    )
    if status == "matches":
        return text(
            "published.matches", series=series_label(match["series"]), vintage=match["vintage"]
        )
    if status == "matches another series":
        return text(
            "published.matches_other",
            other=series_label(other["series"]),
            other_vintage=other["vintage"],
            series=series_label(match["series"]),
            value=f"{match['value']:,.6g}",
        )
    if status == "differs":
        report_year = _report_year(figure["report"])
        own = rows[rows["series"] == match["series"]]
        first_release = min((_year_of(v) for v in own["vintage"] if _year_of(v)), default="")
        if first_release and report_year and report_year < first_release:
            sentence = text(
                "published.predates",
                series=series_label(match["series"]),
                first_release=first_release,
            )
            others = rows[(rows["series"] != match["series"])]
            if not others.empty:
                series = sorted(others["series"].unique())
                periods = sorted(others.loc[others["series"] == series[0], "period"].unique())
                sentence += text(
                    "published.predates_earlier",
                    earlier=series_label(series[0]),
                    periods=enumerate_words([period_label(p) for p in periods]),
                    period=period_label(figure["period"]),
                )
            return sentence
        if _year_of(match["vintage"]) > report_year:
            return text(
                "published.released_after",
                series=series_label(match["series"]),
                vintage=match["vintage"],
            )
        cited = figure.get("source_cited")
        if not cited or pd.isna(cited):
            return text("published.other_source_uncited", series=series_label(match["series"]))
        return text("published.other_source", cited=cited, series=series_label(match["series"]))
    if status == "not in snapshot":
        if not label:
            return _label("published", "unmapped")
        key = "published.not_in_snapshot" if figure["period"] else "published.no_year"
        return text(
            key,
            period=period_label(figure["period"]),
            what=label,
            where=_where(geo, names),
            held_clause=_held(rows),
        )
    return _label("published", "no_match")


def compare_published(
    published: pd.DataFrame,
    tidy: pd.DataFrame,
    catalog: Catalog,
    raw_values: pd.Series | None = None,
    states: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure: the snapshot's value for the same indicator, geography and
    period (the indicator's headline series first), the difference, a classification and a reason.

    `raw_values` (the published values as text, by figure_id) sets the rounding tolerance; a figure
    that differs from the headline series but equals another series is reported as such. `states`
    (INEGI's state catalogue: CVE_ENT, NOM_ENT) turns state names in the table into codes.
    """
    codes, names = {}, {}
    if states is not None:
        codes = dict(zip(states["NOM_ENT"], states["CVE_ENT"], strict=True))
        names = dict(zip(states["CVE_ENT"], states["NOM_ENT"], strict=True))
    rows = []
    for _, figure in published.iterrows():
        hint, period = figure["indicator_hint"], figure["period"]
        geo = NATIONAL if figure["geo"] in {"MEX", ""} else codes.get(figure["geo"], figure["geo"])
        series_rows = (
            tidy[(tidy["indicator_id"] == hint) & (tidy["geo"] == geo)] if hint else tidy.iloc[0:0]
        )
        candidates = series_rows[series_rows["period"] == period]
        headline = catalog[hint].headline_series if hint in catalog else ""
        match = _pick(candidates, headline)
        text_value = (
            raw_values[figure["figure_id"]] if raw_values is not None else str(figure["value"])
        )
        tolerance = rounding_tolerance(text_value)
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
                "why": explain(
                    status,
                    figure,
                    match,
                    other,
                    series_rows=series_rows,
                    geo=geo,
                    names=names,
                    label=lower_first(catalog[hint].name) if hint in catalog else "",
                ),
            }
        )
    return pd.DataFrame(rows)


def published_text(path: str | Path = paths.PUBLISHED_FIGURES) -> pd.Series:
    """Each figure's value as the report printed it (text, by figure_id), for its decimals."""
    return pd.read_csv(path, dtype=str).set_index("figure_id")["value"]


def _status_count(n: int, status: str) -> str:
    return f"{n:,} {noun(n, status, 'published_statuses')}"


def published_summary(comparison: pd.DataFrame) -> str:
    """How many figures the reports state, how many concern a mapped indicator, by status."""
    counts = comparison["status"].value_counts()
    compared = comparison[comparison["status"] != NO_MATCH]
    rest = int(counts.get(NO_MATCH, 0))
    years = sorted({_report_year(r) for r in comparison["report"] if _report_year(r)})
    parts = [_status_count(int(n), s) for s, n in counts.items() if s != NO_MATCH]
    compared_clause = (
        text_n("published.summary_compared", len(compared), counts=enumerate_words(parts))
        if len(compared)
        else _label("published", "summary_none_compared")
    )
    return text(
        "published.summary",
        years=enumerate_words(years),
        figures=f"{len(comparison):,} {noun(len(comparison), 'figure')}",
        compared_clause=compared_clause,
        rest_clause=" " + text_n("published.summary_rest", rest) if rest else "",
    )


def _printed(value: object) -> str:
    """A published figure as a report prints it: whole numbers without decimals, others with
    the decimals the value carries ('52.4'), thousands separators."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    if number.is_integer():
        return f"{int(number):,}"
    decimals = len(repr(number).split(".")[1]) if "e" not in repr(number) else 2
    return f"{number:,.{min(decimals, 2)}f}"


def _snapshot_value(value: object, published: object) -> str:
    """The snapshot's value to at least the published figure's decimals and at least one
    below 1,000 (so a rounded report figure shows what it rounds), whole from 1,000 up."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    shown = _printed(published)
    decimals = len(shown.split(".")[1]) if "." in shown else 0
    if abs(number) < 1000:
        decimals = max(decimals, 1)
    return f"{number:,.{decimals}f}"


def compared_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The figures with a matching indicator, as the page shows them: the report's year, the
    statement with its unit, the period, the figure as printed, the snapshot's value and the
    verdict; the reason is in `compared_reasons`, the differences and series in the CSV."""
    compared = comparison[comparison["status"] != NO_MATCH]
    return pd.DataFrame(
        {
            "Report": [_report_year(r) for r in compared["report"]],
            "Figure (unit)": (compared["statement"] + " (" + compared["unit"] + ")").tolist(),
            "Period": compared["period"].astype(str).tolist(),
            "Report value": [_printed(v) for v in compared["published"]],
            "Snapshot": [
                _snapshot_value(v, p)
                for v, p in zip(compared["snapshot"], compared["published"], strict=True)
            ],
            "Status": compared["status"].tolist(),
        }
    )


def compared_reasons(comparison: pd.DataFrame) -> pd.DataFrame:
    """Why each compared figure that does not simply match differs, in words."""
    rows = comparison[~comparison["status"].isin([NO_MATCH, "matches"])]
    return pd.DataFrame(
        {
            "Report": [_report_year(r) for r in rows["report"]],
            "Figure": rows["statement"].tolist(),
            "Status": rows["status"].tolist(),
            "Why": rows["why"].tolist(),
        }
    )


def other_figures(published: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """The figures no mapped indicator measures, with the source each report credits (the
    section of the report is in the CSV, which is `published` itself)."""
    unmatched = comparison.loc[comparison["status"] == NO_MATCH, "figure_id"]
    others = published[published["figure_id"].isin(unmatched)]
    return pd.DataFrame(
        {
            "Report": [_report_year(r) for r in others["report"]],
            "Figure (source cited)": [
                f"{s} ({c})" if isinstance(c, str) and c else s
                for s, c in zip(others["statement"], others["source_cited"], strict=True)
            ],
            "Value": [_printed(v) for v in others["value"]],
            "Unit": others["unit"].tolist(),
            "Period": others["period"].astype(str).tolist(),
        }
    )
