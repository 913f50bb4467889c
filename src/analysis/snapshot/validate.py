"""Validate the raw data snapshot described by `data/raw/datapackage.json` (Frictionless Data Package).

Checks every resource's schema and sha256, that each carries the provenance the project requires, and
that no raw file is left undescribed. The first problem becomes a DataError naming file, row and field.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from analysis.core import paths
from analysis.core.errors import DataError

#: Provenance every resource must carry under "x-provenance" (see README, data availability).
REQUIRED_PROVENANCE = ("publisher", "table", "vintage", "access_date", "retrieval")
#: Files in data/raw that describe the snapshot rather than hold data.
PACKAGE_FILES = frozenset({"datapackage.json", "README.md"})


@dataclass
class ResourceSummary:
    """What validation saw for one resource."""

    name: str
    path: str
    rows: int
    fields: int
    sha256: str
    valid: bool
    errors: list[str] = field(default_factory=list)


@dataclass
class SnapshotReport:
    """Validation outcome for the whole package; `errors` is empty when it is valid."""

    package: str
    resources: list[ResourceSummary]
    errors: list[DataError]

    @property
    def valid(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict[str, Any]:
        """A JSON-ready summary (for the data page): resources, rows, checks and errors."""
        return {
            "package": self.package,
            "valid": self.valid,
            "resources": [vars(r) for r in self.resources],
            "n_resources": len(self.resources),
            "n_rows": sum(r.rows for r in self.resources),
            "errors": [str(e) for e in self.errors],
        }


def load_descriptor(package_path: Path) -> dict[str, Any]:
    """Read datapackage.json; malformed JSON or a missing resource list is a DataError."""
    if not package_path.is_file():
        raise DataError("data package descriptor not found", file=package_path)
    try:
        descriptor = json.loads(package_path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise DataError(f"malformed JSON: {exc.msg}", file=package_path, row=exc.lineno) from None
    except UnicodeDecodeError as exc:
        raise DataError(f"not UTF-8 text: {exc.reason}", file=package_path) from None
    if not isinstance(descriptor, dict) or not isinstance(descriptor.get("resources"), list):
        raise DataError("descriptor has no 'resources' list", file=package_path, field="resources")
    for index, resource in enumerate(descriptor["resources"]):
        for key in ("name", "path", "schema"):
            if not isinstance(resource, dict) or key not in resource:
                named = (
                    f"resource '{resource['name']}'"
                    if isinstance(resource, dict) and resource.get("name")
                    else f"resource #{index + 1} (no name)"
                )
                raise DataError(f"{named} lacks '{key}'", file=package_path, field="resources")
    return descriptor


def _check_provenance(resource: dict[str, Any], package_path: Path) -> None:
    provenance = resource.get("x-provenance", {})
    missing = [key for key in REQUIRED_PROVENANCE if not provenance.get(key)]
    if not resource.get("sources"):
        missing.append("sources (official URL)")
    if not resource.get("licenses"):
        missing.append("licenses")
    if not str(resource.get("hash", "")).startswith("sha256:"):
        missing.append("hash (sha256:...)")
    if missing:
        raise DataError(
            f"resource '{resource['name']}' lacks provenance: {', '.join(missing)}",
            file=package_path,
            field="x-provenance",
        )


def _undescribed_files(descriptor: dict[str, Any], raw_dir: Path) -> list[str]:
    described = {Path(r["path"]).as_posix() for r in descriptor["resources"]}
    on_disk = {
        p.relative_to(raw_dir).as_posix()
        for p in raw_dir.rglob("*")
        if p.is_file() and not p.name.startswith(".")
    }
    return sorted(on_disk - described - PACKAGE_FILES)


#: Delimiters a CSV may have been saved with by mistake (a spreadsheet's ';' for instance).
_OTHER_DELIMITERS = (";", "\t", "|")


def _row_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def precheck_csv(path: Path, resource: dict[str, Any]) -> DataError | None:
    """What Frictionless reports vaguely or not at all, named plainly: a wrong encoding, a wrong
    delimiter, a missing or renamed column (by its schema name), and a table with no data rows
    (allowed only where the resource declares `x-optional-empty: true`)."""
    file = path.as_posix()
    encoding = resource.get("encoding", "utf-8")
    data = path.read_bytes()
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        byte = data[exc.start : exc.start + 1].hex()
        return DataError(
            f"not {encoding} text (byte 0x{byte} cannot be decoded; the file looks saved as "
            f"Latin-1/Windows-1252): re-save it as {encoding.upper()}",
            file=file,
            row=_row_of(data, exc.start),
        )
    dialect = resource.get("dialect", {})
    delimiter = dialect.get("delimiter", ",")
    header_row = (dialect.get("headerRows") or [1])[0]
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))
    fields = [f["name"] for f in resource.get("schema", {}).get("fields", [])]
    if len(rows) < header_row:
        return DataError("the file is empty (no header row)", file=file, row=header_row)
    header = [label.strip() for label in rows[header_row - 1]]  # as Frictionless reads labels
    if len(header) == 1 and len(fields) > 1:
        for other in _OTHER_DELIMITERS:
            if len(header[0].split(other)) >= len(fields):
                return DataError(
                    f"the file is '{other}'-delimited but datapackage.json declares '{delimiter}': "
                    "re-save it with the declared delimiter",
                    file=file,
                    row=header_row,
                )
    missing = [name for name in fields if name not in header]
    if missing:
        extra = [name for name in header if name not in fields]
        instead = f"; the header has '{extra[0]}' instead" if extra else ""
        return DataError(
            f"column '{missing[0]}' of the schema is missing from the header{instead}",
            file=file,
            row=header_row,
            field=missing[0],
        )
    data_rows = [r for r in rows[header_row:] if any(cell.strip() for cell in r)]
    if not data_rows and not resource.get("x-optional-empty"):
        return DataError(
            'the table has a header but no data rows (declare "x-optional-empty": true in '
            "datapackage.json if that is intended)",
            file=file,
            row=header_row + 1,
        )
    return None


def _error_from_frictionless(error: Any, file: str) -> DataError:
    """Turn a frictionless error into a DataError naming file, row and field."""
    row = getattr(error, "row_number", None)
    field_name = getattr(error, "field_name", None) or getattr(error, "label", None) or None
    note = getattr(error, "note", "") or error.message
    if error.type in ("hash-count", "byte-count"):
        note = (
            "checksum mismatch: the file's sha256 differs from datapackage.json; after a "
            "deliberate edit run `make snapshot`, otherwise restore the file (git checkout)"
        )
    return DataError(f"{error.type}: {note}", file=file, row=row, field=field_name)


#: Frictionless results by (file content, resource description): the same bytes described the
#: same way validate the same way, so a process that validates several copies of the snapshot
#: (the test suite) checks each unchanged file once. A command-line step starts empty.
_TASKS: dict[tuple[str, str], Any] = {}


def _frictionless_task(descriptor: dict[str, Any], path: Path, raw_dir: Path) -> Any:
    """Frictionless's validation task for one resource (memoised on content and description)."""
    from frictionless import Resource  # heavy import: only when validating

    key = (sha256_of(path), json.dumps(descriptor, sort_keys=True))
    if key not in _TASKS:
        _TASKS[key] = Resource(descriptor, basepath=str(raw_dir)).validate().tasks[0]
    return _TASKS[key]


def validate_snapshot(package_path: str | Path) -> SnapshotReport:
    """Validate every resource of the package (schema, types, sha256, provenance, coverage)."""

    package_path = Path(package_path)
    raw_dir = package_path.parent
    descriptor = load_descriptor(package_path)
    summaries: list[ResourceSummary] = []
    errors: list[DataError] = []
    for resource_descriptor in descriptor["resources"]:
        rel_file = (raw_dir / resource_descriptor["path"]).as_posix()
        try:
            _check_provenance(resource_descriptor, package_path)
        except DataError as exc:
            errors.append(exc)
        if not (raw_dir / resource_descriptor["path"]).is_file():
            errors.append(DataError("raw file is missing", file=rel_file))
            continue
        if resource_descriptor["path"].endswith(".csv"):
            problem = precheck_csv(raw_dir / resource_descriptor["path"], resource_descriptor)
            if problem is not None:
                errors.append(problem)
                summaries.append(
                    ResourceSummary(
                        name=resource_descriptor["name"],
                        path=rel_file,
                        rows=0,
                        fields=0,
                        sha256="",
                        valid=False,
                        errors=[str(problem)],
                    )
                )
                continue
        if not resource_descriptor["path"].endswith(".csv"):
            summaries.append(_check_file_only(resource_descriptor, raw_dir, errors))
            continue  # a workbook or geometry: its reader checks the layout, here sha256 and size
        frictionless_descriptor = {
            k: v for k, v in resource_descriptor.items() if not k.startswith("x-")
        }
        task = _frictionless_task(
            frictionless_descriptor, raw_dir / resource_descriptor["path"], raw_dir
        )
        resource_errors = [_error_from_frictionless(e, rel_file) for e in task.errors]
        errors.extend(resource_errors)
        summaries.append(
            ResourceSummary(
                name=resource_descriptor["name"],
                path=rel_file,
                rows=int(task.stats.get("rows") or 0),
                fields=int(task.stats.get("fields") or 0),
                sha256=str(task.stats.get("sha256") or ""),
                valid=not resource_errors,
                errors=[str(e) for e in resource_errors],
            )
        )
    for extra in _undescribed_files(descriptor, raw_dir):
        errors.append(
            DataError(
                "raw file is not described in datapackage.json (every raw value needs a source)",
                file=(raw_dir / extra).as_posix(),
            )
        )
    return SnapshotReport(package=package_path.as_posix(), resources=summaries, errors=errors)


def _check_file_only(
    resource: dict[str, Any], raw_dir: Path, errors: list[DataError]
) -> ResourceSummary:
    """A non-CSV resource (xlsx, GeoJSON): the file must have the recorded sha256 and size."""
    path = raw_dir / resource["path"]
    digest = sha256_of(path)
    problems = []
    if resource.get("hash") != f"sha256:{digest}":
        problems.append(
            DataError(f"sha256 is {digest}, not {resource.get('hash')}", file=path.as_posix())
        )
    if resource.get("bytes") not in (None, path.stat().st_size):
        problems.append(
            DataError(
                f"size is {path.stat().st_size} bytes, not {resource.get('bytes')}",
                file=path.as_posix(),
            )
        )
    errors.extend(problems)
    rows, fields = _size_of(path)
    return ResourceSummary(
        name=resource["name"],
        path=path.as_posix(),
        rows=rows,
        fields=fields,
        sha256=digest,
        valid=not problems,
        errors=[str(p) for p in problems],
    )


def _size_of(path: Path) -> tuple[int, int]:
    """What a non-CSV file holds, for the summary: (data rows, columns) of a bzip2 CSV,
    (features, properties) of a GeoJSON, (row elements, worksheets) of an xlsx."""
    import bz2
    import re
    import zipfile

    try:
        if path.name.endswith(".csv.bz2"):
            lines = bz2.decompress(path.read_bytes()).decode("utf-8-sig").splitlines()
            return max(0, len(lines) - 1), len(next(csv.reader(lines[:1]), []))
        if path.suffix == ".geojson":
            features = json.loads(path.read_text(encoding="utf-8")).get("features", [])
            return len(features), len(features[0].get("properties", {})) if features else 0
        if path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as book:
                sheets = [n for n in book.namelist() if re.match(r"xl/worksheets/[^/]+\.xml$", n)]
                rows = sum(len(re.findall(rb"<row[ >]", book.read(n))) for n in sheets)
            return rows, len(sheets)
    except (OSError, ValueError, zipfile.BadZipFile) as exc:
        raise DataError(f"cannot be read ({exc})", file=path.as_posix()) from None
    return 0, 0


def sha256_of(path: Path) -> str:
    """The file's sha256 as hex."""
    import hashlib

    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            digest.update(block)
    return digest.hexdigest()


def _add_year_fields(resource: dict[str, Any], path: Path) -> list[str]:
    """Add a schema field for each new year column of a wide table (a year added on purpose),
    copying the type and constraints of the table's last year field."""
    import re

    header_row = (resource.get("dialect", {}).get("headerRows") or [1])[0]
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.reader(handle))
    except UnicodeDecodeError as exc:
        raise DataError(
            f"not UTF-8 text (byte at offset {exc.start}): re-save it as UTF-8 before `make snapshot`",
            file=path.as_posix(),
        ) from None
    if len(rows) < header_row:
        return []
    header = rows[header_row - 1]
    fields = resource["schema"]["fields"]
    known = {f["name"] for f in fields}
    year_fields = [f for f in fields if re.fullmatch(r"\d{4}", f["name"])]
    added = []
    later = resource.get("x-provenance", {}).get("period_vintages", {})
    for column in header:
        if re.fullmatch(r"\d{4}", column) and column not in known and year_fields:
            if column not in later:
                raise DataError(
                    f"new year column '{column}': record its release in x-provenance."
                    f'period_vintages (e.g. "{column}": "YYYY-MM-DD") so that older years keep '
                    f"their vintage '{resource['x-provenance']['vintage']}', then run make snapshot again",
                    file=path.as_posix(),
                    row=header_row,
                    field=column,
                )
            fields.append({**year_fields[-1], "name": column})
            added.append(
                f"{resource['name']}: added year field '{column}' to the schema (release {later[column]})"
            )
    return added


def refresh_checksums(package_path: str | Path) -> list[str]:
    """Recompute each resource's sha256 and size, and add schema fields for new year columns, on
    purpose; return one line per change made.

    Only for a deliberate snapshot update (`make snapshot`): validation never rewrites the descriptor.
    """
    from analysis.core.atomic import write_text_atomic

    package_path = Path(package_path)
    descriptor = load_descriptor(package_path)
    changes = []
    for resource in descriptor["resources"]:
        path = package_path.parent / resource["path"]
        if not path.is_file():
            raise DataError("raw file is missing", file=path.as_posix())
        if resource["path"].endswith(".csv"):
            changes.extend(_add_year_fields(resource, path))
        new_hash = f"sha256:{sha256_of(path)}"
        new_bytes = path.stat().st_size
        if resource.get("hash") != new_hash or resource.get("bytes") != new_bytes:
            changes.append(
                f"{resource['name']}: {resource.get('hash', 'no hash')} -> {new_hash} ({new_bytes} bytes)"
            )
            resource["hash"] = new_hash
            resource["bytes"] = new_bytes
    if changes:
        write_text_atomic(package_path, json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n")
    return changes


def read_validation(path: str | Path = paths.VALIDATION) -> dict[str, Any]:
    """The validation summary the validate step wrote (data/processed/validation.json)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))
