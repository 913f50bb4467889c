"""The indicator map: every indicator the project knows, with its unit, kind, Framework outcome(s),
SDG target, desired direction and (only where one is published) a quantified target.

It is a raw resource of the snapshot (`indicator_map` in datapackage.json, authored by the project
with the origin of every target), so cleaning and models read one source of truth.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd

from analysis.core.errors import DataError

Kind = Literal["share", "rate", "level", "count", "index"]
KINDS = ("share", "rate", "level", "count", "index")
MAP_RESOURCE = "indicator_map"
MAP_COLUMNS = (
    "indicator_id",
    "name",
    "unit",
    "kind",
    "outcomes",
    "cross_cutting",
    "sdg_target",
    "sdg_indicator",
    "direction",
    "headline_series",
    "target_value",
    "target_year",
    "target_rule",
    "target_origin",
    "notes",
)

#: Geography codes: "MEX" for the nation, INEGI's two-digit state codes "01"-"32" for the states.
NATIONAL = "MEX"
STATE_CODES = frozenset(f"{code:02d}" for code in range(1, 33))
GEO_CODES = frozenset({NATIONAL}) | STATE_CODES


@dataclass(frozen=True)
class Indicator:
    """One indicator. `share` values are % of a population (0-100); direction +1 means higher is
    better, -1 lower is better, 0 context only (not assessed for progress)."""

    id: str
    name: str
    unit: str
    kind: Kind
    outcomes: tuple[str, ...] = ()
    cross_cutting: tuple[str, ...] = ()
    sdg_target: str = ""
    sdg_indicator: str = ""
    direction: int = 0
    headline_series: str = ""
    target_value: float | None = None
    target_year: int | None = None
    target_rule: str = ""
    target_origin: str = ""
    notes: str = ""


Catalog = dict[str, Indicator]


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split(";") if part.strip())


def _parse_row(row: dict[str, str], path: Path, line: int) -> Indicator:
    def fail(field: str, reason: str) -> DataError:
        return DataError(reason, file=path, row=line, field=field)

    if row["kind"] not in KINDS:
        raise fail("kind", f"'{row['kind']}' is not one of {', '.join(KINDS)}")
    if row["direction"] not in {"1", "-1", "0"}:
        raise fail("direction", f"'{row['direction']}' is not 1, -1 or 0")
    target_value = float(row["target_value"]) if row["target_value"].strip() else None
    target_year = int(row["target_year"]) if row["target_year"].strip() else None
    has_target = target_value is not None or row["target_rule"].strip()
    if has_target and not row["target_origin"].strip():
        raise fail("target_origin", "a target needs its origin (SDG target text or national plan)")
    if has_target and target_year is None:
        raise fail("target_year", "a target needs its year")
    return Indicator(
        id=row["indicator_id"],
        name=row["name"],
        unit=row["unit"],
        kind=row["kind"],  # type: ignore[arg-type]
        outcomes=_split(row["outcomes"]),
        cross_cutting=_split(row["cross_cutting"]),
        sdg_target=row["sdg_target"],
        sdg_indicator=row["sdg_indicator"],
        direction=int(row["direction"]),
        headline_series=row["headline_series"],
        target_value=target_value,
        target_year=target_year,
        target_rule=row["target_rule"],
        target_origin=row["target_origin"],
        notes=row["notes"],
    )


def read_indicator_map(path: str | Path) -> Catalog:
    """Read the indicator map CSV; a missing column, bad kind or direction, a target without origin
    or a duplicate id is a DataError naming the row and field."""
    path = Path(path)
    if not path.is_file():
        raise DataError("indicator map not found", file=path)
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in MAP_COLUMNS if c not in (reader.fieldnames or [])]
        if missing:
            raise DataError(
                "required column is missing or renamed", file=path, row=1, field=missing[0]
            )
        catalog: Catalog = {}
        for line, row in enumerate(reader, start=2):
            indicator = _parse_row(row, path, line)
            if indicator.id in catalog:
                raise DataError(
                    f"duplicate indicator id '{indicator.id}'",
                    file=path,
                    row=line,
                    field="indicator_id",
                )
            catalog[indicator.id] = indicator
    return catalog


def load_catalog(package_path: str | Path) -> Catalog:
    """The indicator map of a data package (the resource named `indicator_map`)."""
    package_path = Path(package_path)
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    for resource in descriptor.get("resources", []):
        if resource.get("name") == MAP_RESOURCE:
            return read_indicator_map(package_path.parent / resource["path"])
    raise DataError(f"no resource named '{MAP_RESOURCE}'", file=package_path, field="resources")


def share_indicators(catalog: Catalog) -> frozenset[str]:
    """Ids of indicators that are percentages of a population (valid range 0-100)."""
    return frozenset(i.id for i in catalog.values() if i.kind == "share")


def assessed_indicators(catalog: Catalog) -> list[Indicator]:
    """Indicators with a desired direction (assessed for progress), in id order."""
    return [i for i in sorted(catalog.values(), key=lambda i: i.id) if i.direction != 0]


def headline_rows(tidy: pd.DataFrame, indicator: Indicator, geo: str = NATIONAL) -> pd.DataFrame:
    """The rows of an indicator's headline series for one geography (national by default)."""
    return tidy[
        (tidy["indicator_id"] == indicator.id)
        & (tidy["series"] == indicator.headline_series)
        & (tidy["geo"] == geo)
    ]
