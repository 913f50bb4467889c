"""Mexico beside its regional and income peers: for the assessed indicators of an area whose
headline series also carries aggregates (World Bank WDI aggregates, UN M49 regions of the SDG
database), the values of the latest year Mexico and every peer of the series share."""

from __future__ import annotations

import pandas as pd

from analysis.report.areas import indicators_in
from analysis.report.display import format_value, unit_change
from analysis.report.words import enumerate_words
from analysis.snapshot.catalog import NATIONAL, Catalog

#: Peer columns in display order, each with the geo codes that stand for it (World Bank
#: aggregate, UN M49 region) and the words a sentence uses.
PEER_GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    "Latin America and the Caribbean": (("LCN", "M49_419"), "Latin America and the Caribbean"),
    "Upper middle income": (("UMC",), "upper-middle-income countries"),
    "OECD": (("OED",), "the OECD"),
    "World": (("WLD", "M49_001"), "the world"),
}
_SOURCES = {
    "LCN": "World Bank aggregates",
    "UMC": "World Bank aggregates",
    "OED": "World Bank aggregates",
    "WLD": "World Bank aggregates",
    "M49_419": "UN M49 regions",
    "M49_001": "UN M49 regions",
}
_PEER_GEOS = frozenset(_SOURCES)


def peer_comparison(tidy: pd.DataFrame, catalog: Catalog, groups: list[str]) -> pd.DataFrame:
    """One row per assessed indicator (direction != 0) of `groups` whose headline series has peer
    rows: the latest year in which Mexico and every peer of that series have a value (None when
    no year is shared). Columns: indicator_id, name, unit, direction, year, aggregates, Mexico,
    then one per PEER_GROUPS key (NaN where the series has no such peer)."""
    ids = sorted({i for group in groups for i in indicators_in(group, catalog)})
    rows = []
    for indicator_id in ids:
        indicator = catalog[indicator_id]
        if indicator.direction == 0:
            continue
        data = tidy[
            (tidy["indicator_id"] == indicator_id)
            & (tidy["series"] == indicator.headline_series)
            & (tidy["freq"] == "A")
        ]
        peers = sorted(set(data["geo"]) & _PEER_GEOS)
        if not peers:
            continue
        wide = data.pivot_table(index="period", columns="geo", values="value", aggfunc="first")
        if NATIONAL not in wide.columns:
            continue
        shared = wide[[NATIONAL, *peers]].dropna()
        if shared.empty:
            continue
        year = str(shared.index.max())
        values = shared.loc[year]
        row = {
            "indicator_id": indicator_id,
            "name": indicator.name,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "year": year,
            "aggregates": " and ".join(sorted({_SOURCES[g] for g in peers})),
            "Mexico": float(values[NATIONAL]),
        }
        for column, (codes, _) in PEER_GROUPS.items():
            present = [code for code in codes if code in peers]
            row[column] = float(values[present[0]]) if present else float("nan")
        rows.append(row)
    return pd.DataFrame(rows)


def _number(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.1f}"


def peer_display_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """`peer_comparison` as the page shows it: the indicator with its unit, the shared year, and
    Mexico and each peer in the unit's precision; a peer no row has is left out (the source of
    the aggregates is in the CSV, which is `comparison` itself)."""
    precision = [unit_change(u) for u in comparison["unit"]]
    shown = {
        "Indicator (unit)": (comparison["name"] + " (" + comparison["unit"] + ")").tolist(),
        "Year": comparison["year"].astype(str).tolist(),
    }
    for column in ["Mexico", *PEER_GROUPS]:
        if comparison[column].notna().any():
            shown[column] = [
                format_value(v, u) for v, u in zip(comparison[column], precision, strict=True)
            ]
    return pd.DataFrame(shown)


def peer_sentence(row: pd.Series) -> str:
    """'Infant mortality rate: Mexico 10.8 per 1,000 live births in 2023; Latin America and the
    Caribbean 14.3, ... Mexico does better than ... and worse than ...' (better and worse in the
    indicator's desired direction)."""
    present = [(col, words) for col, (_, words) in PEER_GROUPS.items() if pd.notna(row[col])]
    values = ", ".join(f"{words} {_number(row[col])}" for col, words in present)
    better = [words for col, words in present if row["direction"] * (row["Mexico"] - row[col]) > 0]
    worse = [words for col, words in present if row["direction"] * (row["Mexico"] - row[col]) < 0]
    level = [words for col, words in present if row["Mexico"] == row[col]]
    unit = row["unit"]
    mexico = _number(row["Mexico"]) + (unit if unit.startswith("%") else f" {unit}")
    text = f"{row['name']}: Mexico {mexico} in {row['year']}; {values}."
    parts = []
    if better:
        parts.append(f"better than {enumerate_words(better)}")
    if worse:
        parts.append(f"worse than {enumerate_words(worse)}")
    if level:
        parts.append(f"level with {enumerate_words(level)}")
    return text + f" Mexico does {' and '.join(parts)}."


def peer_summary(comparison: pd.DataFrame) -> str:
    """A Markdown list, one computed sentence per indicator of `peer_comparison`."""
    if comparison.empty:
        return "_No assessed indicator of this area has regional or income-group aggregates in the snapshot._"
    return "\n".join(f"- {peer_sentence(row)}" for _, row in comparison.iterrows())
