"""The transport under :class:`wikitools.api.client.WikiClient`: encoding, one request with its retries,
and the translation of foreign errors into :mod:`wikitools.errors` types, at one boundary.

One :class:`requests.Session` holds the cookies and the User-Agent (Wikimedia's policy form). Every
request sends ``maxlag``; ``maxlag`` errors, HTTP 429/503 and ``ratelimited`` are retried after the
server's ``Retry-After`` or an exponential backoff with jitter, all within one deadline per call; a wiki
that keeps saying "later" past it raises :class:`RetryExhausted`. No message ever carries a secret.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests

from .. import __version__
from ..errors import ApiError, ConfigError, LoginError, NetworkError, RetryExhausted
from .retry import RETRYABLE_HTTP_STATUSES, Backoff, Deadline, parse_retry_after

log = logging.getLogger("wikitools.api.client")

LONG_QUERY_BYTES = 2000  # longer GET queries go as POST instead (URL length limits of proxies)
DEFAULT_MAXLAG_WAIT = 5.0
# Failures the server gave no advice about (refused connections, time-outs, 5xx without Retry-After) are
# retried 3 times (about 3.5 s), not until the deadline: a wrong URL or a broken wiki should not cost minutes.
MAX_BLIND_RETRIES = 3
RETRYABLE_API_CODES = frozenset({"maxlag", "ratelimited", "readonly", "internal_api_error_DBQueryError"})
SESSION_LOST_CODES = frozenset({"assertuserfailed", "assertnameduserfailed", "notloggedin"})
LOGIN_API_CODES = SESSION_LOST_CODES | {
    "assertbotfailed",
    "readapidenied",
    "mwoauth-invalid-authorization",
    "mwoauth-invalid-authorization-invalid-user",
}
CUT_OFF_ADVICE = "the connection to the wiki keeps breaking; try again later"


def user_agent(contact: str | None) -> str:
    """The User-Agent the Wikimedia policy asks for: tool/version (contact) library/version."""
    return f"wikitools/{__version__} ({contact or 'no contact configured'}) requests/{requests.__version__}"


def _encode_value(value: Any) -> str:
    if value is True:
        return "1"
    if isinstance(value, list | tuple):
        items = [str(v) for v in value]
        # A "|" inside a value needs the unit separator as delimiter, announced by a leading one.
        return "\x1f" + "\x1f".join(items) if any("|" in v for v in items) else "|".join(items)
    return str(value)


def _encode(params: dict[str, Any]) -> dict[str, str]:
    """API parameters as strings; ``None`` and ``False`` mean "absent", as MediaWiki reads booleans."""
    return {k: _encode_value(v) for k, v in params.items() if v is not None and v is not False}


class HttpStatusError(NetworkError):
    """The server answered with an HTTP error status that retrying will not change (404, 403, ...)."""

    def __init__(self, status: int, message: str, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.status = status


class SessionLostError(LoginError):
    """The wiki no longer sees the session as logged in (expired cookies, or never logged in)."""


@dataclass
class _Retry:
    """A failed attempt worth repeating, after ``wait`` seconds when the server said so."""

    error: ApiError | NetworkError | LoginError
    wait: float | None = None
    blind: str | None = None  # set when the server gave no advice: what to tell the user on giving up


class Transport:
    """Sends API requests for one wiki and retries what the server asks to retry."""

    def __init__(
        self,
        api_url: str,
        *,
        contact: str | None = None,
        timeout: float = 30,
        deadline: float = 120,
        maxlag: int | None = 5,
        session: requests.Session | None = None,
    ) -> None:
        parts = urlsplit(api_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("the wiki URL must start with http:// or https://", subject=api_url)
        self.api_url = urlunsplit((parts.scheme, parts.netloc, parts.path, "", ""))
        self.timeout = timeout
        self.deadline = deadline
        self.maxlag = maxlag
        self.session = session or requests.Session()
        if self.session.verify is False:
            raise ConfigError("TLS certificate verification cannot be turned off", subject=self.api_url)
        self.session.headers["User-Agent"] = user_agent(contact)
        self.session.headers["Accept-Encoding"] = "gzip"
        self.requests_made = 0
        self._backoff = Backoff()
        self._sleep: Callable[[float], None] = time.sleep

    def _request(
        self, params: dict[str, Any], *, post: bool = False, files: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        """Send one API request, retrying what the server asks us to retry, within the deadline."""
        data = _encode({**params, "format": "json", "formatversion": "2", "maxlag": self.maxlag})
        post = post or files is not None or len(urlencode(data)) > LONG_QUERY_BYTES
        deadline = Deadline(self.deadline)
        action = data.get("action", "?")
        attempt = blind = 0
        while True:
            attempt += 1
            outcome = self._attempt(data, post=post, files=files, deadline=deadline)
            if not isinstance(outcome, _Retry):
                return outcome
            blind += outcome.blind is not None
            if blind > MAX_BLIND_RETRIES:
                outcome.error.hint = f"tried {attempt} times; {outcome.blind}"
                raise outcome.error
            delay = self._backoff.delay(attempt) if outcome.wait is None else outcome.wait
            if not deadline.allows(delay):
                error = outcome.error
                if isinstance(error, ApiError) and error.code in RETRYABLE_API_CODES:
                    error = RetryExhausted(error.message, code=error.code, subject=error.subject)
                error.hint = (
                    f"gave up after {attempt} attempt{'s' if attempt > 1 else ''} in {deadline.seconds:g} s;"
                    " try again later"
                )
                raise error
            log.info("%s: %s; retrying in %.1f s", action, outcome.error.message, delay)
            self._sleep(delay)

    def _attempt(
        self, data: dict[str, str], *, post: bool, files: dict[str, Any] | None, deadline: Deadline
    ) -> dict[str, Any] | _Retry:
        """One HTTP request: the answer, or a retryable failure; failures not worth retrying are raised."""
        timeout = max(1.0, min(self.timeout, deadline.remaining))
        self.requests_made += 1
        log.debug("%s action=%s", "POST" if post else "GET", data.get("action"))
        try:
            if post:
                response = self.session.post(
                    self.api_url, data=data, files=files, timeout=timeout, allow_redirects=False
                )
            else:
                response = self.session.get(self.api_url, params=data, timeout=timeout, allow_redirects=False)
        except requests.exceptions.SSLError:
            raise NetworkError(
                "the TLS certificate could not be verified",
                subject=self.api_url,
                hint="fix the server's certificate or set REQUESTS_CA_BUNDLE to your CA",
            ) from None
        except requests.Timeout:
            failure = NetworkError("the wiki did not answer in time", subject=self.api_url)
            return _Retry(failure, blind="the wiki may be overloaded; try again later")
        except requests.ConnectionError:
            failure = NetworkError("cannot connect to the wiki", subject=self.api_url)
            return _Retry(failure, blind="is the wiki running, and is the URL right?")
        except (requests.exceptions.ChunkedEncodingError, requests.exceptions.ContentDecodingError):
            return _Retry(_cut_off(self.api_url), blind=CUT_OFF_ADVICE)
        except requests.RequestException as exc:
            raise NetworkError(f"the request failed ({type(exc).__name__})", subject=self.api_url) from None
        retry_after = parse_retry_after(response.headers.get("Retry-After"))
        if response.status_code in RETRYABLE_HTTP_STATUSES:
            failure = NetworkError(f"the wiki answered HTTP {response.status_code}", subject=self.api_url)
            blind = (
                None if retry_after is not None else "the wiki may be broken or overloaded; try again later"
            )
            return _Retry(failure, retry_after, blind)
        if response.is_redirect:
            # Never follow: a redirected POST would carry passwords and tokens to wherever it points.
            moved = urlsplit(urljoin(self.api_url, response.headers.get("Location", "")))
            raise HttpStatusError(
                response.status_code,
                f"the API redirects to {urlunsplit((moved.scheme, moved.netloc, moved.path, '', ''))}",
                subject=self.api_url,
                hint="use that address",
            )
        if response.status_code != 200:
            raise HttpStatusError(
                response.status_code,
                f"the wiki answered HTTP {response.status_code}",
                subject=self.api_url,
                hint="check the wiki URL (it should lead to api.php)",
            )
        try:
            result = response.json()
        except ValueError:
            if response.content.lstrip()[:1] in (b"{", b"["):  # JSON that stops short: the answer was cut
                return _Retry(_cut_off(self.api_url), blind=CUT_OFF_ADVICE)
            raise ApiError(
                "the answer is not JSON, so this is not a MediaWiki API",
                subject=self.api_url,
                hint="give the address of the wiki's api.php, or its base URL",
            ) from None
        if not isinstance(result, dict):
            raise ApiError("the answer is not a JSON object", subject=self.api_url)
        for module, warning in result.get("warnings", {}).items():
            log.info("API warning from %s: %s", module, warning)
        error = result.get("error")
        if error is None:
            return result
        code = str(error.get("code", "unknown"))
        failure = _error_for(code, message_text(error.get("info") or error.get("text")), self.api_url)
        if code in RETRYABLE_API_CODES:
            if code == "maxlag" and retry_after is None:
                retry_after = DEFAULT_MAXLAG_WAIT
            return _Retry(failure, retry_after)
        raise failure


def _cut_off(api_url: str) -> NetworkError:
    return NetworkError("the wiki's answer was cut off", subject=api_url)


def message_text(value: Any) -> str:
    """An API message, whether plain text or an ``{code, text}`` object, on one line."""
    if isinstance(value, dict):
        value = value.get("text") or value.get("*") or value.get("code")
    return " ".join(str(value or "no reason given").split())


def _error_for(code: str, info: str, api_url: str) -> ApiError | LoginError:
    if code in LOGIN_API_CODES:
        error_type = SessionLostError if code in SESSION_LOST_CODES else LoginError
        return error_type(
            f"{info} ({code})", subject=api_url, hint="log in with credentials that may do this"
        )
    return ApiError(f"{info} ({code})", code=code)
