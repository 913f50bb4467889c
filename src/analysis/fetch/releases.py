"""New vintages of raw resources: plan, download, validate, then register all of them or none.

A resource opts in with an `x-fetch` block in datapackage.json:

    {"client": "wdi"}                                   # codes from x-clean, country MEX
    {"client": "wdi", "indicators": ["SL.UEM.TOTL.ZS", "SL.TLF.CACT.ZS"],
     "country": "MEX", "date": "1990:2026"}             # all keys but "client" optional
    {"client": "inegi", "indicator_id": "<BIE id>",
     "geo": "0700", "source": "BIE", "language": "es"}  # geo/source/language optional

A fetch on day D never touches the current file. It writes `<stem>.<D>.csv` beside it (e.g.
`worldbank/API_NY.GDP.MKTP.KD.ZG_MEX.2026-11-23.csv`) and registers it as a new resource
`<name>_fetch_<YYYY_MM_DD>`, derived from the old descriptor: same schema (a WDI file gains a year
field for each newly published year, copied from the old year fields), same x-clean except the
series, which becomes `<series>_fetch_<YYYY_MM_DD>` so the two vintages never collide in the tidy
table, new path, hash, bytes, vintage (the API's last-update date), access date and retrieval note,
and `x-provenance.refreshes` naming the old resource. The new resource carries no x-fetch block.

Every new file is written under a hidden temporary name, checked with frictionless against its
derived descriptor and read with the pipeline's own reader. Only when every planned resource passed
are the files renamed into place and datapackage.json rewritten (atomically); any failure removes
the temporary files, so data/raw is left byte-identical.
"""

from __future__ import annotations

import contextlib
import copy
import json
import os
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from analysis.core.errors import DataError
from analysis.fetch import inegi, wdi
from analysis.fetch.http import FetchError, FetchSettings, new_session
from analysis.snapshot.validate import load_descriptor, sha256_of

CLIENTS = ("wdi", "inegi")
_YEAR = re.compile(r"^\d{4}$")


@dataclass(frozen=True)
class FetchPlan:
    """One resource that can be refreshed, and where its new vintage will go."""

    resource: str
    client: str
    indicators: tuple[str, ...]
    target_name: str
    target_path: str
    options: dict[str, Any] = field(default_factory=dict, compare=False)

    def describe(self) -> str:
        """One line for --dry-run: resource, client, indicators and the new file."""
        return f"{self.resource}: {self.client} {', '.join(self.indicators)} -> {self.target_path}"


@dataclass(frozen=True)
class _Download:
    """What a client brought back, ready to be written and described."""

    text: str
    schema: dict[str, Any]
    vintage: str
    #: Entries appended to the resource's `sources` (the API URLs, never holding a token).
    sources: list[dict[str, str]]
    retrieval: str


@dataclass
class _Staged:
    plan: FetchPlan
    tmp: Path
    final: Path
    descriptor: dict[str, Any]


def dated_path(path: str, day: date) -> str:
    """`worldbank/API_X_MEX.csv` -> `worldbank/API_X_MEX.2026-11-23.csv` (the vintage file)."""
    old = Path(path)
    return old.with_name(f"{old.stem}.{day.isoformat()}{old.suffix}").as_posix()


def _bad_block(resource: dict[str, Any], problem: str, where: Path | None) -> DataError:
    return DataError(
        f"resource '{resource['name']}': x-fetch {problem}", file=where, field="x-fetch"
    )


def _wdi_indicators(resource: dict[str, Any], block: dict[str, Any]) -> tuple[str, ...]:
    clean = resource.get("x-clean", {})
    codes = block.get("indicators") or clean.get("indicators") or [clean.get("indicator_code")]
    if isinstance(codes, str):
        codes = [codes]
    return tuple(str(code) for code in codes if code)  # a dict gives its keys


def _plan_one(resource: dict[str, Any], block: Any, day: date, where: Path | None) -> FetchPlan:
    if not isinstance(block, dict) or block.get("client") not in CLIENTS:
        raise _bad_block(resource, f"needs a 'client' out of {', '.join(CLIENTS)}", where)
    client = str(block["client"])
    reader = resource.get("x-clean", {}).get("reader")
    if client == "wdi":
        if reader != "wdi_wide":
            raise _bad_block(resource, "client wdi needs a WDI bulk-CSV resource (wdi_wide)", where)
        indicators = _wdi_indicators(resource, block)
        if not indicators:
            raise _bad_block(resource, "names no WDI indicator code", where)
        if not re.fullmatch(r"[A-Z]{3}", str(block.get("country", "MEX"))):
            raise _bad_block(resource, "country must be an ISO3 code such as MEX", where)
        if "date" in block and not re.fullmatch(r"\d{4}(:\d{4})?", str(block["date"])):
            raise _bad_block(resource, "date must look like 1990:2026", where)
    else:
        if reader != "bie_series" or len(resource["schema"].get("fields", [])) != 2:
            raise _bad_block(resource, "client inegi needs a BIE resource with 2 columns", where)
        if not re.fullmatch(r"\d+", str(block.get("indicator_id", ""))):
            raise _bad_block(resource, "client inegi needs a numeric 'indicator_id'", where)
        indicators = (str(block["indicator_id"]),)
    return FetchPlan(
        resource=resource["name"],
        client=client,
        indicators=indicators,
        target_name=f"{resource['name']}_fetch_{day:%Y_%m_%d}",
        target_path=dated_path(resource["path"], day),
        options=dict(block),
    )


def plan_fetch(
    package: dict[str, Any] | str | Path, *, today: date | None = None
) -> list[FetchPlan]:
    """The resources of a package (descriptor or path) that opt in with x-fetch, in package order.

    No network is used; a malformed x-fetch block is a DataError naming the resource.
    """
    if isinstance(package, dict):
        return _plans(package, today or date.today(), None)
    return _plans(load_descriptor(Path(package)), today or date.today(), Path(package))


def _plans(descriptor: dict[str, Any], day: date, where: Path | None) -> list[FetchPlan]:
    return [
        _plan_one(resource, resource["x-fetch"], day, where)
        for resource in descriptor["resources"]
        if "x-fetch" in resource
    ]


def select_plans(plans: list[FetchPlan], only: str | None) -> list[FetchPlan]:
    """All plans, or the one named by --only (a DataError listing the fetchable names otherwise)."""
    if only is None:
        return plans
    chosen = [plan for plan in plans if plan.resource == only]
    if not chosen:
        known = ", ".join(plan.resource for plan in plans) or "none"
        raise DataError(f"'{only}' has no x-fetch block (resources that can be fetched: {known})")
    return chosen


# ---- downloads ---------------------------------------------------------------------------


def _download_wdi(
    plan: FetchPlan, resource: dict[str, Any], session: Any, settings: FetchSettings, day: date
) -> _Download:
    fields = resource["schema"]["fields"]
    labels = [f["name"] for f in fields if not _YEAR.match(f["name"])]
    year_fields = {int(f["name"]): f for f in fields if _YEAR.match(f["name"])}
    if tuple(labels) != wdi.ID_COLUMNS or not year_fields:
        raise DataError(
            f"resource '{plan.resource}' is not in the WDI bulk layout "
            f"({', '.join(wdi.ID_COLUMNS)}, then year columns)",
            field="schema",
        )
    first, last = min(year_fields), max(year_fields)
    country = str(plan.options.get("country", "MEX"))
    dates = str(plan.options.get("date") or f"{first}:{day.year}")
    series = [
        wdi.fetch_indicator(session, code, country=country, date=dates, settings=settings)
        for code in plan.indicators
    ]
    published = [year for s in series for year in s.years_with_values()]
    years = list(range(min(first, *published), max(last, *published) + 1))
    template = year_fields[last]
    schema = copy.deepcopy(resource["schema"])
    schema["fields"] = [f for f in fields if not _YEAR.match(f["name"])] + [
        copy.deepcopy(year_fields.get(year) or {**template, "name": str(year)}) for year in years
    ]
    urls = {
        code: f"{wdi.indicator_url(settings, country, code)}?format=json&date={dates}"
        for code in plan.indicators
    }
    vintage = max(s.last_updated for s in series) or "not stated by the API (lastupdated empty)"
    return _Download(
        text=wdi.wdi_csv(series, years),
        schema=schema,
        vintage=vintage,
        sources=[
            {"title": f"World Bank API v2, World Development Indicators: {code}", "path": url}
            for code, url in urls.items()
        ],
        retrieval=(
            f"downloaded from the World Bank API v2 ({'; '.join(urls.values())}) on {day.isoformat()} "
            f"by `python -m analysis fetch`; {country} rows written in the WDI bulk CSV layout, "
            f"years {years[0]}-{years[-1]}, values as published, null values left empty."
        ),
    )


def _download_inegi(
    plan: FetchPlan,
    resource: dict[str, Any],
    session: Any,
    settings: FetchSettings,
    day: date,
    token: str,
) -> _Download:
    period_field, value_field = (f["name"] for f in resource["schema"]["fields"])
    indicator_id = plan.indicators[0]
    options = {
        key: str(plan.options[key]) for key in ("language", "geo", "source") if key in plan.options
    }
    series = inegi.fetch_series(session, indicator_id, token=token, settings=settings, **options)
    url = inegi.display_url(settings, indicator_id, **options)
    return _Download(
        text=inegi.bie_csv(series, period_field, value_field),
        schema=copy.deepcopy(resource["schema"]),
        vintage=series.last_update or "not stated by the API (LASTUPDATE empty)",
        sources=[
            {
                "title": f"INEGI, API de Indicadores ({options.get('source', 'BIE')}), "
                f"indicator {indicator_id}",
                "path": url,
            }
        ],
        retrieval=(
            f"downloaded from INEGI's Indicadores API ({url}; token not recorded) on "
            f"{day.isoformat()} by `python -m analysis fetch`; written in the BIE export layout "
            f"({period_field} and one value column), periods ascending, values as published."
        ),
    )


# ---- describe, stage, validate, commit ---------------------------------------------------------


def _derive_descriptor(
    old: dict[str, Any], plan: FetchPlan, download: _Download, day: date, file: Path
) -> dict[str, Any]:
    """The new resource: the old one with new name, path, schema years, hash and provenance."""
    new = copy.deepcopy(old)
    new.pop("x-fetch", None)
    stamp = f"{day:%Y_%m_%d}"
    new["name"] = plan.target_name
    new["title"] = f"{old.get('title', old['name'])} (fetched {day.isoformat()})"
    new["path"] = plan.target_path
    new["schema"] = download.schema
    new["sources"] = [*old.get("sources", []), *download.sources]
    provenance = {
        key: value
        for key, value in old.get("x-provenance", {}).items()
        if key in ("publisher", "table", "series_id")
    }
    new_series = f"{old['x-clean'].get('series') or old['name']}_fetch_{stamp}"
    provenance.update(
        vintage=download.vintage,
        access_date=day.isoformat(),
        retrieval=download.retrieval,
        refreshes=old["name"],
        notes=(
            f"Online refresh of resource '{old['name']}' (make fetch), kept beside it as series "
            f"'{new_series}'; compare the two vintages before the analysis switches to this one."
        ),
    )
    new["x-provenance"] = provenance
    new["x-clean"]["series"] = new_series
    new["hash"] = f"sha256:{sha256_of(file)}"
    new["bytes"] = file.stat().st_size
    return new


def _schema_problem(descriptor: dict[str, Any], raw_dir: Path, tmp: Path) -> str | None:
    """The first frictionless error of the staged file against the derived descriptor, if any."""
    from frictionless import Resource  # heavy import: only when a file was fetched

    checked = {k: v for k, v in descriptor.items() if not k.startswith("x-")}
    checked["path"] = tmp.relative_to(raw_dir).as_posix()
    report = Resource(checked, basepath=str(raw_dir)).validate()
    errors = report.tasks[0].errors if report.tasks else []
    if report.valid and not errors:
        return None
    if not errors:
        return "; ".join(str(e.message) for e in report.errors) or "invalid"
    first = errors[0]
    where = []
    if getattr(first, "row_number", None):
        where.append(f"row {first.row_number}")
    if getattr(first, "field_name", None):
        where.append(f"field '{first.field_name}'")
    if getattr(first, "cell", None):
        where.append(f"value '{first.cell}'")
    note = getattr(first, "note", "") or first.message
    return f"{first.type} ({', '.join(where) or 'file'}): {note}"


def _stage(
    plan: FetchPlan,
    old: dict[str, Any],
    raw_dir: Path,
    download: _Download,
    day: date,
) -> _Staged:
    """Write the download under a hidden temporary name and check it; removed again on failure."""
    from analysis.clean.readers import reader_for

    final = raw_dir / plan.target_path
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".tmp.csv", dir=final.parent)
    os.close(fd)
    tmp = Path(name)
    try:
        mask = os.umask(0)
        os.umask(mask)
        os.chmod(tmp, 0o666 & ~mask)  # as atomic_path: mkstemp's 0600 would make raw files private
        tmp.write_text(download.text, encoding="utf-8", newline="\n")
        descriptor = _derive_descriptor(old, plan, download, day, tmp)
        source = wdi.WDI_SOURCE if plan.client == "wdi" else inegi.INEGI_SOURCE
        indicator = ", ".join(plan.indicators)
        problem = _schema_problem(descriptor, raw_dir, tmp)
        if problem:
            raise FetchError(
                source, indicator, f"fetched data fail the schema of '{old['name']}': {problem}"
            )
        try:
            reader_for(descriptor["x-clean"]["reader"])(tmp, descriptor["x-clean"])
        except DataError as exc:
            raise FetchError(
                source, indicator, f"fetched data unreadable by the pipeline: {exc.reason}"
            ) from None
        return _Staged(plan=plan, tmp=tmp, final=final, descriptor=descriptor)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _check_targets_free(
    descriptor: dict[str, Any], plans: list[FetchPlan], raw_dir: Path, package_path: Path
) -> None:
    names = {r["name"] for r in descriptor["resources"]}
    paths = {Path(r["path"]).as_posix() for r in descriptor["resources"]}
    for plan in plans:
        if (
            plan.target_name in names
            or plan.target_path in paths
            or (raw_dir / plan.target_path).exists()
        ):
            raise DataError(
                f"'{plan.resource}' was already fetched today ({plan.target_path} exists); "
                "nothing was changed",
                file=package_path,
            )


def _with_new_resources(descriptor: dict[str, Any], staged: list[_Staged]) -> dict[str, Any]:
    """The descriptor with each new resource after its source (and that source's older fetches)."""
    updated = copy.deepcopy(descriptor)
    resources: list[dict[str, Any]] = updated["resources"]
    for item in staged:
        family = {item.plan.resource}
        position = max(
            index
            for index, r in enumerate(resources)
            if r["name"] in family or r.get("x-provenance", {}).get("refreshes") in family
        )
        resources.insert(position + 1, item.descriptor)
    return updated


def _commit(
    package_path: Path, original: str, descriptor: dict[str, Any], staged: list[_Staged]
) -> None:
    """Rename the staged files into place, then rewrite datapackage.json; undo the renames on failure."""
    from analysis.core.atomic import write_text_atomic

    if package_path.read_text(encoding="utf-8") != original:
        raise DataError(
            "changed by someone else while fetching; nothing was written, run fetch again",
            file=package_path,
        )
    text = json.dumps(_with_new_resources(descriptor, staged), indent=2, ensure_ascii=False) + "\n"
    placed: list[Path] = []
    try:
        for item in staged:
            if item.final.exists():
                raise DataError("appeared while fetching; nothing was written", file=item.final)
            os.replace(item.tmp, item.final)
            placed.append(item.final)
        write_text_atomic(package_path, text)
    except BaseException:
        for path in placed:
            path.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _session(session: Any, settings: FetchSettings) -> Iterator[Any]:
    """The caller's session (with its own retries), or a new one retrying as the settings say,
    closed afterwards."""
    if session is not None:
        yield session
        return
    with new_session(settings) as own:
        yield own


def fetch_package(
    package_path: str | Path,
    *,
    only: str | None = None,
    today: date | None = None,
    settings: FetchSettings | None = None,
    session: Any = None,
) -> list[dict[str, Any]]:
    """Fetch every resource with x-fetch (or only `only`) and register the new vintages.

    Returns the new resource descriptors (empty when nothing opts in). Any failure raises a
    DataError (FetchError for the network and the publisher's answer) and changes nothing.
    """
    package_path = Path(package_path)
    raw_dir = package_path.parent
    settings = settings or FetchSettings()
    day = today or date.today()
    original = package_path.read_text(encoding="utf-8") if package_path.is_file() else ""
    descriptor = load_descriptor(package_path)
    plans = select_plans(_plans(descriptor, day, package_path), only)
    if not plans:
        return []
    _check_targets_free(descriptor, plans, raw_dir, package_path)
    tokens = {
        plan.resource: inegi.token_from_env(plan.indicators[0])
        for plan in plans
        if plan.client == "inegi"
    }  # a missing token fails before any download
    by_name = {r["name"]: r for r in descriptor["resources"]}
    staged: list[_Staged] = []
    try:
        with _session(session, settings) as active:
            for plan in plans:
                old = by_name[plan.resource]
                if plan.client == "wdi":
                    download = _download_wdi(plan, old, active, settings, day)
                else:
                    download = _download_inegi(
                        plan, old, active, settings, day, tokens[plan.resource]
                    )
                staged.append(_stage(plan, old, raw_dir, download, day))
        _commit(package_path, original, descriptor, staged)
    finally:
        for item in staged:
            item.tmp.unlink(missing_ok=True)
    return [item.descriptor for item in staged]
