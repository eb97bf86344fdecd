"""A MediaWiki Action API client that keeps its login, asks little and retries politely.

One :class:`requests.Session` holds the cookies, the User-Agent (Wikimedia's policy form) and one CSRF
token. Reads go in batches of 50 titles (500 with ``apihighlimits``), as GET or, for long lists, POST;
writes are POSTs carrying ``assert`` and the token, refreshed once on ``badtoken``. Every request sends
``maxlag``; ``maxlag`` errors, HTTP 429/503 and ``ratelimited`` are retried after the server's
``Retry-After`` or an exponential backoff with jitter, all within one deadline per call. Foreign errors
become :mod:`wikitools.errors` types here, at one boundary, and no message ever carries a secret.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from itertools import islice
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

import requests

from .. import __version__
from ..errors import (
    ApiError,
    ConfigError,
    ConflictError,
    LoginError,
    NetworkError,
    RetryExhausted,
    TitleError,
)
from ..model import Page, Revision
from ..savedtext import text_sha1
from .credentials import Credentials, require_secure_transport
from .results import EditResult, LinkTarget, MediaInfo, UploadResult, UploadSession
from .retry import RETRYABLE_HTTP_STATUSES, Backoff, Deadline, parse_retry_after

CONTACT_ENV = "WIKITOOLS_CONTACT"
log = logging.getLogger(__name__)

LOW_TITLE_BATCH = 50
HIGH_TITLE_BATCH = 500
UPLOAD_CHUNK_BYTES = 4 * 2**20  # larger files go in chunks through the stash (resumable)
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
_EDIT_URI = re.compile(r"""<link\b[^>]*\brel=["']EditURI["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""", re.IGNORECASE)
CUT_OFF_ADVICE = "the connection to the wiki keeps breaking; try again later"
NO_CREDENTIALS_HINT = (
    "set WIKITOOLS_USERNAME and WIKITOOLS_PASSWORD (a bot password), WIKITOOLS_OAUTH_TOKEN, "
    "or a ~/.netrc entry for the wiki's host"
)


def user_agent(contact: str | None) -> str:
    """The User-Agent the Wikimedia policy asks for: tool/version (contact) library/version."""
    return f"wikitools/{__version__} ({contact or 'no contact configured'}) requests/{requests.__version__}"


def _chunks(items: Iterable[Any], size: int) -> Iterator[list[Any]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


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


@dataclass
class _QueryBatch:
    """The pages of one complete query batch, merged across continuations, and how titles were mapped."""

    pages: dict[str, dict[str, Any]] = field(default_factory=dict)  # by the wiki's title
    normalized: dict[str, str] = field(default_factory=dict)
    redirects: dict[str, str] = field(default_factory=dict)
    interwiki: set[str] = field(default_factory=set)

    def add(self, query: dict[str, Any]) -> None:
        for entry in query.get("normalized", []):
            self.normalized[entry["from"]] = entry["to"]
        for entry in query.get("converted", []):
            self.normalized[entry["from"]] = entry["to"]
        for entry in query.get("redirects", []):
            self.redirects[entry["from"]] = entry["to"]
        self.interwiki.update(entry["title"] for entry in query.get("interwiki", []))
        for page in query.get("pages", []):
            merged = self.pages.setdefault(page["title"], {})
            for key, value in page.items():
                if key == "revisions":
                    merged.setdefault("revisions", []).extend(value)
                else:
                    merged[key] = value

    def resolve(self, asked: str) -> str:
        """The wiki's title for a title as asked (normalized, then converted to the page's variant)."""
        title = self.normalized.get(asked, asked)
        return self.normalized.get(title, title)

    def page_for(self, asked: str) -> dict[str, Any]:
        """The page entry of a title as asked, or raise :class:`TitleError` for one no page can have."""
        title = self.resolve(asked)
        if title in self.interwiki:
            raise TitleError("the title is an interwiki link, not a page of this wiki", subject=asked)
        page = self.pages.get(title)
        if page is None:
            raise ApiError("the wiki did not answer for this title", subject=asked)
        if page.get("invalid"):
            raise TitleError(page.get("invalidreason", "the wiki rejects this title"), subject=asked)
        if page.get("special"):
            raise TitleError("special pages cannot be read or edited", subject=asked)
        return page


def _revision_from(entry: dict[str, Any], title: str, model: str = "wikitext") -> Revision:
    slot = entry.get("slots", {}).get("main", {})
    if slot.get("texthidden") or ("content" not in slot and "sha1" not in entry):
        raise ApiError("the text of this revision is hidden", code="texthidden", subject=title)
    return Revision(
        id=entry.get("revid"),
        text=slot.get("content", ""),
        parent_id=entry.get("parentid") or None,
        timestamp=entry.get("timestamp"),
        sha1=entry.get("sha1"),
        model=slot.get("contentmodel", model),
        format=slot.get("contentformat", "text/x-wiki"),
    )


def _page_from(entry: dict[str, Any]) -> Page:
    """A :class:`Page` with the latest revision of an API page entry (none when missing)."""
    title, namespace = entry["title"], int(entry.get("ns", 0))
    if entry.get("missing"):
        return Page(title, namespace, id=None, revisions=())
    revisions = entry.get("revisions") or []
    latest = max(revisions, key=lambda r: r.get("revid", 0)) if revisions else None
    return Page(
        title,
        namespace,
        id=entry.get("pageid"),
        redirect=entry.get("redirect_target"),
        revisions=()
        if latest is None
        else (_revision_from(latest, title, entry.get("contentmodel", "wikitext")),),
    )


class WikiClient:
    """One wiki's Action API, reached through one session. Nothing is sent until a method is called."""

    def __init__(
        self,
        api_url: str,
        *,
        credentials: Credentials | None = None,
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
        self.credentials = credentials
        self.timeout = timeout
        self.deadline = deadline
        self.maxlag = maxlag
        self.session = session or requests.Session()
        if self.session.verify is False:
            raise ConfigError("TLS certificate verification cannot be turned off", subject=self.api_url)
        self.session.headers["User-Agent"] = user_agent(contact)
        self.session.headers["Accept-Encoding"] = "gzip"
        self.requests_made = 0
        self.username: str | None = None
        self.rights: frozenset[str] = frozenset()
        self.groups: frozenset[str] = frozenset()
        self._csrf_token: str | None = None
        self._backoff = Backoff()
        self._sleep: Callable[[float], None] = time.sleep

    def __repr__(self) -> str:
        return f"WikiClient({self.api_url!r}, username={self.username!r})"

    def close(self) -> None:
        """Close the session's connections."""
        self.session.close()

    def __enter__(self) -> WikiClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @classmethod
    def discover(cls, url: str, **kwargs: Any) -> WikiClient:
        """A client for the wiki at ``url``: its ``api.php`` URL, or its base URL (the API is then
        found through the page's EditURI link or the usual ``/api.php`` and ``/w/api.php``)."""
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError("the wiki URL must start with http:// or https://", subject=url)
        if parts.path.endswith("api.php"):
            return cls(url.strip(), **kwargs)
        probe = cls(url.strip(), **kwargs)
        probe.requests_made += 1
        try:
            page = probe.session.get(url.strip(), timeout=probe.timeout)
        except requests.RequestException as exc:
            raise NetworkError(f"cannot reach the wiki ({type(exc).__name__})", subject=url) from None
        landed = urlsplit(page.url)  # after redirects, e.g. from http:// to https://
        base = urlunsplit((landed.scheme, landed.netloc, parts.path.rstrip("/"), "", ""))
        candidates = [base + "/api.php", base + "/w/api.php"]
        match = _EDIT_URI.search(page.text) if page.ok else None
        href = _HREF.search(match.group(0)) if match else None
        if href:
            found = urlsplit(urljoin(page.url, href.group(1)))
            candidates.insert(0, urlunsplit((found.scheme, found.netloc, found.path, "", "")))
        for candidate in dict.fromkeys(candidates):
            probe.api_url = candidate
            try:
                probe.call({"action": "query", "meta": "siteinfo"})
            except (ApiError, HttpStatusError):
                continue
            return probe
        raise ConfigError(
            "no MediaWiki API found there", subject=url, hint="give the address of the wiki's api.php"
        )

    # ---- login and who we are ----

    @property
    def title_batch_size(self) -> int:
        """Titles per query: 500 for accounts with ``apihighlimits`` (bots, admins), else 50."""
        return HIGH_TITLE_BATCH if "apihighlimits" in self.rights else LOW_TITLE_BATCH

    @property
    def is_bot(self) -> bool:
        return "bot" in self.groups

    @classmethod
    def from_environment(
        cls, url: str, *, contact: str | None = None, login: bool = True, **kwargs: Any
    ) -> WikiClient:
        """A client for the wiki at ``url`` (see :meth:`discover`) set up as every command sets it
        up: the contact from ``contact`` or ``WIKITOOLS_CONTACT``, credentials from the environment or
        ``~/.netrc`` unless ``login`` is false. It does not log in: see :meth:`ensure_login`."""
        credentials = Credentials.from_environment(url) if login else None
        contact = contact or os.environ.get(CONTACT_ENV)
        return cls.discover(url, credentials=credentials, contact=contact, **kwargs)

    def ensure_login(self) -> None:
        """Log in now if the client has credentials and has not logged in yet: before reading too, since
        a login brings 500-title batches to bots and opens private wikis."""
        if self.credentials is not None and self.username is None:
            self.login()

    def login(self) -> None:
        """Log in with the client's credentials: bot password, main account or OAuth token."""
        credentials = self.credentials
        if credentials is None:
            raise LoginError("no credentials for the wiki", subject=self.api_url, hint=NO_CREDENTIALS_HINT)
        require_secure_transport(self.api_url)
        if credentials.oauth_token:
            self.session.headers["Authorization"] = f"Bearer {credentials.oauth_token}"
        else:
            self._login_with_password(credentials)
        self._load_user_info()
        if self.username is None:
            raise LoginError(
                "the wiki did not accept the login", subject=self.api_url, hint=NO_CREDENTIALS_HINT
            )
        log.info("logged in to %s as %s", self.api_url, self.username)

    def _login_token(self) -> str:
        result = self.call({"action": "query", "meta": "tokens", "type": "login"})
        return str(result["query"]["tokens"]["logintoken"])

    def _login_with_password(self, credentials: Credentials) -> None:
        """``action=login`` for a bot password (``User@app``), ``action=clientlogin`` for a main account."""
        token, bot = self._login_token(), credentials.is_bot_password
        name, password = credentials.username, credentials.password
        if bot:
            params = {"action": "login", "lgname": name, "lgpassword": password, "lgtoken": token}
        else:
            params = {
                "action": "clientlogin",
                "username": name,
                "password": password,
                "logintoken": token,
                "loginreturnurl": self.api_url,
            }
        answer = self._request(params, post=True).get(params["action"], {})
        if (answer.get("result") if bot else answer.get("status")) not in ("Success", "PASS"):
            raise LoginError(
                f"login as {name} failed: {_reason(answer.get('reason') or answer.get('message'))}",
                subject=self.api_url,
                hint="check the bot password (Special:BotPasswords); its name looks like User@app"
                if bot
                else "check the username and password, or use a bot password (User@app)",
            )

    def _load_user_info(self) -> None:
        """Who the session is, its rights (for batch sizes) and a fresh CSRF token, in one request."""
        result = self.call(
            {"action": "query", "meta": "userinfo|tokens", "uiprop": "rights|groups", "type": "csrf"}
        )
        info = result["query"]["userinfo"]
        self.username = None if info.get("anon") else info.get("name")
        self.rights = frozenset(info.get("rights", ()))
        self.groups = frozenset(info.get("groups", ()))
        self._csrf_token = result["query"]["tokens"]["csrftoken"]

    # ---- requests ----

    def call(self, params: dict[str, Any], *, write: bool = False) -> dict[str, Any]:
        """Run one API action (``formatversion=2``) and return its decoded answer.

        ``write`` adds ``assert`` and the CSRF token and sends a POST; a ``badtoken`` answer fetches a
        new token and tries once more, and a lost session logs in again once.
        """
        if write:
            return self._write(params)
        return self._request(params)

    def query_continue(self, params: dict[str, Any]) -> Iterator[dict[str, Any]]:
        """Every answer of a continued query; the whole ``continue`` object goes back each time."""
        continuation: dict[str, Any] = {}
        while True:
            result = self.call({**params, **continuation})
            yield result
            if "continue" not in result:
                return
            continuation = result["continue"]

    def _write(self, params: dict[str, Any], files: dict[str, Any] | None = None) -> dict[str, Any]:
        if self.username is None and self.credentials is not None:
            self.login()
        relogged = refreshed = False
        while True:
            if self._csrf_token is None:
                self._load_user_info()
            signed = {**params, "assert": params.get("assert") or "user", "token": self._csrf_token}
            try:
                return self._request(signed, post=True, files=files)
            except SessionLostError:
                if relogged or self.credentials is None:
                    raise
                relogged = True
                log.info("session lost; logging in again")
                self.session.cookies.clear()
                self.login()
            except ApiError as error:
                if error.code != "badtoken" or refreshed:
                    raise
                refreshed = True
                log.info("CSRF token expired; fetching a new one")
                self._csrf_token = None

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
        failure = _error_for(code, _reason(error.get("info") or error.get("text")), self.api_url)
        if code in RETRYABLE_API_CODES:
            if code == "maxlag" and retry_after is None:
                retry_after = DEFAULT_MAXLAG_WAIT
            return _Retry(failure, retry_after)
        raise failure

    # ---- reading ----

    def _batches(self, params: dict[str, Any]) -> Iterator[_QueryBatch]:
        """The complete batches of a continued query (a batch is complete at ``batchcomplete``)."""
        batch = _QueryBatch()
        for result in self.query_continue(params):
            batch.add(result.get("query", {}))
            if result.get("batchcomplete") or "continue" not in result:
                yield batch
                batch = _QueryBatch()

    def _title_batches(
        self, params: dict[str, Any], titles: Iterable[str]
    ) -> Iterator[tuple[list[str], _QueryBatch]]:
        """For each chunk of titles: the chunk, and everything the query returned for it."""
        for chunk in _chunks(titles, self.title_batch_size):
            merged = _QueryBatch()
            for batch in self._batches({**params, "titles": chunk}):
                merged.add({"pages": list(batch.pages.values())})
                merged.normalized.update(batch.normalized)
                merged.redirects.update(batch.redirects)
                merged.interwiki.update(batch.interwiki)
            yield chunk, merged

    def fetch_pages(self, titles: Iterable[str]) -> Iterator[Page]:
        """The latest revision of each title, in the order asked; a missing page has no revisions."""
        params = {
            "action": "query",
            "prop": "revisions",
            "rvprop": "ids|timestamp|sha1|content",
            "rvslots": "main",
        }
        for chunk, batch in self._title_batches(params, titles):
            seen: set[str] = set()
            for asked in chunk:
                entry = batch.page_for(asked)
                if entry["title"] not in seen:
                    seen.add(entry["title"])
                    yield _page_from(entry)

    def fetch_pages_generated(
        self, *, category: str | None = None, prefix: str | None = None, namespace: int | None = 0
    ) -> Iterator[Page]:
        """Like :meth:`fetch_pages` for a whole selection, listed by a generator in the same requests."""
        params = {
            "action": "query",
            "prop": "revisions",
            "rvprop": "ids|timestamp|sha1|content",
            "rvslots": "main",
            **self._selection(category, prefix, namespace, generator=True),
        }
        for batch in self._batches(params):
            for title in sorted(batch.pages):
                if _within_prefix(title, category, prefix, namespace):
                    yield _page_from(batch.pages[title])

    def list_titles(
        self, *, category: str | None = None, prefix: str | None = None, namespace: int = 0
    ) -> Iterator[str]:
        """Titles of the pages in a namespace (optionally under a prefix) or in a category."""
        params = {"action": "query", **self._selection(category, prefix, namespace, generator=False)}
        key = "categorymembers" if category else "allpages"
        for result in self.query_continue(params):
            for entry in result.get("query", {}).get(key, []):
                if _within_prefix(entry["title"], category, prefix, namespace):
                    yield entry["title"]

    def _selection(
        self, category: str | None, prefix: str | None, namespace: int | None, *, generator: bool
    ) -> dict[str, Any]:
        g = "g" if generator else ""
        limit = self.title_batch_size if generator else "max"
        if category:
            name = category if category.lower().startswith("category:") else f"Category:{category}"
            selection = {f"{g}cmtitle": name, f"{g}cmnamespace": namespace, f"{g}cmlimit": limit}
            module = "categorymembers"
        else:
            selection = {f"{g}apnamespace": namespace, f"{g}apprefix": prefix, f"{g}aplimit": limit}
            module = "allpages"
        return {"generator": module, **selection} if generator else {"list": module, **selection}

    def revision_texts(self, revids: Iterable[int]) -> dict[int, str]:
        """The texts of the given revisions (any age); revisions the wiki no longer shows are left out."""
        texts: dict[int, str] = {}
        params = {"action": "query", "prop": "revisions", "rvprop": "ids|content", "rvslots": "main"}
        for chunk in _chunks(dict.fromkeys(revids), self.title_batch_size):
            for batch in self._batches({**params, "revids": chunk}):
                for page in batch.pages.values():
                    for entry in page.get("revisions", []):
                        content = entry.get("slots", {}).get("main", {}).get("content")
                        if content is not None:
                            texts[int(entry["revid"])] = content
        return texts

    def page_states(self, titles: Iterable[str]) -> dict[str, Page]:
        """Each title's page id and latest revision (id, timestamp, sha1; no text), keyed by the title
        as given; a missing page has ``id=None`` and no revisions. Costs one request per batch."""
        params = {"action": "query", "prop": "info|revisions", "rvprop": "ids|timestamp|sha1"}
        states: dict[str, Page] = {}
        for chunk, batch in self._title_batches(params, titles):
            for asked in chunk:
                entry = batch.page_for(asked)
                states[asked] = _page_from(entry)
        return states

    def page_states_by_id(self, page_ids: Iterable[int]) -> dict[int, Page]:
        """Like :meth:`page_states`, by page id: a page moved since keeps its id and comes back with
        its new title; a deleted one is missing from the result. One request per batch."""
        params = {"action": "query", "prop": "info|revisions", "rvprop": "ids|timestamp|sha1"}
        states: dict[int, Page] = {}
        for chunk in _chunks(page_ids, self.title_batch_size):
            for result in self.query_continue({**params, "pageids": chunk}):
                for entry in result.get("query", {}).get("pages", []):
                    if not entry.get("missing") and entry.get("revisions"):  # (missing ones have no title)
                        states[int(entry["pageid"])] = _page_from(entry)
        return states

    def namespaces(self) -> dict[int, str]:
        """The wiki's namespaces, id -> local name (``siteinfo``; "" for the main namespace)."""
        result = self.call({"action": "query", "meta": "siteinfo", "siprop": "namespaces"})
        found = result["query"]["namespaces"].values()
        return {int(ns["id"]): ns.get("name", "") for ns in found if int(ns["id"]) >= 0}

    def recent_changes(self, since: str) -> tuple[set[int | str], str]:
        """The pages edited, created, moved, deleted or restored since the wiki time ``since`` (by id,
        and by title for log entries, whose page may be gone), and the wiki's time now (to pass as
        ``since`` next time). One request unless more than 500 changes were made.

        Raises :class:`ApiError` when ``since`` is malformed; a ``since`` older than the changes the
        wiki keeps (``$wgRCMaxAge``) is the caller's to avoid (it then checks each page instead).
        """
        params = {"action": "query", "list": "recentchanges", "rcstart": since, "rcdir": "newer",
                  "rcprop": "ids|loginfo|title", "rclimit": "max", "curtimestamp": True}  # fmt: skip
        touched: set[int | str] = set()
        now = since
        for result in self.query_continue(params):
            now = result.get("curtimestamp", now)
            for change in result.get("query", {}).get("recentchanges", []):
                touched.update((int(change.get("pageid") or 0), change.get("title", "")))
                if "target_title" in change.get("logparams", {}):
                    touched.add(change["logparams"]["target_title"])
        touched -= {0, ""}
        return touched, now

    def move(self, page_id: int, to: str, *, reason: str = "", redirect: bool = True) -> str:
        """Move the page with this id to the title ``to``, with its talk page and history; returns the
        new title. ``redirect=False`` leaves no redirect (needs ``suppressredirect``; refused before
        asking otherwise). A taken target raises ``ApiError(code="articleexists")``."""
        if not redirect and "suppressredirect" not in self.rights:
            raise ApiError("moving without a redirect needs the suppressredirect right", subject=to,
                           code="cantmove-noredirect", hint="push without --no-redirect")  # fmt: skip
        answer = self._write({"action": "move", "fromid": page_id, "to": to, "reason": reason,
                              "movetalk": True, "noredirect": not redirect})  # fmt: skip
        return str(answer.get("move", {}).get("to", to))

    def link_targets(self, titles: Iterable[str]) -> dict[str, LinkTarget]:
        """Where links to ``titles`` land (existence, redirect, disambiguation), keyed by title as given."""
        params = {"action": "query", "prop": "pageprops", "ppprop": "disambiguation", "redirects": True}
        targets: dict[str, LinkTarget] = {}
        for chunk, batch in self._title_batches(params, titles):
            for asked in chunk:
                title = batch.resolve(asked)
                if title in batch.interwiki:
                    targets[asked] = LinkTarget(title, exists=True)
                    continue
                redirect_to = batch.redirects.get(title)
                page = batch.pages.get(redirect_to or title, {})
                targets[asked] = LinkTarget(
                    title,
                    exists=redirect_to is not None
                    or (bool(page) and not page.get("missing") and not page.get("invalid")),
                    redirect_to=redirect_to,
                    disambiguation="disambiguation" in page.get("pageprops", {}),
                )
        return targets

    # ---- writing ----

    def edit(
        self,
        title: str,
        text: str,
        summary: str = "",
        *,
        base: int | None = None,
        start_timestamp: str | None = None,
        create: bool | None = None,
        minor: bool = False,
        bot: bool = False,
        model: str | None = None,
    ) -> EditResult:
        """Save ``text`` as ``title``, refusing to overwrite work the base revision did not include.

        ``base`` is the revision the text was edited from; without one the edit creates the page
        (``createonly``: it must not exist), with one the page must exist (``nocreate``); ``create``
        overrides that choice. ``model`` sets the content model of a page being created. An edit
        conflict raises :class:`ConflictError`; a page missing with ``nocreate`` raises
        ``ApiError(code="missingtitle")``.
        """
        create = base is None if create is None else create
        # No basetimestamp: MediaWiki 1.39 uses it to suppress the conflict when "the same user edited
        # last", judged by timestamps compared strictly, so a stale edit silently overwrites the user's
        # own newer revision or another edit made in the same second (measured; see docs/api.md).
        # baserevid alone makes both an edit conflict.
        # MediaWiki normalizes submitted text to NFC before checking md5, so hash what it will see.
        md5 = hashlib.md5(unicodedata.normalize("NFC", text).encode("utf-8")).hexdigest()
        params = {
            "action": "edit",
            "title": title,
            "text": text,
            "summary": summary,
            "md5": md5,
            "baserevid": base,
            "starttimestamp": start_timestamp,
            "createonly": create,
            "nocreate": not create,
            "contentmodel": model if create else None,
            "minor": minor,
            "notminor": not minor,
            "bot": bot,
            "assert": "bot" if bot else None,
            "watchlist": "nochange",
        }
        try:
            result = self._write(params)
            answer, warnings = result.get("edit", {}), result.get("warnings", {})
        except ApiError as error:
            if error.code in ("articleexists", "editconflict") and (saved := self._holding(title, text)):
                return saved  # our own edit, whose answer was lost before a retry
            raise _edit_error(error, title, base) from None
        if answer.get("result") != "Success":
            details = ", ".join(f"{k}={v}" for k, v in answer.items() if k not in ("result", "title"))
            raise ApiError(f"the wiki refused the edit ({details or 'no reason given'})", subject=title)
        saved_title = answer.get("title", title)
        nochange = bool(answer.get("nochange"))
        if nochange:
            # No revision was made, and the answer does not say which one is current: ask (rare, 1 request).
            current = self._latest_revision(saved_title).latest
            revid, timestamp = (current.id, current.timestamp) if current else (base, None)
            # A revision of ours past the base that already holds this text is this very edit, retried
            # after its answer was lost: it did make a revision.
            nochange = current is None or revid == base or current.contributor != self.username
        else:
            revid, timestamp = answer.get("newrevid"), answer.get("newtimestamp")
        return EditResult(
            warnings=tuple(_reason(w) for w in warnings.values()),
            title=saved_title,
            page_id=int(answer.get("pageid", 0)),
            revid=revid,
            timestamp=timestamp,
            nochange=nochange,
            new_page=bool(answer.get("new")),
        )

    def _holding(self, title: str, text: str) -> EditResult | None:
        """The page's latest revision as an edit result when it already holds ``text`` as MediaWiki saves
        it (line ends, NFC, no trailing whitespace), else ``None``.

        A retried edit whose first answer was lost (the connection broke after the wiki saved it) comes
        back as ``articleexists`` or ``editconflict``: the page holding exactly our text tells it apart.
        """
        page = self._latest_revision(title)
        latest = page.latest
        if latest is None or latest.contributor != self.username or latest.sha1 != text_sha1(text):
            return None
        log.info("%s: the wiki already holds this text (revision %s); not edited again", title, latest.id)
        return EditResult(page.title, page.id or 0, latest.id, latest.timestamp,
                          new_page=latest.parent_id is None)  # fmt: skip

    def _latest_revision(self, title: str) -> Page:
        """``title`` with its latest revision, without text but with its author (``contributor``)."""
        params = {"action": "query", "prop": "revisions", "rvprop": "ids|timestamp|sha1|user"}
        (batch,) = self._batches({**params, "titles": title})
        entry = batch.page_for(title)
        page = _page_from(entry)
        if page.latest is None:
            return page
        author = entry["revisions"][0].get("user")
        return replace(page, revisions=(replace(page.latest, contributor=author),))

    def delete(self, title: str | None = None, *, page_id: int | None = None, reason: str = "") -> None:
        """Delete a page, by title or id (needs the ``delete`` right)."""
        self._write({"action": "delete", "title": title, "pageid": page_id, "reason": reason})

    def media_info(self, titles: Iterable[str]) -> dict[str, MediaInfo]:
        """The current media file of each ``File:`` title that has one, keyed by the title as given.

        One request per batch of titles: the continuation ``imageinfo`` offers lists older versions,
        which are not wanted, so it is not followed.
        """
        params = {"action": "query", "prop": "imageinfo", "iiprop": "url|sha1|size", "iilimit": 1}
        found: dict[str, MediaInfo] = {}
        for chunk in _chunks(titles, self.title_batch_size):
            batch = _QueryBatch()
            batch.add(self.call({**params, "titles": chunk}).get("query", {}))
            for asked in chunk:
                info = (batch.page_for(asked).get("imageinfo") or [None])[0]
                if info:
                    found[asked] = MediaInfo(batch.resolve(asked), info["url"], info["sha1"], info["size"])
        return found

    def download(self, info: MediaInfo, target: Path) -> None:
        """Download a media file to ``target`` (atomically), verified by its sha1."""
        digest = hashlib.sha1()
        self.requests_made += 1
        try:
            with self.session.get(info.url, stream=True, timeout=self.timeout) as response:
                response.raise_for_status()
                with tempfile.NamedTemporaryFile(dir=target.parent, prefix=".", delete=False) as handle:
                    for block in response.iter_content(2**20):
                        digest.update(block)
                        handle.write(block)
        except requests.RequestException as exc:
            raise NetworkError(f"the download failed ({type(exc).__name__})", subject=info.title) from None
        if digest.hexdigest() != info.sha1:
            os.unlink(handle.name)
            raise NetworkError("the downloaded file does not match its sha1", subject=info.title,
                               hint="try again")  # fmt: skip
        os.replace(handle.name, target)

    def upload(
        self,
        filename: str,
        path: Path,
        *,
        comment: str = "",
        text: str | None = None,
        ignore: Iterable[str] = (),
        resume: UploadSession | None = None,
        on_chunk: Callable[[UploadSession], None] | None = None,
        chunk_size: int = UPLOAD_CHUNK_BYTES,
    ) -> UploadResult:
        """Upload the file at ``path`` as ``File:filename``; ``text`` is the description of a new page.

        Files larger than ``chunk_size`` go in chunks through the upload stash; after each chunk
        ``on_chunk`` gets the session, and passing it back as ``resume`` (same file, same sha1)
        continues where the stash stopped, as ``checkstatus`` reports. Warnings other than those in
        ``ignore`` leave the file in the stash, unpublished (see :class:`UploadResult`).
        """
        size, sha1 = path.stat().st_size, file_sha1(path)
        chunks = 0
        base = {"action": "upload", "filename": filename, "comment": comment, "text": text}
        with open(path, "rb") as handle:
            if size <= chunk_size and resume is None:
                answer = self._write(base, files={"file": (filename, handle.read())}).get("upload", {})
                return self._published(base, answer, set(ignore), chunks)
            session = self._resumable(resume, sha1, size)
            while session is None or session.offset < size:
                offset = 0 if session is None else session.offset
                handle.seek(offset)
                params = {"action": "upload", "stash": True, "filename": filename, "filesize": size,
                          "offset": offset, "filekey": session.filekey if session else None}  # fmt: skip
                answer = self._write(params, files={"chunk": ("chunk", handle.read(chunk_size))})["upload"]
                chunks += 1
                done = answer.get("result") == "Success"
                session = UploadSession(answer["filekey"], size if done else int(answer["offset"]), sha1)
                if on_chunk is not None:
                    on_chunk(session)
        answer = self._write({**base, "filekey": session.filekey}).get("upload", {})
        return self._published(base, answer, set(ignore), chunks)

    def _published(
        self, base: dict[str, Any], answer: dict[str, Any], ignore: set[str], chunks: int
    ) -> UploadResult:
        """The upload's result; a file held back only by warnings in ``ignore`` is published now."""
        warnings = answer.get("warnings", {})
        if answer.get("result") == "Warning" and set(warnings) <= ignore and answer.get("filekey"):
            params = {**base, "filekey": answer["filekey"], "ignorewarnings": True}
            answer = self._write(params).get("upload", {})
        if answer.get("result") == "Success":
            return UploadResult(True, answer.get("filekey"), (), chunks)
        if answer.get("result") == "Warning":
            shown = tuple(f"{k}: {_reason(v)}" for k, v in answer.get("warnings", {}).items())
            return UploadResult(False, answer.get("filekey"), shown, chunks)
        raise ApiError(f"the wiki did not accept the upload ({answer.get('result', 'no result')})")

    def _resumable(self, resume: UploadSession | None, sha1: str, size: int) -> UploadSession | None:
        """``resume`` brought up to date with the stash (``checkstatus``), or ``None`` to start over."""
        if resume is None or resume.sha1 != sha1:
            return None
        if resume.offset >= size:
            return resume  # every chunk was assembled: only publishing is left
        try:
            progress = self._write({"action": "upload", "filekey": resume.filekey, "checkstatus": True})
        except ApiError:
            return None  # the stash forgot it (expired): start over
        progress = progress.get("upload", {})
        if progress.get("result") == "Continue" and "offset" in progress:
            return replace(resume, offset=int(progress["offset"]))
        return None

    def import_xml(self, xml: bytes, *, summary: str = "", interwiki_prefix: str = "imported") -> int:
        """Upload a MediaWiki XML export through ``action=import``; returns the number of pages imported.

        Contributors unknown to this wiki are shown as ``interwiki_prefix>Name``.
        """
        result = self._write(
            {
                "action": "import",
                "summary": summary,
                "interwikiprefix": interwiki_prefix,
                "assignknownusers": True,
            },
            files={"xml": ("import.xml", xml, "application/xml")},
        )
        return len(result.get("import", []))


def file_sha1(path: Path) -> str:
    """The hex sha1 of a file's bytes, as ``imageinfo`` reports it for media files."""
    digest = hashlib.sha1()
    with open(path, "rb") as handle:
        while block := handle.read(2**20):
            digest.update(block)
    return digest.hexdigest()


def _cut_off(api_url: str) -> NetworkError:
    return NetworkError("the wiki's answer was cut off", subject=api_url)


def _reason(value: Any) -> str:
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


def _edit_error(error: ApiError, title: str, base_revid: int | None) -> ApiError | ConflictError:
    if error.code == "editconflict":
        return ConflictError(
            f"the page changed on the wiki since revision {base_revid}",
            subject=title,
            hint="pull, then push again",
        )
    if error.code == "articleexists":
        return ConflictError("the page was created on the wiki meanwhile", subject=title, hint="pull first")
    if error.code == "missingtitle":
        return ApiError(
            "the page does not exist on the wiki (it may have been deleted)",
            code="missingtitle",
            subject=title,
            hint="pull to see what changed",
        )
    error.subject = error.subject or title
    return error


def _within_prefix(title: str, category: str | None, prefix: str | None, namespace: int | None) -> bool:
    """True unless a category listing must also honour a prefix (the API cannot filter both)."""
    if not (category and prefix):
        return True
    name = title.split(":", 1)[1].lstrip() if namespace and ":" in title else title
    return name.startswith(prefix[:1].upper() + prefix[1:])
