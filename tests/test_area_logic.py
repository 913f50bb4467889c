"""Logic the area and summary pages used to compute inline, on small hand-made inputs."""

from __future__ import annotations

import datetime
from pathlib import Path

import pandas as pd
import pytest

from analysis.models.minimums import MIN_POINTS
from analysis.report.areas import (
    area_groups,
    area_progress,
    area_series,
    state_poverty_sentence,
    with_all_groups,
)
from analysis.report.buildinfo import (
    build_time,
    hashes_table,
    params_table,
    read_param_values,
    timings_table,
)
from analysis.report.changes import changes_sentence
from analysis.report.datapage import state_coverage_sentence
from analysis.report.display import WIDTH_BUDGET, minimums_table, table_width
from analysis.report.published import (
    compared_reasons,
    compared_table,
    other_figures,
    published_summary,
    published_text,
)
from analysis.report.sources import source_ids
from analysis.snapshot.catalog import load_catalog
from analysis.snapshot.framework import area_names, group_labels
from analysis.snapshot.validate import read_validation
from helpers import RAW


def test_group_labels_joins_outcomes_then_cross_cutting(tmp_path: Path) -> None:
    outcomes = tmp_path / "outcomes.csv"
    outcomes.write_text("outcome_id,area_id,name\n1,P1,Social development\n2,P1,Health\n")
    areas = tmp_path / "areas.csv"
    areas.write_text(
        "area_id,area_type,name,report_section\nP1,strategic_priority,Equality,s\n"
        "X1,cross_cutting,Gender equality,s\n"
    )
    assert group_labels(outcomes, areas) == {
        "1": "Outcome 1: Social development",
        "2": "Outcome 2: Health",
        "X1": "Cross-cutting: Gender equality",
    }


def test_area_progress_keeps_the_framework_run_of_the_area_indicators() -> None:
    catalog = load_catalog(RAW / "datapackage.json")
    in_x2 = sorted(i.id for i in catalog.values() if "X2" in i.cross_cutting)
    other = next(i.id for i in catalog.values() if "X2" not in i.cross_cutting)
    progress = pd.DataFrame(
        {
            "run": ["framework", "sdg", "framework"],
            "indicator_id": [in_x2[0], in_x2[0], other],
        }
    )
    shown = area_progress(progress, ["X2"], catalog)
    assert shown.to_dict("records") == [{"run": "framework", "indicator_id": in_x2[0]}]
    with pytest.raises(ValueError, match="no-area-series"):
        area_series(progress.assign(base_period=None), ["X2"], catalog)
    assert len(area_series(progress.assign(base_period="2019"), ["X2"], catalog)) == 1


def test_state_poverty_sentence_names_the_range_and_the_gaps() -> None:
    ranked = pd.DataFrame(
        {"state": ["Chiapas", "Nuevo León", "Oaxaca"], "value": [67.4, 16.0, 58.4]}
    )
    text = state_poverty_sentence("2022", ranked, ["Colima", "Jalisco"], 36.3)
    assert text == (
        "In 2022, the latest year with the most state figures in the 2018-guidelines series, "
        "poverty ranged from 16.0% (Nuevo León) to 67.4% (Chiapas) among the 3 states with a "
        "traceable official figure, against 36.3% nationally. No figure could be traced for the "
        "other 2 states: Colima, Jalisco. The data page shows every state-year in the snapshot."
    )
    complete = state_poverty_sentence("2022", ranked, [], 36.3)
    assert "across all 3 states, against 36.3% nationally. The data page" in complete
    assert "No figure" not in complete


def test_area_groups_lists_outcomes_of_priorities_and_cross_cutting_areas_alone() -> None:
    areas = pd.DataFrame({"area_id": ["P1", "P2", "X1"], "name": ["a", "b", "c"]})
    outcomes = pd.DataFrame({"outcome_id": [1, 2, 3], "area_id": ["P1", "P1", "P2"]})
    assert area_groups(areas, outcomes) == {"P1": ["1", "2"], "P2": ["3"], "X1": ["X1"]}


def test_with_all_groups_appends_cross_cutting_codes() -> None:
    progress = pd.DataFrame({"outcomes": ["3;4", None], "cross_cutting": ["X1", None]})
    assert with_all_groups(progress)["outcomes"].tolist() == ["3;4;X1", ";"]
    assert progress["outcomes"].tolist() == ["3;4", None]  # input unchanged


def test_area_names_reads_the_framework_areas(tmp_path: Path) -> None:
    areas = tmp_path / "areas.csv"
    areas.write_text("area_id,area_type,name,report_section\nP1,strategic_priority,Equality,s\n")
    assert area_names(areas) == {"P1": "Equality"}


COMPARISON = pd.DataFrame(
    {
        "figure_id": ["f1", "f2", "f3", "f4"],
        "report": ["results_report_2020"] * 4,
        "statement": ["s1", "s2", "s3", "s4"],
        "period": ["2020"] * 4,
        "published": [1.0, 2.0, 3.0, 4.0],
        "unit": ["%"] * 4,
        "snapshot": [1.0, 2.1, None, None],
        "difference": [0.0, 0.1, None, None],
        "series": ["a", "a", None, None],
        "status": ["matches", "differs", "no matching indicator", "no matching indicator"],
        "why": ["", "revision", "", ""],
    }
)


def test_published_summary_counts_by_status() -> None:
    assert published_summary(COMPARISON) == (
        "The UN Results Reports of 2020 state 4 figures about Mexico. 2 of them concern an "
        "indicator in the map: 1 matches the snapshot and 1 differs. The remaining 2 (census, "
        "debt, human development and other context figures) are listed at the end without a "
        "comparison."
    )


def test_published_tables_split_matched_and_other_figures() -> None:
    """Display strings: a whole published figure without decimals, the snapshot to at least one
    decimal; the reasons only for figures that do not simply match; other figures with the
    source each report credits beside the statement."""
    shown = compared_table(COMPARISON)
    assert list(shown.columns) == [
        "Report", "Figure (unit)", "Period", "Report value", "Snapshot", "Status",
    ]  # fmt: skip
    assert shown.iloc[1].to_dict() == {
        "Report": "2020",
        "Figure (unit)": "s2 (%)",
        "Period": "2020",
        "Report value": "2",
        "Snapshot": "2.1",
        "Status": "differs",
    }
    big = COMPARISON.assign(
        published=[43103.0, 52.4, 1.0, 1.0],
        snapshot=[43010.4, 51.94, None, None],
        unit=["applications", "million people", "%", "%"],
    )  # a count is shown whole, as its unit's precision says
    assert compared_table(big)[["Report value", "Snapshot"]].values.tolist() == [
        ["43,103", "43,010"],
        ["52.4", "51.9"],
    ]
    assert compared_reasons(COMPARISON).to_dict("records") == [
        {
            "Report": "2020",
            "Figure": "s2",
            "Period": "2020",
            "Report value": "2",
            "Status": "differs",
            "Why": "revision",
        }
    ]
    published = COMPARISON.assign(section="x", value=[1.0, 2.0, 3.0, 70426.0], source_cited="INEGI")
    others = other_figures(published, COMPARISON)
    assert list(others.columns) == ["Report", "Figure (source cited)", "Value", "Unit", "Period"]
    assert others["Figure (source cited)"].tolist() == ["s3 (INEGI)", "s4 (INEGI)"]
    assert others["Value"].tolist() == ["3", "70,426"]
    assert table_width(shown, "Figure (unit)") <= WIDTH_BUDGET
    assert table_width(others, "Figure (source cited)") <= WIDTH_BUDGET


def test_published_text_keeps_the_printed_digits(tmp_path: Path) -> None:
    figures = tmp_path / "figures.csv"
    figures.write_text("figure_id,value\nf1,41.90\nf2,7\n")
    assert published_text(figures).to_dict() == {"f1": "41.90", "f2": "7"}


def test_changes_sentence_sums_revisions_and_new_periods() -> None:
    summary = pd.DataFrame(
        {"indicator_id": ["a", "a", "b"], "revised": [2, 0, 3], "new periods": [1, 1, 0]}
    )
    assert changes_sentence([{}, {}, {}], summary) == (
        "The snapshot holds 3 pairs of consecutive releases of 2 indicators: 5 values were "
        "revised between releases and 2 periods were added."
    )


def test_state_coverage_sentence_counts_states_per_year() -> None:
    table = pd.DataFrame({"2016": [1.0, None], "2018": [2.0, 3.0]}, index=["Aguascalientes", "BC"])
    assert state_coverage_sentence(table, "lineamientos_2018") == (
        "The snapshot has a state poverty rate (CONEVAL, 2018 guidelines, 2016-2024) for 1 of 2 "
        "states in 2016 and 2 of 2 states in 2018. Empty cells are gaps: no official figure for "
        "that state and year could be traced."
    )


def test_params_table_gives_each_value_its_meaning() -> None:
    table = params_table({"shock_year": 2020, "latest_year": None, "poverty_series": "wdi"})
    assert table.loc[2, "Value"] == "World Bank WDI"  # a series by its name, never its id
    assert table.iloc[:2].to_dict("records") == [
        {"Parameter": "shock_year", "Value": "2020", "Meaning": "Year of the COVID-19 shock"},
        {
            "Parameter": "latest_year",
            "Value": "null (latest available)",
            "Meaning": "Last year used; null = latest available",
        },
    ]


def test_hash_and_timing_tables_are_display_strings() -> None:
    """Files below data/raw/, rows with separators, the start of each checksum; seconds with one
    decimal; both well inside the text column."""
    hashes = pd.DataFrame(
        {
            "File": ["data/raw/inegi/pib_trimestral_desestacionalizado_base2018.csv"],
            "Rows": [152580],
            "sha256": ["f66707b23f08b18beca377d0b82fdd82452b9df9d1775c1a2fe89e305ff869ca"],
        }
    )
    shown = hashes_table(hashes)
    assert shown.to_dict("records") == [
        {
            "File (in data/raw)": "inegi/pib_trimestral_desestacionalizado_base2018.csv",
            "Rows": "152,580",
            "sha256 (start)": "f66707b23f08b18b",
        }
    ]
    timings = timings_table(pd.DataFrame({"Step": ["clean", "models"], "Seconds": [2.74, 16.06]}))
    assert timings.to_dict("list") == {"Step": ["clean", "models"], "Time (s)": ["2.7", "16.1"]}
    assert table_width(shown) <= WIDTH_BUDGET
    long = "data/raw/unsd_sdg/ddf--datapoints--sd_mdp_muhc--by--age--geo_area--location--nature"
    path = hashes_table(hashes.assign(File=long + ".csv")).iloc[0, 0]
    assert len(path) == 56 and path.startswith("unsd_sdg/ddf--") and path.endswith("nature.csv")
    assert "…" in path


def test_build_time_honours_source_date_epoch() -> None:
    assert build_time({"SOURCE_DATE_EPOCH": "86400"}) == datetime.datetime(
        1970, 1, 2, tzinfo=datetime.UTC
    )
    assert build_time({}).tzinfo == datetime.UTC


def test_read_param_values_and_validation(tmp_path: Path) -> None:
    stamp = tmp_path / "_all.json"
    stamp.write_text('{"shock_year": 2020}\n')
    assert read_param_values(stamp) == {"shock_year": 2020}
    summary = tmp_path / "validation.json"
    summary.write_text('{"n_rows": 3}\n')
    assert read_validation(summary) == {"n_rows": 3}


def test_minimums_table_lists_every_requirement() -> None:
    table = minimums_table()
    assert len(table) == len(MIN_POINTS)
    first = next(iter(MIN_POINTS))
    assert table.iloc[0].to_dict() == {
        "Method": "trend counterfactual, annual",
        "Observations": str(MIN_POINTS[first]),
    }


def test_source_ids_of_national_rows_of_the_shown_series() -> None:
    tidy = pd.DataFrame(
        {
            "geo": ["MEX", "MEX", "01", "MEX"],
            "indicator_id": ["a", "a", "a", "b"],
            "series": ["s", "s", "s", "t"],
            "source_id": ["z", "y", "x", "w"],
        }
    )
    assert source_ids(tidy, ["a", "b"], ["s"]) == ["y", "z"]
