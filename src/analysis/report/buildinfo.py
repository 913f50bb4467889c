"""What a reviewer needs to reproduce a build: commit, parameters, package versions, data hashes, timings."""

from __future__ import annotations

import datetime
import json
import os
import re
import shutil
import subprocess
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
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


@dataclass(frozen=True)
class GitState:
    """The checkout a build ran in: its commit (None outside git) and the tracked files that
    differed from it (uncommitted changes)."""

    commit: str | None
    changed: tuple[str, ...] = ()


def git_state(root: str | Path = ".") -> GitState:
    """The checked-out commit and the tracked files that differ from it (staged or not);
    untracked files are outputs or scratch, never part of a build."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=root, capture_output=True, text=True, check=True
        ).stdout.strip()
        status = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        return GitState(None)
    changed = tuple(line[3:] for line in status.splitlines() if line.strip())
    return GitState(commit or None, changed)


def commit_markdown(state: GitState) -> tuple[str, str]:
    """(the commit as the page's list shows it, a warning paragraph or ''): a build from
    uncommitted changes is not reproducible from its commit, so it is said as a warning, never
    as part of the commit."""
    from analysis.report.labels import label, text_n

    if state.commit is None:
        return label("build", "commit_unknown"), ""
    shown = f"`{state.commit}`"
    if not state.changed:
        return shown, ""
    warning = text_n("build.dirty", len(state.changed), commit=state.commit[:12])
    return shown, "> " + warning


def build_facts(state: GitState, built: datetime.datetime, python: str, renderer: str) -> str:
    """The 'This build' list as Markdown (commit, build time in UTC, Python, renderer), after a
    warning when the build ran on uncommitted changes."""
    from analysis.report.labels import label

    commit, warning = commit_markdown(state)
    facts = {
        "commit": commit,
        "built": f"{built:%Y-%m-%d %H:%M} UTC",
        "python": python,
        "renderer": renderer,
    }
    lines = "\n".join(f"- **{label('build', key)}:** {value}" for key, value in facts.items())
    return f"{warning}\n\n{lines}" if warning else lines


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


#: Characters of a file path the page shows: a path cannot wrap, so a longer one keeps a start
#: and an end around an ellipsis (the CSV has every path whole).
PATH_CHARS = 56
#: Hex digits of a checksum the page shows (the CSV has all 64): enough to tell files apart
#: and to check one by eye, narrow enough for the text column.
HASH_DIGITS = 16
#: Where a shortened path may be cut: its words end before, and its tail starts at, one of these.
_SEPARATORS = "/-_."
#: Separators between the parts of a name (folder, '--' fields, extension): a start that ends a
#: whole part reads better than one cut inside it.
_PARTS = ("/", "--", ".")


def data_hashes(validation_path: str | Path) -> pd.DataFrame:
    """sha256 of every raw file, as validation recorded it (the data behind `hashes_table`): one
    row per file, with the resources that read it (two resources may read one file)."""
    validation = json.loads(Path(validation_path).read_text(encoding="utf-8"))
    rows: dict[str, dict[str, Any]] = {}
    for r in validation["resources"]:
        row = rows.setdefault(
            r["path"], {"File": r["path"], "Rows": r["rows"], "sha256": r["sha256"], "names": []}
        )
        if (row["Rows"], row["sha256"]) != (r["rows"], r["sha256"]):
            raise ValueError(f"{r['path']}: validation gives two checksums for one file")
        row["names"].append(r.get("name", ""))
    return pd.DataFrame(
        [
            {
                "File": r["File"],
                "Rows": r["Rows"],
                "sha256": r["sha256"],
                "Resources": "; ".join(r["names"]),
            }
            for r in rows.values()
        ],
        columns=["File", "Rows", "sha256", "Resources"],
    )


def _word_ends(path: str) -> list[int]:
    """Lengths of the prefixes of `path` that end a word (just before a separator)."""
    return [
        i for i in range(1, len(path)) if path[i] in _SEPARATORS and path[i - 1] not in _SEPARATORS
    ]


def _cut(path: str, others: Sequence[str], width: int) -> str | None:
    """`path` as start…end within `width`, cut between words and unambiguous: no other path has
    the same start and end, so no shortened name repeats. Of those cuts, one whose start ends a
    whole part of the name, showing the most characters, the longer start first; None when no
    cut is unambiguous."""
    best: tuple[bool, int, int, str] | None = None
    for head in _word_ends(path):
        budget = width - 1 - head
        if budget <= 0:
            break
        tail_start = len(path) - budget
        tails = [i for i in range(max(tail_start, head + 1), len(path)) if path[i] in _SEPARATORS]
        if not tails:
            continue
        tail = path[tails[0] :]
        start = path[:head]
        if any(o.startswith(start) and o.endswith(tail) for o in others):
            continue
        whole_part = path.startswith(_PARTS, head)
        candidate = (whole_part, len(start) + len(tail), len(start), start + "…" + tail)
        if best is None or candidate[:3] > best[:3]:
            best = candidate
    return best[3] if best else None


def short_paths(paths_: Sequence[str], width: int = PATH_CHARS) -> list[str]:
    """Each path as the page shows it: whole when it fits `width`, else its start and end around
    '…', cut so that the part telling it from the others stays (long names that differ only in
    the middle keep their middle); a path with no unambiguous cut stays whole."""
    counts = Counter(paths_)
    shown = []
    for path in paths_:
        if len(path) <= width:
            shown.append(path)
            continue
        others = [p for p in counts if p != path]
        shown.append(_cut(path, others, width) or path)
    return shown


def short_path(path: str, width: int = PATH_CHARS) -> str:
    """One path shortened as `short_paths` does, with no other paths to tell it from."""
    return short_paths([path], width)[0]


def hashes_table(hashes: pd.DataFrame) -> pd.DataFrame:
    """The page's checksum table, one row per file: the file below data/raw/ (shortened to
    PATH_CHARS so that the names stay distinct), its rows with thousands separators and the
    first HASH_DIGITS hex digits of its sha256."""
    unique = hashes.drop_duplicates(subset="File")
    files = [str(f).removeprefix("data/raw/") for f in unique["File"]]
    return pd.DataFrame(
        {
            "File (in data/raw)": short_paths(files),
            "Rows": [f"{int(n):,}" for n in unique["Rows"]],
            "sha256 (start)": [h[:HASH_DIGITS] for h in unique["sha256"]],
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
