"""Exhibits as Markdown: table cells, alignment, data files beside the page, figure Markdown both
renderers number, and the runner keeping a page's files only when the page succeeded."""

from __future__ import annotations

from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from analysis.report import exhibits
from analysis.site.render import prepare_notebook
from analysis.site.runner import exhibit_folder


@pytest.fixture
def page_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv(exhibits.PAGE_ENV, "demo")
    monkeypatch.setenv(exhibits.DIR_ENV, str(tmp_path / "out"))
    return tmp_path / "out"


def test_cells_are_formatted_per_column_and_numbers_right_aligned() -> None:
    frame = pd.DataFrame(
        {
            "Name": ["a_b", "US$5 and $6"],
            "Rate (%)": [41.93, np.nan],
            "Count": [43103.0, 1.0],
            "Change": ["-3.2 pp", "+1.0 pp"],
        }
    )
    lines = exhibits.markdown_table(frame).splitlines()
    assert lines[0] == "| Name | Rate (%) | Count | Change |"
    assert [cell.endswith(":") for cell in lines[1].strip("|").split("|")] == [
        False,
        True,
        True,
        True,
    ]
    assert lines[2] == r"| a\_b | 41.9 | 43,103 | -3.2 pp |"
    assert lines[3] == r"| US\$5 and \$6 |  | 1 | +1.0 pp |"


@pytest.mark.parametrize(
    "cell", ["1,234", "-3.2 pp", "+8.9%", "<0.001", "99.6 (2019)", "US$16", "+0.5 years"]
)
def test_numbers_with_a_unit_or_a_year_read_as_numbers(cell: str) -> None:
    assert exhibits.is_numeric_text(cell)


@pytest.mark.parametrize(
    "cell", ["2018Q3", "MXN 25.5 trillion (2025)", "41.9 (see the note below)"]
)
def test_words_do_not_read_as_numbers(cell: str) -> None:
    assert not exhibits.is_numeric_text(cell)


def test_a_text_column_with_one_number_is_left_aligned() -> None:
    rule = exhibits.markdown_table(pd.DataFrame({"Period": ["2018", "2018Q3"]})).splitlines()[1]
    assert not rule.strip("|").endswith(":")


def test_table_writes_its_data_and_links_it(page_dir: Path) -> None:
    shown = pd.DataFrame({"Rate (%)": ["41.9"]})
    raw = pd.DataFrame({"value": [41.9321]})
    markdown, metadata = exhibits.table_markdown(shown, "tbl-demo", data=raw)
    assert markdown.endswith("[Data (CSV)](exhibits/demo/tbl-demo.csv)\n")
    assert (page_dir / "tbl-demo.csv").read_text() == "value\n41.9321\n"
    assert len(metadata["exhibit"]["csv"]) == 64


def test_a_table_shown_with_its_index_keeps_it_in_the_csv(page_dir: Path) -> None:
    frame = pd.DataFrame({"2022": [23.97]}, index=pd.Index(["Ciudad de México"], name="State"))
    exhibits.table_markdown(frame, "tbl-states", index=True)
    assert (page_dir / "tbl-states.csv").read_text() == "State,2022\nCiudad de México,23.97\n"


def test_a_label_quarto_cannot_cross_reference_is_refused(page_dir: Path) -> None:
    with pytest.raises(ValueError, match="tbl-Outcome-X1"):
        exhibits.write_data(pd.DataFrame(), "tbl-Outcome-X1")


def test_figure_markdown_carries_caption_link_and_alt(page_dir: Path) -> None:
    fig, ax = plt.subplots(figsize=(7.6, 3))
    ax.plot([1, 2], [3, 4])
    markdown, metadata = exhibits.figure_markdown(
        fig,
        "fig-demo",
        "Poverty, % of people",
        'Fell from 41.9% to "29.6%"',
        pd.DataFrame({"x": [1]}),
    )
    plt.close(fig)
    assert markdown == (
        "![Poverty, % of people [Data (CSV)](exhibits/demo/fig-demo.csv)](exhibits/demo/fig-demo.png)"
        "{#fig-demo fig-alt=\"Fell from 41.9% to '29.6%'\"}\n"
    )
    assert (page_dir / "fig-demo.png").read_bytes()[:4] == b"\x89PNG"
    assert set(metadata["exhibit"]) == {"label", "png", "csv"}


def test_a_figure_without_alt_text_is_refused(page_dir: Path) -> None:
    fig = plt.figure()
    with pytest.raises(ValueError, match="alt"):
        exhibits.figure_markdown(fig, "fig-demo", "Caption", " ", pd.DataFrame())
    plt.close(fig)


def _markdown_cell(source: str, markdown: str) -> dict:
    return {
        "cell_type": "code",
        "source": source,
        "metadata": {},
        "outputs": [
            {"output_type": "display_data", "data": {"text/markdown": markdown}, "metadata": {}}
        ],
    }


def test_the_fallback_renderer_numbers_markdown_figures_and_tables_in_page_order() -> None:
    figure = (
        '![Cap [Data (CSV)](exhibits/p/fig-a.csv)](exhibits/p/fig-a.png){#fig-a fig-alt="Alt"}\n'
    )
    table = "| A |\n|--:|\n| 1 |\n\n[Data (CSV)](exhibits/p/tbl-a.csv)\n"
    notebook = {
        "cells": [
            _markdown_cell("show_figure(...)", figure),
            _markdown_cell('#| label: tbl-a\n#| tbl-cap: "Counts"\nshow_table(...)', table),
            _markdown_cell("show_figure(...)", figure.replace("#fig-a", "#fig-b")),
        ],
        "metadata": {},
    }
    outputs = [c["outputs"][0]["data"]["text/html"] for c in prepare_notebook(notebook)["cells"]]
    assert '<img src="exhibits/p/fig-a.png" alt="Alt">' in outputs[0]
    assert "<strong>Figure 1:</strong> Cap" in outputs[0]
    assert '<a href="exhibits/p/fig-a.csv">Data (CSV)</a>' in outputs[0]
    assert "<strong>Table 1:</strong> Counts" in outputs[1]
    assert 'style="text-align:right"' in outputs[1]
    assert "<strong>Figure 2:</strong>" in outputs[2]


def test_a_page_keeps_its_files_only_when_its_run_succeeds(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    output = tmp_path / "reports" / "demo.ipynb"
    target = tmp_path / "reports" / "exhibits" / "demo"
    with exhibit_folder(output) as staging:
        (staging / "tbl-a.csv").write_text("a\n1\n")
    assert (target / "tbl-a.csv").read_text() == "a\n1\n"
    with pytest.raises(RuntimeError), exhibit_folder(output) as staging:
        (staging / "tbl-a.csv").write_text("a\n2\n")
        raise RuntimeError("the notebook failed")
    assert (target / "tbl-a.csv").read_text() == "a\n1\n"
    with exhibit_folder(output) as staging:
        (staging / "tbl-b.csv").write_text("b\n")
    assert sorted(p.name for p in target.iterdir()) == ["tbl-b.csv"]
