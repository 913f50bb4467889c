"""Measure the rendered site in headless Chromium: for every page at 1280 and 390 px, the page's
width, the text column's width and the widest table (and whether it scrolls in its own box).

`make measure` prints a Markdown table (for reviews and closing notes); the browser test asserts
the same limits. Needs Chromium and chromedriver (`make doctor` says how to install them).
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from analysis.site.render import html_name, read_site  # noqa: E402

WIDTHS = (1280, 390)
MEASURE_JS = """
const main = document.querySelector('main') || document.body;
const tables = [...document.querySelectorAll('main table')].map(t => {
  let box = t.parentElement, boxed = false;
  while (box && box !== main) {
    const style = getComputedStyle(box);
    if (['auto', 'scroll'].includes(style.overflowX)) { boxed = true; break; }
    box = box.parentElement;
  }
  return {width: Math.ceil(t.getBoundingClientRect().width), boxed: boxed};
});
const style = getComputedStyle(main);
const column = main.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
return {page: document.scrollingElement.scrollWidth, column: Math.round(column), tables: tables};
"""


def driver():
    """Headless Chromium, as the browser test starts it."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or shutil.which("chromium-browser") or ""
    for argument in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"):
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver")), options=options)


def measure(browser, url: str, width: int) -> dict:
    """The page's width, its column's width and its tables' widths at `width` CSS px."""
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    browser.get(url)
    return browser.execute_script(MEASURE_JS)


def main() -> int:
    site = read_site(ROOT / "reports")
    folder = ROOT / "reports" / site.output_dir
    if not (folder / "index.html").is_file():
        print("no rendered site in reports/_site: run `make all` first", file=sys.stderr)
        return 1
    browser = driver()
    print(
        "| Page | Window (px) | Page (px) | Text column (px) | Tables | Widest table (px) | In own scroll box |"
    )
    print("|---|--:|--:|--:|--:|--:|--:|")
    try:
        for page in site.pages:
            for width in WIDTHS:
                found = measure(browser, (folder / html_name(page)).as_uri(), width)
                tables = found["tables"]
                widest = max((t["width"] for t in tables), default=0)
                wider = [t for t in tables if t["width"] > found["column"]]
                boxed = sum(t["boxed"] for t in wider)
                print(
                    f"| {html_name(page)} | {width} | {found['page']} | {found['column']} | "
                    f"{len(tables)} | {widest} | {boxed} of {len(wider)} wider than the column |"
                )
    finally:
        browser.quit()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
