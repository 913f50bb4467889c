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
    "concept",
    "target_value",
    "target_year",
    "target_rule",
    "target_origin",
    "notes",
)
#: Optional columns: plausibility overrides of the kind defaults (analysis.clean.plausibility).
OPTIONAL_COLUMNS = ("plausible_min", "plausible_max", "plausible_step")

#: Geography codes: "MEX" for the nation, INEGI's two-digit state codes "01"-"32" for the states.
NATIONAL = "MEX"
STATE_CODES = frozenset(f"{code:02d}" for code in range(1, 33))
#: Peer aggregates, for display beside Mexico only (models assess national rows): the World Bank's
#: own aggregate codes as published in WDI, and the UN M49 regions of the SDG database prefixed
#: "M49_" (their membership and weighting differ from the World Bank's, so they get their own codes).
PEER_CODES: dict[str, str] = {
    "LCN": "Latin America & Caribbean (World Bank aggregate)",
    "UMC": "Upper middle income (World Bank aggregate)",
    "OED": "OECD members (World Bank aggregate)",
    "WLD": "World (World Bank aggregate)",
    "M49_419": "Latin America and the Caribbean (UN M49 region, SDG database)",
    "M49_001": "World (UN M49, SDG database)",
}
GEO_CODES = frozenset({NATIONAL}) | STATE_CODES | frozenset(PEER_CODES)


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
    concept: str = ""
    target_value: float | None = None
    target_year: int | None = None
    target_rule: str = ""
    target_origin: str = ""
    notes: str = ""
    plausible_min: float | None = None
    plausible_max: float | None = None
    plausible_step: float | None = None


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
        concept=row["concept"],
        target_value=target_value,
        target_year=target_year,
        target_rule=row["target_rule"],
        target_origin=row["target_origin"],
        notes=row["notes"],
        **{name: _optional_number(row, name, path, line) for name in OPTIONAL_COLUMNS},
    )


def _optional_number(row: dict[str, str], name: str, path: Path, line: int) -> float | None:
    text = (row.get(name) or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise DataError(f"'{text}' is not a number", file=path, row=line, field=name) from None


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
    _check_concepts(catalog, path)
    return catalog


def _check_concepts(catalog: Catalog, path: Path) -> None:
    """A `concept` names an indicator of the map that is itself a headline (no chains)."""
    for line, indicator in enumerate(catalog.values(), start=2):
        if not indicator.concept:
            continue
        head = catalog.get(indicator.concept)
        if head is None or head.concept:
            raise DataError(
                f"'{indicator.concept}' is not a headline indicator of the map",
                file=path,
                row=line,
                field="concept",
            )


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


@dataclass(frozen=True)
class SeriesBreak:
    """From `first` on, a series is not comparable with its earlier values (declared, with its
    reason, in the package's `x-series-breaks`)."""

    indicator_id: str
    series: str
    first: str
    reason: str


def load_breaks(package_path: str | Path) -> dict[tuple[str, str], SeriesBreak]:
    """The declared series breaks by (indicator_id, series); a malformed entry is a DataError."""
    package_path = Path(package_path)
    descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    breaks: dict[tuple[str, str], SeriesBreak] = {}
    for number, entry in enumerate(descriptor.get("x-series-breaks", []), start=1):
        missing = [k for k in ("indicator_id", "series", "from", "reason") if not entry.get(k)]
        if missing:
            raise DataError(
                f"series break {number} has no '{missing[0]}'",
                file=package_path,
                field="x-series-breaks",
            )
        key = (entry["indicator_id"], entry["series"])
        breaks[key] = SeriesBreak(*key, first=entry["from"], reason=entry["reason"])
    return breaks


def load_period_notes(package_path: str | Path) -> dict[str, str]:
    """What an annual value of a series stands for when it is not the calendar year (for example
    a first-quarter value), by series label, from each resource's `x-clean.period_note`."""
    descriptor = json.loads(Path(package_path).read_text(encoding="utf-8"))
    return {
        r["x-clean"]["series"]: r["x-clean"]["period_note"]
        for r in descriptor.get("resources", [])
        if r.get("x-clean", {}).get("period_note")
    }


@dataclass(frozen=True)
class SeriesMeta:
    """What the package says about series beyond their values: declared breaks and what an
    annual value stands for."""

    breaks: dict[tuple[str, str], SeriesBreak]
    period_notes: dict[str, str]


def load_series_meta(package_path: str | Path) -> SeriesMeta:
    """The package's series breaks and period notes."""
    return SeriesMeta(load_breaks(package_path), load_period_notes(package_path))


def before_break(rows: pd.DataFrame, brk: SeriesBreak | None) -> tuple[pd.DataFrame, str]:
    """The rows comparable with the series' start: those before a declared break, and a note."""
    if brk is None:
        return rows, ""
    kept = rows[rows["period"] < brk.first]
    if len(kept) == len(rows):
        return rows, ""
    return kept, f"values from {brk.first} on left out (series break)"


def concept_of(indicator: Indicator) -> str:
    """The id of the concept an indicator belongs to: its headline indicator's id, or its own."""
    return indicator.concept or indicator.id


#: Units of time: a change in life expectancy or in hours of unpaid work is read in years or
#: hours ("+0.7 years"), not as a percentage of the level.
DURATION_UNITS = ("years", "hours per week")


def change_unit(indicator: Indicator) -> str:
    """The unit a change of this indicator is stated in: percentage points for shares and rates in
    %, the indicator's own unit for rates per N people, durations and indices (points), percent
    for other levels and counts."""
    if indicator.unit.startswith("per ") or indicator.unit in DURATION_UNITS:
        return indicator.unit
    if indicator.kind == "share" or indicator.unit.startswith("%"):
        return "percentage points"
    if indicator.kind == "index":
        return "points"
    return "percent"


def change_in_unit(indicator: Indicator, before: float, after: float) -> float:
    """The change from `before` to `after` in `change_unit(indicator)`: a difference, or a percent change."""
    if change_unit(indicator) == "percent":
        return 100.0 * (after / before - 1.0)
    return after - before


def headline_rows(tidy: pd.DataFrame, indicator: Indicator, geo: str = NATIONAL) -> pd.DataFrame:
    """The rows of an indicator's headline series for one geography (national by default)."""
    return tidy[
        (tidy["indicator_id"] == indicator.id)
        & (tidy["series"] == indicator.headline_series)
        & (tidy["geo"] == geo)
    ]
