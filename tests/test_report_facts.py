"""Computed facts for the prose: known answers on synthetic series and on the snapshot."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.clean.tidy import value_at
from analysis.report.display import WIDTH_BUDGET, table_width
from analysis.report.facts import poverty_display, poverty_table
from analysis.report.sentences import poverty_sentence
from analysis.report.words import change_words, enumerate_words


@pytest.fixture(scope="module")
def tidy(snapshot_tidy: pd.DataFrame) -> pd.DataFrame:
    return snapshot_tidy


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


def test_value_at_gap_is_an_error(tidy: pd.DataFrame) -> None:
    with pytest.raises(KeyError, match="no value for 2020"):
        value_at(tidy, "poverty_multidimensional_pct", "2020", "coneval_2008_2018")


def test_poverty_table_keeps_gaps(tidy: pd.DataFrame) -> None:
    table = poverty_table(tidy)
    assert pd.isna(table.loc["2020", "Poverty, 2008-2018 series (%)"])
    assert table.loc["2020", "Poverty, 2018-guidelines series (%)"] == 43.9
    assert table.loc["2016"].notna().all()
    shown = poverty_display(table.assign(**{"Poverty, 2008-2018 series (%)": 41.0}))
    assert list(shown.columns) == ["Year", *table.columns]
    row = shown.set_index("Year").loc["2020"]
    assert row["Poverty, 2008-2018 series (%)"] == "41.0"
    assert row["Poverty, 2018-guidelines series (%)"] == "43.9"
    assert table_width(poverty_display(table)) <= WIDTH_BUDGET
