"""An analyst adds a year of data: snapshot refresh, one rebuild, every page and table moves on.

Runs in a copy of the built checkout (`built_copy`, sharing its virtual environment), never in
data/raw itself.
"""

from __future__ import annotations

import csv
import subprocess
from pathlib import Path

import pandas as pd
import pytest

from helpers import run_make

pytestmark = pytest.mark.build

POVERTY = "data/raw/inegi/pobreza_multidimensional_2016_2024.csv"
#: A made-up 2026 column for the test copy only (shares stay within 0-100).
NEW_YEAR = {"porcentaje": "27.5", "millones de personas": "36.1"}


def make(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return run_make(cwd, *args, timeout=600)


def add_year(path: Path) -> None:
    rows = list(csv.reader(path.open(encoding="utf-8", newline="")))
    rows[0].append("2026")
    for row in rows[1:]:
        row.append(NEW_YEAR[row[1]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)


def test_adding_a_year_updates_tables_and_pages(built_copy: Path) -> None:
    first = make("all", cwd=built_copy)  # normally nothing to do: the copy is of a built checkout
    assert first.returncode == 0, first.stderr[-2000:]
    add_year(built_copy / POVERTY)

    validate = make("validate", cwd=built_copy)
    assert validate.returncode != 0 and POVERTY in validate.stderr  # an unrecorded edit is refused

    snapshot = make("snapshot", cwd=built_copy)
    assert snapshot.returncode == 0, snapshot.stderr
    assert (
        "added year field '2026'" in snapshot.stdout
        and "inegi_pobreza_2016_2024: sha256:" in snapshot.stdout
    )

    build = make("all", cwd=built_copy)
    assert build.returncode == 0, build.stdout[-2000:] + build.stderr[-2000:]
    ran = build.stdout
    for step in (
        "analysis validate",
        "analysis clean",
        "analysis models",
        "run-notebook notebooks/01_index.ipynb",
        "analysis render",
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

    again = make("all", cwd=built_copy)
    assert "Nothing to be done" in again.stdout
