"""The page list: one source for the Makefile's page rules, _quarto.yml and the area pages."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import pytest

from analysis.site.pages import (
    KERNEL_NAME,
    PAGES,
    Page,
    make_fragment,
    navbar,
    notebooks,
    page_named,
    quarto_sections,
    render_list,
)
from analysis.site.readme import figure_call
from analysis.site.render import check_site, front_matter, read_site
from analysis.site.runner import page_source, resolve_values

ROOT = Path(__file__).resolve().parents[1]

SMALL = (
    Page("01_a", "a", "A", "A page", ("INDICATORS", "data/raw/x.csv")),
    Page("02_shared", "b", "B", "B page", ("PACKAGE",), menu="M", params={"area": "P1"}),
    Page("02_shared", "c", "C", "C page", ("PACKAGE",), menu="M", params={"area": "P2"}),
    Page("03_last", "z", "Z", "Z page", ("VALIDATION",), menu="N", after_other_pages=True),
)


def rules(fragment: str) -> dict[str, tuple[str, list[str]]]:
    """page name -> (notebook stem, inputs) of the `page_rule` calls of a make fragment."""
    found = {}
    for line in fragment.splitlines():
        match = re.fullmatch(r"\$\(eval \$\(call page_rule,(\w+),(\w+),(.*)\)\)", line)
        if match:
            found[match.group(2)] = (match.group(1), match.group(3).split())
    return found


def test_make_fragment_has_one_rule_per_page_with_its_inputs() -> None:
    fragment = make_fragment(SMALL)
    assert f"KERNEL := {KERNEL_NAME}" in fragment.splitlines()
    assert (
        "NOTEBOOKS := notebooks/01_a.ipynb notebooks/02_shared.ipynb notebooks/03_last.ipynb"
        in fragment
    )
    assert "PAGES := reports/a.ipynb reports/b.ipynb reports/c.ipynb reports/z.ipynb" in fragment
    found = rules(fragment)
    # One page_rule call per page, and nothing else in the fragment but the three variables.
    assert list(found) == ["a", "b", "c", "z"]
    assert len(fragment.splitlines()) == 2 + 3 + 4
    # Upper-case inputs are make variables, others paths, in the page list's order.
    assert found["a"] == ("01_a", ["$(INDICATORS)", "data/raw/x.csv"])
    # Two pages of one notebook: the same source notebook (and so the same parameter stamp).
    assert found["b"] == found["c"] == ("02_shared", ["$(PACKAGE)"])
    # The last page waits for every other page, not for itself.
    stem, last = found["z"]
    assert stem == "03_last"
    assert last == ["$(VALIDATION)", "reports/a.ipynb", "reports/b.ipynb", "reports/c.ipynb"]


def test_page_rule_runs_the_page_from_its_notebook_into_its_stamp() -> None:
    """The Makefile's page_rule, which the fragment calls: the stamp build/stamps/pages/<name>
    depends on the notebook, its parameter stamp, the inputs and the modules the notebook
    imports, and runs the notebook as that page."""
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    rule = makefile.split("define page_rule\n", 1)[1].split("\nendef", 1)[0].splitlines()
    assert rule == [
        "$$(eval $$(call outputs_of,$(STAMPS)/pages/$(2),reports/$(2).ipynb))",
        "$(STAMPS)/pages/$(2): notebooks/$(1).ipynb build/params/$(1).json $(3) "
        "$$(NOTEBOOK_MODULES_$(1)) $$(TEXT_FILES) | $$(VENV_STAMP)",
        "\t@$$(RUN) run-notebook $$< reports/$(2).ipynb $$(PARAM_SET) --page $(2)",
        "\t$$(STAMP_DONE)",
    ]


def test_navbar_groups_pages_into_menus_in_order() -> None:
    assert render_list(SMALL) == ["a.ipynb", "b.ipynb", "c.ipynb", "z.ipynb"]
    assert navbar(SMALL) == [
        {"href": "a.ipynb", "text": "A page"},
        {
            "text": "M",
            "menu": [{"href": "b.ipynb", "text": "B page"}, {"href": "c.ipynb", "text": "C page"}],
        },
        {"text": "N", "menu": [{"href": "z.ipynb", "text": "Z page"}]},
    ]


def test_quarto_yml_lists_the_pages_of_the_page_list() -> None:
    assert check_site(read_site(ROOT / "reports")) == ""


def test_check_site_names_a_mismatch(tmp_path: Path) -> None:
    text = (ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(text.replace("    - green.ipynb\n", ""), encoding="utf-8")
    assert "missing ['green.ipynb']" in check_site(read_site(tmp_path))
    renamed = text.replace("text: Recovery", "text: Recoveries")
    (tmp_path / "_quarto.yml").write_text(renamed, encoding="utf-8")
    assert "navbar differs" in check_site(read_site(tmp_path))


def test_quarto_sections_are_the_yaml_of_quarto_yml() -> None:
    import yaml

    text = (ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8")
    render, navbar_block = quarto_sections().split("  navbar:\n")
    assert render in text and "  navbar:\n" + navbar_block in text  # pasted verbatim
    sections = yaml.safe_load("x:\n" + quarto_sections())["x"]
    assert sections["render"] == render_list()
    assert sections["navbar"]["left"] == navbar()


def test_build_fragment_is_the_page_list() -> None:
    """build/pages.mk, when built, was generated from the current pages.py."""
    built = ROOT / "build" / "pages.mk"
    if not built.is_file():
        pytest.skip("build/pages.mk is made by make")
    assert built.read_text(encoding="utf-8") == make_fragment()


def test_page_list_imports_only_the_standard_library() -> None:
    code = (
        "import sys; import analysis.site.pages; "
        "extra = sorted(m for m in sys.modules if m.split('.')[0] not in sys.stdlib_module_names "
        "and m.split('.')[0] not in ('analysis', '__main__')); print(extra)"
    )
    result = subprocess.run(
        [sys.executable, "-S", "-c", code],
        cwd=ROOT,
        env={"PYTHONPATH": "src"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == "[]"
    made = subprocess.run(
        [sys.executable, "-S", "-m", "analysis.site.pages", "make"],
        cwd=ROOT,
        env={"PYTHONPATH": "src"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert made.stdout == make_fragment()


def test_every_notebook_makes_a_page_and_runs_on_the_kernel() -> None:
    on_disk = sorted(f"notebooks/{p.name}" for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert on_disk == sorted(notebooks())
    for notebook in notebooks():
        meta = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["metadata"]
        assert meta["kernelspec"]["name"] == KERNEL_NAME, notebook
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert KERNEL_NAME not in makefile  # the Makefile takes KERNEL from build/pages.mk


def test_page_names_are_unique_and_known() -> None:
    assert len({p.name for p in PAGES}) == len(PAGES)
    assert page_named("migration").params == {"area": "X2", "area_name": "Migrants and refugees"}
    with pytest.raises(KeyError, match="no page 'nowhere'"):
        page_named("nowhere")


# ---- a shared notebook as one page runs it ---------------------------------------------------


def cell(kind: str, source: str, tags: list[str] | None = None) -> dict:
    return {"cell_type": kind, "id": "x", "metadata": {"tags": tags or []}, "source": source}


TEMPLATE = {
    "cells": [
        cell("raw", '---\ntitle: "{{ title }}"\n---'),
        cell("markdown", "{{ intro }}"),
        cell("code", 'area = "P1"', ["parameters"]),
        cell("code", '#| fig-cap: "{{ title }}: series"\nprint("{{ title }}")'),
        cell("markdown", "## States", ["section:states"]),
        cell("code", "#| fig-cap: releases\nplot()", ["section:releases"]),
        cell("markdown", "## End"),
    ],
    "metadata": {},
    "nbformat": 4,
    "nbformat_minor": 5,
}


def page(name: str, sections: tuple[str, ...] = (), title: str = "Title") -> Page:
    return Page(
        "05_t",
        name,
        title,
        name,
        (),
        params={"area": "P9"},
        text={"intro": f"About {name}."},
        sections=sections,
    )


def test_page_source_fills_placeholders_and_keeps_only_its_sections() -> None:
    made = page_source(TEMPLATE, page("one", ("states",)))
    sources = [c["source"] for c in made["cells"]]
    assert sources == [
        '---\ntitle: "Title"\n---',
        "About one.",
        'area = "P1"',
        '#| fig-cap: "Title: series"\nprint("{{ title }}")',  # code itself is never templated
        "## States",
        "## End",
    ]
    assert [c["id"] for c in made["cells"]] == [f"cell-{i:02d}" for i in range(6)]
    assert made["cells"][4]["metadata"] == {}  # the section tag is not carried into the page
    assert made["cells"][2]["metadata"] == {"tags": ["parameters"]}
    other = page_source(TEMPLATE, page("two", ("releases",)))
    assert [c["source"] for c in other["cells"]][4] == "#| fig-cap: releases\nplot()"
    assert len(page_source(TEMPLATE, page("three"))["cells"]) == 5
    assert TEMPLATE["cells"][0]["source"] == '---\ntitle: "{{ title }}"\n---'  # input untouched


def test_page_source_refuses_an_unknown_placeholder_or_parameter() -> None:
    broken = {**TEMPLATE, "cells": [*TEMPLATE["cells"], cell("markdown", "{{ nowhere }}")]}
    with pytest.raises(ValueError, match="nowhere"):
        page_source(broken, page("one"))
    lacking = Page("05_t", "x", "Title", "x", (), params={"region": "N"}, text={"intro": ""})
    with pytest.raises(ValueError, match="region"):
        page_source(TEMPLATE, lacking)


def test_page_source_checks_the_title_against_the_page_list() -> None:
    fixed = {**TEMPLATE, "cells": [cell("raw", '---\ntitle: "Other"\n---'), *TEMPLATE["cells"][1:]]}
    with pytest.raises(ValueError, match="front matter title 'Other'"):
        page_source(fixed, page("one"))


@pytest.mark.parametrize("page_spec", PAGES, ids=lambda p: p.name)
def test_every_page_of_the_site_prepares(page_spec: Page) -> None:
    notebook = json.loads((ROOT / page_spec.notebook).read_text(encoding="utf-8"))
    made = page_source(notebook, page_spec)
    assert front_matter(made)["title"] == page_spec.title
    assert front_matter(made).get("subtitle", "") == page_spec.subtitle
    for made_cell in made["cells"]:
        shown = made_cell["source"]
        if made_cell["cell_type"] == "code":
            shown = "".join(line for line in shown.splitlines() if line.startswith("#|"))
        assert not re.search(r"\{\{\s*\w+\s*\}\}", shown), shown


def test_area_pages_keep_only_their_own_extra_figures() -> None:
    notebook = json.loads((ROOT / "notebooks" / "05_area.ipynb").read_text(encoding="utf-8"))

    def labels(name: str) -> list[str]:
        page = page_named(name)
        cells = page_source(notebook, page)["cells"]
        names = {k: str(v) for k, v in page.params.items()}
        return [
            figure_call(c["source"], names)[0]
            for c in cells
            if c["cell_type"] == "code"
            if figure_call(c["source"], names)[0]
        ]

    assert labels("equality") == ["fig-area-series", "fig-state-poverty"]
    assert labels("migration") == ["fig-area-series", "fig-asylum-releases"]
    assert labels("prosperity") == [
        "fig-area-series",
        "fig-territory-maps",
        "fig-territory-dots",
        "fig-territory-economy",
    ]
    for name in ("green", "peace", "gender"):
        assert labels(name) == ["fig-area-series"]


def test_page_parameters_are_not_analysis_parameters() -> None:
    values = resolve_values(ROOT / "notebooks" / "05_area.ipynb", ROOT / "params.yaml")
    assert values == {"framework_base_year": 2019}  # area and area_name come from the page list


def test_every_captioned_figure_cell_of_a_built_page_draws_a_figure() -> None:
    """Quarto numbers figures by their fig-cap cells: one without an image shifts the numbers."""
    from analysis.site.render import cell_options

    built = [p for p in PAGES if (ROOT / p.executed).is_file()]
    if not built:
        pytest.skip("no executed pages in reports/ (make notebooks)")
    for page_spec in built:
        executed = json.loads((ROOT / page_spec.executed).read_text(encoding="utf-8"))
        for made_cell in executed["cells"]:
            if made_cell["cell_type"] != "code":
                continue
            if "fig-cap" in cell_options("".join(made_cell["source"])):
                kinds = [o.get("data", {}) for o in made_cell.get("outputs", [])]
                assert any("image/png" in d for d in kinds), (page_spec.name, made_cell["id"])


def _without_strings(code: str) -> str:
    """The code with its string literals left out (a caption may name its source file)."""
    tokens = tokenize.generate_tokens(io.StringIO(code).readline)
    kept = [
        t.string
        for t in tokens
        if t.type not in (tokenize.STRING, getattr(tokenize, "FSTRING_MIDDLE", tokenize.STRING))
    ]
    return " ".join(kept)


@pytest.mark.parametrize("notebook", notebooks())
def test_notebooks_read_no_path_or_dtype_by_hand(notebook: str) -> None:
    """Paths come from analysis.core.paths and dtypes from the loaders, never from a notebook."""
    cells = json.loads((ROOT / notebook).read_text(encoding="utf-8"))["cells"]
    for code in (c for c in cells if c["cell_type"] == "code"):
        body = _without_strings(
            "".join(line for line in code["source"] if not line.startswith("#|"))
        )
        for spelled in ("data/", "build/", "read_csv", "dtype", "open(", "json.load"):
            assert spelled not in body, f"{notebook} {code['id']}: {spelled}"


def test_render_refuses_a_quarto_yml_that_differs_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from analysis.cli import main

    text = (ROOT / "reports" / "_quarto.yml").read_text(encoding="utf-8")
    (tmp_path / "_quarto.yml").write_text(text.replace("    - peace.ipynb\n", ""), encoding="utf-8")
    assert main(["render", "--project", str(tmp_path), "--renderer", "nbconvert"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "missing ['peace.ipynb']" in err
    assert not (tmp_path / "_site").exists()
