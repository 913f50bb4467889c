"""Every executed page (reports/*.ipynb) shows only Markdown, images and plain text, and numbers
its exhibits the same way in both renderers.

- No `text/html` or `application/javascript` output: Quarto adds require.js and jQuery from a CDN
  to any page that has one (so the site would not work offline), and the two renderers style HTML
  differently.
- `fig-cap` only on a cell whose outputs are images; `tbl-cap` only on a cell whose outputs are
  Markdown tables (a line starting with '|' and a separator row). Quarto numbers a cell with a
  caption whatever it outputs, so a caption on a text-only cell shifts every later number.

The checks are plain functions with unit tests on small notebooks (unmarked); the test over the
executed pages is marked `build`.
"""

from __future__ import annotations

import itertools
import json
import re
from pathlib import Path
from typing import Any

import pytest
from nbformat.v4 import new_code_cell, new_notebook, new_output

from analysis.site.render import cell_options
from helpers import ROOT

REPORTS = ROOT / "reports"
FORBIDDEN = ("text/html", "application/javascript")
IMAGES = ("image/png", "image/svg+xml", "image/jpeg")
#: The separator row of a Markdown pipe table: |---|:--:|--:|
_SEPARATOR = re.compile(r"^\|?\s*:?-+:?\s*(\|\s*:?-+:?\s*)*\|?\s*$")


def _text(value: Any) -> str:
    return "".join(value) if isinstance(value, list) else str(value)


def is_markdown_table(markdown: str) -> bool:
    """Whether Markdown text holds a pipe table: a line starting with '|' followed by a
    separator row."""
    lines = [line.strip() for line in markdown.splitlines()]
    return any(
        line.startswith("|") and _SEPARATOR.match(following)
        for line, following in itertools.pairwise(lines)
    )


def shown_outputs(cell: dict[str, Any]) -> list[dict[str, Any]]:
    """The outputs a page shows (stream text never reaches a page)."""
    return [o for o in cell.get("outputs", []) if o.get("output_type") != "stream"]


def notebook_problems(notebook: dict[str, Any]) -> list[str]:
    """HTML or JavaScript outputs and captions on cells that do not output their exhibit."""
    problems = []
    for number, cell in enumerate(notebook.get("cells", []), start=1):
        if cell.get("cell_type") != "code":
            continue
        where = f"cell {number} ({cell.get('id', '?')})"
        outputs = shown_outputs(cell)
        for output in outputs:
            for mime in FORBIDDEN:
                if mime in output.get("data", {}):
                    problems.append(f"{where}: a {mime} output")
        options = cell_options(_text(cell.get("source", "")))
        label = options.get("label", "no label")
        if "fig-cap" in options:
            images = [o for o in outputs if any(m in o.get("data", {}) for m in IMAGES)]
            if not outputs or len(images) != len(outputs):
                problems.append(
                    f"{where} [{label}]: fig-cap on a cell whose output is not an image "
                    f"({len(images)} image(s) among {len(outputs)} output(s))"
                )
        if "tbl-cap" in options:
            tables = [
                o
                for o in outputs
                if is_markdown_table(_text(o.get("data", {}).get("text/markdown", "")))
            ]
            if not outputs or len(tables) != len(outputs):
                problems.append(
                    f"{where} [{label}]: tbl-cap on a cell whose output is not a Markdown table "
                    f"({len(tables)} table(s) among {len(outputs)} output(s))"
                )
        for output in outputs:
            markdown = _text(output.get("data", {}).get("text/markdown", ""))
            problems.extend(f"{where}: {p}" for p in markdown_problems(markdown))
    return problems


#: A '$' pandoc (Quarto) could read as the start or end of TeX maths: not escaped and not
#: followed by a digit ("US$492" can never close maths, pandoc requires a non-digit after it).
_MATH_DOLLAR = re.compile(r"(?<!\\)\$(?!\d)")
_FIGURE_ID = re.compile(r"\{#fig-[\w-]+(?P<attrs>[^}]*)\}")


def markdown_problems(markdown: str) -> list[str]:
    """Markdown that one renderer would show differently: a '$' that may open maths, a figure
    without alt text."""
    problems = [
        f"a '$' Quarto may read as maths: ...{markdown[max(0, m.start() - 30) : m.start() + 10]}..."
        for m in _MATH_DOLLAR.finditer(markdown)
    ]
    for figure in _FIGURE_ID.finditer(markdown):
        if not re.search(r'fig-alt="[^"]+"', figure["attrs"]):
            problems.append(f"a figure without alt text: {figure.group(0)}")
    return problems


# ---- the checks catch each fault (unit) ------------------------------------------------------

TABLE = "| Year | Rate (%) |\n|:--|--:|\n| 2020 | 43.9 |\n\n[Data (CSV)](exhibits/x/tbl-a.csv)"


def cell(source: str, *data: dict[str, Any], stream: bool = False) -> dict[str, Any]:
    outputs = [new_output("display_data", data=d) for d in data]
    if stream:
        outputs.insert(0, new_output("stream", name="stderr", text="warning\n"))
    return new_code_cell(source, outputs=outputs)


def problems_of(*cells: dict[str, Any]) -> list[str]:
    return notebook_problems(json.loads(json.dumps(new_notebook(cells=list(cells)))))


def test_a_clean_notebook_passes() -> None:
    assert not problems_of(
        cell(
            '#| label: tbl-a\n#| tbl-cap: "A table"\nshow()', {"text/markdown": TABLE}, stream=True
        ),
        cell('#| label: fig-a\n#| fig-cap: "A figure"\nplot()', {"image/png": "iVBOR"}),
        cell(
            "show_figure(fig)",
            {"text/markdown": '![A figure](exhibits/x/fig-b.png){#fig-b fig-alt="Fell to 3%."}'},
        ),
        cell("say()", {"text/markdown": r"Costs of sending US$200, or \$ alone."}),
        cell("say()", {"text/markdown": "Poverty fell.", "text/plain": "<Markdown>"}),
        cell("x = 1"),
    )


@pytest.mark.parametrize(
    ("bad", "expected"),
    [
        (cell("show()", {"text/html": "<table></table>"}), "a text/html output"),
        (cell("js()", {"application/javascript": "alert(1)"}), "a application/javascript output"),
        (
            cell('#| label: fig-x\n#| fig-cap: "Cap"\nsay()', {"text/markdown": "Only words."}),
            "[fig-x]: fig-cap on a cell whose output is not an image",
        ),
        (cell('#| fig-cap: "Cap"\npass'), "fig-cap on a cell whose output is not an image"),
        (
            cell("say()", {"text/markdown": "US$ 5 and $x$ differ."}),
            "a '$' Quarto may read as maths",
        ),
        (
            cell("show_figure(fig)", {"text/markdown": "![Cap](exhibits/x/fig-a.png){#fig-a}"}),
            "a figure without alt text",
        ),
        (
            cell('#| label: tbl-x\n#| tbl-cap: "Cap"\nsay()', {"text/markdown": "No table here."}),
            "[tbl-x]: tbl-cap on a cell whose output is not a Markdown table",
        ),
        (
            cell('#| tbl-cap: "Cap"\nshow()', {"text/markdown": "| a | b |\n| 1 | 2 |"}),
            "tbl-cap on a cell whose output is not a Markdown table",  # no separator row
        ),
        (
            cell('#| tbl-cap: "Cap"\nplot()', {"image/png": "iVBOR"}),
            "tbl-cap on a cell whose output is not a Markdown table",
        ),
    ],
)
def test_checks_catch_each_fault(bad: dict[str, Any], expected: str) -> None:
    problems = problems_of(bad)
    assert any(expected in p for p in problems), problems


def test_markdown_table_needs_a_separator_row() -> None:
    assert is_markdown_table(TABLE)
    assert is_markdown_table("Intro\n\n| a |\n|---|\n| 1 |")
    assert not is_markdown_table("| a | b |\n| 1 | 2 |")
    assert not is_markdown_table("a | b\n---|---")  # a table must start its line with '|'


# ---- every executed page (build) -------------------------------------------------------------


def executed_pages() -> list[Path]:
    return sorted(REPORTS.glob("*.ipynb"))


@pytest.mark.build
@pytest.mark.parametrize("path", executed_pages(), ids=lambda p: p.name)
def test_executed_page_outputs_markdown_images_and_text_only(path: Path) -> None:
    problems = notebook_problems(json.loads(path.read_text(encoding="utf-8")))
    assert not problems, f"reports/{path.name}:\n  " + "\n  ".join(problems)


@pytest.mark.build
def test_every_page_of_the_site_is_executed() -> None:
    from analysis.site.render import read_site

    missing = [p for p in read_site(REPORTS).pages if not (REPORTS / p).is_file()]
    assert not missing, f"not executed (run `make all`): {missing}"
