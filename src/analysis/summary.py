"""Facts the reports state, computed from the tidy table (never typed into prose)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from analysis.catalog import NATIONAL

SERIES_LABELS = {
    "lineamientos_2018": "CONEVAL 2018-guidelines series (2016-2024)",
    "coneval_2008_2018": "CONEVAL 2008-2018 series",
    "wdi": "World Bank WDI",
    "inegi_base2018_sa": "INEGI quarterly national accounts, base 2018, seasonally adjusted",
}


def series_values(
    tidy: pd.DataFrame, indicator_id: str, series: str, geo: str = NATIONAL
) -> pd.Series:
    """One series as values indexed by period (sorted); a missing series is a KeyError naming it."""
    rows = tidy[
        (tidy["indicator_id"] == indicator_id) & (tidy["series"] == series) & (tidy["geo"] == geo)
    ]
    if rows.empty:
        raise KeyError(f"no data for indicator '{indicator_id}', series '{series}', geo '{geo}'")
    return rows.set_index("period")["value"].sort_index()


def value_at(
    tidy: pd.DataFrame, indicator_id: str, period: str, series: str, geo: str = NATIONAL
) -> float:
    """The value of one indicator-series in one period; a gap is a KeyError naming what is missing."""
    values = series_values(tidy, indicator_id, series, geo)
    if period not in values.index:
        raise KeyError(f"'{indicator_id}' ({series}) has no value for {period}")
    return float(values[period])


def vintage_of(tidy: pd.DataFrame, indicator_id: str, series: str) -> str:
    """The release/vintage of a series as recorded in the tidy table."""
    vintages = tidy.loc[
        (tidy["indicator_id"] == indicator_id) & (tidy["series"] == series), "vintage"
    ].unique()
    return ", ".join(sorted(vintages))


def fmt_pct(value: float, decimals: int = 1) -> str:
    """12.345 -> '12.3%'."""
    return f"{value:.{decimals}f}%"


def change_words(value: float, decimals: int = 1) -> str:
    """Signed change in percentage points as words: 'a rise of 2.0 percentage points'."""
    rounded = round(value, decimals)
    if rounded == 0:
        return "no change"
    kind = "a rise" if rounded > 0 else "a fall"
    return f"{kind} of {abs(rounded):.{decimals}f} percentage points"


def enumerate_words(items: list[str]) -> str:
    """['a', 'b', 'c'] -> 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


@dataclass(frozen=True)
class Recovery:
    """Peak-to-trough facts of a quarterly level series around a shock year."""

    peak_period: str
    peak_value: float
    trough_period: str
    trough_value: float
    depth_pct: float
    recovered_period: str | None


def level_recovery(levels: pd.Series, shock_year: int) -> Recovery:
    """Pre-shock peak (highest level before the shock year), trough (lowest from the shock year on),
    depth in % of the peak, and the first period after the trough back at or above the peak."""
    years = levels.index.str[:4].astype(int)
    before, after = levels[years < shock_year], levels[years >= shock_year]
    if before.empty or after.empty:
        raise ValueError(f"need periods before and from {shock_year} to measure a recovery")
    peak_period, trough_period = str(before.idxmax()), str(after.idxmin())
    peak, trough = float(before.max()), float(after.min())
    later = after[after.index > trough_period]
    back = later[later >= peak]
    return Recovery(
        peak_period=peak_period,
        peak_value=peak,
        trough_period=trough_period,
        trough_value=trough,
        depth_pct=100.0 * (trough / peak - 1.0),
        recovered_period=str(back.index[0]) if not back.empty else None,
    )


def poverty_sentence(tidy: pd.DataFrame, series: str) -> str:
    """Headline on multidimensional and extreme poverty over every year of one CONEVAL series."""
    poverty = series_values(tidy, "poverty_multidimensional_pct", series)
    extreme = series_values(tidy, "poverty_extreme_pct", series)
    persons = series_values(tidy, "poverty_multidimensional_persons", series)
    path = enumerate_words([f"{fmt_pct(v)} in {p}" for p, v in poverty.items()])
    extreme_path = enumerate_words([f"{fmt_pct(v)} ({p})" for p, v in extreme.items()])
    first, last = poverty.index[0], poverty.index[-1]
    return (
        f"Under the {SERIES_LABELS.get(series, series)}, the share of the population in "
        f"multidimensional poverty was {path}: {change_words(poverty[last] - poverty[first])} "
        f"between {first} and {last}, leaving {persons[last]:.1f} million people in poverty in "
        f"{last}. Extreme poverty: {extreme_path}."
    )


def gdp_shock_sentence(tidy: pd.DataFrame, shock_year: int) -> str:
    """Headline on the GDP shock: annual growth in the shock year and the quarterly peak-trough-recovery."""
    growth = value_at(tidy, "gdp_real_growth", str(shock_year), "wdi")
    vintage = vintage_of(tidy, "gdp_real_growth", "wdi")
    levels = series_values(tidy, "gdp_real_sa_level", "inegi_base2018_sa")
    rec = level_recovery(levels, shock_year)
    recovered = (
        f"it first stood at or above that peak again in {rec.recovered_period}"
        if rec.recovered_period
        else f"by {levels.index[-1]} it had not yet regained that peak"
    )
    return (
        f"Real GDP {'fell' if growth < 0 else 'grew'} {abs(growth):.1f}% in {shock_year} "
        f"(World Bank WDI, vintage {vintage}). "
        f"In INEGI's seasonally adjusted quarterly series, output fell {abs(rec.depth_pct):.1f}% "
        f"from its pre-{shock_year} peak ({rec.peak_period}) to its trough ({rec.trough_period}); "
        f"{recovered}."
    )


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
