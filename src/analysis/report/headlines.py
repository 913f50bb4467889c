"""The summary page's findings: one computed sentence per theme and per Framework area (words in
report/text/<lang>.yaml, section `headlines`)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.report.areas import indicators_in
from analysis.report.labels import label, status_name, text
from analysis.report.sentences import poverty_sentence, recovery_sentence, verdict_phrase
from analysis.report.words import fmt_pct
from analysis.snapshot.catalog import Catalog

#: The first quarter before the pandemic that the informality finding compares with.
INFORMALITY_BEFORE = "2019"

#: The recovery rows the key findings quote, in order, and the informality finding's series.
KEY_RECOVERY = ("gdp_real_sa_level", "imss_registered_jobs", "unemployment_rate")
INFORMALITY_SERIES = "inmujeres_enoe"
INFORMALITY_IDS = ("informality_rate", "informality_rate_women")
#: The CONEVAL indicators the poverty finding quotes (sentences.poverty_sentence).
POVERTY_IDS = (
    "poverty_multidimensional_pct",
    "poverty_extreme_pct",
    "poverty_multidimensional_persons",
)


def key_findings_series(recovery: pd.DataFrame, poverty_series: str) -> list[tuple[str, str]]:
    """The (indicator, series) pairs the key findings quote, for the page's source list."""
    series = recovery.set_index("indicator_id")["series"]
    return [
        *((i, poverty_series) for i in POVERTY_IDS),
        *((i, str(series[i])) for i in KEY_RECOVERY),
        *((i, INFORMALITY_SERIES) for i in INFORMALITY_IDS),
    ]


def area_findings(
    progress: pd.DataFrame, catalog: Catalog, labels: dict[str, str], areas: dict[str, list[str]]
) -> str:
    """One bullet per strategic priority and cross-cutting area, from the Framework-run statuses."""
    framework = progress[progress["run"] == "framework"]
    lines = []
    for area, groups in areas.items():
        ids = sorted({i for g in groups for i in indicators_in(g, catalog)})
        verdicts = verdict_phrase(framework[framework["indicator_id"].isin(ids)])
        lines.append(text("headlines.area_finding", area=labels[area], verdicts=verdicts))
    return "\n".join(lines)


def informality_sentence(tidy: pd.DataFrame, progress: pd.DataFrame) -> str:
    """Latest informality rate (TIL1), its pre-pandemic value and the Framework-run status."""
    values = series_values(tidy, INFORMALITY_IDS[0], INFORMALITY_SERIES).dropna()
    women = series_values(tidy, INFORMALITY_IDS[1], INFORMALITY_SERIES).dropna()
    row = progress[
        (progress["run"] == "framework") & (progress["indicator_id"] == "informality_rate")
    ].iloc[0]
    last = values.index[-1]
    return text(
        "headlines.informality",
        latest=fmt_pct(values[last]),
        last=last,
        before=fmt_pct(values[INFORMALITY_BEFORE]),
        before_year=INFORMALITY_BEFORE,
        women=fmt_pct(women[last]),
        status=status_name(row["status"]),
        majority_clause=label("headlines", "informality_majority") if values[last] > 50 else "",
    )


def key_findings(
    tidy: pd.DataFrame, progress: pd.DataFrame, recovery: pd.DataFrame, poverty_series: str
) -> str:
    """The headline bullets: poverty, output and jobs recovery, unemployment, informality."""
    rec = recovery.set_index("indicator_id", drop=False)
    bullets = [
        text("headlines.poverty_lead", sentence=poverty_sentence(tidy, poverty_series)),
        *(recovery_sentence(rec.loc[i]) for i in KEY_RECOVERY),
        text("headlines.informality_lead", sentence=informality_sentence(tidy, progress)),
    ]
    return "\n\n".join(text("headlines.bullet", text=b) for b in bullets)
