"""The nbconvert renderer: same pages as Quarto, code hidden, captions, images embedded, offline."""

from __future__ import annotations

import base64
import re
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output, new_raw_cell

from analysis.site.render import (
    cell_options,
    front_matter,
    prepare_notebook,
    read_site,
    render_with_nbconvert,
)
from helpers import ROOT

# A 1x1 PNG.
PNG = base64.b64encode(
    bytes.fromhex(
        "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
        "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
    )
).decode()


def page(title: str) -> nbformat.NotebookNode:
    figure = new_code_cell(
        '#| label: fig-test\n#| fig-cap: "A test figure, source X"\n#| fig-alt: "Alt text here"\nSECRET_CODE = 1',
        outputs=[
            new_output("stream", name="stderr", text="UserWarning: noisy\n"),
            new_output("display_data", data={"image/png": PNG, "text/plain": "<Figure>"}),
        ],
    )
    table = new_code_cell(
        '#| label: tbl-test\n#| tbl-cap: "A test table"\nshow()',
        outputs=[
            new_output("display_data", data={"text/html": "<table><tr><td>1.0</td></tr></table>"})
        ],
    )
    prose = new_code_cell(
        "display(Markdown(text))",
        outputs=[
            new_output(
                "display_data", data={"text/markdown": "Computed **43.9%**", "text/plain": "md"}
            )
        ],
    )
    return new_notebook(
        cells=[
            new_raw_cell(f'---\ntitle: "{title}"\nsubtitle: "Sub"\n---'),
            new_markdown_cell(
                "See [the other page](other.ipynb) and [a source](https://example.org)."
            ),
            figure,
            table,
            prose,
        ]
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "_quarto.yml").write_text(
        "project:\n  type: website\n  output-dir: _site\n  render:\n    - index.ipynb\n    - other.ipynb\n"
        "website:\n  title: Test site\n  navbar:\n    left:\n      - href: index.ipynb\n        text: Home\n"
        "      - href: other.ipynb\n        text: Other\n",
        encoding="utf-8",
    )
    nbformat.write(page("Home page"), tmp_path / "index.ipynb")
    nbformat.write(page("Other page"), tmp_path / "other.ipynb")
    return tmp_path


def test_cell_options() -> None:
    assert cell_options(
        '#| label: fig-a\n#| fig-cap: "Cap: with colon"\nx = 1\n#| not: an option'
    ) == {
        "label": "fig-a",
        "fig-cap": "Cap: with colon",
    }


def test_front_matter() -> None:
    assert front_matter(page("T")) == {"title": "T", "subtitle": "Sub"}
    assert front_matter(new_notebook(cells=[new_markdown_cell("# no")])) == {}


def test_prepare_numbers_captions_and_drops_stderr() -> None:
    prepared = prepare_notebook(page("T"))
    assert prepared["cells"][0]["cell_type"] == "markdown"  # front matter removed
    figure_outputs = prepared["cells"][1]["outputs"]
    assert len(figure_outputs) == 1
    figure_html = figure_outputs[0]["data"]["text/html"]
    assert "<strong>Figure 1:</strong> A test figure, source X" in figure_html
    assert 'alt="Alt text here"' in figure_html and 'id="fig-test"' in figure_html
    assert (
        "<strong>Table 1:</strong> A test table"
        in prepared["cells"][2]["outputs"][0]["data"]["text/html"]
    )


def test_prepare_refuses_error_outputs() -> None:
    nb = new_notebook(
        cells=[
            new_code_cell(
                "1/0",
                outputs=[new_output("error", ename="ZeroDivisionError", evalue="", traceback=[])],
            )
        ]
    )
    with pytest.raises(ValueError, match="error output"):
        prepare_notebook(nb)


def test_site_pages(project: Path) -> None:
    renderer, pages = render_with_nbconvert(project)
    assert renderer.startswith("nbconvert")
    assert [p.name for p in pages] == ["index.html", "other.html"]
    html = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert "<h1>Home page</h1>" in html and "<title>Home page – Test site</title>" in html
    assert (
        '<a href="other.html">Other</a>' in html and 'href="index.html" aria-current="page"' in html
    )
    assert 'href="other.html"' in html  # the .ipynb link in prose points at the rendered page
    assert 'src="data:image/png;base64,' in html
    assert "Computed <strong>43.9%</strong>" in html
    assert "SECRET_CODE" not in html and "show()" not in html  # code hidden
    assert "noisy" not in html  # stderr left out
    assert "In&nbsp;[" not in html and "Out[" not in html


def test_pages_open_offline(project: Path) -> None:
    render_with_nbconvert(project)
    for path in (project / "_site").glob("*.html"):
        html = path.read_text(encoding="utf-8")
        assert not re.search(r'<(script|img|link|iframe)[^>]+(src|href)="(https?:)?//', html), (
            path.name
        )
        assert "<script" not in html


def test_render_replaces_site_atomically(project: Path) -> None:
    render_with_nbconvert(project)
    stale = project / "_site" / "stale.html"
    stale.write_text("old", encoding="utf-8")
    render_with_nbconvert(project)
    assert not stale.exists()
    assert not [p for p in project.iterdir() if p.name.startswith(".")]


def test_reports_project_lists_every_page() -> None:
    from analysis.site.pages import render_list

    site = read_site(ROOT / "reports")
    assert site.pages == render_list()
    assert site.navbar and {href for href, _ in site.nav_links()} == set(site.pages)


def test_html_table_formats_gaps_links_and_escapes() -> None:
    import pandas as pd

    from analysis.report.display import html_table

    frame = pd.DataFrame(
        {
            "Name": ["<b>x</b>", "y"],
            "Value": [1.234, float("nan")],
            "Official page": ["https://a.org/p", ""],
        }
    )
    table = html_table(frame, decimals=2, links=("Official page",))
    assert "&lt;b&gt;x&lt;/b&gt;" in table and "<td>1.23</td>" in table
    assert '<a href="https://a.org/p">a.org</a>' in table
    assert "nan" not in table.lower()
