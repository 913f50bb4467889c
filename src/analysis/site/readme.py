"""README sections generated from the pipeline's own metadata, so they cannot drift from it.

- exhibits: every figure and table (`#| label: fig-*` / `tbl-*` cells) -> notebook -> page.
- data availability: every raw resource in datapackage.json -> publisher, file, URL, vintage, licence.
`make readme` rewrites them in place; a test fails when the committed README is stale.
"""

from __future__ import annotations

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
            options = cell_options("".join(cell["source"]))
            label = options.get("label", "")
            if not label.startswith(("fig-", "tbl-")):
                continue
            caption = options.get("fig-cap") or options.get("tbl-cap") or ""
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
