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

from analysis.core.errors import DataError

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


def _record(
    indicator: str, geo: str, period: str, freq: str, value: float, line: int, field: str
) -> dict[str, Any]:
    return {
        "indicator_id": indicator,
        "geo": geo,
        "period": period,
        "freq": freq,
        "value": value,
        "source_row": line,
        "source_field": field,
    }


def _geo_of(row: dict[str, str], config: dict[str, Any], path: Path, line: int) -> str:
    """The geography of a row: a fixed `geo`, or the `geo_field` column mapped through `geo_map`."""
    field = config.get("geo_field")
    if not field:
        return str(config.get("geo", "MEX"))
    code = row[field].strip()
    return str(config.get("geo_map", {}).get(code, code))


def _row_indicator(row: dict[str, str], config: dict[str, Any], path: Path, line: int) -> str:
    """The indicator a row holds, from its label columns (`key_fields`) through the `rows` map."""
    key_fields: list[str] = config["key_fields"]
    key = "|".join(row[f].strip() for f in key_fields)
    if key not in config["rows"]:
        raise DataError(
            f"unknown row label '{key}' (not mapped to an indicator in datapackage.json)",
            file=path,
            row=line,
            field=key_fields[0],
        )
    return str(config["rows"][key])


def read_wdi_wide(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """World Bank WDI bulk CSV: preamble lines, then one row per country and indicator, a column per year.

    `indicators` maps WDI codes to indicator ids (or `indicator_code` + `indicator` for one series).
    """
    header_row = int(config.get("header_row", 5))
    geo_codes: dict[str, str] = config["geo_codes"]
    codes: dict[str, str] = config.get("indicators") or {
        config["indicator_code"]: config["indicator"]
    }
    rows = list(_read_rows(path, header_row))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    _require_fields(path, fields, ["Country Code", "Indicator Code"], header_row)
    records = []
    for line, row in rows:
        if row["Indicator Code"] not in codes:
            raise DataError(
                f"indicator code '{row['Indicator Code']}' is not mapped "
                f"(expected one of {', '.join(sorted(codes))})",
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
                indicator = codes[row["Indicator Code"]]
                records.append(
                    _record(indicator, geo_codes[code], column, "A", value, line, column)
                )
    return _frame(records, path)


def read_wide_by_row(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A publisher table with one row per indicator (and geography) and one column per year.

    Rows are identified by the label columns `key_fields`, mapped to indicator ids by `rows`;
    an optional `geo_field` holds INEGI state codes (`geo_map` can rename codes, e.g. national).
    """
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    _require_fields(
        path, fields, [*config["key_fields"], *filter(None, [config.get("geo_field")])], 1
    )
    year_fields = [f for f in fields if _YEAR.match(f)]
    if not year_fields:
        raise DataError("no year columns (YYYY) in header", file=path, row=1)
    records = []
    for line, row in rows:
        indicator = _row_indicator(row, config, path, line)
        geo = _geo_of(row, config, path, line)
        for column in year_fields:
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(_record(indicator, geo, column, "A", value, line, column))
    return _frame(records, path)


def normalise_period(text: str, freq: str, *, file: Path, row: int, field: str) -> str:
    """A period in the tidy form for its frequency: A '2020'; Q '2020Q2'; M '2020-05'.

    Accepts INEGI BIE forms ('2020/02' for a quarter or a month) and the tidy forms themselves.
    """
    cleaned = text.strip()
    if freq == "A" and _YEAR.match(cleaned):
        return cleaned
    match = _BIE_PERIOD.match(cleaned) or re.match(r"^(\d{4})(?:Q|-)(\d{1,2})$", cleaned)
    sub = int(match.group(2)) if match else 0
    if match and freq == "Q" and 1 <= sub <= 4 and "-" not in cleaned:
        return f"{match.group(1)}Q{sub}"
    if match and freq == "M" and 1 <= sub <= 12 and "Q" not in cleaned:
        return f"{match.group(1)}-{sub:02d}"
    raise DataError(
        f"'{text}' is not a period of frequency {freq}", file=file, row=row, field=field
    )


def bie_period(text: str, freq: str, *, file: Path, row: int, field: str) -> str:
    """INEGI BIE period 'YYYY/QQ' (quarters) or 'YYYY/MM' (months) to '2020Q2' or '2020-05'."""
    message = f"'{text}' is not a BIE period for frequency {freq}"
    if not _BIE_PERIOD.match(text.strip()):
        raise DataError(message, file=file, row=row, field=field)
    try:
        return normalise_period(text, freq, file=file, row=row, field=field)
    except DataError:
        raise DataError(message, file=file, row=row, field=field) from None


def read_bie_series(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """INEGI Banco de Información Económica export: a period column and one or more value columns.

    `columns` maps value columns to indicator ids (or `indicator` for the single second column).
    """
    period_field = config.get("period_field", "Periodo")
    freq = config.get("freq", "Q")
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    columns: dict[str, str] = config.get("columns") or {
        config.get("value_field", fields[1] if len(fields) > 1 else ""): config["indicator"]
    }
    _require_fields(path, fields, [period_field, *columns], 1)
    records = []
    for line, row in rows:
        if freq == "A":
            period = normalise_period(
                row[period_field], freq, file=path, row=line, field=period_field
            )
        else:
            period = bie_period(row[period_field], freq, file=path, row=line, field=period_field)
        for column, indicator in columns.items():
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(
                    _record(
                        indicator,
                        _geo_of(row, config, path, line),
                        period,
                        freq,
                        value,
                        line,
                        column,
                    )
                )
    return _frame(records, path)


def read_long_table(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A long publisher table: label columns (`key_fields` -> `rows`), a period column, a value column.

    Each row may carry its own frequency in `freq_field` (or all rows share `freq`) and its own
    release in `vintage_field`, for tables compiled from several releases of one series.
    """
    period_field = config.get("period_field", "periodo")
    value_field = config.get("value_field", "valor")
    freq_field = config.get("freq_field")
    vintage_field = config.get("vintage_field")
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    required = [
        *config["key_fields"],
        period_field,
        value_field,
        *filter(None, [freq_field, vintage_field, config.get("geo_field")]),
    ]
    _require_fields(path, fields, required, 1)
    records = []
    for line, row in rows:
        indicator = _row_indicator(row, config, path, line)
        freq = row[freq_field].strip() if freq_field else config.get("freq", "A")
        if freq not in {"A", "Q", "M"}:
            raise DataError(
                f"frequency '{freq}' is not A, Q or M", file=path, row=line, field=freq_field
            )
        period = normalise_period(row[period_field], freq, file=path, row=line, field=period_field)
        value = parse_number(row[value_field], file=path, row=line, field=value_field)
        if value is not None:
            record = _record(
                indicator, _geo_of(row, config, path, line), period, freq, value, line, value_field
            )
            if vintage_field:
                vintage = row[vintage_field].strip()
                if not vintage:
                    raise DataError(
                        "release/vintage is empty", file=path, row=line, field=vintage_field
                    )
                record["vintage"] = vintage
            records.append(record)
    if not records:
        raise DataError("no data rows", file=path)
    columns = LONG_COLUMNS + (["vintage"] if vintage_field else [])
    return pd.DataFrame.from_records(records, columns=columns)


READERS: dict[str, Reader] = {
    "wdi_wide": read_wdi_wide,
    "wide_by_row": read_wide_by_row,
    "bie_series": read_bie_series,
    "long_table": read_long_table,
}


def reader_for(name: str) -> Reader:
    """The reader registered under `name` (the `x-clean.reader` of a resource)."""
    from analysis.clean.readers_intl import READERS_INTL  # international layouts, own module
    from analysis.clean.readers_mx import READERS_MX  # Mexican national and state layouts

    readers = READERS | READERS_INTL | READERS_MX
    if name not in readers:
        raise KeyError(f"unknown reader '{name}' (known: {', '.join(sorted(readers))})")
    return readers[name]
