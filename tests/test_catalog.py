"""The indicator map: parsed strictly, targets only with their origin, one row per indicator."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pandas as pd
import pytest

from analysis.clean.tidy import build_tidy
from analysis.core.errors import DataError
from analysis.snapshot.catalog import (
    MAP_COLUMNS,
    Indicator,
    before_break,
    change_in_unit,
    change_unit,
    concept_of,
    load_breaks,
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


def test_a_concept_must_name_a_headline_indicator(tmp_path: Path) -> None:
    path = write_map(tmp_path, concept="nowhere_pct")
    with pytest.raises(DataError, match="not a headline indicator") as error:
        read_indicator_map(path)
    assert error.value.row == 2 and error.value.field == "concept"


def test_the_poverty_cuts_are_one_concept() -> None:
    catalog = load_catalog(RAW / "datapackage.json")
    cuts = {i.id for i in catalog.values() if concept_of(i) == "poverty_multidimensional_pct"}
    assert {"poverty_extreme_pct", "income_below_lpi_pct", "not_poor_not_vulnerable_pct"} <= cuts
    assert concept_of(catalog["deprivation_health_pct"]) == "deprivation_health_pct"


@pytest.mark.parametrize(
    ("kind", "unit", "before", "after", "expected_unit", "expected"),
    [
        ("share", "% of labour force", 3.5, 4.7, "percentage points", 1.2),
        ("level", "per 100,000 inhabitants", 29.0, 25.8, "per 100,000 inhabitants", -3.2),
        ("index", "coefficient (0-1)", 0.4595, 0.4345, "points", -0.025),
        ("count", "jobs", 200.0, 210.0, "percent", 5.0),
        ("level", "MtCO2e", 650.0, 617.5, "percent", -5.0),
    ],
)
def test_changes_are_stated_in_the_indicator_s_own_unit(
    kind: str, unit: str, before: float, after: float, expected_unit: str, expected: float
) -> None:
    """A rate of 3.5% rising to 4.7% is +1.2 percentage points, not +34%; levels change by percent."""
    indicator = Indicator(id="x", name="X", unit=unit, kind=kind)  # type: ignore[arg-type]
    assert change_unit(indicator) == expected_unit
    assert change_in_unit(indicator, before, after) == pytest.approx(expected)


def write_breaks(tmp_path: Path, entry: dict[str, str]) -> Path:
    path = tmp_path / "datapackage.json"
    path.write_text(json.dumps({"resources": [], "x-series-breaks": [entry]}), encoding="utf-8")
    return path


def test_series_breaks_are_read_and_cut_the_rows(tmp_path: Path) -> None:
    entry = {"indicator_id": "jobs", "series": "imss", "from": "2025-07", "reason": "pilot"}
    breaks = load_breaks(write_breaks(tmp_path, entry))
    rows = pd.DataFrame(
        {"period": ["2025-05", "2025-06", "2025-07", "2025-12"], "value": [1, 2, 3, 4]}
    )
    kept, note = before_break(rows, breaks[("jobs", "imss")])
    assert kept["period"].tolist() == ["2025-05", "2025-06"] and "2025-07" in note
    assert before_break(rows, None) == (rows, "")


def test_a_break_without_its_reason_is_refused(tmp_path: Path) -> None:
    path = write_breaks(tmp_path, {"indicator_id": "jobs", "series": "imss", "from": "2025-07"})
    with pytest.raises(DataError, match="series break 1 has no 'reason'"):
        load_breaks(path)


def test_the_imss_pilot_is_a_declared_break() -> None:
    breaks = load_breaks(RAW / "datapackage.json")
    assert breaks[("imss_registered_jobs", "imss")].first == "2025-07"
