"""The website in a real browser: every page opens offline, complete, titled and linked.

The site in reports/_site is served from 127.0.0.1 and each page that reports/_quarto.yml lists is
opened in headless Chromium (Selenium), at 1280 px (a laptop) and at 390 px (a phone). `make test`
runs `make all` first, so this reads the site of this checkout. For every page and width: no
horizontal page overflow; every table within the text column (at 1280 px it must fit; on the
phone it may scroll in its own box); no console error; no request to another host; every image
and data link (CSV) loads; the navbar reaches every page, with the keyboard too. The checks are
plain functions (`page_problems`, `keyboard_problems`) so that the last test can show they report
the faults of a deliberately broken copy of the site.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import http.server
import re
import shutil
import threading
import urllib.error
import urllib.request
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urldefrag, urljoin, urlparse

import pytest
from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from analysis.clean.tidy import read_tidy, value_at
from analysis.site.render import html_name, read_site
from helpers import BROWSER_INSTALL, ROOT, browser_paths, missing_browser

pytestmark = [pytest.mark.build, pytest.mark.browser]
PROJECT = ROOT / "reports"
SITE = read_site(PROJECT)  # the page list is read when the tests run, never typed in here
SITE_DIR = PROJECT / SITE.output_dir
PAGES = [html_name(page) for page in SITE.pages]
TITLE_SEPARATOR = " – "  # <title> is "<page title> – <site title>", as Quarto writes it
LOCALHOST = "127.0.0.1"

#: Window widths in CSS px: a laptop, where Quarto's text column is about 760 px, and a phone.
DESKTOP, PHONE = 1280, 390
WIDTHS = (DESKTOP, PHONE)
WINDOW_HEIGHT = {DESKTOP: 900, PHONE: 844}
#: Rounding of layout boxes: a box may end this many px past its container.
SLACK_PX = 1

INSTALL_HINT = f"install them with `{BROWSER_INSTALL}`"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

# Everything the checks need from a loaded page, in one round trip. Fragments pointing into the
# page itself are resolved here, against the live DOM.
PAGE_FACTS_JS = """
const here = location.href.split('#')[0];
const hasId = (raw) => {
  let decoded = raw;
  try { decoded = decodeURIComponent(raw); } catch (e) {}
  return !!(document.getElementById(raw) || document.getElementById(decoded));
};
const h1 = document.querySelector('h1');
return {
  title: document.title,
  h1: h1 ? h1.innerText : null,
  figures: document.querySelectorAll('figure img').length,
  tables: document.querySelectorAll('table').length,
  images: Array.from(document.images).map((img) => ({
    src: (img.getAttribute('src') || '').slice(0, 60),
    alt: img.getAttribute('alt'),
    width: img.naturalWidth,
  })),
  links: Array.from(document.querySelectorAll('a[href]')).map((a) => ({
    raw: a.getAttribute('href'),
    href: a.href,
    target_here: a.hash && a.href.split('#')[0] === here ? hasId(a.hash.slice(1)) : null,
  })),
  nav: Array.from(document.querySelectorAll('nav a[href]')).map((a) => a.href),
  requests: performance.getEntriesByType('navigation')
    .concat(performance.getEntriesByType('resource'))
    .map((entry) => entry.name),
};
"""

# The page's width and each table's box against the text column (the <main> element's content
# box) and against its own scroll box, if it sits in one (an ancestor inside <main> whose
# overflow-x scrolls).
LAYOUT_JS = """
const main = document.querySelector('main') || document.body;
const style = getComputedStyle(main);
const box = main.getBoundingClientRect();
const column = {
  left: box.left + parseFloat(style.paddingLeft),
  right: box.right - parseFloat(style.paddingRight),
};
const scrollBox = (el) => {
  for (let node = el.parentElement; node && node !== main.parentElement; node = node.parentElement) {
    if (['auto', 'scroll'].includes(getComputedStyle(node).overflowX)) return node;
  }
  return null;
};
return {
  page_width: document.scrollingElement.scrollWidth,
  window_width: window.innerWidth,
  column: { left: column.left, right: column.right, width: column.right - column.left },
  tables: Array.from(document.querySelectorAll('table')).map((table) => {
    const rect = table.getBoundingClientRect();
    const scroller = scrollBox(table);
    const outer = scroller ? scroller.getBoundingClientRect() : null;
    return {
      text: (table.innerText || '').replace(/\\s+/g, ' ').slice(0, 50),
      width: table.scrollWidth > rect.width ? table.scrollWidth : rect.width,
      left: rect.left,
      right: rect.right,
      box: outer && {
        left: outer.left, right: outer.right, width: scroller.clientWidth,
        scrolls: scroller.scrollWidth > scroller.clientWidth + 1,
      },
    };
  }),
};
"""

# One keyboard step: what has the focus, and whether it is a closed menu opener.
FOCUS_JS = """
const el = document.activeElement;
const navbar = document.querySelector('nav');
if (!el || el === document.body) return null;
const details = el.tagName === 'SUMMARY' ? el.closest('details') : null;
const expanded = el.getAttribute('aria-expanded');
return {
  in_navbar: !!(navbar && navbar.contains(el)),
  href: el.tagName === 'A' ? el.href : null,
  text: (el.innerText || '').trim().slice(0, 40),
  menu: !!details || expanded !== null,
  open: details ? details.open : expanded === 'true',
  shown: el.getClientRects().length > 0,
};
"""
#: Tab presses the keyboard check allows per navbar entry before giving up.
TABS_PER_LINK = 3

# urllib must not hand 127.0.0.1 to a proxy from the environment.
_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


# ---- local server --------------------------------------------------------------------------


class _SiteHandler(http.server.SimpleHTTPRequestHandler):
    """Static files, quietly. Chromium asks every site for /favicon.ico on its own; when the site
    has none that is answered 204 rather than 404, so the console log holds only the page's own
    faults."""

    def do_GET(self) -> None:
        if (
            self.path.split("?")[0] == "/favicon.ico"
            and not Path(self.directory, "favicon.ico").exists()
        ):
            self.send_response(204)
            self.end_headers()
            return
        super().do_GET()

    def log_message(self, *args: Any) -> None:
        pass


@contextlib.contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Serve `directory` on 127.0.0.1, a free port; yields the base URL ('http://127.0.0.1:N/')."""
    handler = functools.partial(_SiteHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer((LOCALHOST, 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{LOCALHOST}:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def fetch(url: str) -> tuple[int | str, str]:
    """(HTTP status, body) of a local URL; the status is an error text if nothing answered."""
    try:
        with _OPENER.open(url, timeout=10) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as err:
        err.close()
        return err.code, ""
    except OSError as err:
        return str(err), ""


class _Ids(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids.update(value for name, value in attrs if name == "id" and value)


def element_ids(html: str) -> set[str]:
    parser = _Ids()
    parser.feed(html)
    return parser.ids


# ---- the checks ----------------------------------------------------------------------------


def _squash(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def _is_local(url: str) -> bool:
    return url.startswith("data:") or urlparse(url).hostname == LOCALHOST


def _page_url(url: str) -> str:
    """A link target without its fragment; a directory means its index.html."""
    url = urldefrag(url).url
    return url + "index.html" if url.endswith("/") else url


def link_problems(links: list[dict[str, Any]]) -> list[str]:
    """Internal links whose page does not answer 200, or whose #fragment names no element."""
    problems = []
    fetched: dict[str, tuple[int | str, set[str]]] = {}
    ids_or_rows: dict[str, bool] = {}  # whether the body has any text (a data file: any row)
    for link in links:
        raw, href = link["raw"], link["href"]
        if urlparse(raw).scheme and urlparse(href).hostname != LOCALHOST:
            continue  # external (https:, mailto:, ...): not this test's business
        if urlparse(href).hostname != LOCALHOST:
            problems.append(f"link {raw!r}: resolves outside the site, to {href}")
            continue
        target, fragment = urldefrag(href)
        if link["target_here"] is not None:  # a fragment in this page, looked up in the DOM
            if not link["target_here"]:
                problems.append(f"link {raw!r}: no element with id {unquote(fragment)!r} here")
            continue
        if target not in fetched:
            status, body = fetch(target)
            fetched[target] = (status, element_ids(body) if status == 200 else set())
            ids_or_rows[target] = bool(body.strip())
        status, ids = fetched[target]
        if status != 200:
            problems.append(f"link {raw!r}: {target} answers {status}, not 200")
        elif urlparse(target).path.endswith(".csv") and not ids_or_rows.get(target, True):
            problems.append(f"data link {raw!r}: {target} is empty")
        elif fragment and fragment not in ids and unquote(fragment) not in ids:
            problems.append(f"link {raw!r}: no element with id {unquote(fragment)!r} in {target}")
    return problems


def set_width(driver: webdriver.Chrome, width: int) -> None:
    """Make the window `width` CSS px wide (a phone below 600 px: mobile viewport rules apply)."""
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {
            "width": width,
            "height": WINDOW_HEIGHT.get(width, 900),
            "deviceScaleFactor": 1,
            "mobile": width < 600,
        },
    )


def layout_problems(layout: dict[str, Any], width: int) -> list[str]:
    """The page wider than the window, or a table outside the text column: at the laptop width
    every table must fit the column; narrower, a table may scroll inside its own box, provided
    the box fits the column."""
    problems = []
    # A phone widens its layout viewport (innerWidth) to content wider than the screen, so the
    # page is measured against the screen's width as well.
    window = min(layout["window_width"], width)
    if layout["page_width"] > window:
        problems.append(
            f"overflow at {width} px: the page is {layout['page_width']} px wide, "
            f"the window {window} px"
        )
    column = layout["column"]
    for number, table in enumerate(layout["tables"], start=1):
        label = f"table {number} ({table['text']!r}...) at {width} px"
        box = table["box"]
        inside = table["left"] >= column["left"] - SLACK_PX and (
            table["right"] <= column["right"] + SLACK_PX
        )
        boxed = box is not None and box["right"] <= column["right"] + SLACK_PX
        if width >= DESKTOP and (not inside or (box and box["scrolls"])):
            problems.append(
                f"{label}: {table['width']:.0f} px wide, wider than the "
                f"{column['width']:.0f} px text column"
            )
        elif width < DESKTOP and not inside and not boxed:
            problems.append(
                f"{label}: {table['width']:.0f} px wide, outside the {column['width']:.0f} px "
                "text column and not in its own scroll box"
            )
    return problems


def page_problems(
    driver: webdriver.Chrome,
    base_url: str,
    page: str,
    pages: list[str] = PAGES,
    site_title: str = SITE.title,
    width: int = DESKTOP,
) -> list[str]:
    """Everything wrong with one page of the site served at `base_url`, seen in a window
    `width` px wide, as readable lines."""
    url = urljoin(base_url, page)
    status, _ = fetch(url)
    if status != 200:
        return [f"page: {url} answers {status}, not 200 (is the site built? run `make all`)"]
    set_width(driver, width)
    driver.get_log("browser")  # drop entries left by earlier pages
    driver.get(url)
    with contextlib.suppress(TimeoutException):
        WebDriverWait(driver, 5).until(
            lambda d: d.execute_script("return Array.from(document.images).every(i => i.complete)")
        )
    facts = driver.execute_script(PAGE_FACTS_JS)
    problems = []

    suffix = f"{TITLE_SEPARATOR}{site_title}"
    title, h1 = _squash(facts["title"]), _squash(facts["h1"])
    if not title.endswith(suffix):
        problems.append(f"title: {title!r} does not end with {suffix!r}")
    page_title = title.removesuffix(suffix)
    if not h1:
        problems.append("h1: the page has no <h1> with text")
    elif h1 != page_title:
        problems.append(f"h1: {h1!r} is not the title's page part {page_title!r}")

    if facts["figures"] == 0 and facts["tables"] == 0:
        problems.append("content: no figure (<figure> with an <img>) and no <table>")
    for number, image in enumerate(facts["images"], start=1):
        label = f"image {number} ({image['src']}...)"
        if not image["width"]:
            problems.append(f"{label}: did not load (naturalWidth 0)")
        if not _squash(image["alt"]):
            problems.append(f"{label}: no alt text")

    for entry in driver.get_log("browser"):
        if entry["level"] == "SEVERE":
            problems.append(f"console: {entry['message']}")

    problems += link_problems(facts["links"])

    in_navbar = {_page_url(href) for href in facts["nav"]}
    for other in pages:
        if other != page and urljoin(base_url, other) not in in_navbar:
            problems.append(f"navbar: no link to {other}")

    for request in facts["requests"]:
        if not _is_local(request):
            problems.append(f"request leaves {LOCALHOST}: {request[:100]}")
    problems += layout_problems(driver.execute_script(LAYOUT_JS), width)
    return problems


def keyboard_problems(
    driver: webdriver.Chrome, base_url: str, page: str, pages: list[str] = PAGES
) -> list[str]:
    """Pages the navbar of `page` does not reach with the keyboard alone: Tab moves through the
    navbar, Enter opens each closed menu met on the way; every page must get the focus, shown."""
    set_width(driver, DESKTOP)
    driver.get(urljoin(base_url, page))
    wanted = {urljoin(base_url, other) for other in pages}
    reached: set[str] = set()
    problems: list[str] = []
    left_navbar = False
    for _ in range(TABS_PER_LINK * len(pages) + 5):
        ActionChains(driver).send_keys(Keys.TAB).perform()
        focus = driver.execute_script(FOCUS_JS)
        if not focus or not focus["in_navbar"]:
            left_navbar = left_navbar or bool(reached)
            if left_navbar:
                break
            continue
        if focus["menu"] and not focus["open"]:
            ActionChains(driver).send_keys(Keys.ENTER).perform()
            if not driver.execute_script(FOCUS_JS)["open"]:
                problems.append(f"keyboard: menu {focus['text']!r} does not open with Enter")
        if focus["href"] and focus["shown"]:
            reached.add(_page_url(focus["href"]))
    for missing in sorted(wanted - reached):
        problems.append(f"keyboard: Tab and Enter in the navbar never reach {missing}")
    return problems


# ---- fixtures ------------------------------------------------------------------------------


def chromium_paths() -> tuple[str, str]:
    """(chromedriver, chromium), or a one-line failure (conftest deselects this tier without a
    browser, unless CI=true: then a missing browser fails here)."""
    missing = missing_browser()
    if missing:
        pytest.fail(f"{missing}; {INSTALL_HINT}", pytrace=False)
    driver, browser = browser_paths()
    assert driver and browser
    return driver, browser


@pytest.fixture(scope="module")
def site_url() -> Iterator[str]:
    assert SITE_DIR.is_dir(), f"{SITE_DIR} not found: run `make all` first"
    with serve(SITE_DIR) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[webdriver.Chrome]:
    driver_path, binary = chromium_paths()
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for argument in CHROMIUM_ARGS:
        options.add_argument(argument)
    options.add_argument(f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}")
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        driver = webdriver.Chrome(service=Service(executable_path=driver_path), options=options)
    except WebDriverException as err:
        first_line = (err.msg or str(err)).strip().splitlines()[0]
        pytest.fail(f"Chromium did not start ({first_line}); {INSTALL_HINT}", pytrace=False)
    driver.set_page_load_timeout(20)
    try:
        yield driver
    finally:
        driver.quit()


# ---- the site as it is ---------------------------------------------------------------------


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("page", PAGES)
def test_page_in_browser(page: str, width: int, browser: webdriver.Chrome, site_url: str) -> None:
    problems = page_problems(browser, site_url, page, width=width)
    assert not problems, f"{page} at {width} px:\n  " + "\n  ".join(problems)


def test_navbar_works_with_the_keyboard(browser: webdriver.Chrome, site_url: str) -> None:
    problems = keyboard_problems(browser, site_url, PAGES[-1])
    assert not problems, "\n".join(problems)


def test_index_shows_2020_poverty_rate_from_the_data(
    browser: webdriver.Chrome, site_url: str
) -> None:
    tidy = read_tidy(ROOT / "data/processed/indicators.csv")
    rate = value_at(tidy, "poverty_multidimensional_pct", "2020", "lineamientos_2018")
    browser.get(urljoin(site_url, "index.html"))
    visible = browser.find_element(By.TAG_NAME, "body").text
    assert f"{rate:.1f}%" in visible


# ---- the checks can fail -------------------------------------------------------------------

# A 1x1 PNG, served from the broken copy under another host name than 127.0.0.1.
PIXEL = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgAAIAAAUAAV0n3C8AAAAASUVORK5CYII="
)


def _sub_once(pattern: str, repl: Any, text: str) -> str:
    new, count = re.subn(pattern, repl, text, count=1, flags=re.DOTALL)
    assert count == 1, f"{pattern!r} not found in the page to break"
    return new


def break_site(copy: Path, base_url: str, pages: list[str]) -> tuple[str, str]:
    """Break a copy of the site in place; returns (page with many faults, page without content)."""
    broken = next(
        (p for p in pages if 'src="data:' in (copy / p).read_text(encoding="utf-8")), None
    )
    assert broken, "no page has an embedded image to break"
    bare = next(p for p in pages if p != broken)
    locked = next(p for p in pages if p not in (broken, bare))
    port = urlparse(base_url).port
    (copy / "pixel.png").write_bytes(PIXEL)
    (copy / "empty.csv").write_text("", encoding="utf-8")

    html = (copy / broken).read_text(encoding="utf-8")
    html = _sub_once(  # an image loses its data and its alt text
        r"<img\b[^>]*>",
        lambda m: re.sub(
            r'\salt="[^"]*"', "", re.sub(r'src="data:[^"]*"', 'src="data:image/png;base64,"', m[0])
        ),
        html,
    )
    html = _sub_once(r"(<h1\b[^>]*>).*?(</h1>)", r"\1Another heading\2", html)
    html = _sub_once(  # the navbar loses its link to the other page
        r"<nav\b.*?</nav>",
        lambda m: re.sub(
            rf'(<a\b)([^>]*href="(\./)?{re.escape(locked)}")',  # ... and one is out of Tab's reach
            r'\1 tabindex="-1"\2',
            re.sub(rf'<a\b[^>]*href="(\./)?{re.escape(bare)}"[^>]*>.*?</a>', "", m[0]),
        ),
        html,
    )
    html = _sub_once(  # a table wider than the column, one in its own scroll box, a wide block
        r"</main>",
        '<table><tr><td style="min-width:1500px">unboxed</td></tr></table>\n'
        '<div style="overflow-x:auto"><table><tr><td style="min-width:1200px">boxed</td></tr>'
        '</table></div>\n<div style="width:2000px">wide</div>\n</main>',
        html,
    )
    html = _sub_once(
        r"</body>",
        '<p><a href="missing-page.html">gone</a> <a href="#no-such-id-here">here</a> '
        f'<a href="{bare}#no-such-id-there">there</a> <a href="missing.csv">Data (CSV)</a> '
        '<a href="empty.csv">Data (CSV)</a></p>\n'
        f'<img src="http://localhost:{port}/pixel.png" alt="a pixel from another host">\n'
        '<script>throw new Error("x")</script>\n</body>',
        html,
    )
    (copy / broken).write_text(html, encoding="utf-8")

    html = (copy / bare).read_text(encoding="utf-8")
    html = re.sub(r"<figure\b.*?</figure>|<table\b.*?</table>", "", html, flags=re.DOTALL)
    (copy / bare).write_text(html, encoding="utf-8")
    return broken, bare, locked


def test_checks_report_a_broken_copy_of_the_site(browser: webdriver.Chrome, tmp_path: Path) -> None:
    copy = tmp_path / "_site"
    shutil.copytree(SITE_DIR, copy)
    pages = [p for p in PAGES if (copy / p).is_file()]  # a page not built yet fails elsewhere
    assert len(pages) >= 3, "the navbar checks need three built pages: run `make all`"
    with serve(copy) as url:
        broken, bare, locked = break_site(copy, url, pages)
        problems = page_problems(browser, url, broken, pages)
        phone = page_problems(browser, url, broken, pages, width=PHONE)
        keyboard = keyboard_problems(browser, url, broken, pages)
        bare_problems = page_problems(browser, url, bare, pages)
        missing = page_problems(browser, url, "no-such-page.html", pages)
    expected = [
        ("h1:", "'Another heading'"),
        ("did not load",),
        ("no alt text",),
        ("console:", "Uncaught Error: x"),
        ("link 'missing-page.html'", "answers 404"),
        ("link '#no-such-id-here'", "no element with id"),
        (f"link '{bare}#no-such-id-there'", f"no element with id 'no-such-id-there' in {url}"),
        (f"navbar: no link to {bare}",),
        (f"request leaves {LOCALHOST}: http://localhost:",),
        ("link 'missing.csv'", "answers 404"),
        ("data link 'empty.csv'", "is empty"),
        (f"overflow at {DESKTOP} px: the page is",),
        ("'unboxed'", f"at {DESKTOP} px", "wider than the"),
        ("'boxed'", f"at {DESKTOP} px", "wider than the"),  # it scrolls: it does not fit
    ]
    for parts in expected:
        assert any(all(part in p for part in parts) for p in problems), (parts, problems)
    assert any(f"overflow at {PHONE} px" in p for p in phone), phone
    assert any("'unboxed'" in p and "not in its own scroll box" in p for p in phone), phone
    assert not any("'boxed'" in p for p in phone), phone  # on a phone its own scroll box is fine
    unreachable = {
        f"keyboard: Tab and Enter in the navbar never reach {url}{p}" for p in (bare, locked)
    }
    assert set(keyboard) == unreachable, keyboard  # bare: no link; locked: out of Tab's reach
    assert any(p.startswith("content: no figure") for p in bare_problems), bare_problems
    assert missing and "answers 404" in missing[0], missing
