"""Source tables for the reports, read from datapackage.json so the pages never restate them by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from analysis.core import paths
from analysis.snapshot.validate import load_descriptor


def sources_table(
    package_path: str | Path, resource_names: list[str] | None = None
) -> pd.DataFrame:
    """One row per raw resource: publisher, table, vintage, access date, licence, official URL."""
    descriptor = load_descriptor(Path(package_path))
    rows = []
    for resource in descriptor["resources"]:
        if resource_names is not None and resource["name"] not in resource_names:
            continue
        provenance = resource["x-provenance"]
        rows.append(
            {
                "Source id": resource["name"],
                "Publisher": provenance["publisher"],
                "Table or series": provenance["table"],
                "Vintage": provenance["vintage"],
                "Accessed": provenance["access_date"],
                "Licence": resource["licenses"][0].get("title", resource["licenses"][0]["name"]),
                "Official URL": resource["sources"][0]["path"],
                "File": (paths.RAW_DIR / resource["path"]).as_posix(),
            }
        )
    return pd.DataFrame(rows)


def sources_markdown(package_path: str | Path, resource_names: list[str] | None = None) -> str:
    """The sources as a Markdown bullet list with links (readable in both renderers)."""
    table = sources_table(package_path, resource_names)
    lines = [
        f"- **{row['Publisher']}**: {row['Table or series']}. Vintage: {row['Vintage']}; accessed "
        f"{row['Accessed']}. Licence: {row['Licence']}. [Official page]({row['Official URL']}); "
        f"file `{row['File']}`."
        for _, row in table.iterrows()
    ]
    return "\n".join(lines)


def source_ids(tidy: pd.DataFrame, indicators: list[str], series: list[str]) -> list[str]:
    """Sorted source ids of the national rows of `indicators` in `series` (a page's sources)."""
    shown = tidy[
        (tidy["geo"] == "MEX") & tidy["indicator_id"].isin(indicators) & tidy["series"].isin(series)
    ]
    return sorted(shown["source_id"].unique())


def source_ids_for(tidy: pd.DataFrame, pairs: list[tuple[str, str]]) -> list[str]:
    """Sorted source ids of the national rows of exactly these (indicator, series) pairs: the
    sources of what a page quotes, derived from the pairs its functions use."""
    wanted = pd.MultiIndex.from_tuples(pairs, names=["indicator_id", "series"])
    national = tidy[tidy["geo"] == "MEX"]
    keys = pd.MultiIndex.from_frame(national[["indicator_id", "series"]])
    return sorted(national.loc[keys.isin(wanted), "source_id"].unique())
