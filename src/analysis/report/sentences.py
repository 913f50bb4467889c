"""Sentences built from the tidy table and the model outputs (numbers computed, never typed; the
words are templates in report/text/<lang>.yaml, sections `sentences` and `words`)."""

from __future__ import annotations

import pandas as pd

from analysis.clean.states import dispersion
from analysis.clean.tidy import series_values
from analysis.core.periods import from_step_count, step_count
from analysis.models.progress import ZERO_REPLACEMENT, representatives
from analysis.models.status import BAD, GOOD, LIMITED, MODERATE, NOT_ASSESSED, STATUS_ORDER
from analysis.report.display import reading_order, row_unit, unstable_fit
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
from analysis.report.precision import below_precision
from analysis.report.words import (
    change_amount,
    change_words,
    enumerate_words,
    fmt_pct,
    lower_first,
)
from analysis.snapshot.catalog import STATE_CODES


def literal(name: str) -> str:
    """A name as Markdown prose shows it: '$' escaped, so that two of them ('$3.00 ... $4.20')
    never open maths in pandoc or nbconvert."""
    return name.replace("$", "\\$")


def name_list(names: list[str]) -> str:
    """Names joined for a sentence: 'a, b and c'; with semicolons ('a; b; and c') as soon as one
    name has a comma of its own ('WJP Rule of Law Index, factor 4: ...'), so the list parses."""
    if len(names) > 1 and any("," in name for name in names):
        return text(
            "sentences.names_last",
            items=label("sentences", "names_separator").join(names[:-1]),
            last=names[-1],
        )
    return enumerate_words(names)


def _names(rows: pd.DataFrame) -> str:
    """The rows' names in a sentence, alphabetically, each with the precision mark where its
    verdict rests on a change smaller than the published precision (precision.marked)."""
    mark = label("precision", "mark")
    names = sorted(
        (
            literal(lower_first(row["name"])) + (f" ({mark})" if below_precision(row) else "")
            for _, row in rows.iterrows()
        ),
        key=str.lower,
    )
    return name_list(names)


#: Verdict groups as sentences name them, best first: (key of the group's label, statuses).
VERDICT_GROUPS: tuple[tuple[str, frozenset[str]], ...] = (
    ("group_good", GOOD),
    ("group_moderate", frozenset({MODERATE})),
    ("group_limited", frozenset({LIMITED})),
    ("group_bad", BAD),
)


def verdict_groups(assessed: pd.DataFrame) -> list[tuple[str, pd.DataFrame]]:
    """The assessed concepts by verdict group, best first, every group with a concept (so no
    verdict is left unnamed), then those that passed a target date without reaching it."""
    groups = [
        (key, assessed[assessed["status"].isin(statuses)]) for key, statuses in VERDICT_GROUPS
    ]
    groups.append(("group_missed", assessed[assessed["target_missed"].astype(bool)]))
    return [(key, rows) for key, rows in groups if not rows.empty]


def verdict_phrase(progress: pd.DataFrame) -> str:
    """A group's verdicts as a clause and sentences: concepts assessed of those with a desired
    direction, then every verdict group with its concepts (substantial, moderate, limited,
    against the desired direction) and those that missed a passed target date."""
    heads = representatives(progress)
    if heads.empty:
        return label("sentences", "verdict_none")
    assessed = heads[heads["status"] != NOT_ASSESSED]
    phrase = text(
        "sentences.verdict_assessed", assessed=len(assessed), concepts=count(len(heads), "concept")
    )
    for key, rows in verdict_groups(assessed):
        phrase += text("sentences.verdict_group", group=label("sentences", key), names=_names(rows))
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
    """A paragraph on a run: how many concepts were assessed (each survey measurement counted
    once) and how many per status; then one bullet per verdict group naming its concepts."""
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
    bullets = [
        text_n(
            "sentences.progress_group", len(rows), group=label("sentences", key), names=_names(rows)
        )
        for key, rows in verdict_groups(assessed)
    ]
    return paragraph + "\n\n" + "\n".join(bullets)


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
    prediction interval, otherwise within the range the trend allows; no comparison with a trend
    whose fit did not converge."""
    if pd.isna(row.get("trend_position_latest")) or not row.get("trend_position_latest"):
        return ""
    unit, shock_year = str(row["unit"]), int(row["shock_year"])
    trend = (
        text("sentences.trend_first_quarter", shock_year=shock_year)
        if bool(row.get("first_quarter_values"))
        else text("sentences.trend_pre", shock_year=shock_year)
    )
    if unstable_fit(row.get("trend_converged")):  # as the trend table: not read
        return text("sentences.trend_unstable", trend=trend)
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
        row["gap_latest"], row.get("gap_pct_latest"), row["change_unit"], row_unit(row)
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


def _given(row: pd.Series, key: str) -> bool:
    """Whether a recovery row has a value in `key` (not missing, not empty)."""
    value = row.get(key)
    return value is not None and not (isinstance(value, float) and pd.isna(value)) and value != ""


def _later_clause(row: pd.Series, back: str) -> str:
    """After a run that ended before the data did: how many of the later values used were also
    back at the reference (all, some or none of them)."""
    n, k = int(row["later_values"]), int(row["later_at_reference"])
    fields = {"k": k, "last": period_label(row["last_period"]), "back": back}
    if k == n:
        return text_n("sentences.recovery_later_all", n, **fields)
    if k == 0:
        return text_n("sentences.recovery_later_none", n, **fields)
    return text("sentences.recovery_later_some", n=n, **fields)


def recovered_clause(row: pd.Series, back: str) -> str:
    """When the series got back to its reference and for how long, and why the run stops: it
    lasts to the latest period ('has stayed ... since'), or a gap in the data ends it (said as
    such, with the later values), or a value fell back."""
    freq, held = str(row["freq"]), int(row["recovery_held"])
    period = period_label(row["recovery_period"])
    reason = row.get("recovery_run_end_reason") if _given(row, "recovery_run_end_reason") else None
    if reason == "latest":
        return text_n(
            "sentences.recovery_since",
            held,
            back=back,
            period=period,
            period_noun=noun(1, freq),
            last=period_label(row["last_period"]),
        )
    run_end = (
        row["recovery_run_end"]
        if _given(row, "recovery_run_end")
        else from_step_count(step_count(str(row["recovery_period"]), freq) + held - 1, freq)
    )
    clause = text_n(
        "sentences.recovery_run",
        held,
        back=back,
        period=period,
        run_end=period_label(run_end),
        held=held,
        periods=noun(held, freq),
    )
    if reason is None:  # a table without the run's end: its length only
        return clause
    if reason == "gap":
        gap_start = period_label(_next_period(str(row["recovery_run_end"]), freq))
        clause += text(
            "sentences.recovery_run_gap",
            gap_start=gap_start,
            gap_end=period_label(row["recovery_gap_end"]),
        )
    else:
        key = "fell_back" if reason == "fell back" else "no_reference"
        clause += label("sentences", f"recovery_run_{key}")
    return clause + _later_clause(row, back)


def _next_period(period: str, freq: str) -> str:
    return from_step_count(step_count(period, freq) + 1, freq)


def coverage_clause(row: pd.Series) -> str:
    """' The series has a value for 44 of the 84 months from January 2018 to December 2024.':
    said of a sub-annual series with gaps, so a reader knows how much a dating rests on."""
    freq = str(row["freq"])
    first, last = str(row.get("first_period", "")), str(row["last_period"])
    if not _given(row, "first_period") or freq == "A":
        return ""
    span = step_count(last, freq) - step_count(first, freq) + 1
    n = int(row["n_points"])
    if n >= span:
        return ""
    return text(
        "sentences.recovery_coverage",
        n=n,
        span=span,
        periods=noun(span, freq),
        first=period_label(first),
        last=period_label(last),
    )


def break_sentence(row: pd.Series) -> str:
    """The values after a declared series break: how many, which months, that nothing uses
    them, and the package's reason; with the coverage of the values that are used."""
    n = int(row["n_after_break"]) if _given(row, "n_after_break") else 0
    if n == 0:
        return coverage_clause(row)
    first, last = period_label(row["first_after_break"]), period_label(row["last_after_break"])
    later = first if n == 1 else text("sentences.recovery_later_span", first=first, last=last)
    return text_n(
        "sentences.recovery_break",
        n,
        coverage_clause=coverage_clause(row),
        later=later,
        reason=str(row["break_reason"]),
    )


def recovery_sentence(row: pd.Series) -> str:
    """One sentence per recovery series, from the recovery table (units from the indicator map):
    changes of shares and rates in percentage points, of levels and counts in percent; a series
    that never worsened is said to have stayed better than its reference (no 'depth'); values
    after a declared series break are counted and named, never used."""
    if pd.isna(row["reference_period"]):
        return text("sentences.recovery_too_short", name=lower_first(row["name"]))
    unit = str(row["unit"])
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
                row["depth"], row.get("depth_pct"), row["change_unit"], row_unit(row)
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
        sentence = text(
            "sentences.recovery_never_worse",
            reference_kind=reference_kind,
            side=label("words", "above" if up else "below"),
            extreme=label("sentences", "recovery_extreme_up" if up else "recovery_extreme_down"),
            **points,
        )
        return sentence + trend_clause(row) + "." + _notes(row) + break_sentence(row)
    else:
        sentence = text(
            "sentences.recovery_moved",
            reference_kind=reference_kind,
            moved=label("words", "fell" if up else "rose"),
            amount=change_amount(
                row["depth"], row.get("depth_pct"), row["change_unit"], row_unit(row)
            ),
            **points,
        )
        back = text("sentences.recovery_back", side=label("words", "above" if up else "below"))
    if row["recovery_status"] == "recovered":
        sentence += recovered_clause(row, back)
    elif row["recovery_status"] == "not yet recovered":
        sentence += text("sentences.recovery_not_yet", period=period_label(row["last_period"]))
    return sentence + trend_clause(row) + "." + _notes(row) + break_sentence(row)


def shock_sentence(recovery: pd.DataFrame, trough_id: str = "gdp_real_sa_level") -> str:
    """Where the shock period starts, as the models date it (the parameter shock_year: its first
    quarter, March, the year itself, the next year for first-quarter values), and the trough of
    `trough_id`'s series, so the page's words match the parameter the models use."""
    year = int(recovery["shock_year"].iloc[0])
    starts = []
    for freq in ("Q", "M", "A"):
        rows = recovery[(recovery["freq"] == freq) & ~recovery["first_quarter_values"].astype(bool)]
        if rows.empty:
            continue
        key = "sentences.shock_start_M" if freq == "M" else "sentences.shock_start_freq"
        starts.append(
            text(
                key,
                period=period_label(str(rows["shock_start"].iloc[0])),
                freq=label("figure", f"frequency_{freq}"),
            )
        )
    first_quarter = recovery[recovery["first_quarter_values"].astype(bool)]
    trough = recovery[recovery["indicator_id"] == trough_id]
    return text(
        "sentences.shock_periods",
        year=year,
        starts=enumerate_words(starts),
        first_quarter_clause=(
            text("sentences.shock_first_quarter", year=year, next_year=year + 1)
            if not first_quarter.empty
            else ""
        ),
        trough_clause=(
            text(
                "sentences.shock_trough",
                name=lower_first(str(trough["name"].iloc[0])),
                period=period_label(str(trough["worst_period"].iloc[0])),
            )
            if not trough.empty
            else ""
        ),
    )


def trend_window_sentence(recovery: pd.DataFrame) -> str:
    """How the pre-shock trend window is set, with its length from the run's parameter; cites the
    IMF method without claiming to match the chapter's own window."""
    return text("sentences.trend_window", years=int(recovery["trend_window_years"].iloc[0]))


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


def method_sentence(progress: pd.DataFrame, end_year: int) -> str:
    """How a run's verdicts were reached, counted: how many assessed indicators are measured
    against a quantified target (named) and how many by the direction of change alone; and, when
    targets are dated after the run's horizon, that each is measured on the path to its own year."""
    assessed = progress[progress["status"] != NOT_ASSESSED]
    targets = assessed[(assessed["method"] == "target") & assessed["target_value"].notna()]
    direction = len(assessed) - len(targets)
    if targets.empty:
        return text("sentences.methods_none", assessed=count(len(assessed), "indicator"))
    sentence = text(
        "sentences.methods",
        assessed=count(len(assessed), "indicator"),
        targets_clause=text_n(
            "sentences.methods_targets",
            len(targets),
            names=name_list(
                sorted((literal(lower_first(n)) for n in targets["name"]), key=str.lower)
            ),
        ),
        direction=direction,
    )
    years = targets["target_year"].dropna().astype(int)
    later = years[years > end_year]
    if not later.empty:
        sentence += " " + text_n(
            "sentences.methods_later",
            len(later),
            years=enumerate_words([str(y) for y in sorted(set(later))]),
            end_year=end_year,
        )
    return sentence


def zero_target_sentences(progress: pd.DataFrame) -> str:
    """For each verdict against a target of zero: Open SDG replaces the zero by ZERO_REPLACEMENT
    (the growth-rate measure cannot reach zero), which sets the pace needed; what that pace is,
    the pace observed, the ratio and the verdict, and the direction-only verdicts of the same
    concept beside it. Empty when no target is zero."""
    rows = progress[
        (progress["method"] == "target")
        & (progress["target_value"] == 0)
        & (progress["status"] != NOT_ASSESSED)
    ]
    sentences = []
    for _, row in rows.iterrows():
        peers = progress[
            (progress["concept"] == row["concept"])
            & (progress["indicator_id"] != row["indicator_id"])
            & (progress["status"] != NOT_ASSESSED)
        ]
        peer_clause = (
            text(
                "sentences.zero_target_peers",
                peers=name_list(
                    [
                        f"{literal(lower_first(p['name']))} ({status_name(p['status'])})"
                        for _, p in peers.iterrows()
                    ]
                ),
            )
            if not peers.empty
            else ""
        )
        sentences.append(
            text(
                "sentences.zero_target",
                name=literal(row["name"]),
                target_year=int(row["target_year"]),
                replacement=f"{ZERO_REPLACEMENT:g}",
                base=fmt_pct(row["base_value"]),
                base_year=row["base_period"],
                latest=fmt_pct(row["latest_value"]),
                latest_year=row["latest_period"],
                needed=f"{abs(100 * row['cagr_required']):.1f}",
                observed=f"{abs(100 * row['cagr_actual']):.1f}",
                ratio=f"{row['ratio']:.2f}",
                status=status_name(row["status"]),
                peer_clause=peer_clause,
            )
        )
    return "\n\n".join(sentences)


#: Fewer annual points than this in a Framework-run window make its verdict provisional: the
#: compound growth then rests on two or three readings, one of them often the shock year.
MIN_WINDOW_POINTS = 4


def window_caveats(
    progress: pd.DataFrame, shock_year: int, min_points: int = MIN_WINDOW_POINTS
) -> str:
    """Markdown: how many assessed verdicts rest on fewer than `min_points` annual points or on
    a window that ends in the shock year or the year after it (the change then mostly measures
    the shock), then one bullet each with its points, years and verdict; empty when none."""
    lines = []
    assessed = reading_order(progress[progress["status"] != NOT_ASSESSED])
    for _, row in assessed.iterrows():
        base, latest = int(row["base_period"]), int(row["latest_period"])
        reasons = []
        if int(row["n_points"]) < min_points:
            reasons.append(
                text_n("sentences.caveat_points", int(row["n_points"]), base=base, latest=latest)
            )
        if base <= shock_year <= latest <= shock_year + 1:
            key = "caveat_shock_year" if latest == shock_year else "caveat_after_shock"
            reasons.append(text(f"sentences.{key}", latest=latest, shock_year=shock_year))
        if reasons:
            lines.append(
                text(
                    "sentences.caveat_row",
                    name=literal(row["name"]),
                    reasons=enumerate_words(reasons),
                    status=status_name(row["status"]),
                )
            )
    if not lines:
        return ""
    intro = text_n(
        "sentences.caveat_intro", len(lines), min_points=min_points, shock_year=shock_year
    )
    return intro + "\n\n" + "\n".join(lines)


#: Spreads across states and what they are computed from (clean.states.derived_rows): the state
#: indicator, its series, and the companion range.
SPREADS: dict[str, tuple[str, str]] = {
    "poverty_state_cv": ("poverty_multidimensional_pct", "lineamientos_2018"),
    "gdp_per_person_state_cv": ("gdp_per_person_state", "pibe_conapo"),
}


def spread_sentence(tidy: pd.DataFrame, row: pd.Series) -> str:
    """Why a coefficient of variation across states can 'deteriorate' while the gap between
    states narrows: the CV is the standard deviation over the mean, and it rises when the mean
    falls faster than the standard deviation. Computed from the state values of the base and
    latest years; empty unless the CV rose while the mean and the standard deviation both fell
    (the case where the verdict and the gap in the unit seem to disagree)."""
    indicator, series = SPREADS[row["indicator_id"]]
    states = tidy[
        (tidy["indicator_id"] == indicator)
        & (tidy["series"] == series)
        & tidy["geo"].isin(STATE_CODES)
    ]
    base, latest = (
        states[states["period"] == str(p)].set_index("geo")["value"]
        for p in (row["base_period"], row["latest_period"])
    )
    if base.empty or latest.empty or not row["change"] > 0:
        return ""
    if not (latest.mean() < base.mean() and latest.std(ddof=0) < base.std(ddof=0)):
        return ""
    spread = dispersion(tidy, indicator, series).set_index("period")
    unit = str(states["unit"].iloc[0])
    amount = label("units", "percentage points") if unit.startswith("%") else unit
    fell = int((latest.reindex(base.index) < base).sum())
    return text(
        "sentences.spread",
        name=literal(row["name"]),
        cv_base=fmt_pct(row["base_value"]),
        cv_latest=fmt_pct(row["latest_value"]),
        base=row["base_period"],
        latest=row["latest_period"],
        status=status_name(row["status"]),
        mean_base=f"{base.mean():,.1f}",
        mean_latest=f"{latest.mean():,.1f}",
        mean_fall=fmt_pct(100 * (1 - latest.mean() / base.mean())),
        sd_base=f"{base.std(ddof=0):,.1f}",
        sd_latest=f"{latest.std(ddof=0):,.1f}",
        sd_change=fmt_pct(100 * abs(1 - latest.std(ddof=0) / base.std(ddof=0))),
        range_base=f"{spread.loc[str(row['base_period']), 'range']:,.1f}",
        range_latest=f"{spread.loc[str(row['latest_period']), 'range']:,.1f}",
        unit=amount,
        fell=fell,
        states=len(base),
    )


def spread_sentences(tidy: pd.DataFrame, progress: pd.DataFrame) -> str:
    """`spread_sentence` of every spread across states in `progress` that needs one."""
    rows = progress[progress["indicator_id"].isin(SPREADS) & (progress["status"] != NOT_ASSESSED)]
    return "\n\n".join(s for s in (spread_sentence(tidy, r) for _, r in rows.iterrows()) if s)
