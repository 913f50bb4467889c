"""Mexico beside its regional and income peers: for the assessed indicators of an area whose
headline series also carries aggregates (World Bank WDI aggregates, UN M49 regions of the SDG
database), the values of the latest year Mexico and every peer of the series share."""

from __future__ import annotations

import pandas as pd

from analysis.report.areas import indicators_in
from analysis.report.display import format_value, unit_change
from analysis.report.labels import label, text
from analysis.report.words import enumerate_words
from analysis.snapshot.catalog import NATIONAL, Catalog

#: Peer groups in display order, each with the geo codes that stand for it (World Bank aggregate,
#: UN M49 region); their column names and the words a sentence uses are in the text file
#: (sections `peer_columns` and `peer_words`).
_GROUPS: dict[str, tuple[str, ...]] = {
    "lac": ("LCN", "M49_419"),
    "umc": ("UMC",),
    "oecd": ("OED",),
    "world": ("WLD", "M49_001"),
}
#: Column -> (geo codes, words in sentences).
PEER_GROUPS: dict[str, tuple[tuple[str, ...], str]] = {
    label("peer_columns", key): (codes, label("peer_words", key)) for key, codes in _GROUPS.items()
}
#: Which family of aggregates each peer code comes from (section `aggregates`).
_SOURCES = {
    "LCN": "world_bank",
    "UMC": "world_bank",
    "OED": "world_bank",
    "WLD": "world_bank",
    "M49_419": "m49",
    "M49_001": "m49",
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
            "aggregates": label("aggregates", "joiner").join(
                sorted({label("aggregates", _SOURCES[g]) for g in peers})
            ),
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
                format_value(v, c, u)
                for v, c, u in zip(comparison[column], precision, comparison["unit"], strict=True)
            ]
    return pd.DataFrame(shown)


def peer_sentence(row: pd.Series) -> str:
    """'Infant mortality rate: Mexico 10.8 per 1,000 live births in 2023; Latin America and the
    Caribbean 14.3, ... Mexico does better than ... and worse than ...' (better and worse in the
    indicator's desired direction)."""
    present = [(col, words) for col, (_, words) in PEER_GROUPS.items() if pd.notna(row[col])]
    unit = row["unit"]
    mexico = _number(row["Mexico"]) + (unit if unit.startswith("%") else f" {unit}")
    if not present:
        return text("peers.no_peer_value", name=row["name"], mexico=mexico, year=row["year"])
    values = ", ".join(
        text("peers.peer_value", peer=words, value=_number(row[col])) for col, words in present
    )
    gap = {col: row["direction"] * (row["Mexico"] - row[col]) for col, _ in present}
    sides = [
        ("better", [words for col, words in present if gap[col] > 0]),
        ("worse", [words for col, words in present if gap[col] < 0]),
        ("level", [words for col, words in present if gap[col] == 0]),
    ]
    parts = [text(f"peers.{key}", peers=enumerate_words(names)) for key, names in sides if names]
    comparison = (
        text("peers.comparison", parts=label("peers", "parts_joiner").join(parts)) if parts else ""
    )
    return text(
        "peers.sentence",
        name=row["name"],
        mexico=mexico,
        year=row["year"],
        values=values,
        comparison_clause=comparison,
    )


def peer_summary(comparison: pd.DataFrame) -> str:
    """A Markdown list, one computed sentence per indicator of `peer_comparison`."""
    if comparison.empty:
        return label("peers", "none")
    return "\n".join(f"- {peer_sentence(row)}" for _, row in comparison.iterrows())
