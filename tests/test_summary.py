"""Computed facts for the prose: known answers on synthetic series and on the snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.summary import (
    change_words,
    enumerate_words,
    gdp_shock_sentence,
    level_recovery,
    poverty_sentence,
    poverty_table,
    value_at,
)
from analysis.tidy import build_tidy
from helpers import RAW


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_tidy(RAW / "datapackage.json")


def quarters(values: list[float], start_year: int = 2018) -> pd.Series:
    index = [f"{start_year + i // 4}Q{i % 4 + 1}" for i in range(len(values))]
    return pd.Series(values, index=index)


def test_v_shaped_recovery() -> None:
    #          2018: 100 102 101 101   2019: 100 99 100 101   2020: 90 80 95 101   2021: 103 104
    levels = quarters([100, 102, 101, 101, 100, 99, 100, 101, 90, 80, 95, 101, 103, 104])
    rec = level_recovery(levels, 2020)
    assert (rec.peak_period, rec.peak_value) == ("2018Q2", 102)
    assert (rec.trough_period, rec.trough_value) == ("2020Q2", 80)
    assert rec.depth_pct == pytest.approx(100 * (80 / 102 - 1))
    assert rec.recovered_period == "2021Q1"


def test_not_recovered() -> None:
    rec = level_recovery(quarters([100, 100, 100, 100, 100, 100, 100, 100, 90, 95, 97, 99]), 2020)
    assert rec.recovered_period is None


def test_recovery_needs_both_sides() -> None:
    with pytest.raises(ValueError, match="before and from 2020"):
        level_recovery(quarters([1.0, 2.0], start_year=2021), 2020)


def test_words() -> None:
    assert change_words(-13.6) == "a fall of 13.6 percentage points"
    assert change_words(2.0) == "a rise of 2.0 percentage points"
    assert change_words(0.01) == "no change"
    assert enumerate_words(["a", "b", "c"]) == "a, b and c"
    assert enumerate_words(["a"]) == "a"


def test_poverty_sentence_states_every_year(tidy: pd.DataFrame) -> None:
    text = poverty_sentence(tidy, "lineamientos_2018")
    for year, value in [
        ("2016", "43.2"),
        ("2018", "41.9"),
        ("2020", "43.9"),
        ("2022", "36.3"),
        ("2024", "29.6"),
    ]:
        assert f"{value}% in {year}" in text
    assert "a fall of 13.6 percentage points between 2016 and 2024" in text
    assert "38.5 million" in text


def test_gdp_shock_sentence(tidy: pd.DataFrame) -> None:
    text = gdp_shock_sentence(tidy, 2020)
    assert "fell 8.6% in 2020" in text and "vintage 2024-06-28" in text
    assert "(2018Q3)" in text and "(2020Q2)" in text and "again in 2022Q3" in text


def test_value_at_gap_is_an_error(tidy: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="no value for 2020"):
        value_at(tidy, "poverty_multidimensional_pct", "2020", "coneval_2008_2018")


def test_poverty_table_keeps_gaps(tidy: pd.DataFrame) -> None:
    table = poverty_table(tidy)
    assert pd.isna(table.loc["2020", "Poverty, 2008-2018 series (%)"])
    assert table.loc["2020", "Poverty, 2018-guidelines series (%)"] == 43.9
    assert table.loc["2016"].notna().all()
