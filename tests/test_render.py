"""The nbconvert renderer: same pages as Quarto, code hidden, captions, images embedded, offline."""

from __future__ import annotations

import base64
import re
import tempfile
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


# ---- the page template, stylesheet, navigation and footer ------------------------------------


def menu_project(project: Path) -> Path:
    """The test project with a menu in its navbar and headings enough for a table of contents."""
    (project / "_quarto.yml").write_text(
        "project:\n  type: website\n  output-dir: _site\n  render:\n    - index.ipynb\n    - other.ipynb\n"
        "website:\n  title: Test site\n  navbar:\n    left:\n      - href: index.ipynb\n        text: Home\n"
        "      - text: More\n        menu:\n          - href: other.ipynb\n            text: Other\n",
        encoding="utf-8",
    )
    long_page = page("Home page")
    long_page.cells.insert(
        1, new_markdown_cell("## First part\n\ntext\n\n### A detail\n\ntext\n\n## Second part\n")
    )
    nbformat.write(long_page, project / "index.ipynb")
    return project


def test_template_and_stylesheet_are_package_files() -> None:
    from analysis.site.render import STYLESHEET, template_text

    css = template_text(STYLESHEET)
    assert "anywhere" not in css  # words never break inside
    assert "--column: 760px" in css and "overflow-x: auto" in css and "max-width: 100%" in css
    assert re.search(r"code \{[^}]*word-break: break-word", css)  # only code may break
    assert "{{ body | safe }}" in template_text("page.html.j2")


def test_page_has_menus_toc_scroll_boxes_stylesheet_and_footer(project: Path) -> None:
    render_with_nbconvert(
        menu_project(project), footer="Data as of May 2026. Site built on 1 June 2026."
    )
    html = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert '<link rel="stylesheet" href="site.css">' in html
    assert (project / "_site" / "site.css").read_text(encoding="utf-8").startswith("/*")
    # the menu is a <details>: it opens with Enter, no script needed
    assert re.search(r"<details>\s*<summary>More</summary>.*?href=\"other.html\"", html, re.DOTALL)
    assert '<summary class="current">' not in html  # index is not in the menu
    other = (project / "_site" / "other.html").read_text(encoding="utf-8")
    assert '<summary class="current">More</summary>' in other
    # the table of contents lists h2 and h3 (without the pilcrow), on the long page only
    toc = re.search(r'<nav class="toc".*?</nav>', html, re.DOTALL)
    assert toc, "no table of contents on a page with three headings"
    assert '<li class="toc-h2"><a href="#First-part">First part</a></li>' in toc[0]
    assert '<li class="toc-h3"><a href="#A-detail">A detail</a></li>' in toc[0]
    assert "¶" not in toc[0]
    assert 'class="toc"' not in other
    # every table scrolls in its own box
    assert html.count('<div class="table-scroll"><table') == html.count("<table")
    assert html.count("</table></div>") == html.count("</table>") >= 1
    assert '<footer class="site">Data as of May 2026. Site built on 1 June 2026.</footer>' in html
    assert "Quarto not found" not in html and "Rendered by" not in html


def test_markdown_table_keeps_its_right_alignment(project: Path) -> None:
    markdown = "| Year | Rate |\n|:--|--:|\n| 2020 | 43.9% |\n"
    notebook = page("Home page")
    notebook.cells.append(
        new_code_cell("x", outputs=[new_output("display_data", data={"text/markdown": markdown})])
    )
    nbformat.write(notebook, project / "index.ipynb")
    render_with_nbconvert(project, footer="")
    html = (project / "_site" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<td style="text-align:right">\s*43.9%</td>', html)


def test_linked_exhibits_are_copied_into_the_site_and_others_are_not() -> None:
    """copy_assets copies what a page shows or links (figure, CSV), nothing else, and refuses a
    link to a file that does not exist."""
    from analysis.site.render import copy_assets

    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "exhibits" / "index").mkdir(parents=True)
        (project / "exhibits" / "index" / "tbl-x.csv").write_text("a,b\n1,2\n", encoding="utf-8")
        (project / "exhibits" / "index" / "tbl-stale.csv").write_text("old\n", encoding="utf-8")
        out = project / "_site"
        page = '<a href="exhibits/index/tbl-x.csv">Data</a> <a href="progress.ipynb">p</a>'
        copy_assets(project, [page], out)
        assert (out / "exhibits" / "index" / "tbl-x.csv").read_text() == "a,b\n1,2\n"
        assert not (out / "exhibits" / "index" / "tbl-stale.csv").exists()
        assert not (out / "progress.ipynb").exists()
        with pytest.raises(FileNotFoundError, match=r"exhibits/index/tbl-gone\.csv"):
            copy_assets(project, ['<img src="exhibits/index/tbl-gone.csv">'], out)


def test_quarto_gets_the_same_footer_before_it_renders(project: Path, tmp_path: Path) -> None:
    from analysis.site.render import QUARTO_FOOTER, render_with_quarto

    fake = tmp_path / "quarto"
    log = tmp_path / "quarto.log"
    fake.write_text(
        f'#!/bin/sh\nif [ "$1" = --version ]; then echo 1.11.0; else cat "$2/{QUARTO_FOOTER}" > {log}; fi\n',
        encoding="utf-8",
    )
    fake.chmod(0o755)
    renderer, _ = render_with_quarto(project, str(fake), footer="Data as of May 2026.")
    assert renderer == "Quarto 1.11.0"
    assert 'class="site' in log.read_text() and "Data as of May 2026." in log.read_text()
    config = (ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8")
    assert f"include-after-body: {QUARTO_FOOTER}" in config
    assert "toc: true" in config and "toc-depth: 3" in config


def test_site_footer_names_vintage_and_build_date(tmp_path: Path) -> None:
    import json

    from analysis.site.render import site_footer

    package = tmp_path / "datapackage.json"
    package.write_text(
        json.dumps({"resources": [{"x-provenance": {"vintage": "2025-08-13"}}]}), encoding="utf-8"
    )
    epoch = {"SOURCE_DATE_EPOCH": "1780000000"}  # 2026-05-28
    assert site_footer(package, epoch) == (
        "Data as of 13 August 2025 (the newest source release in the data snapshot). "
        "Site built on 28 May 2026."
    )
    assert site_footer(tmp_path / "none.json", epoch) == "Site built on 28 May 2026."
