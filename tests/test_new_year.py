"""An analyst adds a year of data: snapshot refresh, one rebuild, every page and table moves on.

Runs in a copy of the built checkout (`built_copy`, sharing its virtual environment), never in
data/raw itself.
"""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import run_make

pytestmark = pytest.mark.build

POVERTY = "data/raw/inegi/pobreza_multidimensional_2016_2024.csv"
#: A made-up 2026 column for the test copy only (shares stay within 0-100).
NEW_YEAR = {"porcentaje": "27.5", "millones de personas": "36.1"}
RESOURCE = "inegi_pobreza_2016_2024"
#: The made-up release of that column (before the build date, so the period rules accept it).
NEW_RELEASE = "2026-11-30"


def make(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_make(cwd, *args, timeout=600)


def add_year(path: Path) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[0].append("2026")
    for row in rows[1:]:
        row.append(NEW_YEAR[row[1]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def record_release(package: Path, period: str, release: str) -> None:
    """What step 2 of the README's "Adding a year" asks the analyst to write."""
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    resource = next(r for r in descriptor["resources"] if r["name"] == RESOURCE)
    resource["x-provenance"].setdefault("period_vintages", {})[period] = release
    package.write_text(
        json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )


def test_adding_a_year_updates_tables_and_pages(built_copy: Path) -> None:
    descriptor = json.loads((built_copy / "data/raw/datapackage.json").read_text(encoding="utf-8"))
    old_vintage = next(r for r in descriptor["resources"] if r["name"] == RESOURCE)["x-provenance"][
        "vintage"
    ]
    first = make("all", cwd=built_copy)  # normally nothing to do: the copy is of a built checkout
    assert first.returncode == 0, first.stderr[-2000:]
    add_year(built_copy / POVERTY)

    validate = make("validate", cwd=built_copy)
    assert validate.returncode != 0 and POVERTY in validate.stderr  # an unrecorded edit is refused

    unrecorded = make("snapshot", cwd=built_copy)  # the new year's release is not recorded yet
    assert unrecorded.returncode != 0 and "period_vintages" in unrecorded.stderr
    assert "field '2026'" in unrecorded.stderr and len(unrecorded.stderr.strip().splitlines()) <= 2
    record_release(built_copy / "data/raw/datapackage.json", "2026", NEW_RELEASE)

    snapshot = make("snapshot", cwd=built_copy)
    assert snapshot.returncode == 0, snapshot.stderr
    assert (
        "added year field '2026'" in snapshot.stdout
        and "inegi_pobreza_2016_2024: sha256:" in snapshot.stdout
    )

    build = make("all", cwd=built_copy)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    ran = build.stdout
    for step in (  # each step prints one line
        "validated ",
        "tidy table: ",
        "model tables: ",
        "ran notebooks/01_index.ipynb",
        "rendered ",
    ):
        assert step in ran, step
    assert (
        "pip install" not in ran and "ipykernel install" not in ran
    )  # the environment is untouched

    progress = pd.read_csv(built_copy / "data/processed/progress.csv", dtype=str)
    poverty = progress[
        (progress["indicator_id"] == "poverty_multidimensional_pct")
        & (progress["run"] == "framework")
    ]
    assert poverty["latest_period"].tolist() == ["2026"] and poverty["latest_value"].astype(
        float
    ).tolist() == [27.5]
    index = (built_copy / "reports/_site/index.html").read_text(encoding="utf-8")
    assert "27.5% in 2026" in index
    tidy = pd.read_csv(built_copy / "data/processed/indicators.csv", dtype=str)
    poverty_rows = tidy[
        (tidy["source_id"] == RESOURCE) & (tidy["indicator_id"] == "poverty_multidimensional_pct")
    ]
    vintages = dict(zip(poverty_rows["period"], poverty_rows["vintage"], strict=True))
    assert vintages["2026"] == NEW_RELEASE and vintages["2024"] == old_vintage  # history kept

    again = make("all", cwd=built_copy)
    assert "Nothing to be done" in again.stdout
