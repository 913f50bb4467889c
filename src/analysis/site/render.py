"""Render the reports website: `quarto render` when Quarto is on PATH, nbconvert otherwise.

The nbconvert path reads the same `_quarto.yml` (site title, navbar, page list) and the same executed
notebooks, and writes the same page names under `_site/`: code hidden, front matter as the page title,
`#| fig-cap` / `#| fig-alt` cell options as numbered captions and alt text, images embedded so each
page opens offline, and stderr (warnings, progress) left out. Its page frame is files a designer
edits: templates/page.html.j2 (navbar with keyboard menus, table of contents of long pages, every
table in its own scroll box) and templates/site.css; the footer (templates/footer.html.j2: data
vintage and build date) is the same in both renderers.
"""

from __future__ import annotations

import base64
import copy
import functools
import html
import json
import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import markupsafe
import yaml

from analysis.core import paths
from analysis.core.atomic import atomic_directory, write_text_atomic
from analysis.report.buildinfo import build_time, data_vintage, display_date, footer_text
from analysis.report.labels import LANGUAGE, catalog, label
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


#: The page template and stylesheet of the nbconvert renderer (package data, so a designer edits
#: files, not Python): templates/page.html.j2 (with footer.html.j2, shared with Quarto) and
#: templates/site.css, written beside the pages as site.css.
TEMPLATES = "templates"
STYLESHEET = "site.css"
#: Quarto includes this file after every page's body (`include-after-body` in _quarto.yml); the
#: render step writes it, with the same footer as the nbconvert pages, before `quarto render`.
QUARTO_FOOTER = "_footer.html"
#: A page gets an in-page table of contents from this many h2/h3 headings on.
TOC_MIN_HEADINGS = 3

_TABLE_OPEN = re.compile(r"<table\b")
_TABLE_CLOSE = re.compile(r"</table>")


def template_text(name: str) -> str:
    """A file of the site package's templates folder, as text."""
    from importlib import resources

    return resources.files("analysis.site").joinpath(TEMPLATES, name).read_text(encoding="utf-8")


@functools.cache
def _environment() -> Any:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(template_text),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )


class _Headings(HTMLParser):
    """h2/h3 headings with an id, their text without nbconvert's pilcrow anchor links."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag in ("h2", "h3") and values.get("id"):
            self._open = {"level": int(tag[1]), "id": values["id"], "text": ""}
        elif self._open is not None and tag == "a" and "anchor-link" in (values.get("class") or ""):
            self._skip += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "a" and self._skip:
            self._skip -= 1
        elif tag in ("h2", "h3") and self._open is not None:
            self._open["text"] = " ".join(self._open["text"].split())
            if self._open["text"]:
                self.found.append(self._open)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None and not self._skip:
            self._open["text"] += data


def page_headings(body: str) -> list[dict[str, Any]]:
    """The h2/h3 headings of a page body as table-of-contents entries (level, id, text)."""
    parser = _Headings()
    parser.feed(body)
    parser.close()
    return parser.found


def scrolling_tables(body: str) -> str:
    """Every table wrapped in its own horizontal scroll box, so a table wider than the column
    (on a phone) scrolls by itself instead of widening the page."""
    body = _TABLE_OPEN.sub('<div class="table-scroll"><table', body)
    return _TABLE_CLOSE.sub("</table></div>", body)


def nav_entries(site: Site, page: str) -> list[dict[str, Any]]:
    """The navbar as template entries: links (text, href, current) and menus (text, menu,
    current when one of its pages is this page)."""
    here = html_name(page)

    def link(href: str, text: str) -> dict[str, Any]:
        return {"text": text, "href": html_name(href), "current": html_name(href) == here}

    entries: list[dict[str, Any]] = []
    for first, second in site.navbar:
        if isinstance(second, list):
            items = [link(href, text) for href, text in second]
            entries.append(
                {"text": first, "menu": items, "current": any(i["current"] for i in items)}
            )
        else:
            entries.append(link(first, second))
    return entries


def footer_html(footer: str, quarto: bool = False) -> str:
    """The footer element of every page (templates/footer.html.j2), for nbconvert or Quarto."""
    return _environment().get_template("footer.html.j2").render(footer=footer, quarto=quarto)


def _page_html(
    site: Site, page: str, meta: dict[str, Any], body: str, renderer: str, footer: str = ""
) -> str:
    body = _LOCAL_IPYNB_LINK.sub(lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', body)
    headings = page_headings(body)
    subtitle = meta.get("subtitle")
    return (
        _environment()
        .get_template("page.html.j2")
        .render(
            lang=LANGUAGE,
            title=str(meta.get("title", Path(page).stem)),
            subtitle=str(subtitle) if subtitle else "",
            site_title=site.title,
            generator=renderer,
            stylesheet=STYLESHEET,
            brand_href=html_name(site.pages[0]) if site.pages else "index.html",
            nav=nav_entries(site, page),
            toc_title=label("site", "toc"),
            toc=headings if len(headings) >= TOC_MIN_HEADINGS else [],
            body=markupsafe.Markup(scrolling_tables(body)),
            footer_html=markupsafe.Markup(footer_html(footer)),
        )
    )


def site_footer(package: Path = paths.PACKAGE, environ: Mapping[str, str] = os.environ) -> str:
    """The footer sentence: the snapshot's data vintage (when `package` exists and names one)
    and the build date (SOURCE_DATE_EPOCH when set)."""
    months = catalog()["site"]["months"]
    vintage = None
    if package.is_file():
        vintage = data_vintage(json.loads(package.read_text(encoding="utf-8")))
    built = build_time(environ).date()
    if vintage is None:
        return footer_text("", built, label("site", "footer_no_vintage"), months)
    return footer_text(display_date(vintage, months), built, label("site", "footer"), months)


def render_with_nbconvert(project: Path, footer: str | None = None) -> tuple[str, list[Path]]:
    """Render every page of the site with nbconvert into `<project>/<output-dir>` (atomically),
    with the stylesheet beside the pages and the exhibits folder copied as it is."""
    import nbconvert
    import nbformat
    from nbconvert import HTMLExporter

    site = read_site(project)
    footer = site_footer() if footer is None else footer
    renderer = f"nbconvert {nbconvert.__version__}"
    exporter = HTMLExporter(
        template_name="basic",
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    written = []
    bodies = []
    with atomic_directory(project / site.output_dir) as out:
        (out / STYLESHEET).write_text(template_text(STYLESHEET), encoding="utf-8")
        for page in site.pages:
            notebook = nbformat.read(project / page, as_version=4)
            meta = front_matter(notebook)
            prepared = nbformat.from_dict(prepare_notebook(notebook))
            body, _ = exporter.from_notebook_node(prepared)
            bodies.append(body)
            target = out / html_name(page)
            html_text = _page_html(site, page, meta, body, renderer, footer)
            target.write_text(html_text, encoding="utf-8")
            written.append(project / site.output_dir / html_name(page))
        copy_assets(project, bodies, out)
    return renderer, written


def render_with_quarto(
    project: Path, quarto: str, footer: str | None = None
) -> tuple[str, list[Path]]:
    """Run `quarto render` on the project (pages are already executed: execute is disabled),
    after writing the footer file that `_quarto.yml` includes after every page."""
    version = subprocess.run(
        [quarto, "--version"], capture_output=True, text=True, check=True
    ).stdout.strip()
    footer = site_footer() if footer is None else footer
    write_text_atomic(project / QUARTO_FOOTER, footer_html(footer, quarto=True))
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
