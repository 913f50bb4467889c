"""The summary page's findings: one computed sentence per theme and per Framework area."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.report.areas import indicators_in
from analysis.report.sentences import poverty_sentence, recovery_sentence, verdict_phrase
from analysis.snapshot.catalog import Catalog


def area_findings(
    progress: pd.DataFrame, catalog: Catalog, labels: dict[str, str], areas: dict[str, list[str]]
) -> str:
    """One bullet per strategic priority and cross-cutting area, from the Framework-run statuses."""
    framework = progress[progress["run"] == "framework"]
    lines = []
    for area, groups in areas.items():
        ids = sorted({i for g in groups for i in indicators_in(g, catalog)})
        lines.append(
            f"- **{labels[area]}**: {verdict_phrase(framework[framework['indicator_id'].isin(ids)])}."
        )
    return "\n".join(lines)


def informality_sentence(tidy: pd.DataFrame, progress: pd.DataFrame) -> str:
    """Latest informality rate (TIL1), its pre-pandemic value and the Framework-run status."""
    values = series_values(tidy, "informality_rate", "inmujeres_enoe")
    women = series_values(tidy, "informality_rate_women", "inmujeres_enoe")
    row = progress[
        (progress["run"] == "framework") & (progress["indicator_id"] == "informality_rate")
    ].iloc[0]
    last = values.index[-1]
    return (
        f"Informality (INEGI's TIL1 rate, Inmujeres' first-quarter values) stood at {values[last]:.1f}% "
        f"of the employed in the first quarter of {last}, against {values['2019']:.1f}% in the first "
        f"quarter of 2019 ({women[last]:.1f}% among women); over the Framework period that is "
        f"{row['status']}: more than half of workers remain informal."
    )


def key_findings(
    tidy: pd.DataFrame, progress: pd.DataFrame, recovery: pd.DataFrame, poverty_series: str
) -> str:
    """The headline bullets: poverty, output and jobs recovery, unemployment, informality."""
    rec = recovery.set_index("indicator_id", drop=False)
    bullets = [
        "**Poverty.** " + poverty_sentence(tidy, poverty_series),
        recovery_sentence(rec.loc["gdp_real_sa_level"]),
        recovery_sentence(rec.loc["imss_registered_jobs"]),
        recovery_sentence(rec.loc["unemployment_rate"]),
        "**Informality.** " + informality_sentence(tidy, progress),
    ]
    return "\n\n".join(f"- {b}" for b in bullets)
