"""The display-name layer (report/labels.py, report/text/en.yaml) and the sentences built on it:
every series and status has a label, templates refuse missing parts, counts take the right
number, and known inputs give exact sentences (or another wording when a part is missing)."""

from __future__ import annotations

import string

import pandas as pd
import pytest

from analysis.models import status as vocabulary
from analysis.report.changes import changes_sentence
from analysis.report.datapage import state_coverage_sentence
from analysis.report.labels import (
    MissingPart,
    catalog,
    count,
    label,
    noun,
    period_label,
    period_span,
    plural_key,
    series_label,
    status_name,
    text,
    text_n,
)
from analysis.report.peers import peer_reading
from analysis.report.published import explain, published_summary
from analysis.report.sentences import (
    poverty_sentence,
    progress_headline,
    reading_notes,
    recovery_sentence,
    verdict_phrase,
)
from analysis.report.words import (
    change_amount,
    enumerate_words,
    status_label,
)
from helpers import RAW

# --- every id readers could meet has a label ---------------------------------------------------


def test_every_series_of_the_tidy_table_and_the_indicator_map_has_a_label(
    snapshot_tidy: pd.DataFrame,
) -> None:
    mapped = pd.read_csv(RAW / "framework" / "indicator_map.csv", dtype=str)
    series = set(snapshot_tidy["series"]) | set(mapped["headline_series"].dropna())
    missing = sorted(s for s in series if s not in catalog()["series"])
    assert not missing, f"series without a label in report/text/en.yaml: {missing}"
    for name in series:
        shown = series_label(name)
        assert shown and shown != name and "_" not in shown, name


def test_every_model_status_has_a_display_label() -> None:
    names = [*vocabulary.STATUS_ORDER, *vocabulary.UNSD_STATUSES, "not assessed"]
    names += ["recovered", "not yet recovered", "never worse than the reference"]
    for name in names:
        assert status_name(name)
    assert status_label(vocabulary.LIMITED, True) == "limited progress, target missed"
    with pytest.raises(KeyError, match="statuses"):
        status_name("on_track")


def test_a_missing_label_names_the_section_and_the_key() -> None:
    with pytest.raises(KeyError, match=r"'no_such_series'.*'series'"):
        series_label("no_such_series")


def test_every_template_of_the_text_file_parses() -> None:
    """A stray brace in a template would fail only when its sentence is built; check them all."""
    for section, entries in catalog().items():
        if not isinstance(entries, dict):
            continue
        for key, value in entries.items():
            if isinstance(value, str):
                try:
                    list(string.Formatter().parse(value))
                except ValueError as error:
                    pytest.fail(f"{section}.{key}: {error}")


# --- the helpers -----------------------------------------------------------------------------


def test_text_fills_a_template_and_refuses_missing_parts() -> None:
    assert text("words.rise_pp", amount="2.0") == "a rise of 2.0 percentage points"
    assert text("words.percent", value="12.3") == "12.3%"
    with pytest.raises(MissingPart, match="amount"):
        text("words.rise_pp")
    for hole in (None, float("nan"), "", "  ", "nan", "None"):
        with pytest.raises(MissingPart, match=r"words\.rise_pp"):
            text("words.rise_pp", amount=hole)
    with pytest.raises(KeyError, match="no_such_template"):
        text("words.no_such_template")


def test_a_clause_field_may_be_empty() -> None:
    assert text("sentences.reading_insufficient", gap_clause="").endswith("a gap, not a verdict.")


def test_plural_count_and_text_n_take_the_number_of_the_count() -> None:
    assert plural_key("state", 1) == "state_one" and plural_key("state", -1) == "state_one"
    assert plural_key("state", 0) == "state_other" and plural_key("state", 2) == "state_other"
    assert noun(1, "state") == "state" and noun(0, "state") == "states"
    assert noun(1, "lie", "alt") == "lies" and noun(2, "lie", "alt") == "lie"
    assert noun(2, "not in snapshot", "published_statuses") == "are not in the snapshot"
    assert count(1, "concept") == "1 concept"
    assert count(1200, "observation") == "1,200 observations"
    assert noun(1, "Q") == "quarter" and noun(3, "M") == "months"
    assert text_n("changes.revised", 1) == "1 value was revised between releases"
    assert text_n("changes.revised", 0) == "0 values were revised between releases"
    with pytest.raises(KeyError, match="nouns"):
        noun(2, "outcome(s)")


def test_words_for_numbers_lists_changes_and_periods() -> None:
    assert enumerate_words(["a", "b", "c"]) == "a, b and c"
    assert enumerate_words([]) == ""
    assert change_amount(-3.0, None, "per 100,000 inhabitants") == "3.0 per 100,000 inhabitants"
    # an index's change at the precision of its values: 3 decimals on a 0-1 scale, else 2
    assert change_amount(0.0251, None, "points", "coefficient (0-1)") == "0.025 points"
    assert change_amount(-3.736, None, "points", "percentile rank (0-100)") == "3.74 points"
    with pytest.raises(ValueError):
        change_amount(float("nan"), None, "percentage points")
    assert period_label("2020-07") == "July 2020"
    assert period_label("2018Q3") == "Q3 2018"
    assert period_label("2019") == "2019"
    assert period_label("2020-13") == "2020-13"
    assert period_label("2020-07", short=True) == "Jul 2020"
    assert period_label(2018.0) == "2018" and period_label(float("nan")) == ""
    assert period_span("2005Q1", "2019Q4") == "Q1 2005–Q4 2019"
    assert period_span("2005-01", "2020-02") == "Jan 2005–Feb 2020"


# --- sentences: known inputs, exact sentences ------------------------------------------------


def progress_rows(statuses: list[str], names: list[str] | None = None) -> pd.DataFrame:
    names = names or [f"Indicator {i}" for i in range(len(statuses))]
    return pd.DataFrame(
        {
            "indicator_id": [f"i{i}" for i in range(len(statuses))],
            "concept": [f"i{i}" for i in range(len(statuses))],
            "name": names,
            "status": statuses,
            "target_missed": [False] * len(statuses),
            "run": ["framework"] * len(statuses),
            "outcomes": ["1"] * len(statuses),
            "cross_cutting": [""] * len(statuses),
        }
    )


def test_verdict_phrase_counts_one_concept_in_the_singular() -> None:
    rows = progress_rows([vocabulary.DETERIORATION], ["Forest area"])
    assert verdict_phrase(rows) == (
        "1 of 1 concept with a desired direction could be assessed. Moved against the desired "
        "direction: forest area"
    )
    assert verdict_phrase(rows.iloc[0:0]) == "no sourced indicator with a desired direction yet"


def test_progress_headline_singular_and_nothing_assessed() -> None:
    rows = progress_rows([vocabulary.SUBSTANTIAL, vocabulary.NOT_ASSESSED], ["Jobs", "Forest"])
    assert progress_headline(rows, 2019, 2025) == (
        "The 2 indicators with a desired direction measure 2 concepts (the cuts of one survey "
        "measurement count once). 1 of them has at least two usable annual points from 2019 (or "
        "an observation within a year of it) to the latest year, and was assessed against the 2025 "
        "horizon: 1 substantial progress; 1 has fewer than two usable annual points in the window "
        "and is listed as insufficient data.\n\n"
        "- **Target achieved or substantial progress** (1 concept): jobs."
    )
    none = progress_headline(progress_rows([vocabulary.NOT_ASSESSED]), 2019, 2025)
    assert none == (
        "The 1 indicator with a desired direction measures 1 concept (the cuts of one survey "
        "measurement count once). None of them has two usable annual points from 2019 (or an "
        "observation within a year of it) to the latest year, so none could be assessed against "
        "the 2025 horizon."
    )


def test_reading_notes_name_a_single_group_without_evidence_in_the_singular() -> None:
    rows = progress_rows([vocabulary.SUBSTANTIAL])
    notes = reading_notes(rows, {"1": "Outcome 1", "2": "Outcome 2"}, (2019, 2025), (2015, 2030))
    assert (
        "In the Framework run, Outcome 2 has no assessed indicator; its page reports what the UN "
        "reports say." in notes
    )
    assert "from 2019 (or an observation within a year of it) and looks to 2025" in notes


def recovery_row(**changes: object) -> pd.Series:
    row = {
        "name": "Jobs registered with IMSS",
        "series": "imss",
        "unit": "jobs",
        "freq": "M",
        "direction": 1,
        "shock_year": 2020,
        "confidence_level": 0.95,
        "change_unit": "percent",
        "reference_rule": "peak",
        "reference_period": "2019-11",
        "reference_value": 20_600_000.0,
        "worst_period": "2020-07",
        "worst_value": 19_500_000.0,
        "depth": -1_100_000.0,
        "depth_pct": -5.34,
        "recovery_status": "recovered",
        "recovery_period": "2021-09",
        "recovery_held": 1,
        "last_period": "2024-12",
        "trend_position_latest": None,
    }
    return pd.Series(row | changes)


def test_recovery_sentence_names_the_series_and_periods_for_readers() -> None:
    assert recovery_sentence(recovery_row()) == (
        "**Jobs registered with IMSS** (IMSS, monthly releases): from its peak of 20.60 million jobs in "
        "November 2019 it fell 5.3% to 19.50 million jobs in July 2020, and was back at or above that "
        "level in September 2021 (for that month only)."
    )
    held = recovery_sentence(recovery_row(recovery_held=3, freq="Q", recovery_period="2021Q3"))
    assert "from Q3 2021 to Q1 2022 (3 quarters in a row)" in held
    with pytest.raises(KeyError, match="series"):
        recovery_sentence(recovery_row(series="no_such_series"))
    with pytest.raises(ValueError):
        recovery_sentence(recovery_row(worst_value=float("nan")))


def test_poverty_sentence_without_a_count_of_persons_leaves_that_clause_out() -> None:
    tidy = pd.DataFrame(
        [
            {"indicator_id": i, "geo": "MEX", "period": p, "freq": "A", "value": v,
             "unit": "%", "series": "lineamientos_2018", "source_id": "x", "vintage": "v"}
            for i, p, v in [
                ("poverty_multidimensional_pct", "2018", 41.9),
                ("poverty_multidimensional_pct", "2024", 29.6),
                ("poverty_extreme_pct", "2024", 5.3),
            ]
        ]
    )  # fmt: skip
    assert poverty_sentence(tidy, "lineamientos_2018") == (
        "The share of the population in multidimensional poverty (CONEVAL, 2018 guidelines, "
        "2016-2024) was 41.9% in 2018 and 29.6% in 2024: a fall of 12.3 percentage points between "
        "2018 and 2024. Extreme poverty: 5.3% (2024)."
    )
    with pytest.raises(ValueError, match="two years"):
        poverty_sentence(tidy.iloc[1:], "lineamientos_2018")


FIGURE = pd.Series(
    {
        "report": "results_report_2022",
        "period": "2022Q3",
        "indicator_hint": "unpaid_care_hours_women",
        "source_cited": "",
    }
)


def test_explain_not_in_snapshot_names_the_indicator_never_its_id() -> None:
    rows = pd.DataFrame({"series": ["enut2014"], "period": ["2014"], "vintage": ["2015-07"]})
    why = explain("not in snapshot", FIGURE, None, None, series_rows=rows, label="weekly hours")
    assert why == "the snapshot has no Q3 2022 value of weekly hours nationally (it holds 2014)"
    undated = explain(
        "not in snapshot", FIGURE.copy().replace({"2022Q3": ""}), None, None, label="weekly hours"
    )
    assert undated == (
        "the report gives no year for this figure, so no value of weekly hours nationally can be "
        "compared"
    )
    # without the indicator's name, a wording that needs none (the broken sentence
    # ended "...has no value of unpaid_care_hours_women for")
    assert explain("not in snapshot", FIGURE, None, None) == (
        "the snapshot has no indicator for this figure"
    )


def test_explain_matches_names_series_by_their_display_names() -> None:
    match = pd.Series({"series": "comar_2021_07", "vintage": "2021-07", "value": 41133.0})
    other = pd.Series({"series": "comar_un_report_2020", "vintage": "2021", "value": 43103.0})
    assert explain("matches", FIGURE, match, None) == (
        "same value as the snapshot (COMAR, figures as reported in July 2021; vintage: 2021-07)"
    )
    assert explain("matches another series", FIGURE, match, other) == (
        "the report's figure is from COMAR, as quoted in the UN Results Report 2020 (vintage: "
        "2021), which gives 43,103, not from the headline series (COMAR, figures as reported in "
        "July 2021), which gives 41,133"
    )
    assert explain("differs", FIGURE, match, None) == (
        "different source or definition: the report does not say where the figure comes from; "
        "the snapshot uses COMAR, figures as reported in July 2021, which gives 41,133 for Q3 2022"
    )
    cited = FIGURE.copy()
    cited["source_cited"] = "COMAR"
    assert explain("differs", cited, match, None) == (
        "different source or definition: the report cites COMAR; the snapshot uses COMAR, "
        "figures as reported in July 2021, which gives 41,133 for Q3 2022"
    )


def test_published_summary_in_the_singular() -> None:
    comparison = pd.DataFrame(
        {
            "report": ["results_report_2020", "results_report_2022"],
            "status": ["differs", "no matching indicator"],
        }
    )
    assert published_summary(comparison) == (
        "The UN Results Reports of 2020 and 2022 state 2 figures about Mexico. 1 of them concerns "
        "an indicator in the map: 1 differs. 1 other figure (census, debt, human development or "
        "other context) is listed at the end without a comparison."
    )
    only = published_summary(comparison.iloc[:1])
    assert only.endswith("1 of them concerns an indicator in the map: 1 differs.")


def test_changes_sentence_in_words() -> None:
    summary = pd.DataFrame({"indicator_id": ["a"], "revised": [1], "new periods": [0]})
    assert changes_sentence([{}], summary) == (
        "The snapshot holds 1 pair of consecutive releases of 1 indicator: 1 value was revised "
        "between releases and 0 periods were added."
    )


def test_state_coverage_sentence_in_the_singular() -> None:
    table = pd.DataFrame({"2024": [1.0]}, index=["Colima"])
    assert state_coverage_sentence(table, "coneval_2008_2018") == (
        "The snapshot has a state poverty rate (CONEVAL, 2008-2018 series) for 1 of 1 state in "
        "2024. Empty cells are gaps: no official figure for that state and year could be traced."
    )


def test_peer_reading_skips_groups_without_a_value_and_says_none_when_empty() -> None:
    row = {
        "name": "Internet users",
        "unit": "% of population",
        "direction": 1,
        "year": "2023",
        "Mexico": 81.2,
        "Latin America and the Caribbean": float("nan"),
        "Upper middle income": 80.0,
        "OECD": 90.0,
        "World": float("nan"),
    }
    assert peer_reading(pd.DataFrame([row])).splitlines() == [
        "- Against upper-middle-income countries, Mexico does better on the one indicator with a "
        "value for both.",
        "- Against the OECD, Mexico does worse on the one indicator with a value for both.",
    ]
    assert peer_reading(pd.DataFrame()) == label("peers", "none")
