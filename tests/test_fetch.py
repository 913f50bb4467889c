"""Online refresh (make fetch) against recorded API answers served on 127.0.0.1 only.

A small http.server in a thread plays the World Bank and INEGI APIs with the responses in
tests/fixtures/fetch (real formats). Each test builds its own package in tmp_path from copies of
the snapshot's WDI and INEGI resources, so data/raw is never touched.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import logging
import shutil
import socket
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from analysis.clean.readers import read_bie_series, read_wdi_wide
from analysis.core.errors import DataError
from analysis.fetch import (
    OFFLINE_HINT,
    FetchError,
    FetchSettings,
    fetch_package,
    plan_fetch,
    select_plans,
)
from analysis.fetch.cli import add_fetch_parser
from analysis.snapshot.validate import validate_snapshot
from helpers import RAW

FIXTURES = Path(__file__).parent / "fixtures" / "fetch"
DAY = date(2026, 11, 23)
TOKEN = "tok-S3CRET-5e1f0a9c-0000-4c2b"
INEGI_ID = "6207000001"  # placeholder id used by the fixtures
GDP = "wdi_gdp_growth"
LABOUR = "wdi_labour"
PIB = "inegi_pib_trimestral_sa"
X_FETCH = {
    GDP: {"client": "wdi"},
    LABOUR: {"client": "wdi", "indicators": ["SL.UEM.TOTL.ZS", "SL.TLF.CACT.ZS"]},
    PIB: {"client": "inegi", "indicator_id": INEGI_ID},
    "coneval_pobreza_2008_2018": None,  # copied without x-fetch: never planned
}


# ---- a local stand-in for the two APIs ---------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    delay: float = 0.0


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def recorded(path: str, query: dict[str, list[str]]) -> Reply:
    """The recorded answer for a request: WDI pages by indicator and page, INEGI by indicator."""
    if path.startswith("/wdi/v2/country/MEX/indicator/"):
        code = path.rsplit("/", 1)[1]
        if code == "NY.GDP.MKTP.KD.ZG":
            return Reply(body=fixture(f"wdi_{code}_page{query['page'][0]}.json"))
        return Reply(body=fixture(f"wdi_{code}.json"))
    if path.startswith(f"/inegi/INDICATOR/{INEGI_ID}/"):
        return Reply(body=fixture("inegi_series.json"))
    return Reply(404, b"not found")


class _Handler(BaseHTTPRequestHandler):
    server: _FakeServer

    def do_GET(self) -> None:
        parts = urlsplit(self.path)
        self.server.requests.append(self.path)
        reply = self.server.responder(parts.path, parse_qs(parts.query))
        if reply.delay:
            time.sleep(reply.delay)
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json;charset=utf-8")
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)
        except OSError:  # the client gave up (timeout test)
            pass

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: request lines are recorded in `server.requests` instead."""


class _FakeServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.requests: list[str] = []
        self.responder: Callable[[str, dict[str, list[str]]], Reply] = recorded

    def handle_error(self, request: Any, client_address: Any) -> None:
        """Dropped connections are expected in the timeout tests."""


@dataclass
class Api:
    server: _FakeServer

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def settings(self, **overrides: Any) -> FetchSettings:
        values: dict[str, Any] = {
            "wdi_url": f"{self.url}/wdi/v2",
            "inegi_url": f"{self.url}/inegi",
            "connect_timeout": 1.0,
            "read_timeout": 1.0,
            "retries": 0,
            "backoff": 0.0,
        }
        return FetchSettings(**(values | overrides))

    def answer(self, reply: Reply) -> None:
        """Answer every request with `reply`."""
        self.server.responder = lambda path, query: reply


@pytest.fixture
def api() -> Iterator[Api]:
    server = _FakeServer()
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    try:
        yield Api(server)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture(autouse=True)
def _local_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """No proxy for 127.0.0.1, and the INEGI token set (tests that need it unset remove it)."""
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("INEGI_API_TOKEN", TOKEN)


# ---- a throw-away package --------------------------------------------------------------------


@pytest.fixture
def package(tmp_path: Path) -> Path:
    """A package in tmp_path with copies of three fetchable resources and one that is not."""
    raw = tmp_path / "raw"
    snapshot = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    resources = []
    for resource in snapshot["resources"]:
        if resource["name"] in X_FETCH:
            (raw / resource["path"]).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(RAW / resource["path"], raw / resource["path"])
            if X_FETCH[resource["name"]]:
                resource["x-fetch"] = X_FETCH[resource["name"]]
            resources.append(resource)
    descriptor = {"name": "fetch-test", "resources": resources}
    path = raw / "datapackage.json"
    path.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def tree(root: Path) -> dict[str, str]:
    """Every file under root, hidden ones included, with its sha256."""
    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def resources_of(package: Path) -> dict[str, dict[str, Any]]:
    descriptor = json.loads(package.read_text(encoding="utf-8"))
    return {r["name"]: r for r in descriptor["resources"]}


# ---- planning --------------------------------------------------------------------------------


def test_plan_lists_resources_with_an_x_fetch_block(package: Path) -> None:
    plans = plan_fetch(package, today=DAY)
    assert [p.resource for p in plans] == [GDP, PIB, LABOUR]
    gdp, pib, labour = plans
    assert gdp.indicators == ("NY.GDP.MKTP.KD.ZG",)  # from x-clean when x-fetch names none
    assert gdp.target_path == "worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.2026-11-23.csv"
    assert gdp.target_name == "wdi_gdp_growth_fetch_2026_11_23"
    assert labour.indicators == ("SL.UEM.TOTL.ZS", "SL.TLF.CACT.ZS")
    assert (pib.client, pib.indicators) == ("inegi", (INEGI_ID,))
    assert pib.target_path == "inegi/pib_trimestral_desestacionalizado_base2018.2026-11-23.csv"
    assert [p.resource for p in select_plans(plans, PIB)] == [PIB]
    with pytest.raises(DataError, match="has no x-fetch block"):
        select_plans(plans, "coneval_pobreza_2008_2018")


@pytest.mark.parametrize(
    ("name", "block", "problem"),
    [
        (GDP, {"client": "ftp"}, "needs a 'client'"),
        (GDP, {"client": "inegi", "indicator_id": "1"}, "needs a BIE resource"),
        (PIB, {"client": "inegi"}, "numeric 'indicator_id'"),
        (PIB, {"client": "wdi"}, "needs a WDI bulk-CSV resource"),
        (GDP, {"client": "wdi", "country": "Mexico"}, "ISO3"),
    ],
)
def test_malformed_x_fetch_block_is_a_data_error(
    name: str, block: dict[str, str], problem: str
) -> None:
    snapshot = json.loads((RAW / "datapackage.json").read_text(encoding="utf-8"))
    resource = next(r for r in snapshot["resources"] if r["name"] == name)
    with pytest.raises(DataError, match=f"resource '{name}': x-fetch .*{problem}"):
        plan_fetch({"resources": [resource | {"x-fetch": block}]}, today=DAY)


# ---- successful fetches ------------------------------------------------------------------------


def test_wdi_two_pages_reproduce_the_bulk_csv_layout(api: Api, package: Path) -> None:
    raw = package.parent
    added = fetch_package(package, only=GDP, today=DAY, settings=api.settings())

    target = raw / "worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.2026-11-23.csv"
    original = raw / "worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.csv"
    # Same values and vintage as the snapshot: the new file is byte for byte the bulk layout.
    assert target.read_bytes() == original.read_bytes()
    pages = sorted(parse_qs(urlsplit(r).query)["page"][0] for r in api.server.requests)
    assert pages == ["1", "2"]
    assert "date=1990%3A2026" in api.server.requests[0]

    resources = resources_of(package)
    new = resources["wdi_gdp_growth_fetch_2026_11_23"]
    assert [r["name"] for r in added] == [new["name"]]
    assert list(resources).index(new["name"]) == list(resources).index(GDP) + 1
    assert new["schema"] == resources[GDP]["schema"]
    assert "x-fetch" not in new and "x-fetch" in resources[GDP]
    assert new["x-clean"]["series"] == "wdi_fetch_2026_11_23"
    provenance = new["x-provenance"]
    assert provenance["vintage"] == "2024-06-28"  # the API's lastupdated
    assert provenance["access_date"] == "2026-11-23"
    assert provenance["refreshes"] == GDP
    assert provenance["retrieval"].startswith("downloaded from the World Bank API v2 (http://")
    frame = read_wdi_wide(target, new["x-clean"])
    assert len(frame) == 34 and frame["period"].tolist()[-1] == "2023"
    report = validate_snapshot(package)
    assert report.valid, [str(e) for e in report.errors]


def test_wdi_nulls_stay_gaps_and_several_indicators_share_one_file(api: Api, package: Path) -> None:
    raw = package.parent
    fetch_package(package, only=LABOUR, today=DAY, settings=api.settings())
    target = raw / "worldbank/WDI_labour_MEX.2026-11-23.csv"
    # 1990 unemployment is null in the answer and 2025 null for both: empty cell, no column.
    assert target.read_bytes() == (raw / "worldbank/WDI_labour_MEX.csv").read_bytes()
    new = resources_of(package)["wdi_labour_fetch_2026_11_23"]
    frame = read_wdi_wide(target, new["x-clean"])
    unemployment = frame[frame["indicator_id"] == "unemployment_rate"]
    assert "1990" not in unemployment["period"].tolist()
    assert validate_snapshot(package).valid


def test_a_newly_published_year_extends_the_schema(api: Api, package: Path) -> None:
    page1 = json.loads(fixture("wdi_NY.GDP.MKTP.KD.ZG_page1.json"))
    next(r for r in page1[1] if r["date"] == "2024")["value"] = 1.234
    page1[0]["lastupdated"] = "2025-07-01"

    def responder(path: str, query: dict[str, list[str]]) -> Reply:
        if query.get("page") == ["1"]:
            return Reply(body=json.dumps(page1).encode())
        return recorded(path, query)

    api.server.responder = responder
    fetch_package(package, only=GDP, today=DAY, settings=api.settings())
    target = package.parent / "worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.2026-11-23.csv"
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[2] == '"Last Updated Date","2025-07-01"'
    assert lines[4].endswith('"2023","2024"') and lines[5].endswith('"3.229","1.234"')
    new = resources_of(package)["wdi_gdp_growth_fetch_2026_11_23"]
    assert new["schema"]["fields"][-1] == {"name": "2024", "type": "number"}
    assert new["x-provenance"]["vintage"] == "2025-07-01"
    assert validate_snapshot(package).valid


def test_inegi_series_in_bie_layout_and_token_kept_out_of_every_file(
    api: Api, package: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger="urllib3")
    raw = package.parent
    fetch_package(package, only=PIB, today=DAY, settings=api.settings())

    assert TOKEN in api.server.requests[0]  # the token did go to the API ...
    assert "type=json" in api.server.requests[0]
    target = raw / "inegi/pib_trimestral_desestacionalizado_base2018.2026-11-23.csv"
    original_header = (
        (raw / "inegi/pib_trimestral_desestacionalizado_base2018.csv")
        .read_text(encoding="utf-8")
        .splitlines()[0]
    )
    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == original_header
    assert lines[1:] == [
        "2025/01,25612377.046",
        "2025/02,25743510.305",
        "2025/03,25790401.962",
        "2025/04,25861224.418",
        "2026/01,25904876.133",
        "2026/02,25971192.577",
    ]
    new = resources_of(package)["inegi_pib_trimestral_sa_fetch_2026_11_23"]
    assert new["x-provenance"]["vintage"] == "2026-08-20"  # LASTUPDATE 20/08/2026
    assert new["schema"] == resources_of(package)[PIB]["schema"]
    frame = read_bie_series(target, new["x-clean"])
    assert frame["period"].tolist() == ["2025Q1", "2025Q2", "2025Q3", "2025Q4", "2026Q1", "2026Q2"]
    assert validate_snapshot(package).valid
    # ... and nowhere else: not in any file, not in the log (urllib3 logs the request path).
    for path in raw.rglob("*"):
        if path.is_file():
            assert TOKEN not in path.read_text(encoding="utf-8"), path
    assert "<redacted>" in caplog.text and TOKEN not in caplog.text


def test_refreshed_snapshot_still_validates_and_cleans(api: Api, raw_copy: Path) -> None:
    """On a full copy of data/raw: the new vintages pass `validate` and join the tidy table."""
    from analysis.clean.tidy import build_tidy

    descriptor = json.loads(raw_copy.read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        resource.pop("x-fetch", None)  # only the resources this test serves responses for
        if X_FETCH.get(resource["name"]):
            resource["x-fetch"] = X_FETCH[resource["name"]]
    raw_copy.write_text(json.dumps(descriptor, indent=2, ensure_ascii=False) + "\n", "utf-8")
    added = fetch_package(raw_copy, today=DAY, settings=api.settings())
    assert len(added) == 3
    report = validate_snapshot(raw_copy)
    assert report.valid, [str(e) for e in report.errors]
    series = set(build_tidy(raw_copy)["series"])
    assert {"wdi", "wdi_fetch_2026_11_23", "inegi_base2018_sa_fetch_2026_11_23"} <= series


# ---- failures: one line, no token, data/raw untouched ------------------------------------------


def _bad_period() -> Reply:
    answer = json.loads(fixture("inegi_series.json"))
    answer["Series"][0]["OBSERVATIONS"][0]["TIME_PERIOD"] = "2026/07"  # no 7th quarter
    return Reply(body=json.dumps(answer).encode())


FAILURES = {
    "wdi-http-500": (GDP, Reply(500, b"Internal Server Error"), "HTTP 500"),
    "wdi-http-404": (GDP, Reply(404, b"<html>Not Found</html>"), "HTTP 404"),
    "wdi-api-error": (
        GDP,
        Reply(body=fixture("wdi_error_120.json")),
        "API error 120 Invalid value",
    ),
    "wdi-malformed": (GDP, Reply(body=b'[{"page": 1, "pages": 1'), "malformed response: not JSON"),
    "wdi-structure": (GDP, Reply(body=b'{"page": 1}'), "unexpected response structure"),
    "wdi-empty": (GDP, Reply(body=fixture("wdi_empty.json")), "empty result"),
    "wdi-timeout": (GDP, Reply(delay=0.6), "timed out"),
    "inegi-http-500": (PIB, Reply(500, b"error"), "HTTP 500"),
    "inegi-http-404": (PIB, Reply(404, b"error"), "HTTP 404"),
    "inegi-malformed": (PIB, Reply(body=b"<html>Mantenimiento</html>"), "not JSON"),
    "inegi-api-error": (PIB, Reply(400, b'["ErrorInfo: token"]'), "HTTP 400"),
    "inegi-token-echo": (PIB, Reply(body=f'["Token no valido: {TOKEN}"]'.encode()), "API error"),
    "inegi-empty": (PIB, Reply(body=fixture("inegi_empty.json")), "empty result"),
    "inegi-timeout": (PIB, Reply(delay=0.6), "timed out"),
    "inegi-fails-schema": (PIB, _bad_period(), "fail the schema of 'inegi_pib_trimestral_sa'"),
}


def assert_clean_error(exc: BaseException, source: str, indicator: str) -> None:
    """One line naming source and indicator; no token anywhere, not even in a chained exception."""
    message = str(exc)
    assert "\n" not in message
    assert message.startswith(f"{source} {indicator}: ")
    assert exc.__cause__ is None and (exc.__context__ is None or exc.__suppress_context__)
    assert TOKEN not in "".join(traceback.format_exception(exc))


@pytest.mark.parametrize("case", list(FAILURES))
def test_failure_is_one_clear_line_and_leaves_data_raw_byte_identical(
    api: Api, package: Path, case: str
) -> None:
    resource, reply, expected = FAILURES[case]
    api.answer(reply)
    before = tree(package.parent)
    start = time.perf_counter()
    with pytest.raises(FetchError) as caught:
        fetch_package(package, only=resource, today=DAY, settings=api.settings(read_timeout=0.2))
    assert time.perf_counter() - start < 2
    assert expected in str(caught.value)
    source, indicator = (
        ("INEGI BIE", INEGI_ID)
        if resource == PIB
        else (
            "World Bank WDI",
            "NY.GDP.MKTP.KD.ZG",
        )
    )
    assert_clean_error(caught.value, source, indicator)
    assert tree(package.parent) == before


def test_a_late_failure_undoes_the_resources_already_fetched(api: Api, package: Path) -> None:
    def responder(path: str, query: dict[str, list[str]]) -> Reply:
        return Reply(503, b"busy") if path.startswith("/inegi/") else recorded(path, query)

    api.server.responder = responder
    before = tree(package.parent)
    with pytest.raises(FetchError, match="HTTP 503"):
        fetch_package(package, today=DAY, settings=api.settings())  # GDP succeeds first
    assert any("/wdi/" in r for r in api.server.requests)
    assert tree(package.parent) == before


def test_offline_names_the_snapshot_fallback(package: Path) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings = FetchSettings(
        wdi_url=f"http://127.0.0.1:{port}/v2",
        inegi_url=f"http://127.0.0.1:{port}/inegi",
        connect_timeout=0.5,
        read_timeout=0.5,
    )
    before = tree(package.parent)
    for resource, source, indicator in [
        (GDP, "World Bank WDI", "NY.GDP.MKTP.KD.ZG"),
        (PIB, "INEGI BIE", INEGI_ID),
    ]:
        with pytest.raises(FetchError) as caught:
            fetch_package(package, only=resource, today=DAY, settings=settings)
        assert "cannot connect" in str(caught.value) and OFFLINE_HINT in str(caught.value)
        assert_clean_error(caught.value, source, indicator)
    assert tree(package.parent) == before


def test_server_errors_are_retried_a_bounded_number_of_times(api: Api, package: Path) -> None:
    api.answer(Reply(500, b"error"))
    with pytest.raises(FetchError, match="after 3 attempts"):
        fetch_package(package, only=GDP, today=DAY, settings=api.settings(retries=2))
    assert len(api.server.requests) == 3
    api.server.requests.clear()
    api.answer(Reply(404, b"error"))
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_package(package, only=GDP, today=DAY, settings=api.settings(retries=2))
    assert len(api.server.requests) == 1  # a client error is not retried


def test_a_server_error_then_an_answer_succeeds_on_the_retry(api: Api, package: Path) -> None:
    answers = iter([Reply(503, b"busy"), Reply(429, b"slow down")])

    def responder(path: str, query: dict[str, list[str]]) -> Reply:
        return next(answers, None) or recorded(path, query)

    api.server.responder = responder
    fetch_package(package, only=GDP, today=DAY, settings=api.settings(retries=2))
    assert len(api.server.requests) == 4  # 503, 429, then both WDI pages


def test_a_read_timeout_is_retried_and_then_reported(api: Api, package: Path) -> None:
    api.answer(Reply(delay=0.6))
    with pytest.raises(FetchError, match=r"timed out: .* \(after 2 attempts\)"):
        fetch_package(
            package, only=GDP, today=DAY, settings=api.settings(retries=1, read_timeout=0.2)
        )
    assert len(api.server.requests) == 2


def test_retry_policy_is_urllib3s_with_the_settings() -> None:
    from analysis.fetch.http import new_session, retry_policy

    policy = retry_policy(FetchSettings(retries=3, backoff=0.5))
    assert (policy.total, policy.connect, policy.read, policy.status) == (3, 0, 3, 3)
    assert 500 in policy.status_forcelist and 429 in policy.status_forcelist
    assert 404 not in policy.status_forcelist and not policy.raise_on_status
    assert policy.backoff_factor == 0.5
    with new_session(FetchSettings(retries=3)) as session:
        assert session.get_adapter("https://api.worldbank.org").max_retries.total == 3


def test_missing_token_fails_before_any_download(
    api: Api, package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("INEGI_API_TOKEN")
    before = tree(package.parent)
    with pytest.raises(FetchError, match="INEGI_API_TOKEN is not set"):
        fetch_package(package, today=DAY, settings=api.settings())
    assert api.server.requests == []
    assert tree(package.parent) == before


def test_second_fetch_on_the_same_day_changes_nothing(api: Api, package: Path) -> None:
    fetch_package(package, only=GDP, today=DAY, settings=api.settings())
    after_first = tree(package.parent)
    with pytest.raises(DataError, match="already fetched today"):
        fetch_package(package, only=GDP, today=DAY, settings=api.settings())
    assert tree(package.parent) == after_first


# ---- command line ------------------------------------------------------------------------------


def _parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m analysis")
    add_fetch_parser(parser.add_subparsers(dest="command", required=True))
    return parser.parse_args(argv)


def test_cli_dry_run_lists_and_fetch_registers(
    api: Api, package: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = tree(package.parent)
    args = _parse(["fetch", "--package", str(package), "--dry-run"])
    assert args.func(args) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split(":")[0] for line in lines] == [
        f"would fetch {n}" for n in (GDP, PIB, LABOUR)
    ]
    assert api.server.requests == [] and tree(package.parent) == before

    argv = ["fetch", "--package", str(package), "--only", GDP, "--wdi-api", f"{api.url}/wdi/v2"]
    args = _parse(argv)
    assert args.func(args) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"fetched {GDP} -> worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.")
    assert validate_snapshot(package).valid

    args = _parse(["fetch", "--package", str(package), "--only", "nope"])
    with pytest.raises(DataError, match="resources that can be fetched"):
        args.func(args)
