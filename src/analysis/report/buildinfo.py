"""What a reviewer needs to reproduce a build: commit, parameters, package versions, data hashes, timings."""

from __future__ import annotations

import datetime
import json
import os
import subprocess
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from analysis.core import paths
from analysis.core.params import Params

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


def params_table(values: dict[str, Any]) -> pd.DataFrame:
    """Each parameter, its value as text and its meaning from the schema."""
    fields = Params.model_fields
    return pd.DataFrame(
        {
            "Parameter": list(values),
            "Value": ["null (latest available)" if v is None else str(v) for v in values.values()],
            "Meaning": [fields[k].description or "" for k in values],
        }
    )


def build_time(environ: Mapping[str, str] = os.environ) -> datetime.datetime:
    """When this build ran (UTC): SOURCE_DATE_EPOCH (reproducible-builds convention) when set."""
    epoch = environ.get("SOURCE_DATE_EPOCH")
    if epoch:
        return datetime.datetime.fromtimestamp(int(epoch), datetime.UTC)
    return datetime.datetime.now(datetime.UTC)
