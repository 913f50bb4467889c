"""HTTP for the online refresh: one GET with explicit timeouts, bounded retries and one-line errors.

Every failure (HTTP status, timeout, no connection, a body that is not JSON) becomes a FetchError
naming the source, the indicator and what happened. Secrets (the INEGI token) are removed from
every message and from urllib3's debug log, and no exception is chained to the original one, so a
traceback cannot carry a URL that holds the token.
"""

from __future__ import annotations

import contextlib
import json
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, quote_plus, urlsplit

from analysis.core.errors import DataError

#: Appended to every "cannot connect" message: the pipeline itself never needs the network.
OFFLINE_HINT = "make all works on the embedded snapshot"
USER_AGENT = "mexico-cf-indicators (python -m analysis fetch)"


class FetchError(DataError):
    """A download failed: one line `<source> <indicator>: <what happened>`, never holding a secret."""

    def __init__(self, source: str, indicator: str, problem: str) -> None:
        self.source = source
        self.indicator = indicator
        self.problem = " ".join(problem.split())  # one line, whatever the server sent
        super().__init__(self.problem)

    def render(self) -> str:
        return f"{self.source} {self.indicator}: {self.problem}"


@dataclass(frozen=True)
class FetchSettings:
    """Where the APIs live and how long to wait: configurable so tests can use a local server."""

    wdi_url: str = "https://api.worldbank.org/v2"
    inegi_url: str = "https://www.inegi.org.mx/app/api/indicadores/desarrolladores/jsonxml"
    connect_timeout: float = 5.0
    read_timeout: float = 30.0
    #: Extra attempts after a 5xx or 429 answer or a read timeout (never after another 4xx or
    #: no connection): urllib3's Retry, mounted on the session `new_session` makes.
    retries: int = 1
    #: urllib3's backoff factor: before retry n it waits backoff * 2 ** (n - 1) seconds (or what a
    #: Retry-After header asks).
    backoff: float = 1.0
    #: WDI page size; one page covers a country's whole annual series.
    per_page: int = 1000
    #: A WDI answer announcing more pages than this is treated as malformed.
    max_pages: int = 20


class Redactor:
    """Replaces each secret (as given and URL-encoded) by `<redacted>` in any text."""

    def __init__(self, *secrets: str) -> None:
        forms = {f(s) for s in secrets if s for f in (str, quote_plus, lambda t: quote(t, safe=""))}
        self._forms = sorted(forms, key=len, reverse=True)

    def __call__(self, text: str) -> str:
        for form in self._forms:
            text = text.replace(form, "<redacted>")
        return text


class _RedactingFilter(logging.Filter):
    """Rewrites urllib3's log records (which print request paths) without the secrets."""

    def __init__(self, redact: Redactor) -> None:
        super().__init__()
        self._redact = redact

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self._redact(record.getMessage())
        record.args = None
        return True


@contextlib.contextmanager
def redacted_logs(redact: Redactor) -> Iterator[None]:
    """While active, urllib3's request log lines (DEBUG) show `<redacted>` instead of a secret."""
    logger = logging.getLogger("urllib3.connectionpool")
    log_filter = _RedactingFilter(redact)
    logger.addFilter(log_filter)
    try:
        yield
    finally:
        logger.removeFilter(log_filter)


def _host(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


def _parse_json(content: bytes) -> tuple[Any, str | None]:
    """The decoded body, or None and a reason. Numbers stay text, exactly as published."""
    try:
        return json.loads(content.decode("utf-8-sig"), parse_float=str, parse_int=str), None
    except UnicodeDecodeError:
        return None, "malformed response: body is not UTF-8 text"
    except json.JSONDecodeError as exc:
        return None, (
            f"malformed response: not JSON ({exc.msg} at line {exc.lineno} column {exc.colno})"
        )


#: Answers worth asking again: the server's trouble or rate limiting, never the request's fault.
RETRY_STATUSES = frozenset({429, *range(500, 600)})


def retry_policy(settings: FetchSettings) -> Any:
    """urllib3's Retry for the settings: `retries` more GETs after a 5xx/429 answer or a read
    timeout, none after no connection; the last answer is returned, not raised, so its status
    can be reported."""
    from urllib3.util.retry import Retry

    retries = max(0, settings.retries)
    return Retry(
        total=retries,
        connect=0,
        read=retries,
        status=retries,
        other=0,
        allowed_methods=frozenset({"GET"}),
        status_forcelist=RETRY_STATUSES,
        backoff_factor=settings.backoff,
        raise_on_status=False,
        raise_on_redirect=False,
        respect_retry_after_header=True,
    )


def new_session(settings: FetchSettings) -> Any:
    """A requests.Session whose http(s) adapters retry as `retry_policy` says."""
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    adapter = HTTPAdapter(max_retries=retry_policy(settings))
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def _attempts(response: Any) -> int:
    """How many requests urllib3 made for this answer (1 + the retries in its history)."""
    retries = getattr(getattr(response, "raw", None), "retries", None)
    return 1 + len(getattr(retries, "history", ()) or ())


def _after(attempts: int) -> str:
    return f" (after {attempts} attempts)" if attempts > 1 else ""


def get_json(
    session: Any,
    url: str,
    params: dict[str, str] | None,
    *,
    source: str,
    indicator: str,
    settings: FetchSettings,
    redact: Callable[[str], str] = str,
) -> Any:
    """GET `url` and decode its JSON body; any failure is a FetchError.

    Retries are the session's (see `new_session`): a 5xx answer or a read timeout is asked again
    at most `settings.retries` times. JSON numbers come back as their text, so a value is written
    exactly as the publisher sent it.
    """
    import requests  # only the online refresh needs it
    from urllib3.exceptions import MaxRetryError, ReadTimeoutError

    timeout = (settings.connect_timeout, settings.read_timeout)
    read_timeout = f"timed out: no answer from {_host(url)} within {settings.read_timeout:g} s"
    try:
        response = session.get(
            url, params=params, timeout=timeout, headers={"User-Agent": USER_AGENT}
        )
    except requests.ConnectTimeout:
        problem = (
            f"cannot connect to {_host(url)} within {settings.connect_timeout:g} s "
            f"(offline?); {OFFLINE_HINT}"
        )
    except requests.Timeout:
        problem = read_timeout
    except requests.ConnectionError as exc:
        # Read timeouts that used up the retries arrive as MaxRetryError(ReadTimeoutError).
        reason = getattr(exc.args[0] if exc.args else None, "reason", None)
        if isinstance(exc.args[0] if exc.args else None, MaxRetryError) and isinstance(
            reason, ReadTimeoutError
        ):
            problem = read_timeout + _after(1 + max(0, settings.retries))
        else:
            problem = f"cannot connect to {_host(url)} (offline?); {OFFLINE_HINT}"
    except requests.RequestException as exc:
        problem = f"request to {_host(url)} failed ({type(exc).__name__})"
    else:
        if response.status_code >= 400:
            reason = response.reason or "error"
            problem = f"HTTP {response.status_code} {reason} from {response.url}"
            problem += _after(_attempts(response))
        else:
            payload, problem_or_none = _parse_json(response.content)
            if problem_or_none is None:
                return payload
            problem = problem_or_none
    # Raised outside the except blocks, so no original exception (holding the URL) is chained.
    raise FetchError(source, indicator, redact(problem))
