"""How verdicts are counted and told: honest small changes, changes below the published
precision, concept counts that add up between the scorecard, its total and its alt text, which
indicator carries a concept, the method counts, a zero target, a spread across states, short
windows, name lists, every verdict group named, the date line and the index's sources."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.models.progress import published_decimals, value_decimals
from analysis.report import precision, summary
from analysis.report.display import format_delta, summary_display_table, verdict_audit_table
from analysis.report.figures import status_snapshot_alt, status_snapshot_data
from analysis.report.headlines import key_findings_series
from analysis.report.sentences import (
    method_sentence,
    name_list,
    progress_headline,
    spread_sentence,
    verdict_phrase,
    window_caveats,
    zero_target_sentences,
)
from analysis.report.sources import source_ids_for
from analysis.report.words import change_amount
from analysis.snapshot.catalog import STATE_CODES

# --- #13, #14: a small change shows its sign and size; below the published precision it is marked


def test_a_small_change_keeps_the_decimals_that_show_its_sign_and_size() -> None:
    assert precision.change_decimals(-0.0658, 1) == 2  # -0.1 would be 52% too large
    assert format_delta(-0.0658, "percentage points") == "-0.07 pp"
    assert format_delta(0.04, "percentage points") == "+0.04 pp"  # not '+0.0 pp'
    assert format_delta(0.0, "percentage points") == "0.0 pp"  # no sign on none
    assert format_delta(-0.24, "percentage points") == "-0.2 pp"  # 17% off: one decimal
    assert format_delta(-12.34, "percentage points") == "-12.3 pp"
    assert format_delta(0.0, "percent", 0.04) == "+0.04%"
    assert change_amount(-0.0658, None, "percentage points") == "0.07 percentage points"
    assert change_amount(-3.2, None, "per 100,000 inhabitants") == "3.2 per 100,000 inhabitants"


def test_published_decimals_are_those_of_the_series_not_of_one_value() -> None:
    assert value_decimals(29.0) == 0 and value_decimals(25.8) == 1 and value_decimals(1.41) == 2
    assert value_decimals(79.94444444) == 6  # a computed ratio
    # 19.0 among 18.5 and 19.2 was published to one decimal
    assert published_decimals(pd.Series([18.5, 19.0, 19.2])) == 1
    assert published_decimals(pd.Series([], dtype=float)) is None


def _verdict_row(**values: object) -> pd.Series:
    row = {
        "method": "direction",
        "base_value": 17.6,
        "latest_value": 17.6,
        "published_decimals": 1,
        "status": "limited progress",
    }
    return pd.Series(row | values)


def test_a_direction_verdict_on_a_change_below_the_published_precision_is_marked() -> None:
    assert precision.below_precision(_verdict_row())  # 17.6 -> 17.6
    assert not precision.below_precision(_verdict_row(base_value=33.9, latest_value=33.7))
    assert precision.below_precision(
        _verdict_row(base_value=18.61, latest_value=18.64, published_decimals=1)
    )
    # two decimals published: 1.41 -> 1.45 is a real, if small, change
    assert not precision.below_precision(
        _verdict_row(base_value=1.41, latest_value=1.45, published_decimals=2)
    )
    assert not precision.below_precision(_verdict_row(method="target"))  # direction only
    assert not precision.below_precision(_verdict_row(base_value=None))
    assert precision.marked("limited progress", _verdict_row()) == (
        "limited progress (change smaller than the published precision)"
    )
    assert precision.marked("deterioration", _verdict_row(latest_value=17.4)) == "deterioration"


def test_the_verdict_table_marks_and_the_note_counts_the_flagged_verdicts() -> None:
    rows = pd.DataFrame(
        [
            _verdict_row(name="Slums", outcomes="3", base_period="2018", latest_period="2020",
                         change=0.0, change_unit="percentage points", unit="%", direction=-1,
                         target_value=None, target_missed=False),
            _verdict_row(name="Forest", outcomes="7", base_period="2019", latest_period="2022",
                         base_value=33.9, latest_value=33.7, change=-0.2,
                         change_unit="percentage points", unit="%", direction=1,
                         target_value=None, target_missed=False, status="deterioration"),
        ]
    )  # fmt: skip
    table = verdict_audit_table(rows)
    assert table["Status"].tolist() == [
        "limited progress (change smaller than the published precision)",
        "deterioration",
    ]
    assert table["Change"].tolist() == ["0.0 pp", "-0.2 pp"]
    assert precision.precision_note(rows).startswith("One verdict by direction only rests on")
    assert precision.precision_note(rows.iloc[1:]) == ""


# --- #7, #8: counts that add up; which indicator carries a concept


def _progress() -> pd.DataFrame:
    """Outcome 1: poverty (headline, substantial) and its cut 'sev' (deterioration); outcome 2:
    the cut 'sev' only, and 'school'; X1: 'sev' again. The concept poverty is in 1, 2 and X1."""
    base = {
        "run": "framework", "direction": -1, "method": "direction", "target_missed": False,
        "base_period": "2019", "latest_period": "2023", "base_value": 10.0, "latest_value": 8.0,
        "change": -2.0, "change_unit": "percentage points", "unit": "%", "score": 1.0,
        "published_decimals": 1, "target_value": None, "cross_cutting": "",
    }  # fmt: skip
    rows = [
        dict(base, indicator_id="poverty", concept="poverty", name="Poverty", outcomes="1",
             status="substantial progress"),
        dict(base, indicator_id="sev", concept="poverty", name="Severe poverty", outcomes="1;2",
             cross_cutting="X1", status="deterioration", score=-2.0, latest_value=11.0),
        dict(base, indicator_id="school", concept="school", name="School", outcomes="2",
             status="moderate progress", score=0.5),
    ]  # fmt: skip
    return pd.DataFrame(rows)


LABELS = {"1": "Outcome 1: Poverty", "2": "Outcome 2: Services", "X1": "Cross-cutting: Gender"}


def _with_groups(progress: pd.DataFrame) -> pd.DataFrame:
    return progress.assign(outcomes=progress["outcomes"] + ";" + progress["cross_cutting"])


def test_the_scorecard_total_counts_each_concept_once_and_the_alt_text_gives_the_bars() -> None:
    progress = _progress()
    by_group = pd.DataFrame(
        [
            {"run": "framework", "group": "1", "indicators": 2, "concepts": 1, "assessed": 1,
             "mean_score": 1.0, "direction: substantial progress": 1},
            {"run": "framework", "group": "2", "indicators": 2, "concepts": 2, "assessed": 2,
             "mean_score": -0.75, "direction: deterioration": 1, "direction: moderate progress": 1},
            {"run": "framework", "group": "X1", "indicators": 1, "concepts": 1, "assessed": 1,
             "mean_score": -2.0, "direction: deterioration": 1},
        ]
    )  # fmt: skip
    table = summary.with_total(
        summary_display_table(by_group[by_group["group"] != "X1"], by_group.iloc[2:], LABELS),
        progress,
    )
    total = table.iloc[-1]
    assert total["Outcome or area"] == "All outcomes and areas (each concept once)"
    assert total["Indicators"] == "3" and total["Assessed"] == "2 of 2"
    assert (total["Substantial"], total["Moderate"], total["Worse"]) == ("1", "1", "0")
    # The rows above count the shared concept in each: 4 rows, against 2 distinct concepts.
    rows_assessed = sum(int(a.split(" of ")[0]) for a in table["Assessed"].iloc[:-1])
    assert rows_assessed == 4
    alt = status_snapshot_alt(_with_groups(progress), LABELS)
    data = status_snapshot_data(_with_groups(progress), LABELS)
    assert f"The bars count {int(data.iloc[:, 2].sum())} concept rows" in alt
    assert "(1 of the 2 concepts do)" in alt
    assert "Counted once each, the 2 concepts are 1 with substantial progress and 1 with " in alt


def test_an_area_finding_says_which_of_its_outcomes_share_a_concept() -> None:
    sentence = summary.verdict_sentence(_progress(), ["1", "2"])
    assert sentence.endswith(
        "One concept belongs to Outcome 1 and Outcome 2: it counts once here and in each of their "
        "rows of the scorecard."
    )
    assert "belongs" not in summary.verdict_sentence(_progress(), ["2"])


def test_the_concept_table_shows_who_carries_each_concept_and_disagreements_are_said() -> None:
    table = summary.concept_table(_progress())
    assert table.to_dict("records") == [
        {
            "Concept (headline indicator)": "Poverty",
            "Indicator": "Poverty",
            "Verdict": "substantial progress",
            "Carries the concept's verdict in": "Outcome 1",
        },
        {
            "Concept (headline indicator)": "Poverty",
            "Indicator": "Severe poverty",
            "Verdict": "deterioration",
            "Carries the concept's verdict in": "Outcome 2 and Gender",
        },
    ]  # school is a concept of one indicator: not listed
    notes = summary.concept_disagreements(_progress())
    assert notes.splitlines()[-1] == (
        "- **Outcome 1** counts the concept by poverty (substantial progress); severe poverty "
        "(deterioration), of the same concept and shown beside it, points the other way."
    )
    agreeing = _progress().assign(status="substantial progress")
    assert summary.concept_disagreements(agreeing) == ""


# --- #16, #17, #18, #15: methods counted, a zero target, a spread, short windows


def test_the_method_sentence_counts_target_and_direction_verdicts() -> None:
    progress = _progress()
    progress.loc[0, ["method", "target_value", "target_year"]] = ["target", 20.0, 2030]
    sentence = method_sentence(progress, 2025)
    assert "Of the 3 indicators assessed in this run, 2 are judged by the direction" in sentence
    assert "The other one is measured against a quantified target: poverty." in sentence
    assert "One of these targets is dated 2030, after the run's 2025 horizon" in sentence
    # a target dated within the horizon is not said to be later than it
    progress.loc[1, ["method", "target_value", "target_year"]] = ["target", 35.0, 2024]
    two = method_sentence(progress, 2025)
    assert "The other 2 are measured" in two and "One of these targets is dated 2030" in two
    none = method_sentence(_progress(), 2025)
    assert none.startswith("All 3 indicators assessed in this run are judged by the direction")


def test_a_zero_target_is_explained_with_the_pace_open_sdg_requires() -> None:
    row = {
        "indicator_id": "p300", "concept": "p300", "name": "Poverty at $3.00", "method": "target",
        "target_value": 0.0, "target_year": 2030, "status": "limited progress",
        "base_value": 3.9, "base_period": "2018", "latest_value": 2.3, "latest_period": "2022",
        "cagr_required": -0.498, "cagr_actual": -0.1237, "ratio": 0.248,
    }  # fmt: skip
    peer = dict(row, indicator_id="p420", name="Poverty at $4.20", method="direction",
                target_value=None, status="substantial progress")  # fmt: skip
    peer["concept"] = "p300"
    text = zero_target_sentences(pd.DataFrame([row, peer]))
    assert "replaces a zero target by 0.001" in text
    assert "needs a fall of 49.8% a year" in text and "12.4%" in text and "0.25 times" in text
    assert "poverty at \\$4.20 (substantial progress)" in text
    # every '$' escaped, so two of them never open maths in the Markdown renderers
    assert "$" not in text.replace("\\$", "")
    assert zero_target_sentences(pd.DataFrame([peer])) == ""


def _states(values: dict[str, list[float]]) -> pd.DataFrame:
    rows = []
    for period, levels in values.items():
        for code, value in zip(sorted(STATE_CODES), levels, strict=True):
            rows.append(
                {"indicator_id": "poverty_multidimensional_pct", "series": "lineamientos_2018",
                 "geo": code, "period": period, "freq": "A", "value": value,
                 "unit": "% of population", "vintage": "v"}
            )  # fmt: skip
    return pd.DataFrame(rows)


def test_a_rising_spread_with_a_falling_mean_is_explained() -> None:
    # Every state 5 points lower: the standard deviation is unchanged, the mean falls, CV rises.
    before = [20.0 + i for i in range(32)]
    tidy = _states({"2018": before, "2022": [v - 5 for v in before]})
    row = pd.Series(
        {"indicator_id": "poverty_state_cv", "name": "Spread of poverty", "base_value": 25.7,
         "latest_value": 29.9, "base_period": "2018", "latest_period": "2022", "change": 4.2,
         "status": "deterioration"}
    )  # fmt: skip
    # sd unchanged: not the 'fell by only' case, no sentence
    assert spread_sentence(tidy, row) == ""
    shrunk = [v * 0.8 - 1 for v in before]  # the sd falls by 20%, the mean by more
    text = spread_sentence(_states({"2018": before, "2022": shrunk}), row)
    assert "the mean of the 32 state values fell by 22.8% (from 35.5 to 27.4)" in text
    assert "fell by only 20.0% (from 9.2 to 7.4 percentage points)" in text
    assert "narrowed from 31.0 to 24.8 percentage points" in text
    assert "32 of the 32 states had a lower value in 2022" in text


def test_short_or_shock_dominated_windows_get_a_caveat() -> None:
    progress = _progress().assign(n_points=[5, 3, 2], latest_period=["2023", "2021", "2020"])
    text = window_caveats(progress, 2020)
    assert text.startswith("2 verdicts of this run rest on fewer than 4 annual points")
    assert (
        "- Severe poverty (deterioration): 3 annual points, 2019–2021 and its latest value is "
        "from 2021, the year after the 2020 shock." in text
    )
    assert (
        "- School (moderate progress): 2 annual points, 2019–2020 and its latest value is " in text
    )
    assert "Poverty (" not in text.replace("Severe poverty (", "")
    assert window_caveats(progress.iloc[:1], 2020) == ""


# --- #57, #58: lists that parse; every verdict group named


def test_names_with_commas_are_listed_with_semicolons() -> None:
    assert name_list(["a", "b", "c"]) == "a, b and c"
    assert name_list(["WJP index, factor 4", "WJP index, overall", "GDP"]) == (
        "WJP index, factor 4; WJP index, overall; and GDP"
    )


def test_every_assessed_verdict_group_is_named() -> None:
    rows = _progress().assign(
        status=["moderate progress", "deterioration", "limited progress"], concept=["a", "b", "c"]
    )
    phrase = verdict_phrase(rows)
    assert ". Moderate progress: poverty" in phrase
    assert ". Limited progress: school" in phrase
    assert ". Moved against the desired direction: severe poverty" in phrase
    headline = progress_headline(rows, 2019, 2025)
    assert "- **Moderate progress** (1 concept): poverty." in headline
    assert "- **Limited progress** (1 concept): school." in headline


# --- #5: the homicide base


def test_the_base_note_says_when_the_base_falls_back_and_was_published_rounded() -> None:
    years = {"2016": 20.0, "2018": 29.0, "2021": 28.0, "2022": 25.9, "2024": 25.8}
    tidy = pd.DataFrame(
        {"indicator_id": "homicide_rate", "series": "inegi", "geo": "MEX", "period": list(years),
         "value": list(years.values())}
    )  # fmt: skip
    row = pd.Series(
        {"indicator_id": "homicide_rate", "series": "inegi", "status": "substantial progress",
         "change": -3.2, "base_period": "2018", "base_value": 29.0, "latest_period": "2024",
         "latest_value": 25.8}
    )  # fmt: skip
    assert summary.base_note(tidy, row, 2019) == (
        "The change runs from 2018, because the series has no usable 2019 value; its values up "
        "to 2021 were published as whole numbers, so the 2018 base (29) is rounded to the unit, "
        "while the 2024 value has one decimal."
    )
    exact = tidy.assign(value=tidy["value"] + 0.3)
    assert summary.base_note(exact, row.copy(), 2018) == ""


# --- #38, #12: the date line names its panel; the index's sources are what it quotes


def test_newest_period_compares_years_quarters_and_months() -> None:
    assert summary.newest_period(["2025", "2024-12", "2026Q2"]) == "2026Q2"
    assert summary.newest_period(["2025", "2025-12"]) == "2025"  # the same end
    assert summary.newest_period(["2024Q4", "2025-01"]) == "2025-01"


def test_the_index_sources_include_every_series_its_findings_quote() -> None:
    recovery = pd.DataFrame(
        {
            "indicator_id": ["gdp_real_sa_level", "imss_registered_jobs", "unemployment_rate"],
            "series": ["inegi_base2018_sa", "imss", "wdi_ilo_modelled"],
        }
    )
    pairs = key_findings_series(recovery, "lineamientos_2018")
    assert ("imss_registered_jobs", "imss") in pairs
    tidy = pd.DataFrame(
        {
            "indicator_id": ["imss_registered_jobs", "imss_registered_jobs", "other"],
            "series": ["imss", "imss", "imss"],
            "geo": ["MEX", "MEX", "MEX"],
            "source_id": ["imss_puestos", "imss_puestos", "unrelated"],
        }
    )
    assert source_ids_for(tidy, pairs) == ["imss_puestos"]


@pytest.mark.parametrize("change", [-0.0658, 0.04, -0.24, 12.3])
def test_a_shown_change_is_never_off_by_half_of_itself(change: float) -> None:
    shown = float(format_delta(change, "percentage points").split()[0])
    assert abs(shown - change) < 0.5 * abs(change)
