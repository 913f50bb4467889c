"""What a reviewer needs to reproduce a build: commit, parameters, package versions, data hashes, timings."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import paths
from analysis.core.params import Params
from analysis.report.labels import catalog as label_catalog

#: Packages whose versions the reproducibility page lists (all pins are in requirements.lock).
KEY_PACKAGES = (
    "pandas",
    "numpy",
    "statsmodels",
    "matplotlib",
    "frictionless",
    "pandera",
    "pydantic",
    "papermill",
    "nbconvert",
    "ipykernel",
    "jupyter-client",
)


def git_commit(root: str | Path = ".") -> str:
    """The checked-out commit (with '+changes' when the tree differs from it), or 'unknown'."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown (not a git checkout)"
    return commit + (" + uncommitted changes" if dirty else "")


def locked_versions(lock_path: str | Path, names: tuple[str, ...] = KEY_PACKAGES) -> pd.DataFrame:
    """Versions pinned in requirements.lock for the named packages."""
    from packaging.utils import canonicalize_name

    from analysis.core.lock import lock_pins

    pins = lock_pins(lock_path)
    return pd.DataFrame(
        {
            "Package": list(names),
            "Version": [pins.get(canonicalize_name(n), "not locked") for n in names],
        }
    )


#: Characters of a file path the page shows: a path cannot wrap, so a longer one keeps its
#: start and end around an ellipsis (the CSV has every path whole).
PATH_CHARS = 56
#: Hex digits of a checksum the page shows (the CSV has all 64): enough to tell files apart
#: and to check one by eye, narrow enough for the text column.
HASH_DIGITS = 16


def data_hashes(validation_path: str | Path) -> pd.DataFrame:
    """sha256 of every raw file, as validation recorded it (the data behind `hashes_table`)."""
    validation = json.loads(Path(validation_path).read_text(encoding="utf-8"))
    return pd.DataFrame(
        [
            {"File": r["path"], "Rows": r["rows"], "sha256": r["sha256"]}
            for r in validation["resources"]
        ]
    )


def short_path(path: str, width: int = PATH_CHARS) -> str:
    """A path of at most `width` characters: its start and end around '…' when longer."""
    if len(path) <= width:
        return path
    head = (width - 1) // 2
    return path[:head] + "…" + path[-(width - 1 - head) :]


def hashes_table(hashes: pd.DataFrame) -> pd.DataFrame:
    """The page's checksum table: the file below data/raw/ (shortened to PATH_CHARS), its rows
    with thousands separators and the first HASH_DIGITS hex digits of its sha256."""
    return pd.DataFrame(
        {
            "File (in data/raw)": [
                short_path(str(f).removeprefix("data/raw/")) for f in hashes["File"]
            ],
            "Rows": [f"{int(n):,}" for n in hashes["Rows"]],
            "sha256 (start)": [h[:HASH_DIGITS] for h in hashes["sha256"]],
        }
    )


def step_timings(folder: str | Path) -> pd.DataFrame:
    """Wall time of each pipeline step of the last build (build/timings/*.json)."""
    rows = []
    for path in sorted(Path(folder).glob("*.json")):
        record = json.loads(path.read_text(encoding="utf-8"))
        rows.append({"Step": record["step"], "Seconds": record["seconds"]})
    return pd.DataFrame(rows, columns=["Step", "Seconds"])


def timings_table(timings: pd.DataFrame) -> pd.DataFrame:
    """Step timings as the page shows them: seconds with one decimal."""
    return pd.DataFrame(
        {
            "Step": timings["Step"].tolist(),
            "Time (s)": [f"{float(v):,.1f}" for v in timings["Seconds"]],
        }
    )


def read_param_values(path: str | Path = paths.PARAM_STAMPS_DIR / "_all.json") -> dict[str, Any]:
    """The parameter values of this build (params.yaml plus command-line overrides)."""
    return json.loads(Path(path).read_text(encoding="utf-8"))


def _param_value(value: object) -> str:
    """A parameter value for readers: a series by its name, null as 'latest available'."""
    if value is None:
        return "null (latest available)"
    series = label_catalog()["series"]
    return str(series[value]) if isinstance(value, str) and value in series else str(value)


def params_table(values: dict[str, Any]) -> pd.DataFrame:
    """Each parameter, its value as text and its meaning from the schema."""
    fields = Params.model_fields
    return pd.DataFrame(
        {
            "Parameter": list(values),
            "Value": [_param_value(v) for v in values.values()],
            "Meaning": [fields[k].description or "" for k in values],
        }
    )


def build_time(environ: Mapping[str, str] = os.environ) -> datetime.datetime:
    """When this build ran (UTC): SOURCE_DATE_EPOCH (reproducible-builds convention) when set."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.now(datetime.UTC)


#: A release date inside a provenance vintage text: YYYY-MM or YYYY-MM-DD (bare years are too vague).
_RELEASE_DATE = re.compile(r"(?<![\d-])(\d{4})-(\d{2})(?:-(\d{2}))?(?![\d-])")
#: Publishers of tables the project writes itself (mappings, notes): their date is no data release.
_OWN_PUBLISHER = "This project"


def release_dates(vintage: str) -> list[tuple[int, int, int]]:
    """Every (year, month, day) release date written in a vintage text; day 0 when only the
    month is given, so a month sorts before the days in it."""
    found = []
    for year, month, day in _RELEASE_DATE.findall(vintage):
        if 1 <= int(month) <= 12 and (not day or 1 <= int(day) <= 31):
            found.append((int(year), int(month), int(day or 0)))
    return found


def data_vintage(package: Mapping[str, Any]) -> tuple[int, int, int] | None:
    """The newest source release named in the snapshot's provenance (datapackage.json,
    `x-provenance.vintage` of every resource not written by the project), or None."""
    dates = [
        date
        for resource in package.get("resources", [])
        for provenance in [resource.get("x-provenance") or {}]
        if not str(provenance.get("publisher", "")).startswith(_OWN_PUBLISHER)
        for date in release_dates(str(provenance.get("vintage", "")))
    ]
    return max(dates) if dates else None


def display_date(date: tuple[int, int, int], months: Sequence[str]) -> str:
    """(2026, 9, 0) -> 'September 2026'; (2025, 1, 9) -> '9 January 2025' (`months` are the
    twelve month names of the page's language)."""
    year, month, day = date
    return f"{day} {months[month - 1]} {year}" if day else f"{months[month - 1]} {year}"


def footer_text(vintage: str, built: datetime.date, template: str, months: Sequence[str]) -> str:
    """The sentence every page's footer shows: data vintage and build date, from the language's
    `template` with fields {vintage} and {built}."""
    when = display_date((built.year, built.month, built.day), months)
    return template.format(vintage=vintage, built=when)


def renderer_text(quarto: str | None, nbconvert: str, templates: Mapping[str, str]) -> str:
    """Which renderer `make reports` uses on this machine: Quarto (its `--version`) when on PATH,
    else nbconvert (its locked version); `templates` has keys 'quarto' and 'nbconvert'."""
    if quarto:
        return templates["quarto"].format(version=quarto)
    return templates["nbconvert"].format(version=nbconvert)


def quarto_version(which: Callable[[str], str | None] = shutil.which) -> str | None:
    """`quarto --version` when Quarto is on PATH (the site is then rendered by it), else None."""
    quarto = which("quarto")
    if not quarto:
        return None
    try:
        result = subprocess.run([quarto, "--version"], capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return result.stdout.strip() or None


def renderer_sentence(lock_path: str | Path = paths.LOCK_FILE) -> str:
    """The renderer of this machine's site, in words (Quarto's version if on PATH, else the
    locked nbconvert version), for the reproducibility page."""
    from analysis.report.labels import label

    nbconvert = locked_versions(lock_path, ("nbconvert",))["Version"].iloc[0]
    templates = {name: label("site", f"renderer_{name}") for name in ("quarto", "nbconvert")}
    return renderer_text(quarto_version(), str(nbconvert), templates)
