"""Every location the pipeline reads or writes, relative to the repository root (where make runs).

One module, so a folder can move by changing one line, and notebooks and steps never spell a path.
"""

from __future__ import annotations

from pathlib import Path

PARAMS_FILE = Path("params.yaml")
LOCK_FILE = Path("requirements.lock")

# ---- the embedded snapshot (never written by the pipeline) ----
RAW_DIR = Path("data/raw")
PACKAGE = RAW_DIR / "datapackage.json"
FRAMEWORK_DIR = RAW_DIR / "framework"
FRAMEWORK_AREAS = FRAMEWORK_DIR / "framework_areas.csv"
FRAMEWORK_OUTCOMES = FRAMEWORK_DIR / "framework_outcomes.csv"
OUTCOME_NOTES = FRAMEWORK_DIR / "outcome_results.csv"
PUBLISHED_FIGURES = FRAMEWORK_DIR / "published_figures.csv"
STATE_NAMES = RAW_DIR / "inegi" / "catalogo_entidades.csv"
#: Simplified state boundaries (GeoJSON, CRS84), for choropleth maps only.
STATE_GEOMETRY = RAW_DIR / "inegi" / "estados_simplificado.geojson"
#: Why an outcome or cross-cutting area rests on fewer than two assessed indicators.
EVIDENCE_GAPS = FRAMEWORK_DIR / "evidence_gaps.csv"

# ---- generated tables ----
PROCESSED_DIR = Path("data/processed")
VALIDATION = PROCESSED_DIR / "validation.json"
INDICATORS = PROCESSED_DIR / "indicators.csv"
#: The tables the models step writes, by name (<name>.csv in PROCESSED_DIR).
MODEL_TABLES = (
    "progress",
    "progress_by_outcome",
    "progress_by_cross_cutting",
    "recovery",
    "counterfactuals",
    "forecasts",
    "method_coverage",
)


def model_table(name: str, folder: str | Path = PROCESSED_DIR) -> Path:
    """Where the models step writes the table `name`; an unknown name is a KeyError."""
    if name not in MODEL_TABLES:
        raise KeyError(f"'{name}' is not a model table (known: {', '.join(MODEL_TABLES)})")
    return Path(folder) / f"{name}.csv"


# ---- build records ----
BUILD_DIR = Path("build")
PARAM_STAMPS_DIR = BUILD_DIR / "params"
TIMINGS_DIR = BUILD_DIR / "timings"
FAILED_DIR = BUILD_DIR / "failed"

# ---- the reports ----
REPORTS_DIR = Path("reports")
# Files beside each page (figures, the CSV behind every exhibit), one folder per page.
EXHIBITS_DIR = REPORTS_DIR / "exhibits"
NOTEBOOKS_DIR = Path("notebooks")
