"""The Cooperation Framework as data: strategic priorities, cross-cutting areas and outcomes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths


def read_areas(path: str | Path) -> pd.DataFrame:
    """Strategic priorities (P1-P4) and cross-cutting areas (X1-X2)."""
    return pd.read_csv(path, dtype=str, keep_default_na=False)


def read_outcomes(path: str | Path) -> pd.DataFrame:
    """The ten outcomes with their area and strategic lines of action (SLA) counts."""
    return pd.read_csv(path, dtype={"outcome_id": str, "area_id": str, "name": str})


def outcome_labels(path: str | Path) -> dict[str, str]:
    """'1' -> 'Outcome 1: Integral social development strategy, ...' in outcome order."""
    outcomes = read_outcomes(path)
    return {
        row.outcome_id: f"Outcome {row.outcome_id}: {row.name}" for row in outcomes.itertuples()
    }


def cross_cutting_labels(path: str | Path) -> dict[str, str]:
    """'X1' -> 'Cross-cutting: Gender equality and empowerment of women and girls'."""
    areas = read_areas(path)
    cross = areas[areas["area_type"] == "cross_cutting"]
    return {row.area_id: f"Cross-cutting: {row.name}" for row in cross.itertuples()}


def group_labels(
    outcomes_path: str | Path = paths.FRAMEWORK_OUTCOMES,
    areas_path: str | Path = paths.FRAMEWORK_AREAS,
) -> dict[str, str]:
    """Label of every group a page reports on: the outcomes ('1'..'10') in order, then the
    cross-cutting areas ('X1', 'X2')."""
    return {**outcome_labels(outcomes_path), **cross_cutting_labels(areas_path)}


def read_state_names(path: str | Path = paths.STATE_NAMES) -> pd.DataFrame:
    """INEGI's catalogue of the 32 states (CVE_ENT code, names), every column as text."""
    return pd.read_csv(path, dtype=str)


def area_names(path: str | Path = paths.FRAMEWORK_AREAS) -> dict[str, str]:
    """'P1' -> 'Equality and inclusion', for every area."""
    areas = read_areas(path)
    return dict(zip(areas["area_id"], areas["name"], strict=True))
