"""Sentences built from the tidy table and the model outputs (numbers computed, never typed; the
words are templates in report/text/<lang>.yaml, sections `sentences` and `words`)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.tidy import series_values
from analysis.models.progress import representatives
from analysis.models.status import BAD, GOOD, NOT_ASSESSED, STATUS_ORDER
from analysis.report.labels import (
    catalog,
    count,
    label,
    noun,
    period_label,
    series_label,
    status_name,
    text,
    text_n,
)
from analysis.report.words import (
    change_amount,
    change_words,
    enumerate_words,
    fmt_pct,
    lower_first,
)


def _names(rows: pd.DataFrame) -> str:
    return enumerate_words(sorted(lower_first(name) for name in rows["name"]))


def verdict_phrase(progress: pd.DataFrame) -> str:
    """A group's verdicts in one clause: concepts assessed of those with a desired direction, then
    which did well, which moved against the desired direction, which missed a passed target date."""
    heads = representatives(progress)
    if heads.empty:
        return label("sentences", "verdict_none")
    assessed = heads[heads["status"] != NOT_ASSESSED]
    phrase = text(
        "sentences.verdict_assessed", assessed=len(assessed), concepts=count(len(heads), "concept")
    )
    groups = [
        ("group_good", assessed[assessed["status"].isin(GOOD)]),
        ("group_bad", assessed[assessed["status"].isin(BAD)]),
        ("group_missed", assessed[assessed["target_missed"].astype(bool)]),
    ]
    for key, rows in groups:
        if not rows.empty:
            phrase += text(
                "sentences.verdict_group", group=label("sentences", key), names=_names(rows)
            )
    return phrase


def groups_without_evidence(progress: pd.DataFrame, labels: dict[str, str]) -> list[str]:
    """Labels of the groups (outcomes, cross-cutting areas) where no indicator with a desired
    direction could be assessed in this run."""
    from analysis.report.areas import with_all_groups

    rows = with_all_groups(progress)
    assessed = rows[rows["status"] != NOT_ASSESSED]
    covered = {g for groups in assessed["outcomes"].str.split(";") for g in groups if g}
    return [label for group, label in labels.items() if group not in covered]


def reading_notes(
    progress: pd.DataFrame,
    labels: dict[str, str],
    framework: tuple[int, int],
    sdg: tuple[int, int],
) -> str:
    """The summary page's "how to read" bullets, with the runs' years and the groups without
    evidence computed from the parameters and the progress table."""
    missing = groups_without_evidence(progress[progress["run"] == "framework"], labels)
    gap = (
        text_n("sentences.reading_gap", len(missing), groups=enumerate_words(missing))
        if missing
        else ""
    )
    return "\n".join(
        [
            label("sentences", "reading_statuses"),
            text(
                "sentences.reading_runs",
                framework_base=framework[0],
                framework_end=framework[1],
                sdg_base=sdg[0],
                sdg_end=sdg[1],
            ),
            text("sentences.reading_insufficient", gap_clause=gap),
            label("sentences", "reading_poverty"),
            label("sentences", "reading_vintages"),
        ]
    )


def progress_headline(progress: pd.DataFrame, base_year: int, end_year: int) -> str:
    """One paragraph on a run: how many concepts were assessed (each survey measurement counted
    once), how many per status, which moved against the desired direction and which did well."""
    heads = representatives(progress)
    assessed = heads[heads["status"] != NOT_ASSESSED]
    counts = assessed["status"].value_counts()
    parts = [
        text("sentences.status_count", n=counts[s], status=status_name(s))
        for s in STATUS_ORDER
        if s in counts
    ]
    insufficient = len(heads) - len(assessed)
    paragraph = text_n(
        "sentences.progress_intro",
        len(progress),
        indicators=count(len(progress), "indicator"),
        concepts=count(len(heads), "concept"),
    )
    if assessed.empty:
        return (
            paragraph
            + " "
            + text("sentences.progress_none", base_year=base_year, end_year=end_year)
        )
    paragraph += " " + text_n(
        "sentences.progress_assessed",
        len(assessed),
        base_year=base_year,
        end_year=end_year,
        counts=enumerate_words(parts),
    )
    paragraph += (
        "." if insufficient == 0 else text_n("sentences.progress_insufficient", insufficient)
    )
    missed = assessed[assessed["target_missed"].astype(bool)]
    bad = assessed[assessed["status"].isin(BAD)]
    good = assessed[assessed["status"].isin(GOOD)]
    for key, rows in [("progress_bad", bad), ("progress_missed", missed), ("progress_good", good)]:
        if not rows.empty:
            paragraph += text(f"sentences.{key}", names=_names(rows))
    return paragraph


def _fmt(value: float, unit: str) -> str:
    """A level as a sentence states it, with its unit: '43.9%', 'MXN 24.2 trillion',
    '22.5 million jobs' (the unit's words and scale from the text file's `levels`)."""
    if pd.isna(value):
        raise ValueError("a value to state is missing")
    if "%" in unit:
        return fmt_pct(value)
    for entry in catalog()["levels"]:
        if unit.startswith(entry["unit"]):
            return entry["template"].format(value=value * float(entry.get("scale", 1)))
    return f"{value:,.0f} {unit}"


def level_words(level: float) -> str:
    """0.95 -> '95%', 0.9 -> '90%' (the confidence level of an interval)."""
    shown = f"{100 * level:.0f}" if round(100 * level) == 100 * level else f"{100 * level:g}"
    return text("words.percent", value=shown)


def trend_clause(row: pd.Series) -> str:
    """Where the latest value stands against the pre-shock trend: 'above'/'below' only outside the
    prediction interval, otherwise within the range the trend allows."""
    if pd.isna(row.get("trend_position_latest")) or not row.get("trend_position_latest"):
        return ""
    unit, shock_year = str(row["unit"]), int(row["shock_year"])
    trend = (
        text("sentences.trend_first_quarter", shock_year=shock_year)
        if bool(row.get("first_quarter_values"))
        else text("sentences.trend_pre", shock_year=shock_year)
    )
    fields = {
        "period": period_label(row["last_period"]),
        "trend": trend,
        "level": level_words(float(row["confidence_level"])),
        "band": text(
            "sentences.band",
            low=_fmt(row["trend_lower_latest"], unit),
            high=_fmt(row["trend_upper_latest"], unit),
        ),
    }
    if row["trend_position_latest"] == "within":
        return text("sentences.trend_within", **fields)
    gap = change_amount(
        row["gap_latest"], row.get("gap_pct_latest"), row["change_unit"], row.get("unit", "")
    )
    side = label("words", str(row["trend_position_latest"]))
    return text("sentences.trend_outside", gap=gap, side=side, **fields)


def _label(row: pd.Series) -> str:
    key = (
        "sentences.recovery_label_first_quarter"
        if bool(row.get("first_quarter_values"))
        else "sentences.recovery_label"
    )
    return text(key, name=row["name"], series=series_label(str(row["series"])))


def _notes(row: pd.Series) -> str:
    if bool(row.get("first_quarter_values")) and row.get("notes"):
        return text("sentences.recovery_notes", notes=row["notes"])
    return ""


def recovery_sentence(row: pd.Series) -> str:
    """One sentence per recovery series, from the recovery table (units from the indicator map):
    changes of shares and rates in percentage points, of levels and counts in percent."""
    if pd.isna(row["reference_period"]):
        return text("sentences.recovery_too_short", name=lower_first(row["name"]))
    unit, freq = str(row["unit"]), str(row["freq"])
    up = row["direction"] == 1
    worsened = row["direction"] * (row["worst_value"] - row["reference_value"]) < 0
    points = {
        "label": _label(row),
        "reference": _fmt(row["reference_value"], unit),
        "reference_period": period_label(row["reference_period"]),
        "worst": _fmt(row["worst_value"], unit),
        "worst_period": period_label(row["worst_period"]),
    }
    reference_kind = label("sentences", "recovery_peak" if up else "recovery_low")
    if row.get("reference_rule") == "same period":
        ref_year = str(row["reference_period"])[:4]
        sentence = text(
            "sentences.recovery_same_period",
            ref_year=ref_year,
            side=label("words", "below" if worsened else "above"),
            amount=change_amount(
                row["depth"], row.get("depth_pct"), row["change_unit"], row.get("unit", "")
            ),
            higher_lower=label("words", "lower" if row["depth"] < 0 else "higher"),
            **points,
        )
        back = text(
            "sentences.recovery_same_period_back",
            side=label("words", "above" if up else "below"),
            ref_year=ref_year,
        )
    elif not worsened:
        sentence = text("sentences.recovery_never_worse", reference_kind=reference_kind, **points)
        return sentence + trend_clause(row) + "." + _notes(row)
    else:
        sentence = text(
            "sentences.recovery_moved",
            reference_kind=reference_kind,
            moved=label("words", "fell" if up else "rose"),
            amount=change_amount(
                row["depth"], row.get("depth_pct"), row["change_unit"], row.get("unit", "")
            ),
            **points,
        )
        back = text("sentences.recovery_back", side=label("words", "above" if up else "below"))
    if row["recovery_status"] == "recovered":
        held = int(row["recovery_held"])
        sentence += text(
            "sentences.recovery_recovered",
            back=back,
            period=period_label(row["recovery_period"]),
            held=held,
            periods=noun(held, freq),
        )
    elif row["recovery_status"] == "not yet recovered":
        sentence += text("sentences.recovery_not_yet", period=period_label(row["last_period"]))
    sentence += trend_clause(row) + "." + _notes(row)
    if pd.notna(row.get("last_comparable")) and row.get("last_comparable"):
        sentence += text(
            "sentences.recovery_last_comparable",
            period=period_label(row["last_period"]),
            notes=row["notes"],
        )
    return sentence


def _optional_values(tidy: pd.DataFrame, indicator_id: str, series: str) -> pd.Series:
    """A series' values, empty when the tidy table lacks it (its clause is then left out)."""
    try:
        return series_values(tidy, indicator_id, series).dropna()
    except KeyError:
        return pd.Series(dtype=float)


def poverty_sentence(tidy: pd.DataFrame, series: str) -> str:
    """Headline on multidimensional and extreme poverty over every year of one CONEVAL series."""
    poverty = series_values(tidy, "poverty_multidimensional_pct", series).dropna()
    extreme = _optional_values(tidy, "poverty_extreme_pct", series)
    persons = _optional_values(tidy, "poverty_multidimensional_persons", series)
    if len(poverty) < 2:
        raise ValueError(f"multidimensional poverty needs two years in {series_label(series)}")
    path = enumerate_words(
        [text("sentences.poverty_point", value=fmt_pct(v), period=p) for p, v in poverty.items()]
    )
    first, last = poverty.index[0], poverty.index[-1]
    extreme_path = enumerate_words(
        [
            text("sentences.poverty_extreme_point", value=fmt_pct(v), period=p)
            for p, v in extreme.items()
        ]
    )
    return text(
        "sentences.poverty",
        series=series_label(series),
        path=path,
        change=change_words(poverty[last] - poverty[first]),
        first=first,
        last=last,
        persons_clause=(
            text("sentences.poverty_persons", persons=f"{persons[last]:.1f}", last=last)
            if last in persons.index
            else ""
        ),
        extreme_clause=text("sentences.poverty_extreme", path=extreme_path) if extreme_path else "",
    )
