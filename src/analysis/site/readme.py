"""README sections generated from the pipeline's own metadata, so they cannot drift from it.

- exhibits: every figure and table (`#| label: fig-*` / `tbl-*` cells) -> notebook -> page.
- data availability: every raw resource in datapackage.json -> publisher, file, URL, vintage, licence.
`make readme` rewrites them in place; a test fails when the committed README is stale.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

from analysis.site.pages import PAGES
from analysis.site.render import cell_options, html_name, read_site
from analysis.site.runner import page_source
from analysis.snapshot.validate import load_descriptor

_SECTION = re.compile(
    r"(<!-- BEGIN (?P<name>[\w-]+) -->\n)(?P<body>.*?)(<!-- END (?P=name) -->)", re.S
)


def _literal(node: ast.expr | None, names: dict[str, str]) -> str | None:
    """A string constant, or an f-string whose fields are names given in `names`."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        parts = [_literal(v, names) if isinstance(v, ast.Constant) else None for v in node.values]
        for i, v in enumerate(node.values):
            if isinstance(v, ast.FormattedValue) and isinstance(v.value, ast.Name):
                parts[i] = names.get(v.value.id)
        return None if None in parts else "".join(str(p) for p in parts)
    return None


def figure_call(source: str, names: dict[str, str] | None = None) -> tuple[str, str]:
    """(label, caption) of the `show_figure(fig, "fig-x", caption="...")` call in a cell's code
    (f-string fields filled from `names`, a page's parameters), or ('', '') when the cell draws
    no figure exhibit."""
    code = "\n".join(line for line in source.splitlines() if not line.startswith(("%", "!")))
    for node in ast.walk(ast.parse(code)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "show_figure":
            label = _literal(node.args[1] if len(node.args) > 1 else None, names or {})
            caption_node = next((k.value for k in node.keywords if k.arg == "caption"), None)
            caption = _literal(caption_node, names or {})
            if label and caption:
                return label, caption
    return "", ""


def exhibits_table(root: Path) -> str:
    """Markdown table of every labelled figure and table on the site's pages, in notebook order
    (a notebook shared by several pages lists each page's exhibits, as that page runs it)."""
    site = read_site(root / "reports")
    rows = ["| Exhibit | Caption (start) | Notebook | Output |", "|---|---|---|---|"]
    order = sorted(range(len(PAGES)), key=lambda i: (PAGES[i].stem, i))
    for page in (PAGES[i] for i in order):
        if page.href not in site.pages:
            continue
        notebook = json.loads((root / page.notebook).read_text(encoding="utf-8"))
        for cell in page_source(notebook, page)["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            options = cell_options(source)
            label, caption = options.get("label", ""), options.get("tbl-cap", "")
            if not label.startswith("tbl-"):
                label, caption = figure_call(source, {k: str(v) for k, v in page.params.items()})
            if not label.startswith(("fig-", "tbl-")):
                continue
            short = caption if len(caption) <= 70 else caption[:67].rstrip() + "..."
            kind = "Figure" if label.startswith("fig-") else "Table"
            output = f"`reports/{site.output_dir}/{html_name(page.href)}#{label}`"
            rows.append(f"| {kind} `{label}` | {short} | `{page.notebook}` | {output} |")
    return "\n".join(rows) + "\n"


def data_availability_table(root: Path) -> str:
    """Markdown table, one row per raw resource, from datapackage.json."""
    descriptor = load_descriptor(root / "data" / "raw" / "datapackage.json")
    rows = [
        "| Publisher | Table or series | File | Vintage | Accessed | Licence |",
        "|---|---|---|---|---|---|",
    ]
    for resource in descriptor["resources"]:
        provenance = resource["x-provenance"]
        url = resource["sources"][0]["path"]
        licence = resource["licenses"][0]
        rows.append(
            f"| {provenance['publisher']} | [{resource['title']}]({url}) | "
            f"`data/raw/{resource['path']}` | {provenance['vintage']} | {provenance['access_date']} | "
            f"[{licence['name']}]({licence.get('path', url)}) |"
        )
    return "\n".join(rows) + "\n"


def generated_sections(root: Path) -> dict[str, str]:
    """Every generated README section by marker name."""
    return {"exhibits": exhibits_table(root), "data-availability": data_availability_table(root)}


def refresh_readme(text: str, sections: dict[str, str]) -> str:
    """Replace the body between each `<!-- BEGIN name -->` / `<!-- END name -->` pair."""
    missing = set(sections) - {m.group("name") for m in _SECTION.finditer(text)}
    if missing:
        raise ValueError(f"README lacks markers for: {', '.join(sorted(missing))}")
    return _SECTION.sub(
        lambda m: m.group(1) + sections.get(m.group("name"), m.group("body")) + m.group(4), text
    )
