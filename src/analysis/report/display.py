"""Display tables for the report pages: model outputs as a reviewer reads them, as display-ready
text cells (one precision per unit), with the model values kept apart for each table's CSV."""

from __future__ import annotations

import re

import pandas as pd

from analysis.models.minimums import MIN_POINTS
from analysis.models.status import (
    DETERIORATION,
    LIMITED,
    METHODS,
    MODERATE,
    SUBSTANTIAL,
    TARGET_ACHIEVED,
)
from analysis.models.tables import method_columns, method_name
from analysis.report.labels import catalog as label_catalog
from analysis.report.labels import label, period_label, period_span, text
from analysis.report.precision import marked, signed

#: Characters a table may take at 0.85rem (~7 px each) within Quarto's ~760 px text column,
#: allowing for cell padding.
WIDTH_BUDGET = 105


def _longest_word(text: str) -> int:
    return max((len(w) for w in text.split()), default=0)


def table_width(frame: pd.DataFrame, wrapping: str | None = None) -> int:
    """Characters a table needs without breaking a word: per column the longest header word or
    cell, except `wrapping` (a text column that may wrap at spaces), which needs its longest word."""
    total = 0
    for column in frame.columns:
        cells = ["" if pd.isna(v) else str(v) for v in frame[column]]
        if column == wrapping:
            total += max([_longest_word(str(column)), *(_longest_word(c) for c in cells)])
        else:
            total += max([_longest_word(str(column)), *(len(c) for c in cells)])
    return total


FREQUENCIES = {"A": "annual", "Q": "quarterly", "M": "monthly"}


def value_decimals(change_unit: str, value: float, unit: str = "") -> int:
    """Decimals a value (or a change of it) is shown with, one precision per unit: rates, shares,
    rates per N people and durations 1; coefficients and scores on a 0-1 scale (Gini, WJP) 3, as
    their publishers print them; other indices 2; levels and counts whole from 100, else 1.
    `unit` is the indicator's own unit, which tells a 0-1 index from others of change unit points."""
    if change_unit == "points":
        return 3 if "(0-1)" in unit else 2
    if change_unit == "percent":
        return 0 if abs(value) >= 100 else 1
    return 1


def unit_change(unit: str) -> str:
    """The unit of change a display unit implies, for its precision (as snapshot.catalog's
    change_unit does from an indicator): '%...' -> percentage points, 'per N ...' as it is,
    bounded scores and indices -> points, levels and counts -> percent."""
    text = unit.strip().lower()
    if text.startswith(("%", "percentage points", "percent of")):
        return "percentage points"
    if text.startswith("per "):
        return unit
    if "(0-1)" in text or text.startswith(("estimate", "percentile", "score", "index", "1 =")):
        return "points"
    return "percent"


_ZEROS = re.compile(r"^([+\-]?[\d,]+)\.00+$")


def trim_zeros(text: str) -> str:
    """A number written with two or more decimals that are all zero as the integer it is
    ('5.00' -> '5', '-3.000' -> '-3', '+0.00' -> '0'): integers read as integers."""
    match = _ZEROS.match(text)
    if not match:
        return text
    whole = match.group(1)
    return "0" if whole.lstrip("+-") == "0" else whole


def p_value(p: object) -> str:
    """A p-value to three decimals, '<0.001' below that (never '0.000')."""
    if p is None or pd.isna(p):
        return ""
    return "<0.001" if float(p) < 0.0005 else f"{float(p):.3f}"


def change_decimals_of(change_unit: str, unit: str = "") -> int:
    """Decimals of a change in `change_unit` before a small change gets more
    (precision.change_decimals): those of the indicator's values, 1 for a change in percent."""
    return value_decimals(change_unit, 0.0, unit)


def format_value(value: object, change_unit: str, unit: str = "") -> str:
    """A value in its unit's precision with thousands separators; empty for a gap."""
    if value is None or pd.isna(value):
        return ""
    number = float(value)
    return trim_zeros(f"{number:,.{value_decimals(change_unit, number, unit)}f}")


def format_delta(
    value: object, change_unit: str, percent: object = None, unit: str = "", spelled: bool = False
) -> str:
    """A signed change in its unit of change, at the precision of the indicator's values:
    '-12.3 pp', '+8.9%', '-0.027' (a 0-1 coefficient), '+0.5 years'; a rate per N people as
    '-3.2' (its unit is in the header), or '-3.2 per 100,000 inhabitants' when `spelled`, for
    text without a header. A change that rounding would show as zero or misstate by half gets
    more decimals ('-0.07 pp', precision.change_decimals). Empty where no change was computed."""
    shown = percent if change_unit == "percent" and percent is not None else value
    if shown is None or pd.isna(shown):
        return ""
    amount = signed(float(shown), change_decimals_of(change_unit, unit))
    if change_unit == "percentage points":
        return label("words", "change_pp_short").format(amount=amount)
    if change_unit == "percent":
        return f"{amount}%"
    if change_unit == "points":
        return trim_zeros(amount)
    short = label_catalog()["delta_units"].get(change_unit)  # durations: '+0.5 years'
    if short:
        return f"{amount} {short}"
    return f"{amount} {change_unit}" if spelled else amount


def period_text(period: object) -> str:
    """A period in a table cell: short month names ('Jul 2020'), quarters as 'Q3 2018'."""
    return period_label(period, short=True)


def row_unit(row: pd.Series) -> str:
    """The indicator's own unit of a model row ('coefficient (0-1)'), which sets its precision."""
    unit = row.get("unit", "")
    return "" if unit is None or pd.isna(unit) else str(unit)


def _point(period: object, value: object, change_unit: str, unit: str = "") -> str:
    """'41.9 (2018)', or empty where the run has no such observation."""
    if pd.isna(value):
        return ""
    return f"{format_value(value, change_unit, unit)} ({period_text(period)})"


def _aim(row: pd.Series) -> str:
    """'higher', 'lower', or the quantified target a verdict is measured against ('35.0 by
    2024', '35.0 by 2024, missed' once its year has passed without it)."""
    if row["method"] == "target" and not pd.isna(row["target_value"]):
        target = format_value(row["target_value"], row["change_unit"], row_unit(row))
        missed = ", missed" if bool(row.get("target_missed", False)) else ""
        return f"{target} by {int(row['target_year'])}{missed}"
    return {1: "higher", -1: "lower"}.get(row["direction"], "")


def _percent(value: object) -> str:
    """A compound annual growth rate in % a year, two decimals (rates this small need them)."""
    if value is None or pd.isna(value):
        return ""
    return trim_zeros(f"{100 * float(value):.2f}")


def _two(value: object) -> str:
    return "" if value is None or pd.isna(value) else trim_zeros(f"{float(value):.2f}")


def reading_order(progress: pd.DataFrame) -> pd.DataFrame:
    """Rows in the order a reader looks for them: by Framework outcome (cross-cutting areas
    after the ten outcomes), then by indicator name, never by internal id."""

    def first_outcome(cell: object) -> int:
        numbers = [int(p) for p in str(cell if pd.notna(cell) else "").split(";") if p.isdigit()]
        return min(numbers) if numbers else 99

    key = pd.DataFrame(
        {"outcome": progress["outcomes"].map(first_outcome), "name": progress["name"].str.lower()}
    )
    return progress.loc[key.sort_values(["outcome", "name"], kind="stable").index]


_BOUNDS = re.compile(r"\s*\((\d[\d.,]*\s*-\s*\d[\d.,]*)\)")
_ASIDE = re.compile(r"\s*\(([^()]*)\)")


def unit_text(unit: str) -> str:
    """A unit without brackets, so that it can follow a name that has its own: a scale in brackets
    joins the word ('coefficient (0-1)' -> 'coefficient 0-1'), an aside follows a comma ('US$
    million (nominal)' -> 'US$ million, nominal')."""
    flat = _BOUNDS.sub(r" \1", str(unit).strip())
    return " ".join(_ASIDE.sub(r", \1", flat).split())


def name_with_unit(name: str, unit: object) -> str:
    """An indicator cell that carries its unit after a semicolon ('Gini coefficient of income
    (CONEVAL); coefficient 0-1'), never in nested brackets; the name alone when it has no unit."""
    if unit is None or pd.isna(unit) or not str(unit).strip():
        return str(name)
    return label("words", "name_unit").format(name=name, unit=unit_text(str(unit)))


#: Header of a column of `name_with_unit` cells.
INDICATOR_UNIT = "Indicator; unit"


def verdict_audit_table(progress: pd.DataFrame) -> pd.DataFrame:
    """One row per indicator of a run: what the verdict rests on, so a reader can check it by hand
    (the indicator with its unit, base and latest observation, the change in that unit, what
    counts as better, and the status); how it was computed is in `progress_display_table`. Rows
    in reading order."""
    progress = reading_order(progress)
    return pd.DataFrame(
        {
            INDICATOR_UNIT: [
                name_with_unit(r["name"], r.get("unit")) for _, r in progress.iterrows()
            ],
            "Base (year)": [
                _point(r["base_period"], r["base_value"], r["change_unit"], row_unit(r))
                for _, r in progress.iterrows()
            ],
            "Latest (year)": [
                _point(r["latest_period"], r["latest_value"], r["change_unit"], row_unit(r))
                for _, r in progress.iterrows()
            ],
            "Change": [
                format_delta(r["change"], r["change_unit"], unit=row_unit(r))
                for _, r in progress.iterrows()
            ],
            "Aim": [_aim(row) for _, row in progress.iterrows()],
            "Status": [marked(row["status"], row) for _, row in progress.iterrows()],
        }
    )


AUDIT_DATA_COLUMNS = (
    "run",
    "indicator_id",
    "name",
    "series",
    "annualised",
    "n_points",
    "base_period",
    "base_value",
    "latest_period",
    "latest_value",
    "change",
    "unit",
    "change_unit",
    "direction",
    "method",
    "target_value",
    "target_year",
    "cagr_actual",
    "cagr_required",
    "ratio",
    "score",
    "status",
    "target_missed",
    "unsd_status",
    "reason",
)


def progress_data(progress: pd.DataFrame) -> pd.DataFrame:
    """The model values behind the verdict and computation tables, for their CSV (same order)."""
    progress = reading_order(progress)
    return progress[[c for c in AUDIT_DATA_COLUMNS if c in progress.columns]]


def progress_display_table(progress: pd.DataFrame) -> pd.DataFrame:
    """The computation behind each verdict: the method, the points in the window, observed and
    required compound growth, the Open SDG ratio and score, and the UNSD Progress Chart status
    beside them (series and annualisation are in the CSV and on the Data page)."""
    progress = reading_order(progress)
    return pd.DataFrame(
        {
            "Indicator": progress["name"].tolist(),
            "Method": [
                "target" if m == "target" and not pd.isna(t) else "direction"
                for m, t in zip(progress["method"], progress["target_value"], strict=True)
            ],
            "Points": [str(int(n)) if not pd.isna(n) else "" for n in progress["n_points"]],
            "Growth (%/yr)": [_percent(v) for v in progress["cagr_actual"]],
            "Needed (%/yr)": [_percent(v) for v in progress["cagr_required"]],
            "Ratio R": [_two(v) for v in progress["ratio"]],
            "Score": [_two(v) for v in progress["score"]],
            "UNSD status": progress["unsd_status"].fillna("").tolist(),
        }
    )


#: Scorecard columns: the statuses each one counts, over both methods (target and direction);
#: short headers so that eight columns fit the text column ('Substantial' includes a target
#: achieved, 'Worse' is deterioration; the captions say so).
SCORECARD_STATUSES = {
    "Substantial": (TARGET_ACHIEVED, SUBSTANTIAL),
    "Moderate": (MODERATE,),
    "Limited": (LIMITED,),
    "Worse": (DETERIORATION,),
}


def _status_count(row: pd.Series | None, statuses: tuple[str, ...]) -> int:
    """How many verdicts of a summary row have one of `statuses`, by either method."""
    if row is None:
        return 0
    return int(
        sum(
            row[f"{method}: {status}"]
            for method in METHODS
            for status in statuses
            if f"{method}: {status}" in row.index and not pd.isna(row[f"{method}: {status}"])
        )
    )


def summary_display_table(
    by_outcome: pd.DataFrame, by_cross: pd.DataFrame, labels: dict[str, str]
) -> pd.DataFrame:
    """Outcome and cross-cutting summaries of the Framework run in Framework order: indicators
    mapped, concepts assessed (each survey measurement counted once), verdicts by status and the
    mean Open SDG score; groups without any indicator show zeros, not hidden."""
    combined = pd.concat([by_outcome, by_cross], ignore_index=True)
    rows = []
    for group, name in labels.items():
        framework = combined[(combined["group"] == group) & (combined["run"] == "framework")]
        first = framework.iloc[0] if not framework.empty else None
        row = {
            "Outcome or area": name,
            "Indicators": str(int(first["indicators"])) if first is not None else "0",
            "Assessed": (
                f"{int(first['assessed'])} of {int(first['concepts'])}"
                if first is not None
                else "0 of 0"
            ),
        }
        for column, statuses in SCORECARD_STATUSES.items():
            row[column] = str(_status_count(first, statuses))
        row["Score"] = _two(first["mean_score"]) if first is not None else ""
        rows.append(row)
    return pd.DataFrame(rows)


def summary_data(by_outcome: pd.DataFrame, by_cross: pd.DataFrame) -> pd.DataFrame:
    """Both runs' outcome and cross-cutting summaries as the models wrote them, for the CSV."""
    return pd.concat([by_outcome, by_cross], ignore_index=True)


def _level_label(level: float) -> str:
    return f"{100 * level:g}%"


def _cell(key: str, **fields: object) -> str:
    """A cell of the recovery tables in the reader's words (text file, section `recovery_table`)."""
    return text(f"recovery_table.{key}", **fields) if fields else label("recovery_table", key)


def unstable_fit(flag: object) -> bool:
    """Whether a fit's likelihood optimiser stopped before converging (the estimates are then
    unstable and not shown as a result)."""
    return flag in (False, "False")


def never_worse(row: pd.Series) -> bool:
    """A series whose every post-shock value was at or better than its reference: it has no
    depth and no return to date."""
    return row["recovery_status"] == "never worse than the reference"


def _recovered(row: pd.Series) -> str:
    """'Q3 2022 (16, to date)': first period back at the reference, the periods it held in a
    row and how that run ended (it lasts to date, a gap in the data, a fall back); else why not."""
    if pd.isna(row["recovery_period"]):
        return _cell("never_worse") if never_worse(row) else _cell("not_yet")
    key = {"latest": "held_latest", "gap": "held_gap", "fell back": "held_fell_back"}.get(
        str(row.get("recovery_run_end_reason")), "held"
    )
    return _cell(key, period=period_text(row["recovery_period"]), held=int(row["recovery_held"]))


def recovery_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """The recovery summary as a reviewer reads it: the reference, the worst period, the depth
    in each indicator's unit of change (pp for rates, % for levels) and when (and for how many
    periods) the series got back; a series that never worsened has no worst period and no depth
    ('none'). The trend comparison is in `trend_display_table`."""
    return pd.DataFrame(
        {
            "Series": recovery["name"].tolist(),
            "Reference": [
                _cell("same_month", period=period_text(r["reference_period"]))
                if r["reference_rule"] == "same period"
                else period_text(r["reference_period"])
                for _, r in recovery.iterrows()
            ],
            "Worst": [
                "" if never_worse(r) else period_text(r["worst_period"])
                for _, r in recovery.iterrows()
            ],
            "Depth": [
                _cell("no_depth")
                if never_worse(r)
                else format_delta(r["depth"], r["change_unit"], r["depth_pct"], row_unit(r))
                for _, r in recovery.iterrows()
            ],
            "Back (periods held)": [_recovered(r) for _, r in recovery.iterrows()],
        }
    )


def _interval(low: object, high: object, change_unit: str, unit: str = "") -> str:
    """'26,600 to 29,390' in the series' precision; empty where no interval was estimated."""
    if low is None or pd.isna(low):
        return ""
    return f"{format_value(low, change_unit, unit)} to {format_value(high, change_unit, unit)}"


def usable_forecast(row: pd.Series) -> bool:
    """A forecast a page may show and draw: estimated, its optimiser converged, and its interval at
    the horizon no wider than the series' observed range."""
    end = row.get("forecast_end")
    return (
        end is not None
        and not pd.isna(end)
        and row.get("forecast_too_uncertain") not in (True, "True")
        and not unstable_fit(row.get("forecast_converged"))
    )


def _forecast(row: pd.Series) -> str:
    """The forecast interval at the horizon; 'too uncertain' when wider than the observed range,
    'not usable (unstable fit)' where its optimiser did not converge (the CSV keeps the numbers)."""
    if pd.isna(row["forecast_end"]):
        return ""
    if row["forecast_too_uncertain"] in (True, "True"):
        return _cell("too_uncertain")
    if unstable_fit(row.get("forecast_converged")):
        return _cell("unstable")
    return _interval(
        row["forecast_lower_end"], row["forecast_upper_end"], row["change_unit"], row_unit(row)
    )


def _window(row: pd.Series) -> str:
    """The trend's fitting window, marked where its fit did not converge."""
    if pd.isna(row["trend_fit_start"]):
        return ""
    span = period_span(row["trend_fit_start"], row["trend_fit_end"])
    return _cell("unstable_window", span=span) if unstable_fit(row.get("trend_converged")) else span


def _gap(row: pd.Series) -> str:
    """The latest gap to the trend and its position against the band; 'not usable' where the
    trend's fit did not converge (its numbers stay in the CSV), empty where none was fitted."""
    if pd.isna(row["gap_latest"]):
        return ""
    if unstable_fit(row.get("trend_converged")):
        return _cell("unstable_gap")
    gap = format_delta(row["gap_latest"], row["change_unit"], row["gap_pct_latest"], row_unit(row))
    return f"{gap} ({row['trend_position_latest']})"


def _back_in_band(row: pd.Series) -> str:
    """The first period back inside the trend's band; 'no' where a trend was fitted and the series
    never came back into it; not applicable where no trend was fitted or its fit is unstable."""
    if pd.isna(row["trend_fit_start"]):
        return _cell("no_trend")
    if unstable_fit(row.get("trend_converged")):
        return _cell("unstable_short")
    if pd.isna(row["back_on_trend"]) or not row["back_on_trend"]:
        return _cell("not_back")
    return period_text(row["back_on_trend"])


def trend_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """The series against their pre-shock trend: the fitting window, the latest gap in the unit
    of change and its position against the band, the first period back inside the band, the
    cumulative loss of levels, and the forecast interval at the horizon (header years/levels)."""
    level = _level_label(float(recovery["confidence_level"].iloc[0]))
    horizon = recovery["forecast_end"].dropna()
    year = str(horizon.iloc[0])[:4] if not horizon.empty else ""
    return pd.DataFrame(
        {
            "Series": recovery["name"].tolist(),
            "Trend fitted": [_window(r) for _, r in recovery.iterrows()],
            "Gap, latest": [_gap(r) for _, r in recovery.iterrows()],
            f"Back in {level} band": [_back_in_band(r) for _, r in recovery.iterrows()],
            "Loss (%)": [
                "" if pd.isna(v) else f"{float(v):.1f}" for v in recovery["cumulative_loss_pct"]
            ],
            f"Forecast {year} ({level})": [_forecast(r) for _, r in recovery.iterrows()],
        }
    )


RECOVERY_DATA_COLUMNS = (
    "indicator_id",
    "name",
    "series",
    "unit",
    "freq",
    "n_points",
    "n_after_shock",
    "reference_period",
    "reference_value",
    "worst_period",
    "worst_value",
    "depth",
    "depth_pct",
    "recovery_period",
    "recovery_held",
    "recovery_status",
    "recovery_run_end",
    "recovery_run_end_reason",
    "recovery_gap_end",
    "later_values",
    "later_at_reference",
    "last_period",
    "break_from",
    "n_after_break",
    "first_after_break",
    "last_after_break",
    "trend_fit_start",
    "trend_fit_end",
    "gap_latest",
    "gap_pct_latest",
    "trend_position_latest",
    "back_on_trend",
    "trend_ljung_box_stat",
    "trend_ljung_box_p",
    "trend_converged",
    "cumulative_loss_pct",
    "forecast_end",
    "forecast_mean_end",
    "forecast_lower_end",
    "forecast_upper_end",
    "forecast_too_uncertain",
    "forecast_converged",
    "its_level_change",
    "its_level_low",
    "its_level_high",
    "its_level_p",
    "its_slope_change",
    "its_slope_low",
    "its_slope_high",
    "its_hac_lags",
    "chow_f",
    "chow_p",
    "cusum_crossed",
    "too_short_for",
)


def recovery_table_data(recovery: pd.DataFrame) -> pd.DataFrame:
    """The model values behind the recovery, trend and ITS tables, for their CSV."""
    return recovery[[c for c in RECOVERY_DATA_COLUMNS if c in recovery.columns]]


def _signed(value: object, change_unit: str, unit: str = "") -> str:
    shown = format_value(value, change_unit, unit)
    return "+" + shown if shown and not shown.startswith("-") else shown


def its_display_table(recovery: pd.DataFrame) -> pd.DataFrame:
    """Interrupted time series and break tests, one row per series with its unit (every series:
    one too short for the segmented regression says so, and `its_notes` says why); interval
    headers at the run's confidence level, values in the series' precision."""
    level = _level_label(float(recovery["confidence_level"].iloc[0]))
    rows = recovery
    fitted = rows["its_level_change"].notna()

    def cells(column: str, make) -> list[str]:
        return [
            make(r) if ok else (_cell("too_short") if column == "level" else "")
            for ok, (_, r) in zip(fitted, rows.iterrows(), strict=True)
        ]

    return pd.DataFrame(
        {
            "Series; unit": [
                name_with_unit(n, u) for n, u in zip(rows["name"], rows["unit"], strict=True)
            ],
            "Level change": cells(
                "level", lambda r: _signed(r["its_level_change"], r["change_unit"], row_unit(r))
            ),
            f"{level} interval": cells(
                "level_ci",
                lambda r: _interval(
                    r["its_level_low"], r["its_level_high"], r["change_unit"], row_unit(r)
                ),
            ),
            "Slope change": cells(
                "slope", lambda r: _signed(r["its_slope_change"], r["change_unit"], row_unit(r))
            ),
            f"Slope {level} interval": cells(
                "slope_ci",
                lambda r: _interval(
                    r["its_slope_low"], r["its_slope_high"], r["change_unit"], row_unit(r)
                ),
            ),
            "Chow F (p)": [
                "" if pd.isna(f) else f"{f:.1f} ({p_value(p)})"
                for f, p in zip(rows["chow_f"], rows["chow_p"], strict=True)
            ],
            "CUSUM break": rows["cusum_crossed"]
            .map({True: "yes", False: "no", "True": "yes", "False": "no"})
            .fillna("")
            .tolist(),
        }
    )


def its_notes(recovery: pd.DataFrame) -> str:
    """One sentence per series without a segmented regression: the minimum lengths it needs
    (models.minimums) against the values it has; empty when every series has one."""
    missing = recovery[recovery["its_level_change"].isna()]
    return " ".join(
        text(
            "recovery_table.its_too_short",
            name=r["name"],
            total=MIN_POINTS["its"],
            before=MIN_POINTS["its_before"],
            after=MIN_POINTS["its_after"],
            n=int(r["n_points"]),
            n_after=int(r["n_after_shock"]),
        )
        for _, r in missing.iterrows()
    )


def method_label(column: str) -> str:
    """'supports_peak_trough' -> 'peak and trough', the reader's name of a method."""
    return label("method", method_name(column).replace(" ", "_"))


def _lacking(row: dict[str, object], methods: list[str], section: str = "method") -> str:
    """The methods a series cannot support, by their names in `section` of the text file."""
    return ", ".join(
        label(section, method_name(m).replace(" ", "_")) for m in methods if not row[m]
    )


def unsupported_methods(coverage: pd.DataFrame) -> pd.DataFrame:
    """Rows that cannot support every method, with `Not applicable`: the methods each lacks."""
    methods = method_columns(coverage)
    short = coverage[~coverage[methods].all(axis=1)].copy()
    short["Not applicable"] = [_lacking(row, methods) for row in short[methods].to_dict("records")]
    return short


def unsupported_display(coverage: pd.DataFrame) -> pd.DataFrame:
    """The methods page's table of series too short for some methods: name, frequency,
    observations and the methods they cannot support."""
    short = unsupported_methods(coverage)
    return pd.DataFrame(
        {
            "Indicator": short["name"].tolist(),
            "Freq": short["freq"].map(FREQUENCIES).fillna(short["freq"]).tolist(),
            "Obs": [str(int(n)) for n in short["n_points"]],
            "Too short for": [
                _lacking(row, method_columns(coverage), "method_short")
                for row in short[method_columns(coverage)].to_dict("records")
            ],
        }
    )


def coverage_display(coverage: pd.DataFrame) -> pd.DataFrame:
    """The method-coverage table for a page: each headline series with its frequency, its
    observations in total and after the shock, and the methods it is too short for ('none')."""
    methods = method_columns(coverage)
    return pd.DataFrame(
        {
            "Indicator": coverage["name"].tolist(),
            "Freq": coverage["freq"].map(FREQUENCIES).fillna(coverage["freq"]).tolist(),
            "Obs": [str(int(n)) for n in coverage["n_points"]],
            "After shock": [str(int(n)) for n in coverage["n_after_shock"]],
            "Too short for": [
                _lacking(row, methods, "method_short") or "none"
                for row in coverage[methods].to_dict("records")
            ],
        }
    )


def _count_text(n: int) -> str:
    return f"{n:,}"


def coverage_notes(coverage: pd.DataFrame) -> str:
    """Sentences under the method-coverage table for the series whose count leaves values out:
    those at a frequency the models do not use (a series held quarterly and monthly is counted
    at its quarterly values) and those after a declared series break; empty when there are none."""
    notes = []
    for _, row in coverage.iterrows():
        n_other = int(row.get("n_other_freq", 0) or 0)
        if n_other:
            others = str(row["other_freq"]).split(";")
            notes.append(
                text(
                    "recovery_table.coverage_other_freq",
                    name=row["name"],
                    freq=FREQUENCIES[str(row["freq"])],
                    n_other=_count_text(n_other),
                    other_freq=" and ".join(FREQUENCIES[f] for f in others),
                    values=label("nouns", "value_one" if n_other == 1 else "value_other"),
                    periods=", ".join(
                        period_label(p) for p in str(row["other_periods"]).split(";")
                    ),
                    verb=label(
                        "recovery_table", "verb_is_one" if n_other == 1 else "verb_is_other"
                    ),
                )
            )
        n_break = int(row.get("n_after_break", 0) or 0)
        if n_break:
            notes.append(
                text(
                    "recovery_table.coverage_break",
                    name=row["name"],
                    n=_count_text(n_break),
                    values=label("nouns", "value_one" if n_break == 1 else "value_other"),
                    first=period_label(row["break_from"]),
                    verb=label(
                        "recovery_table", "verb_is_one" if n_break == 1 else "verb_is_other"
                    ),
                )
            )
    return " ".join(notes)


_SCOPES = {
    "A": "annual",
    "Q": "quarterly",
    "M": "monthly",
    "before": "before the shock",
    "after": "after the shock",
    "side": "each side of the shock",
}


def requirement_label(key: str) -> str:
    """'counterfactual_Q' -> 'trend counterfactual, quarterly'; 'its' -> 'interrupted time series'."""
    method, _, scope = key.rpartition("_")
    if scope not in _SCOPES or not method:
        return label("method", key)
    return f"{label('method', method)}, {_SCOPES[scope]}"


def minimums_table() -> pd.DataFrame:
    """Minimum number of observations each method requires, as the methods page shows it."""
    return pd.DataFrame(
        {
            "Method": [requirement_label(k) for k in MIN_POINTS],
            "Observations": [str(v) for v in MIN_POINTS.values()],
        }
    )
