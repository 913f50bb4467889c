"""The indicator map: parsed strictly, targets only with their origin, one row per indicator."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis.clean.tidy import build_tidy
from analysis.core.errors import DataError
from analysis.snapshot.catalog import (
    MAP_COLUMNS,
    load_catalog,
    read_indicator_map,
    share_indicators,
)
from helpers import RAW

MAP = RAW / "framework" / "indicator_map.csv"


def write_map(tmp_path: Path, **overrides: str) -> Path:
    row = {c: "" for c in MAP_COLUMNS} | {
        "indicator_id": "x_pct",
        "name": "X",
        "unit": "% of population",
        "kind": "share",
        "direction": "-1",
    }
    row |= overrides
    path = tmp_path / "map.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=MAP_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    return path


def test_every_tidy_indicator_is_in_the_map() -> None:
    catalog = load_catalog(RAW / "datapackage.json")
    tidy = build_tidy(RAW / "datapackage.json")
    assert set(tidy["indicator_id"]) <= set(catalog)
    assert "poverty_multidimensional_pct" in share_indicators(catalog)


def test_targets_have_origin_year_and_known_rule() -> None:
    catalog = read_indicator_map(MAP)
    targeted = [i for i in catalog.values() if i.target_value is not None or i.target_rule]
    assert targeted, "the map should carry at least the SDG 1.2 poverty target"
    for indicator in targeted:
        assert indicator.target_origin and indicator.target_year
        assert indicator.direction != 0
    poverty = catalog["poverty_multidimensional_pct"]
    assert (poverty.target_rule, poverty.target_year) == ("halve_from_base", 2030)
    assert "1.2" in poverty.target_origin


def test_outcomes_are_framework_outcomes() -> None:
    for indicator in read_indicator_map(MAP).values():
        assert set(indicator.outcomes) <= {str(n) for n in range(1, 11)}, indicator.id
        assert set(indicator.cross_cutting) <= {"X1", "X2"}, indicator.id
        assert indicator.outcomes or indicator.cross_cutting, f"{indicator.id} maps to no outcome"


def test_target_without_origin_is_refused(tmp_path: Path) -> None:
    path = write_map(tmp_path, target_value="10", target_year="2030", target_rule="absolute")
    with pytest.raises(DataError, match=r"row 2, field 'target_origin'"):
        read_indicator_map(path)


def test_bad_kind_and_direction(tmp_path: Path) -> None:
    with pytest.raises(DataError, match=r"field 'kind': 'percent' is not one of"):
        read_indicator_map(write_map(tmp_path, kind="percent"))
    with pytest.raises(DataError, match=r"field 'direction': 'up' is not 1, -1 or 0"):
        read_indicator_map(write_map(tmp_path, direction="up"))


def test_duplicate_id(tmp_path: Path) -> None:
    path = write_map(tmp_path)
    text = path.read_text(encoding="utf-8")
    path.write_text(text + text.splitlines()[1] + "\n", encoding="utf-8")
    with pytest.raises(
        DataError, match=r"row 3, field 'indicator_id': duplicate indicator id 'x_pct'"
    ):
        read_indicator_map(path)


def test_assessed_indicators_and_headline_rows() -> None:
    from analysis.snapshot.catalog import assessed_indicators, headline_rows

    catalog = load_catalog(RAW / "datapackage.json")
    assessed = assessed_indicators(catalog)
    assert [i.id for i in assessed] == sorted(i.id for i in assessed)
    assert all(i.direction != 0 for i in assessed) and "gdp_real_growth" not in {
        i.id for i in assessed
    }
    rows = headline_rows(
        build_tidy(RAW / "datapackage.json"), catalog["poverty_multidimensional_pct"]
    )
    assert set(rows["series"]) == {"lineamientos_2018"} and set(rows["geo"]) == {"MEX"}
    assert rows["period"].tolist() == ["2016", "2018", "2020", "2022", "2024"]
