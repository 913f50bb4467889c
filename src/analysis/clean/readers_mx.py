"""Readers for Mexican national and state publishers' layouts (CONEVAL annex, INEGI, Banxico, CONAPO).

Like `readers.py`, each reader returns long rows `indicator_id, geo, period, freq, value,
source_row, source_field`, and a bad cell stops the build with one line naming the file, the sheet
or row, and the field.

The CONEVAL statistical annex is the publisher's xlsx kept untouched; it is read with the standard
library (an xlsx is a zip of XML parts), so no spreadsheet dependency is needed for two sheets.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pandas as pd

from analysis.clean.readers import (
    LONG_COLUMNS,
    _read_rows,
    _record,
    _require_fields,
    normalise_period,
    parse_number,
)
from analysis.core.errors import DataError
from analysis.snapshot.catalog import STATE_CODES

_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_CELL = re.compile(r"^([A-Z]+)(\d+)$")
_HEADER_YEAR = re.compile(r"^(\d{4})\**$")


def _column_number(letters: str) -> int:
    number = 0
    for char in letters:
        number = number * 26 + ord(char) - 64
    return number


def xlsx_sheet(path: Path, sheet: str) -> dict[int, dict[str, str]]:
    """The cells of one sheet as {row number: {column letters: text}} (values as stored)."""
    if not path.is_file():
        raise DataError("raw file is missing", file=path)
    try:
        with zipfile.ZipFile(path) as book:
            workbook = ElementTree.fromstring(book.read("xl/workbook.xml"))
            rels = ElementTree.fromstring(book.read("xl/_rels/workbook.xml.rels"))
            targets = {rel.get("Id"): rel.get("Target", "") for rel in rels}
            names = {
                s.get("name"): targets.get(s.get(f"{_REL}id"), "")
                for s in workbook.iter(f"{_MAIN}sheet")
            }
            if sheet not in names:
                known = ", ".join(list(names)[:12])
                raise DataError(f"sheet '{sheet}' not found (sheets: {known}, ...)", file=path)
            target = names[sheet].lstrip("/")
            target = target if target.startswith("xl/") else f"xl/{target}"
            shared: list[str] = []
            if "xl/sharedStrings.xml" in book.namelist():
                strings = ElementTree.fromstring(book.read("xl/sharedStrings.xml"))
                shared = [
                    "".join(t.text or "" for t in item.iter(f"{_MAIN}t"))
                    for item in strings.iter(f"{_MAIN}si")
                ]
            root = ElementTree.fromstring(book.read(target))
    except (zipfile.BadZipFile, KeyError, ElementTree.ParseError) as exc:
        raise DataError(f"not a readable xlsx workbook ({exc})", file=path) from None
    cells: dict[int, dict[str, str]] = {}
    for cell in root.iter(f"{_MAIN}c"):
        match = _CELL.match(cell.get("r", ""))
        if not match:
            continue
        kind = cell.get("t")
        value = cell.find(f"{_MAIN}v")
        if kind == "s" and value is not None and value.text is not None:
            text = shared[int(value.text)]
        elif kind == "inlineStr":
            text = "".join(t.text or "" for t in cell.iter(f"{_MAIN}t"))
        elif value is not None and value.text is not None:
            text = value.text
        else:
            continue
        cells.setdefault(int(match.group(2)), {})[match.group(1)] = text
    return cells


def _clean_label(text: str) -> str:
    return " ".join(text.split())


def read_coneval_annex(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """CONEVAL's statistical annex: the sheets listed in `tables`, each read by `read_annex_sheet`
    with the shared settings (e.g. `geo_names`, `label_column`) and its own."""
    shared = {k: v for k, v in config.items() if k != "tables"}
    frames = [read_annex_sheet(path, {**shared, **table}) for table in config["tables"]]
    return pd.concat(frames, ignore_index=True)


def read_annex_sheet(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """One sheet of the annex: labelled rows, columns under one or two header lines and years.

    `header_rows` lists the header lines above the year line (`year_row`), forward-filled to the
    right as the merged cells are; a column's key is those headers joined by '|'. With `columns`
    each row is a geography named by its label in `label_column` (through `geo_names`) and
    `columns` maps column keys to indicators; with `cells` instead every row is an indicator of
    `geo`, keyed '<row label>|<column key>'. `scale` multiplies a column key's values.
    """
    sheet = config["sheet"]
    cells = xlsx_sheet(path, sheet)
    year_row = int(config["year_row"])
    label_column = config.get("label_column", "C")
    where = f"{path.name} [{sheet}]"
    if year_row not in cells:
        raise DataError("header line with the years is missing", file=where, row=year_row)
    keys: dict[str, str] = {}
    years: dict[str, str] = {}
    filled = {int(r): "" for r in config.get("header_rows", [])}
    last_col = max(_column_number(c) for c in cells[year_row])
    for number in range(1, last_col + 1):
        letters = ""
        n = number
        while n:
            n, rest = divmod(n - 1, 26)
            letters = chr(65 + rest) + letters
        for row in filled:
            text = _clean_label(cells.get(row, {}).get(letters, ""))
            if text:
                filled[row] = text
        year = _HEADER_YEAR.match(cells[year_row].get(letters, "").strip())
        if year:
            keys[letters] = "|".join(filled.values())
            years[letters] = year.group(1)
    if not keys:
        raise DataError("no year columns (YYYY) in the header line", file=where, row=year_row)
    geo_names: dict[str, str] | None = config["geo_names"] if "columns" in config else None
    wanted: dict[str, str] = config["columns"] if geo_names is not None else config["cells"]
    column_keys = {k if geo_names is not None else k.split("|", 1)[1] for k in wanted}
    for key in sorted(column_keys - set(keys.values())):
        raise DataError(
            f"column header '{key}' is missing or renamed", file=where, row=year_row, field=key
        )
    scale: dict[str, float] = config.get("scale", {})
    records: list[dict[str, Any]] = []
    seen_labels: set[str] = set()
    for row in sorted(r for r in cells if r > year_row):
        label = _clean_label(cells[row].get(label_column, ""))
        if not label:
            continue
        values = {c: cells[row][c] for c in keys if c in cells[row]}
        if geo_names is not None:
            if not values:
                continue
            if label not in geo_names:
                raise DataError(
                    f"unknown geography '{label}' (not in geo_names)",
                    file=where,
                    row=row,
                    field=label_column,
                )
            geo = geo_names[label]
        else:
            geo = str(config.get("geo", "MEX"))
        seen_labels.add(label)
        for letters, text in values.items():
            key = keys[letters]
            indicator = wanted.get(key) if geo_names is not None else wanted.get(f"{label}|{key}")
            if not indicator:
                continue
            field = f"{letters}{row}"
            value = parse_number(text, file=where, row=row, field=field)
            if value is None:
                continue
            value *= float(scale.get(key, 1.0))
            records.append(_record(indicator, geo, years[letters], "A", value, row, field))
    expected = set(geo_names) if geo_names is not None else {k.split("|")[0] for k in wanted}
    for label in sorted(expected - seen_labels):
        raise DataError(f"row '{label}' is missing or renamed", file=where, field=label_column)
    if not records:
        raise DataError("no data rows", file=where)
    return pd.DataFrame.from_records(records, columns=LONG_COLUMNS)


def _state_code(text: str, path: Path, line: int, field: str, national: set[str]) -> str:
    """An INEGI state code '01'-'32' (unpadded '1' accepted) or 'MEX' for the national codes."""
    code = text.strip()
    if code in national:
        return "MEX"
    padded = code.zfill(2) if code.isdigit() else code
    if padded not in STATE_CODES:
        raise DataError(f"unknown geography code '{code}'", file=path, row=line, field=field)
    return padded


_DATE = re.compile(r"^(\d{4})-(\d{2})-01$")


def _date_period(text: str, freq: str, path: Path, line: int, field: str) -> str:
    """A first-of-period date 'YYYY-MM-01' as '2020-05' (months) or '2020Q2' (quarter starts)."""
    match = _DATE.match(text.strip())
    month = int(match.group(2)) if match else 0
    if match and freq == "M" and 1 <= month <= 12:
        return f"{match.group(1)}-{month:02d}"
    if match and freq == "Q" and month in {1, 4, 7, 10}:
        return f"{match.group(1)}Q{(month + 2) // 3}"
    raise DataError(
        f"'{text}' is not the first day of a period of frequency {freq}",
        file=path,
        row=line,
        field=field,
    )


def read_state_panel(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A long CSV panel by state: a state-code column, a period column and value columns.

    `columns` maps value columns to indicators; `national` lists the codes that mean the nation
    (e.g. '0', '00'); without `geo_field` every row is national. `filters` keeps only rows whose
    columns equal the given values. `freq` is the frequency of `period_field`: 'YYYY', or with
    `period_format: date` the first day of the month or quarter ('2020-04-01').
    """
    geo_field = config.get("geo_field")
    period_field = config["period_field"]
    freq = config.get("freq", "A")
    columns: dict[str, str] = config["columns"]
    filters: dict[str, str] = config.get("filters", {})
    national = set(config.get("national", []))
    scale = float(config.get("scale", 1.0))
    records: list[dict[str, Any]] = []
    header_checked = False
    for line, row in _read_rows(path):
        if not header_checked:
            required = [*filter(None, [geo_field]), period_field, *columns, *filters]
            _require_fields(path, list(row), required, 1)
            header_checked = True
        if any(row[f].strip() != v for f, v in filters.items()):
            continue
        geo = _state_code(row[geo_field], path, line, geo_field, national) if geo_field else "MEX"
        if config.get("period_format") == "date":
            period = _date_period(row[period_field], freq, path, line, period_field)
        else:
            period = normalise_period(
                row[period_field], freq, file=path, row=line, field=period_field
            )
        if config.get("max_period") and period > str(config["max_period"]):
            continue  # projections after the last observed year are not observations
        for column, indicator in columns.items():
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(_record(indicator, geo, period, freq, value * scale, line, column))
    if not records:
        raise DataError("no data rows", file=path)
    return pd.DataFrame.from_records(records, columns=LONG_COLUMNS)


READERS_MX = {
    "coneval_annex": read_coneval_annex,
    "state_panel": read_state_panel,
}


_MONTHS = {
    m: i
    for i, m in enumerate(
        ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"], 1
    )
}


def read_state_columns(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """A wide table with one column per state (named, not coded) and one row per month 'YYYY/Mon'.

    `geo_columns` maps every column header except `period_field` to a state code; headers listed
    in `ignore_columns` are not read (e.g. a national total held by another series). A header
    in neither list stops the build: a new or renamed column is never read silently.
    """
    period_field = config.get("period_field", "Time")
    geo_columns: dict[str, str] = config["geo_columns"]
    ignored = set(config.get("ignore_columns", []))
    indicator = config["indicator"]
    rows = list(_read_rows(path))
    if not rows:
        raise DataError("no data rows", file=path)
    fields = list(rows[0][1])
    _require_fields(path, fields, [period_field, *geo_columns, *ignored], 1)
    for name in fields:
        if name != period_field and name not in geo_columns and name not in ignored:
            raise DataError(
                f"column '{name}' is not a known state (not in geo_columns)",
                file=path,
                row=1,
                field=name,
            )
        if name in geo_columns and geo_columns[name] not in STATE_CODES:
            raise DataError(
                f"unknown geography code '{geo_columns[name]}' for column '{name}'",
                file=path,
                row=1,
                field=name,
            )
    records: list[dict[str, Any]] = []
    for line, row in rows:
        text = row[period_field].strip()
        year, _, month = text.partition("/")
        if not (len(year) == 4 and year.isdigit() and month in _MONTHS):
            raise DataError(
                f"'{text}' is not a month 'YYYY/Mon'", file=path, row=line, field=period_field
            )
        period = f"{year}-{_MONTHS[month]:02d}"
        for column, geo in geo_columns.items():
            value = parse_number(row[column], file=path, row=line, field=column)
            if value is not None:
                records.append(_record(indicator, geo, period, "M", value, line, column))
    if not records:
        raise DataError("no data rows", file=path)
    return pd.DataFrame.from_records(records, columns=LONG_COLUMNS)


READERS_MX["state_columns"] = read_state_columns


def _read_bz2_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """(line, row) pairs of a bzip2-compressed UTF-8 CSV, with the same checks as `_read_rows`."""
    import bz2
    import csv
    import io

    if not path.is_file():
        raise DataError("raw file is missing", file=path)
    try:
        text = bz2.decompress(path.read_bytes()).decode("utf-8-sig")
    except (OSError, ValueError) as exc:
        raise DataError(f"not a bzip2-compressed UTF-8 CSV ({exc})", file=path) from None
    reader = csv.reader(io.StringIO(text))
    header = next(reader, [])
    if len(header) < 2:
        raise DataError("header has fewer than 2 columns: wrong delimiter?", file=path, row=1)
    rows = []
    for line, values in enumerate(reader, start=2):
        if len(values) != len(header):
            raise DataError(
                f"has {len(values)} cells, header has {len(header)}", file=path, row=line
            )
        rows.append((line, dict(zip(header, values, strict=True))))
    return rows


def read_sesnsp_victims(path: Path, config: dict[str, Any]) -> pd.DataFrame:
    """SESNSP victims by state, year, crime subtype, modality and sex (bzip2 CSV, as compiled).

    `rows` maps '<key_fields values joined by |>' to {indicator, column}; rows of other crimes are
    not read (the file holds every crime). Values of one indicator, state and year are summed over
    the remaining breakdown (`sum_over`, the modality: firearm, knife, other, unspecified), which
    is how SESNSP's totals are formed; source_row is the group's first line. Years after
    `max_period` (a partial year) are not read, nor geography codes in `skip_codes`.
    """
    geo_field, period_field = config["geo_field"], config["period_field"]
    key_fields: list[str] = config["key_fields"]
    wanted: dict[str, dict[str, str]] = config["rows"]
    national = set(config.get("national", []))
    rows = _read_bz2_rows(path)
    if not rows:
        raise DataError("no data rows", file=path)
    columns = {spec["column"] for spec in wanted.values()}
    required = [geo_field, period_field, *key_fields, config["sum_over"], *sorted(columns)]
    _require_fields(path, list(rows[0][1]), required, 1)
    totals: dict[tuple[str, str, str], dict[str, Any]] = {}
    for line, row in rows:
        spec = wanted.get("|".join(row[f].strip() for f in key_fields))
        if spec is None:
            continue
        period = normalise_period(row[period_field], "A", file=path, row=line, field=period_field)
        if config.get("max_period") and period > str(config["max_period"]):
            continue
        if row[geo_field].strip() in config.get("skip_codes", []):
            continue
        geo = _state_code(row[geo_field], path, line, geo_field, national)
        value = parse_number(row[spec["column"]], file=path, row=line, field=spec["column"])
        if value is None:
            raise DataError("value is empty", file=path, row=line, field=spec["column"])
        key = (spec["indicator"], geo, period)
        if key not in totals:
            totals[key] = _record(spec["indicator"], geo, period, "A", 0.0, line, spec["column"])
        totals[key]["value"] += value
    if not totals:
        raise DataError("no data rows", file=path)
    return pd.DataFrame.from_records(list(totals.values()), columns=LONG_COLUMNS)


READERS_MX["sesnsp_victims"] = read_sesnsp_victims
