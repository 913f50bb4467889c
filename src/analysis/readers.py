"""Readers for each publisher's own file layout; each returns long rows that remember where they came from.

Every reader yields the columns `indicator_id, geo, period, freq, value, source_row, source_field`,
where `source_row` is the line in the raw file and `source_field` its column, so a later check can
name the exact cell. Empty cells are gaps and produce no row: a gap stays a gap.
"""

from __future__ import annotations

import csv
import math
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.errors import DataError

LONG_COLUMNS = ["indicator_id", "geo", "period", "freq", "value", "source_row", "source_field"]
_YEAR = re.compile(r"^\d{4}$")
_BIE_PERIOD = re.compile(r"^(\d{4})/(\d{2})$")

Reader = Callable[[Path, dict[str, Any]], pd.DataFrame]


def _read_rows(path: Path, header_row: int = 1) -> Iterator[tuple[int, dict[str, str]]]:
    """Yield (line number, row as dict) for a CSV whose header is on line `header_row`."""
    if not path.is_file():
        raise DataError("raw file is missing", file=path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text ({exc.reason} at byte {exc.start})", file=path) from None
    lines = text.splitlines()
    if len(lines) < header_row:
        raise DataError(f"file is empty or has no header on line {header_row}", file=path)
    reader = csv.reader(lines[header_row - 1 :])
    header = next(reader)
    if len(header) < 2:
        raise DataError(
            "header has fewer than 2 columns: wrong delimiter? (comma expected)",
            file=path,
            row=header_row,
        )
    for offset, values in enumerate(reader, start=header_row + 1):
        if not any(v.strip() for v in values):
            continue
        if len(values) != len(header):
            raise DataError(
                f"has {len(values)} cells, header has {len(header)}", file=path, row=offset
            )
        yield offset, dict(zip(header, values, strict=True))


def _require_fields(path: Path, fields: list[str], required: list[str], header_row: int) -> None:
    for name in required:
        if name not in fields:
            raise DataError(
                "required column is missing or renamed", file=path, row=header_row, field=name
            )


def parse_number(text: str, *, file: Path, row: int, field: str) -> float | None:
    """Parse a cell as a finite number; an empty cell is a gap (None); anything else is a DataError."""
    cleaned = text.strip()
    if cleaned in {"", ".."}:
        return None
    try:
        value = float(cleaned)
    except ValueError:
        raise DataError(f"'{cleaned}' is not a number", file=file, row=row, field=field) from None
    if not math.isfinite(value):
        raise DataError(f"'{cleaned}' is not a finite number", file=file, row=row, field=field)
    return value


def _frame(records: list[dict[str, Any]], path: Path) -> pd.DataFrame:
    if not records:
        raise DataError("no data rows", file=path)
    return pd.DataFrame.from_records(records, columns=LONG_COLUMNS)


def read_wdi_wide(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """World Bank WDI bulk CSV: preamble lines, then one row per country with a column per year."""
    header_row = int(config.get("header_row", 5))
    geo_codes: dict[str, str] = config["geo_codes"]
    rows = list(_read_rows(path, header_row))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    _require_fields(path, fields, ["Country Code", "Indicator Code"], header_row)
    records = []
    for line, row in rows:
        if row["Indicator Code"] != config["indicator_code"]:
            raise DataError(
                f"indicator code '{row['Indicator Code']}' differs from '{config['indicator_code']}'",
                file=path,
                row=line,
                field="Indicator Code",
            )
        code = row["Country Code"]
        if code not in geo_codes:
            raise DataError(
                f"unknown country code '{code}'", file=path, row=line, field="Country Code"
            )
        for column in fields:
            if not _YEAR.match(column):
                continue
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(
                    {
                        "indicator_id": config["indicator"],
                        "geo": geo_codes[code],
                        "period": column,
                        "freq": "A",
                        "value": value,
                        "source_row": line,
                        "source_field": column,
                    }
                )
    return _frame(records, path)


def read_wide_by_row(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A publisher table with one row per indicator (keyed by label columns) and one column per year."""
    key_fields: list[str] = config["key_fields"]
    mapping: dict[str, str] = config["rows"]
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    _require_fields(path, fields, key_fields, 1)
    year_fields = [f for f in fields if _YEAR.match(f)]
    if not year_fields:
        raise DataError("no year columns (YYYY) in header", file=path, row=1)
    records = []
    for line, row in rows:
        key = "|".join(row[f].strip() for f in key_fields)
        if key not in mapping:
            raise DataError(
                f"unknown row label '{key}' (not mapped to an indicator in datapackage.json)",
                file=path,
                row=line,
                field=key_fields[0],
            )
        for column in year_fields:
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(
                    {
                        "indicator_id": mapping[key],
                        "geo": config.get("geo", "MEX"),
                        "period": column,
                        "freq": "A",
                        "value": value,
                        "source_row": line,
                        "source_field": column,
                    }
                )
    return _frame(records, path)


def bie_period(text: str, freq: str, *, file: Path, row: int, field: str) -> str:
    """INEGI BIE period 'YYYY/QQ' (quarters) or 'YYYY/MM' (months) to '2020Q2' or '2020-05'."""
    match = _BIE_PERIOD.match(text.strip())
    sub = int(match.group(2)) if match else 0
    if not match or (freq == "Q" and not 1 <= sub <= 4) or (freq == "M" and not 1 <= sub <= 12):
        raise DataError(
            f"'{text}' is not a BIE period for frequency {freq}", file=file, row=row, field=field
        )
    year = match.group(1)
    return f"{year}Q{sub}" if freq == "Q" else f"{year}-{sub:02d}"


def read_bie_series(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """INEGI Banco de Información Económica export: a period column and one value column."""
    period_field = config.get("period_field", "Periodo")
    freq = config.get("freq", "Q")
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    value_field = config.get("value_field", fields[1] if len(fields) > 1 else "")
    _require_fields(path, fields, [period_field, value_field], 1)
    records = []
    for line, row in rows:
        period = bie_period(row[period_field], freq, file=path, row=line, field=period_field)
        value = parse_number(row[value_field], file=path, row=line, field=value_field)
        if value is not None:
            records.append(
                {
                    "indicator_id": config["indicator"],
                    "geo": config.get("geo", "MEX"),
                    "period": period,
                    "freq": freq,
                    "value": value,
                    "source_row": line,
                    "source_field": value_field,
                }
            )
    return _frame(records, path)


READERS: dict[str, Reader] = {
    "wdi_wide": read_wdi_wide,
    "wide_by_row": read_wide_by_row,
    "bie_series": read_bie_series,
}


def reader_for(name: str) -> Reader:
    """The reader registered under `name` (the `x-clean.reader` of a resource)."""
    if name not in READERS:
        raise KeyError(f"unknown reader '{name}' (known: {', '.join(sorted(READERS))})")
    return READERS[name]
