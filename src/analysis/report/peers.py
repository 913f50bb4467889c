"""Mexico beside its regional and income peers: for the assessed indicators of an area whose
headline series also carries aggregates (World Bank WDI aggregates, UN M49 regions of the SDG
database), the values of the latest year Mexico and every peer of the series share."""

from __future__ import annotations

import pandas as pd

from analysis.report.areas import indicators_in
from analysis.report.display import INDICATOR_UNIT, format_value, name_with_unit, unit_change
from analysis.report.labels import count, label, text, text_n
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


def peer_display_table(comparison: pd.DataFrame) -> pd.DataFrame:
    """`peer_comparison` as the page shows it: the indicator with its unit, the shared year, and
    Mexico and each peer in the unit's precision; a peer no row has is left out (the source of
    the aggregates is in the CSV, which is `comparison` itself)."""
    precision = [unit_change(u) for u in comparison["unit"]]
    shown = {
        INDICATOR_UNIT: [
            name_with_unit(n, u)
            for n, u in zip(comparison["name"], comparison["unit"], strict=True)
        ],
        "Year": comparison["year"].astype(str).tolist(),
    }
    for column in ["Mexico", *PEER_GROUPS]:
        if comparison[column].notna().any():
            shown[column] = [
                format_value(v, c, u)
                for v, c, u in zip(comparison[column], precision, comparison["unit"], strict=True)
            ]
    return pd.DataFrame(shown)


def peer_reading(comparison: pd.DataFrame) -> str:
    """One sentence per peer group of `peer_comparison`: on how many of the indicators it shares
    with Mexico Mexico does better, worse or level in each indicator's desired direction, so the
    table's numbers are read without a sentence repeating each row; the `none` line when empty."""
    if comparison.empty:
        return label("peers", "none")
    lines = []
    for column, (_, words) in PEER_GROUPS.items():
        shared = comparison[comparison[column].notna()]
        if shared.empty:
            continue
        gap = shared["direction"] * (shared["Mexico"] - shared[column])
        counts = {"better": int((gap > 0).sum()), "worse": int((gap < 0).sum())}
        counts["level"] = len(shared) - counts["better"] - counts["worse"]
        sides = [(side, n) for side, n in counts.items() if n]
        if len(sides) == 1:
            side = label("peers", f"side_{sides[0][0]}")
            lines.append(text_n("peers.reading_all", len(shared), peer=words, side=side))
            continue
        parts = [text(f"peers.{side}", n=n) for side, n in sides]
        lines.append(
            text(
                "peers.reading",
                peer=words,
                indicators=count(len(shared), "indicator"),
                sides=enumerate_words(parts),
            )
        )
    return "\n".join(f"- {line}" for line in lines)
