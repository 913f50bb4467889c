"""Render the reports website: `quarto render` when Quarto is on PATH, nbconvert otherwise.

The nbconvert path reads the same `_quarto.yml` (site title, navbar, page list) and the same executed
notebooks, and writes the same page names under `_site/`: code hidden, front matter as the page title,
`#| fig-cap` / `#| fig-alt` cell options as numbered captions and alt text, images embedded so each
page opens offline, and stderr (warnings, progress) left out.
"""

from __future__ import annotations

import base64
import copy
import html
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from analysis.core.atomic import atomic_directory
from analysis.site.pages import PAGES, Page, navbar, render_list

_OPTION = re.compile(r"^#\|\s*([\w-]+)\s*:\s*(.*)$")
_LOCAL_IPYNB_LINK = re.compile(r'href="(?!https?:|mailto:|#)([^"#]+)\.(?:ipynb|qmd)(#[^"]*)?"')


@dataclass(frozen=True)
class Site:
    """What `_quarto.yml` says about the website: title, pages in order, navbar entries (a menu is
    a (text, [(href, text), ...]) entry)."""

    title: str
    pages: list[str]
    navbar: list[tuple[str, str | list[tuple[str, str]]]]
    output_dir: str

    def nav_links(self) -> list[tuple[str, str]]:
        """Every (href, text) of the navbar, menus flattened."""
        links: list[tuple[str, str]] = []
        for first, second in self.navbar:
            if isinstance(second, list):
                links.extend(second)
            else:
                links.append((first, second))
        return links


def read_site(project: Path) -> Site:
    """Parse the Quarto project file that both renderers follow."""
    config = yaml.safe_load((project / "_quarto.yml").read_text(encoding="utf-8"))
    website = config.get("website", {})
    pages = list(config.get("project", {}).get("render", []))
    navbar: list[tuple[str, str | list[tuple[str, str]]]] = []
    for item in website.get("navbar", {}).get("left", []):
        if "menu" in item:
            entries = [(str(m["href"]), str(m.get("text", m["href"]))) for m in item["menu"]]
            navbar.append((str(item["text"]), entries))
        else:
            navbar.append((str(item["href"]), str(item.get("text", item["href"]))))
    output_dir = config.get("project", {}).get("output-dir", "_site")
    return Site(
        title=str(website.get("title", "")), pages=pages, navbar=navbar, output_dir=output_dir
    )


def check_site(site: Site, pages: tuple[Page, ...] = PAGES) -> str:
    """'' when `_quarto.yml`'s render list and navbar are those of the page list, else one line
    saying what differs and how to fix it."""
    fix = "paste the output of `python -m analysis.site.pages quarto` into reports/_quarto.yml"
    if site.pages != render_list(pages):
        extra = sorted(set(site.pages) - set(render_list(pages)))
        lacking = sorted(set(render_list(pages)) - set(site.pages))
        what = f"extra {extra}, missing {lacking}" if extra or lacking else "another order"
        return f"reports/_quarto.yml render list differs from src/analysis/site/pages.py ({what}); {fix}"
    expected: list[tuple[str, str | list[tuple[str, str]]]] = [
        (item["text"], [(m["href"], m["text"]) for m in item["menu"]])
        if "menu" in item
        else (item["href"], item["text"])
        for item in navbar(pages)
    ]
    if site.navbar != expected:
        return f"reports/_quarto.yml navbar differs from src/analysis/site/pages.py; {fix}"
    return ""


def html_name(page: str) -> str:
    """'index.ipynb' -> 'index.html' (Quarto's page naming)."""
    return str(Path(page).with_suffix(".html"))


def cell_options(source: str) -> dict[str, str]:
    """Quarto `#| key: value` options at the top of a code cell."""
    options: dict[str, str] = {}
    for line in source.splitlines():
        match = _OPTION.match(line.strip())
        if not match:
            break
        value = match.group(2).strip()
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        options[match.group(1)] = value
    return options


def front_matter(notebook: dict[str, Any]) -> dict[str, Any]:
    """The YAML front matter of the first raw cell ('---' ... '---'), or an empty dict."""
    for cell in notebook["cells"][:1]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "raw" and source.strip().startswith("---"):
            body = source.strip().strip("-").strip()
            loaded = yaml.safe_load(body) or {}
            return loaded if isinstance(loaded, dict) else {}
    return {}


_MARKDOWN_FIGURE = re.compile(
    r'^!\[(?P<caption>.*)\]\((?P<src>[^()\s]+)\)\{#(?P<label>fig-[\w-]+)(?:\s+fig-alt="(?P<alt>[^"]*)")?\s*\}\s*$',
    re.S,
)


def _markdown_html(text: str) -> str:
    """Markdown as nbconvert renders it (mistune: pipe tables with their alignment, links)."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return markdown2html_mistune(text)


def _inline_html(text: str) -> str:
    """Inline Markdown (a caption) as HTML without the paragraph around it."""
    rendered = _markdown_html(text).strip()
    return rendered.removeprefix("<p>").removesuffix("</p>")


def _figure_html(src: str, caption_html: str, alt: str, label: str, number: int) -> str:
    """A numbered figure as Quarto numbers it: image, then 'Figure n: caption'."""
    return (
        f'<figure class="figure" id="{html.escape(label)}">'
        f'<img src="{html.escape(src)}" alt="{html.escape(alt)}">'
        f"<figcaption><strong>Figure {number}:</strong> {caption_html}</figcaption></figure>"
    )


def _table_html(body_html: str, caption: str, label: str, number: int) -> str:
    """A numbered table as Quarto numbers it: 'Table n: caption' above the table."""
    return (
        f'<figure class="table" id="{html.escape(label)}"><figcaption><strong>Table '
        f"{number}:</strong> {html.escape(caption)}</figcaption>{body_html}</figure>"
    )


def _text(data: dict[str, Any], mime: str) -> str:
    value = data[mime]
    return value if isinstance(value, str) else "".join(value)


def _html_output(markup: str) -> dict[str, Any]:
    return {"output_type": "display_data", "data": {"text/html": markup}, "metadata": {}}


def prepare_notebook(notebook: dict[str, Any]) -> dict[str, Any]:
    """A copy ready for HTML: front matter removed, stderr and prompts gone, figures and tables
    numbered and captioned in page order as Quarto numbers them (a Markdown image with a
    `#fig-` id is a figure; a cell with `tbl-cap` is a table, its caption above it)."""
    nb = copy.deepcopy(notebook)
    if front_matter(nb):
        nb["cells"] = nb["cells"][1:]
    figure_number = table_number = 0
    for cell in nb["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        options = cell_options(source)
        kept = []
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                continue  # print/warning/progress text never reaches a page
            if output["output_type"] == "error":
                raise ValueError("executed notebook contains an error output")
            data = output.get("data", {})
            figure = (
                _MARKDOWN_FIGURE.match(_text(data, "text/markdown"))
                if "text/markdown" in data
                else None
            )
            if figure:
                figure_number += 1
                output = _html_output(
                    _figure_html(
                        figure["src"],
                        _inline_html(figure["caption"]),
                        html.unescape(figure["alt"] or ""),
                        figure["label"],
                        figure_number,
                    )
                )
            elif "image/png" in data and "fig-cap" in options:
                figure_number += 1
                png = data["image/png"]
                png = png if isinstance(png, str) else base64.b64encode(png).decode()
                output = _html_output(
                    _figure_html(
                        "data:image/png;base64," + png.replace("\n", ""),
                        html.escape(options["fig-cap"]),
                        options.get("fig-alt", "") or options["fig-cap"],
                        options.get("label", f"fig-{figure_number}"),
                        figure_number,
                    )
                )
            elif "tbl-cap" in options and ("text/markdown" in data or "text/html" in data):
                table_number += 1
                body = (
                    _markdown_html(_text(data, "text/markdown"))
                    if "text/markdown" in data
                    else _text(data, "text/html")
                )
                output = _html_output(
                    _table_html(
                        body,
                        options["tbl-cap"],
                        options.get("label", f"tbl-{table_number}"),
                        table_number,
                    )
                )
            elif "text/html" in data or "text/markdown" in data or "image/png" in data:
                output = dict(output, data={k: v for k, v in data.items() if k != "text/plain"})
            kept.append(output)
        cell["outputs"] = kept
    return nb


_LOCAL_ASSET = re.compile(r'(?:src|href)="((?!https?:|mailto:|data:|#)[^"#?]+)"')


def copy_assets(project: Path, pages_html: list[str], out: Path) -> list[Path]:
    """Copy the local files the pages link to or show (exhibit figures and CSVs) into the site;
    a link to a file that does not exist is an error naming it."""
    copied = []
    for name in sorted({m for page in pages_html for m in _LOCAL_ASSET.findall(page)}):
        if name.endswith((".html", ".ipynb", ".qmd", "/")):
            continue
        source = project / name
        if not source.is_file():
            raise FileNotFoundError(f"a page links to {name}, which is not in {project}")
        target = out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)
        copied.append(target)
    return copied


PAGE_CSS = """
:root { --ink:#1d2731; --muted:#5b6770; --accent:#0072B2; --rule:#d9dee2; }
* { box-sizing: border-box; }
body { margin:0; font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color:var(--ink);
       line-height:1.55; background:#fff; }
nav.site { background:#12304a; padding:0.6rem 1.5rem; display:flex; gap:1.5rem; align-items:center; flex-wrap:wrap; }
nav.site a { color:#fff; text-decoration:none; }
nav.site a.brand { font-weight:700; }
nav.site a[aria-current="page"] { text-decoration:underline; }
nav.site .menu { position:relative; color:#fff; cursor:pointer; }
nav.site .menu .items { display:none; position:absolute; top:100%; left:0; z-index:10; background:#12304a;
                        padding:0.4rem 0.8rem; min-width:16rem; }
nav.site .menu:hover .items, nav.site .menu:focus-within .items { display:flex; flex-direction:column; gap:0.3rem; }
main { max-width: 62rem; margin: 0 auto; padding: 1.5rem; }
header.title h1 { margin-bottom:0.2rem; }
header.title p.subtitle { color:var(--muted); margin-top:0; font-size:1.1rem; }
figure.figure, figure.table { margin:1.5rem 0; }
a.anchor-link { display:none; }
figure.figure img { max-width:100%; height:auto; }
figcaption { color:var(--muted); font-size:0.92rem; margin-top:0.4rem; }
table { border-collapse: collapse; margin: 1rem 0; font-size: 0.85rem; display: block;
        overflow-x: auto; max-width: 100%; }
th, td { border-bottom: 1px solid var(--rule); padding: 0.3rem 0.6rem; text-align: left;
         vertical-align: top; }
td { max-width: 28rem; overflow-wrap: anywhere; }
thead th { border-bottom: 2px solid var(--ink); }
footer.site { max-width:62rem; margin:2rem auto; padding:1rem 1.5rem; color:var(--muted);
              border-top:1px solid var(--rule); font-size:0.85rem; }
.jp-InputPrompt, .jp-OutputPrompt { display:none; }
"""


def _page_html(site: Site, page: str, meta: dict[str, Any], body: str, renderer: str) -> str:
    title = str(meta.get("title", Path(page).stem))
    subtitle = meta.get("subtitle")

    def link(href: str, text: str) -> str:
        target = html_name(href)
        current = ' aria-current="page"' if target == html_name(page) else ""
        return f'<a href="{html.escape(target)}"{current}>{html.escape(text)}</a>'

    links = []
    for first, second in site.navbar:
        if isinstance(second, list):
            items = "".join(link(href, text) for href, text in second)
            links.append(
                f'<span class="menu" tabindex="0"><span>{html.escape(first)} &#9662;</span>'
                f'<span class="items">{items}</span></span>'
            )
        else:
            links.append(link(first, second))
    nav = f'<nav class="site"><a class="brand" href="index.html">{html.escape(site.title)}</a>{"".join(links)}</nav>'
    sub = f'<p class="subtitle">{html.escape(str(subtitle))}</p>' if subtitle else ""
    body = _LOCAL_IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{html.escape(renderer)}">\n'
        f"<title>{html.escape(title)} – {html.escape(site.title)}</title>\n"
        f"<style>{PAGE_CSS}</style>\n</head>\n<body>\n{nav}\n<main>\n"
        f'<header class="title"><h1>{html.escape(title)}</h1>{sub}</header>\n{body}\n</main>\n'
        f'<footer class="site">Rendered by {html.escape(renderer)}.</footer>\n</body>\n</html>\n'
    )


def render_with_nbconvert(project: Path) -> tuple[str, list[Path]]:
    """Render every page of the site with nbconvert into `<project>/<output-dir>` (atomically)."""
    import nbconvert
    import nbformat
    from nbconvert import HTMLExporter

    site = read_site(project)
    renderer = f"nbconvert {nbconvert.__version__} (Quarto not found on PATH)"
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    written = []
    bodies = []
    with atomic_directory(project / site.output_dir) as out:
        for page in site.pages:
            notebook = nbformat.read(project / page, as_version=4)
            meta = front_matter(notebook)
            prepared = nbformat.from_dict(prepare_notebook(notebook))
            body, _ = exporter.from_notebook_node(prepared)
            bodies.append(body)
            target = out / html_name(page)
            target.write_text(_page_html(site, page, meta, body, renderer), encoding="utf-8")
            written.append(project / site.output_dir / html_name(page))
        copy_assets(project, bodies, out)
    return renderer, written


def render_with_quarto(project: Path, quarto: str) -> tuple[str, list[Path]]:
    """Run `quarto render` on the project (pages are already executed: execute is disabled)."""
    version = subprocess.run(
        [quarto, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    subprocess.run([quarto, "render", str(project), "--no-execute"], check=True)
    site = read_site(project)
    return f"Quarto {version}", [project / site.output_dir / html_name(p) for p in site.pages]


def render_site(project: str | Path, renderer: str = "auto") -> tuple[str, list[Path]]:
    """Render with Quarto if asked or available, else nbconvert; return (renderer, pages written)."""
    project = Path(project)
    quarto = shutil.which("quarto")
    if renderer == "quarto" or (renderer == "auto" and quarto):
        if not quarto:
            raise FileNotFoundError("quarto is not on PATH")
        return render_with_quarto(project, quarto)
    return render_with_nbconvert(project)
