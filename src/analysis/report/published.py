"""What the UN reports said, beside what the snapshot gives: the published-figures comparison."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.report.display import period_text, unit_change, value_decimals
from analysis.report.labels import catalog as text_catalog
from analysis.report.labels import count, noun, period_label, series_label, text, text_n
from analysis.report.labels import label as _label
from analysis.report.words import enumerate_words, lower_first
from analysis.snapshot.catalog import NATIONAL, STATE_CODES, Catalog

#: Status of a published figure that no indicator of the map measures.
NO_MATCH = "no matching indicator"
#: Status of a figure whose indicator the map holds, but on another base (mapping `other_base`).
NOT_COMPARABLE = "not comparable"
#: How a figure is read from its indicator (mapping column `compare_as`): its value (empty), the
#: % change since a period ('change_since:2020-12'), the highest minus the lowest state value
#: ('state_range'), its value but with the source as the known reason of a difference
#: ('other_source': a census count against a projection), or not at all because the figure is a
#: share of another base ('other_base').
CHANGE_SINCE = "change_since:"
STATE_RANGE = "state_range"
OTHER_SOURCE = "other_source"
OTHER_BASE = "other_base"
#: Columns a figure is counted once by: a figure quoted at two places of one report is one figure.
FIGURE_KEY = ("report", "what", "compare_as", "geo", "period", "printed")
_SNAPSHOT_COLUMNS = ["series", "period", "vintage", "value", "how"]


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


def printed_decimals(printed: str) -> int:
    """Decimals a figure was printed with: '41.9' -> 1, '753000' -> 0."""
    printed = str(printed).strip()
    return len(printed.split(".")[1]) if "." in printed else 0


def as_printed(printed: object) -> str:
    """A figure as the report printed it, with thousands separators: '21372896' -> '21,372,896',
    '7.0' stays '7.0' (its printed decimals are kept, never dropped or added)."""
    if printed is None or (isinstance(printed, float) and pd.isna(printed)):
        return ""
    raw = str(printed).strip()
    if not isinstance(printed, str):  # a number, not its printed text: as few digits as it has
        number = float(printed)
        raw = str(int(number)) if number.is_integer() else repr(number)
    match = re.fullmatch(r"([+\-]?)(\d+)(\.\d+)?", raw)
    if not match:
        return raw
    sign, whole, decimals = match.groups()
    return f"{sign}{int(whole):,}{decimals or ''}"


def shown_decimals(value: float, printed: str, unit: str) -> int:
    """Decimals the snapshot's value is shown (and compared) with: the unit's precision
    (display.value_decimals: counts whole, shares and rates one decimal), or the printed
    figure's decimals where it shows more."""
    return max(value_decimals(unit_change(unit), value, unit), printed_decimals(printed))


def shown_value(value: object, printed: str, unit: str) -> str:
    """The snapshot's value as the page shows it, in its table and in its sentences alike."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return f"{number:,.{shown_decimals(number, printed, unit)}f}"


def with_separators(words: str) -> str:
    """Numbers of five or more digits inside a label with thousands separators ('per 100000
    inhabitants' -> 'per 100,000 inhabitants'); years and shorter numbers are left alone."""
    return re.sub(r"(?<![\d.,])\d{5,}(?![\d.,])", lambda m: f"{int(m.group(0)):,}", words)


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


def _change_candidates(
    rows: pd.DataFrame, start: str, end: str, headline: str, unit: str
) -> pd.DataFrame:
    """The % change from `start` to `end` in each series holding both; where none holds both,
    one change from the value each period has (headline series first), naming both series."""
    out = []
    for series, own in rows.groupby("series"):
        by_period = own.set_index("period")
        if start in by_period.index and end in by_period.index:
            out.append((by_period.loc[start], by_period.loc[end], series))
    if not out:
        first = _pick(rows[rows["period"] == start], headline)
        last = _pick(rows[rows["period"] == end], headline)
        if first is not None and last is not None:
            out.append((first, last, last["series"]))
    candidates = []
    for first, last, series in out:
        fields = {
            "start": shown_value(first["value"], "", unit),
            "start_period": period_label(start),
            "end": shown_value(last["value"], "", unit),
            "end_period": period_label(end),
        }
        same = first["series"] == last["series"]
        how = (
            text("published.derived_change", series=series_label(series), **fields)
            if same
            else text(
                "published.derived_change_mixed",
                start_series=series_label(first["series"]),
                end_series=series_label(last["series"]),
                **fields,
            )
        )
        change = (float(last["value"]) / float(first["value"]) - 1) * 100
        candidates.append((series, end, last["vintage"], change, how))
    return pd.DataFrame(candidates, columns=_SNAPSHOT_COLUMNS)


def _range_candidates(
    rows: pd.DataFrame, period: str, printed: str, unit: str, names: dict[str, str]
) -> pd.DataFrame:
    """Highest minus lowest of the 32 state values in `period`, for each series holding all 32."""
    states = rows[rows["geo"].isin(STATE_CODES) & (rows["period"] == period)]
    candidates = []
    for series, own in states.groupby("series"):
        if own["geo"].nunique() < len(STATE_CODES):
            continue
        high, low = own.loc[own["value"].idxmax()], own.loc[own["value"].idxmin()]
        how = text(
            "published.derived_range",
            high=shown_value(high["value"], printed, unit),
            high_state=names.get(high["geo"], high["geo"]),
            low=shown_value(low["value"], printed, unit),
            low_state=names.get(low["geo"], low["geo"]),
        )
        vintage = ", ".join(sorted({str(v) for v in own["vintage"]}))
        candidates.append((series, period, vintage, high["value"] - low["value"], how))
    return pd.DataFrame(candidates, columns=_SNAPSHOT_COLUMNS)


def snapshot_candidates(
    indicator_rows: pd.DataFrame,
    figure: pd.Series,
    geo: str,
    headline: str,
    printed: str,
    unit: str,
    names: dict[str, str] | None = None,
) -> pd.DataFrame:
    """The snapshot's values for a figure, one per series, read as the mapping's `compare_as`
    says: the value itself, a % change since a period, or the range across the states; `unit`
    is the indicator's own unit, the precision of the values a derivation names."""
    compare_as = str(figure.get("compare_as", "") or "")
    period = figure["period"]
    geo_rows = indicator_rows[indicator_rows["geo"] == geo]
    if compare_as.startswith(CHANGE_SINCE):
        start = compare_as[len(CHANGE_SINCE) :]
        return _change_candidates(geo_rows, start, period, headline, unit)
    if compare_as == STATE_RANGE:
        return _range_candidates(indicator_rows, period, printed, unit, names or {})
    level = geo_rows[geo_rows["period"] == period]
    return level.assign(how="")[_SNAPSHOT_COLUMNS]


def _gap(match: pd.Series, figure: pd.Series, printed: str, unit: str) -> dict[str, str]:
    """'37 above' / '1.0 percentage points below': the snapshot's value against the figure."""
    difference = float(match["value"]) - float(figure["value"])
    decimals = shown_decimals(float(match["value"]), printed, unit)
    amount = f"{abs(difference):,.{decimals}f}"
    if unit_change(unit) == "percentage points":
        amount = text("words.amount", amount=amount, unit=_label("units", "percentage points"))
    side = _label("published", "above" if difference > 0 else "below")
    return {"gap": amount, "side": side}


def _value_clause(row: pd.Series | None, printed: str, unit: str) -> tuple[str, str]:
    """A candidate's value as shown, and its derivation in brackets (empty for a plain value)."""
    if row is None:
        return "", ""
    how = str(row.get("how", "") or "")
    return shown_value(row["value"], printed, unit), f" ({how})" if how else ""


def _earlier_clause(rows: pd.DataFrame, match: pd.Series, period: str) -> str:
    """'; the earlier series (...) is held for 2010 and 2016 but not for 2018', where another
    series of the indicator is in the snapshot but lacks the figure's period."""
    others = rows[rows["series"] != match["series"]]
    if others.empty:
        return ""
    series = sorted(others["series"].unique())
    periods = sorted(others.loc[others["series"] == series[0], "period"].unique())
    if period in periods:
        return ""
    return text(
        "published.predates_earlier",
        earlier=series_label(series[0]),
        periods=enumerate_words([period_label(p) for p in periods]),
        period=period_label(period),
    )


def _partial_range_clause(
    state_rows: pd.DataFrame, match: pd.Series, period: str, printed: str, names: dict[str, str]
) -> str:
    """For a range across the states: another series holding only some states in the period
    cannot give the range, but its highest and lowest of them are named, with their gap."""
    clauses = []
    rows = state_rows[(state_rows["period"] == period) & (state_rows["series"] != match["series"])]
    for series, own in rows.groupby("series"):
        if own["geo"].nunique() < 2:
            continue
        high, low = own.loc[own["value"].idxmax()], own.loc[own["value"].idxmin()]
        unit = "percentage points"
        clauses.append(
            text(
                "published.range_partial",
                series=series_label(series),
                states=count(int(own["geo"].nunique()), "state"),
                total=f"{len(STATE_CODES)}",
                period=period_label(period),
                high=shown_value(high["value"], printed, unit),
                high_state=names.get(high["geo"], high["geo"]),
                low=shown_value(low["value"], printed, unit),
                low_state=names.get(low["geo"], low["geo"]),
                gap=shown_value(high["value"] - low["value"], printed, unit),
            )
        )
    return "".join(clauses)


def _explain_differs(
    figure: pd.Series,
    match: pd.Series,
    rows: pd.DataFrame,
    printed: str,
    unit: str,
    clause: str,
) -> str:
    """Why a figure differs from every series of the snapshot: the report cites another source
    (where the mapping says so), the snapshot holds only releases of the series made after the
    report (said with the value and the gap), a release after the report, or another source;
    `clause` adds what another series of the indicator holds."""
    report_year = _report_year(figure["report"])
    own = rows[rows["series"] == match["series"]]
    releases = sorted({str(v) for v in own["vintage"]}) or [str(match["vintage"])]
    first_release = min((_year_of(v) for v in releases if _year_of(v)), default="")
    value, how_clause = _value_clause(match, printed, unit)
    cited = credited_source(figure.get("source_cited"))
    if str(figure.get("compare_as", "") or "") != OTHER_SOURCE:
        if first_release and report_year and report_year < first_release:
            return (
                text_n(
                    "published.predates",
                    len(releases),
                    series=series_label(match["series"]),
                    first_release=first_release,
                    value=value,
                    how_clause=how_clause,
                    period=period_label(figure["period"]),
                    report_value=as_printed(printed),
                    **_gap(match, figure, printed, unit),
                )
                + clause
            )
        if _year_of(match["vintage"]) > report_year:
            return (
                text(
                    "published.released_after",
                    series=series_label(match["series"]),
                    vintage=match["vintage"],
                    value=value,
                    how_clause=how_clause,
                )
                + clause
            )
    if not cited:
        return text(
            "published.other_source_uncited",
            series=series_label(match["series"]),
            value=value,
            period=period_label(figure["period"]),
        )
    return text(
        "published.other_source",
        cited=cited,
        series=series_label(match["series"]),
        value=value,
        period=period_label(figure["period"]),
    )


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
    printed: str = "",
    unit: str = "",
    state_rows: pd.DataFrame | None = None,
) -> str:
    """Why the published figure and the snapshot agree or differ, from what the snapshot records:
    which series, which geography, which release. `series_rows` are the snapshot's rows of the
    figure's indicator and geography (every series and period); `label` is the indicator's name
    as a sentence writes it (without it, a figure not in the snapshot gets a wording that names
    no indicator); `printed` is the figure as printed and `unit` the indicator's unit, which set
    the precision of the values a sentence gives (the precision they are compared at);
    `state_rows` are the indicator's state rows, for a range across the states."""
    names = names or {}
    printed = printed or str(figure.get("value", ""))
    rows = (
        series_rows
        if series_rows is not None
        else pd.DataFrame(columns=["series", "period", "vintage"])
    )
    if status == "matches":
        value, how_clause = _value_clause(match, printed, unit)
        if how_clause:
            return text(
                "published.matches_derived",
                value=value,
                how=how_clause.strip()[1:-1],
            )
        return text(
            "published.matches", series=series_label(match["series"]), vintage=match["vintage"]
        )
    if status == "matches another series":
        value, how_clause = _value_clause(match, printed, unit)
        other_value, other_how_clause = _value_clause(other, printed, unit)
        return text(
            "published.matches_other",
            other=series_label(other["series"]),
            other_vintage=other["vintage"],
            other_value=other_value,
            other_how_clause=other_how_clause,
            series=series_label(match["series"]),
            value=value,
            how_clause=how_clause,
        )
    if status == "differs":
        if str(figure.get("compare_as", "") or "") == STATE_RANGE:
            clause = _partial_range_clause(
                state_rows if state_rows is not None else rows.iloc[0:0],
                match,
                figure["period"],
                printed,
                names,
            )
        elif str(figure.get("compare_as", "") or ""):
            clause = ""
        else:
            clause = _earlier_clause(rows, match, figure["period"])
        return _explain_differs(figure, match, rows, printed, unit, clause)
    if status == NOT_COMPARABLE:
        return text(
            "published.other_base",
            unit=with_separators(str(figure.get("unit", ""))),
            what=label,
            indicator_unit=unit,
            no_year_clause="" if figure["period"] else _label("published", "also_no_year"),
        )
    if status == "not in snapshot":
        if not label:
            return _label("published", "unmapped")
        if str(figure.get("compare_as", "") or ""):
            return text("published.not_derivable", what=label, where=_where(geo, names))
        key = "published.not_in_snapshot" if figure["period"] else "published.no_year"
        return text(
            key,
            period=period_label(figure["period"]),
            what=label,
            where=_where(geo, names),
            held_clause=_held(rows),
        )
    return _label("published", "no_match")


def compared_unit(compare_as: str, indicator_unit: str) -> str:
    """The unit of the value a figure is compared with: a % change for a change since a period,
    percentage points for a range of state shares, else the indicator's own unit."""
    if compare_as.startswith(CHANGE_SINCE):
        return "% change"
    if compare_as == STATE_RANGE:
        return "percentage points"
    return indicator_unit


def _geo_codes(
    published: pd.DataFrame, states: pd.DataFrame | None
) -> tuple[dict[str, str], dict[str, str]]:
    """State name -> code and code -> name; INEGI's catalogue is read when a figure names a state
    and none was given. A geography that is neither the nation, a code nor a known state name is
    an error: it would otherwise be reported, wrongly, as a value the snapshot lacks."""
    geos = set(published["geo"]) - {NATIONAL, "", *STATE_CODES}
    if states is None and geos:
        states = pd.read_csv(paths.STATE_NAMES, dtype=str)
    codes, names = {}, {}
    if states is not None:
        codes = dict(zip(states["NOM_ENT"], states["CVE_ENT"], strict=True))
        names = dict(zip(states["CVE_ENT"], states["NOM_ENT"], strict=True))
    unknown = sorted(geos - set(codes))
    if unknown:
        raise ValueError(f"published figures name unknown geographies: {', '.join(unknown)}")
    return codes, names


def _status(
    hint: str, compare_as: str, match: pd.Series | None, candidates: pd.DataFrame, value: float,
    tolerance: float,
) -> tuple[str, pd.Series | None]:  # fmt: skip
    """The verdict on one figure and, for 'matches another series', the series that matches."""
    if not hint:
        return NO_MATCH, None
    if compare_as == OTHER_BASE:
        return NOT_COMPARABLE, None
    if match is None:
        return "not in snapshot", None
    if abs(float(match["value"]) - value) <= tolerance:
        return "matches", None
    close = candidates[(candidates["value"] - value).abs() <= tolerance]
    if close.empty:
        return "differs", None
    return "matches another series", close.iloc[0]


def compare_published(
    published: pd.DataFrame,
    tidy: pd.DataFrame,
    catalog: Catalog,
    raw_values: pd.Series | None = None,
    states: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """One row per published figure: the snapshot's value for the same indicator, geography and
    period (the indicator's headline series first), read as the mapping's `compare_as` says, the
    difference, a classification and a reason.

    `raw_values` (the published values as text, by figure_id) sets the rounding tolerance and the
    printed digits; a figure that differs from the headline series but equals another series is
    reported as such. `states` (INEGI's state catalogue: CVE_ENT, NOM_ENT; read from the snapshot
    when a figure names a state and none is given) turns state names into codes.
    """
    codes, names = _geo_codes(published, states)
    rows = []
    for _, figure in published.iterrows():
        hint, period = figure["indicator_hint"], figure["period"]
        compare_as = str(figure.get("compare_as", "") or "")
        geo = NATIONAL if figure["geo"] in {"MEX", ""} else codes.get(figure["geo"], figure["geo"])
        indicator_rows = tidy[tidy["indicator_id"] == hint] if hint else tidy.iloc[0:0]
        series_rows = indicator_rows[indicator_rows["geo"] == geo]
        state_rows = indicator_rows[indicator_rows["geo"].isin(STATE_CODES)]
        if compare_as == STATE_RANGE:
            series_rows = state_rows
        indicator = catalog.get(hint)
        headline = indicator.headline_series if indicator else ""
        indicator_unit = indicator.unit if indicator else str(figure["unit"])
        unit = compared_unit(compare_as, indicator_unit)
        printed = (
            raw_values[figure["figure_id"]] if raw_values is not None else str(figure["value"])
        )
        candidates = (
            snapshot_candidates(
                indicator_rows, figure, geo, headline, printed, indicator_unit, names
            )
            if hint and compare_as != OTHER_BASE
            else pd.DataFrame(columns=_SNAPSHOT_COLUMNS)
        )
        match = _pick(candidates, headline)
        published_value = float(figure["value"])
        status, other = _status(
            hint, compare_as, match, candidates, published_value, rounding_tolerance(printed)
        )
        rows.append(
            {
                "figure_id": figure["figure_id"],
                "report": figure["report"],
                "section": figure.get("section", ""),
                "statement": figure["statement"],
                "period": period,
                "geo": geo,
                "published": published_value,
                "printed": printed,
                "unit": figure["unit"],
                "indicator_id": hint,
                "compare_as": compare_as,
                "snapshot": float(match["value"]) if match is not None else None,
                "snapshot_shown": shown_value(match["value"], printed, unit)
                if match is not None
                else "",
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
                    label=lower_first(indicator.name) if indicator else "",
                    printed=printed,
                    unit=unit,
                    state_rows=state_rows,
                ),
            }
        )
    return pd.DataFrame(rows)


def published_text(path: str | Path = paths.PUBLISHED_FIGURES) -> pd.Series:
    """Each figure's value as the report printed it (text, by figure_id), for its decimals."""
    return pd.read_csv(path, dtype=str).set_index("figure_id")["value"]


def _column(frame: pd.DataFrame, name: str, default: object) -> pd.Series:
    return frame[name] if name in frame else pd.Series(default, index=frame.index)


def report_part(section: str) -> str:
    """The part of a report a section belongs to, short: 'Chapter 1 Key developments ... >
    Poverty' -> 'Chapter 1', '2.2 Key results 2022 > ...' -> 'section 2.2', 'Mexico at a glance >
    Poverty' -> 'Mexico at a glance'."""
    top = str(section).split(" > ")[0].strip()
    chapter = re.match(r"(Chapter \d+)\b", top)
    if chapter:
        return chapter.group(1)
    numbered = re.match(r"(\d+(?:\.\d+)*) ", top)
    if numbered:
        return text("published.section", number=numbered.group(1))
    return top


def distinct_figures(comparison: pd.DataFrame) -> pd.DataFrame:
    """One row per distinct figure of each report: a figure quoted at several places of the same
    report (same indicator or statement, geography, period and printed value) is one figure, its
    first row kept with `places` (the parts of the report that quote it) and `quotes`."""
    frame = comparison.assign(
        what=[
            hint or statement or f"row {index}"
            for index, hint, statement in zip(
                comparison.index,
                _column(comparison, "indicator_id", ""),
                _column(comparison, "statement", ""),
                strict=True,
            )
        ],
        period=_column(comparison, "period", ""),
        compare_as=_column(comparison, "compare_as", ""),
        geo=_column(comparison, "geo", NATIONAL),
        printed=_column(comparison, "printed", "").where(
            _column(comparison, "printed", "") != "",
            _column(comparison, "published", "").astype(str),
        ),
        part=[report_part(s) for s in _column(comparison, "section", "")],
    )
    key = list(FIGURE_KEY)
    grouped = frame.groupby(key, sort=False, dropna=False)
    places = grouped["part"].agg(lambda parts: list(dict.fromkeys(p for p in parts if p)))
    quotes = grouped.size()
    first = frame.drop_duplicates(key).set_index(key)
    first["places"] = places
    first["quotes"] = quotes
    return first.reset_index()[[*comparison.columns, "places", "quotes"]]


def _status_count(n: int, status: str) -> str:
    return f"{n:,} {noun(n, status, 'published_statuses')}"


def published_summary(comparison: pd.DataFrame) -> str:
    """How many distinct figures the reports state (a figure quoted twice in one report counts
    once), how many concern a mapped indicator, by status."""
    distinct = distinct_figures(comparison)
    repeated = int((distinct["quotes"] > 1).sum())
    counts = distinct["status"].value_counts()
    compared = distinct[distinct["status"] != NO_MATCH]
    rest = int(counts.get(NO_MATCH, 0))
    years = sorted({_report_year(r) for r in distinct["report"] if _report_year(r)})
    parts = [_status_count(int(n), s) for s, n in counts.items() if s != NO_MATCH]
    compared_clause = (
        text_n("published.summary_compared", len(compared), counts=enumerate_words(parts))
        if len(compared)
        else _label("published", "summary_none_compared")
    )
    return text(
        "published.summary",
        years=enumerate_words(years),
        figures=f"{len(distinct):,} {noun(len(distinct), 'figure')}",
        repeat_clause=text_n("published.summary_repeats", repeated) if repeated else "",
        compared_clause=compared_clause,
        rest_clause=" " + text_n("published.summary_rest", rest) if rest else "",
    )


def _report_cell(row: pd.Series) -> str:
    """'2022: Mexico at a glance; Chapter 1': the report and the parts that quote the figure."""
    places = row.get("places") or []
    year = _report_year(row["report"])
    return text("published.report_places", year=year, places="; ".join(places)) if places else year


def _statement(row: pd.Series) -> str:
    """A figure's statement for readers: the reader-facing wording of en.yaml where the
    transcription's paraphrase is a working note, thousands separators in its numbers."""
    overrides = text_catalog()["published"].get("statements", {})
    return with_separators(str(overrides.get(row.get("figure_id"), row["statement"])))


def _shown_snapshot(row: pd.Series) -> str:
    shown = row.get("snapshot_shown")
    if isinstance(shown, str) and shown:
        return shown
    return shown_value(row["snapshot"], str(row.get("printed") or ""), str(row["unit"]))


def _printed_cell(row: pd.Series) -> str:
    printed = row.get("printed")
    return as_printed(printed if isinstance(printed, str) and printed else row["published"])


def compared_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """The distinct figures with a matching indicator, as the page shows them: the report (and
    the parts of it that quote the figure), the statement with its unit, the period, the figure
    as printed, the snapshot's value at the precision it is compared at, and the verdict; the
    reason is in `compared_reasons`, the differences and series in the CSV."""
    compared = distinct_figures(comparison)
    compared = compared[compared["status"] != NO_MATCH]
    return pd.DataFrame(
        {
            "Report": [_report_cell(r) for _, r in compared.iterrows()],
            "Figure (unit)": [
                f"{_statement(r)} ({with_separators(str(r['unit']))})"
                for _, r in compared.iterrows()
            ],
            "Period": [period_text(p) for p in compared["period"]],
            "Report value": [_printed_cell(r) for _, r in compared.iterrows()],
            "Snapshot": [_shown_snapshot(r) for _, r in compared.iterrows()],
            "Status": compared["status"].tolist(),
        }
    )


def compared_reasons(comparison: pd.DataFrame) -> pd.DataFrame:
    """Why each distinct compared figure that does not simply match differs, in words, with its
    period and printed value so that figures of the same name are told apart."""
    rows = distinct_figures(comparison)
    rows = rows[~rows["status"].isin([NO_MATCH, "matches"])]
    return pd.DataFrame(
        {
            "Report": [_report_cell(r) for _, r in rows.iterrows()],
            "Figure": [_statement(r) for _, r in rows.iterrows()],
            "Period": [period_text(p) for p in rows["period"]],
            "Report value": [_printed_cell(r) for _, r in rows.iterrows()],
            "Status": rows["status"].tolist(),
            "Why": rows["why"].tolist(),
        }
    )


def credited_source(source: object) -> str:
    """The source a report credits for a figure, or '' where the transcription records that the
    report names none ('Not stated in the section')."""
    if not isinstance(source, str) or not source.strip():
        return ""
    return "" if source.strip().lower().startswith("not stated") else source.strip()


def _other_rows(published: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """The distinct figures no mapped indicator measures, with their published rows' columns."""
    distinct = distinct_figures(comparison)
    unmatched = distinct.loc[distinct["status"] == NO_MATCH]
    columns = ["figure_id", "places"] + (["printed"] if "printed" in unmatched else [])
    return (
        published.drop(columns=["printed", "places"], errors="ignore")
        .merge(unmatched[columns], on="figure_id")
        .assign(published=lambda f: f["value"])
    )


def other_figures(published: pd.DataFrame, comparison: pd.DataFrame) -> pd.DataFrame:
    """The distinct figures no mapped indicator measures, with the source each report credits in
    brackets where it credits one (the section of the report is in the CSV, `published` itself)."""
    others = _other_rows(published, comparison)
    return pd.DataFrame(
        {
            "Report": [_report_year(r) for r in others["report"]],
            "Figure (source cited)": [
                f"{_statement(r)} ({credited_source(r['source_cited'])})"
                if credited_source(r.get("source_cited"))
                else _statement(r)
                for _, r in others.iterrows()
            ],
            "Value": [_printed_cell(r) for _, r in others.iterrows()],
            "Unit": [with_separators(str(u)) for u in others["unit"]],
            "Period": [period_text(p) for p in others["period"]],
        }
    )


def other_figures_note(published: pd.DataFrame, comparison: pd.DataFrame) -> str:
    """How many of the other figures come without a credited source, said once above the table
    instead of in every row."""
    others = _other_rows(published, comparison)
    uncredited = sum(not credited_source(s) for s in _column(others, "source_cited", ""))
    return text_n("published.other_note", uncredited, total=f"{len(others):,}")
