"""The tidy table: built from the snapshot, series kept apart, bad values traced to their raw cell."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.tidy import KEY, TIDY_COLUMNS, build_tidy, read_tidy, validate_tidy, write_tidy
from analysis.core.errors import DataError
from analysis.snapshot.catalog import load_catalog
from analysis.snapshot.validate import refresh_checksums
from helpers import RAW, replace_in_file

NEW_SERIES = "inegi/pobreza_multidimensional_2016_2024.csv"


@pytest.fixture(scope="module")
def tidy() -> pd.DataFrame:
    return build_tidy(RAW / "datapackage.json")


def lookup(tidy: pd.DataFrame, indicator: str, period: str, series: str) -> float:
    rows = tidy[
        (tidy.indicator_id == indicator)
        & (tidy.period == period)
        & (tidy.series == series)
        & (tidy.geo == "MEX")
    ]
    assert len(rows) == 1
    return float(rows["value"].iloc[0])


def test_columns_keys_and_order(tidy: pd.DataFrame) -> None:
    assert list(tidy.columns) == TIDY_COLUMNS
    assert not tidy.duplicated(KEY).any()
    assert tidy.equals(
        tidy.sort_values(["indicator_id", "geo", "series", "freq", "period"]).reset_index(drop=True)
    )


def test_published_values_come_through(tidy: pd.DataFrame) -> None:
    assert lookup(tidy, "poverty_multidimensional_pct", "2020", "lineamientos_2018") == 43.9
    assert lookup(tidy, "poverty_extreme_pct", "2020", "lineamientos_2018") == 8.5
    assert lookup(tidy, "gdp_real_growth", "2020", "wdi") == -8.625
    assert lookup(tidy, "gdp_real_sa_level", "2020Q2", "inegi_base2018_sa") == 19182029.02


def test_coneval_series_are_kept_apart(tidy: pd.DataFrame) -> None:
    old = lookup(tidy, "poverty_extreme_pct", "2018", "coneval_2008_2018")
    new = lookup(tidy, "poverty_extreme_pct", "2018", "lineamientos_2018")
    assert (old, new) == (7.4, 7.0)  # the same year, two methodologies, two rows
    poverty = tidy[tidy.indicator_id == "poverty_multidimensional_pct"]
    assert set(poverty.groupby("series")["period"].max()) == {"2018", "2024"}


def test_every_row_has_vintage_and_source(tidy: pd.DataFrame) -> None:
    assert (tidy["vintage"].str.len() >= 4).all()
    descriptor = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    cleaned = {r["name"] for r in descriptor["resources"] if "x-clean" in r}
    # every cleaned resource contributes rows; the rest are computed from them (clean/states.py)
    assert set(tidy["source_id"]) - {"derived"} == cleaned


def test_per_row_vintages_come_from_the_raw_file(tidy: pd.DataFrame) -> None:
    states = tidy[(tidy["source_id"] == "coneval_pobreza_entidades_2016_2024")]
    assert {"2021-08-05", "2023-08-10", "2025-08-13"} <= set(states["vintage"])


def test_share_out_of_range_names_raw_cell(raw_copy: Path) -> None:
    replace_in_file(raw_copy.parent / NEW_SERIES, "43.9", "143.9")
    refresh_checksums(raw_copy)
    with pytest.raises(DataError) as err:
        build_tidy(raw_copy)
    message = str(err.value)
    assert NEW_SERIES in message and "row 2" in message and "field '2020'" in message
    assert "share outside 0-100" in message


def test_duplicate_key_is_refused(raw_copy: Path) -> None:
    path = raw_copy.parent / NEW_SERIES
    lines = path.read_text(encoding="utf-8").splitlines()
    path.write_text("\n".join([*lines, lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(DataError, match="duplicate indicator-geo-period-series"):
        build_tidy(raw_copy)


def test_unknown_indicator_in_mapping(raw_copy: Path) -> None:
    descriptor = json.loads(raw_copy.read_text(encoding="utf-8"))
    descriptor["resources"][3]["x-clean"]["rows"]["Pobreza|porcentaje"] = "poverty_rate_typo"
    raw_copy.write_text(json.dumps(descriptor), encoding="utf-8")
    with pytest.raises(
        DataError, match=r"row 2, field '2016': unknown indicator id 'poverty_rate_typo'"
    ):
        build_tidy(raw_copy)


def test_schema_refuses_bad_period_and_geo(tidy: pd.DataFrame) -> None:
    frame = tidy.copy()
    frame["source_file"], frame["source_row"], frame["source_field"] = "f.csv", 7, "x"
    bad = frame.copy()
    bad.loc[0, "period"] = "2020Q5"
    with pytest.raises(DataError, match="period does not match its frequency"):
        validate_tidy(bad, load_catalog(RAW / "datapackage.json"))
    bad = frame.copy()
    bad.loc[0, "geo"] = "99"
    with pytest.raises(DataError, match=r"f.csv: row 7, field 'x': geo='99'"):
        validate_tidy(bad, load_catalog(RAW / "datapackage.json"))


def test_write_and_read_round_trip(tidy: pd.DataFrame, tmp_path: Path) -> None:
    target = tmp_path / "indicators.csv"
    write_tidy(tidy, target)
    first = target.read_bytes()
    back = read_tidy(target)
    pd.testing.assert_frame_equal(back, tidy)
    write_tidy(back, target)
    assert target.read_bytes() == first  # byte-stable
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
