"""Facts the reports state, computed from the tidy table (never typed into prose): series labels
and the poverty table."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.report.labels import catalog

#: Display names of the series (report/text/<lang>.yaml, section `series`), for legends.
SERIES_LABELS: dict[str, str] = catalog()["series"]


def poverty_table(tidy: pd.DataFrame) -> pd.DataFrame:
    """Poverty and extreme poverty (%) by year, one column per CONEVAL series; gaps stay empty."""
    columns = {}
    for indicator, label in [
        ("poverty_multidimensional_pct", "Poverty"),
        ("poverty_extreme_pct", "Extreme poverty"),
    ]:
        for series, short in [
            ("coneval_2008_2018", "2008-2018 series"),
            ("lineamientos_2018", "2018-guidelines series"),
        ]:
            columns[f"{label}, {short} (%)"] = series_values(tidy, indicator, series)
    table = pd.DataFrame(columns).sort_index()
    table.index.name = "Year"
    return table


def poverty_display(table: pd.DataFrame) -> pd.DataFrame:
    """`poverty_table` as display strings: the year as a column, rates with one decimal (41.0
    stays '41.0', never '41'), gaps empty."""
    shown = {"Year": [str(year) for year in table.index]}
    for column in table.columns:
        shown[column] = ["" if pd.isna(v) else f"{float(v):.1f}" for v in table[column]]
    return pd.DataFrame(shown)
