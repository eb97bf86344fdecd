"""A MediaWiki Action API client that keeps its login, asks little and retries politely: the verbs.

The client holds the login and one CSRF token. Reads go in batches of 50 titles (500 with
``apihighlimits``; see :mod:`wikitools.api.batches`), as GET or, for long lists, POST; writes are POSTs
carrying ``assert`` and the token, refreshed once on ``badtoken``. Requests, retries and the translation
of foreign errors live in :mod:`wikitools.api.transport`. :func:`connect` is how every command gets a
client.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import tempfile
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit, urlunsplit

import requests

from ..config import find_settings
from ..errors import (
    ApiError,
    ConfigError,
    ConflictError,
    LoginError,
    NetworkError,
)
from ..model import Page
from ..savedtext import text_sha1
from .batches import HIGH_TITLE_BATCH, LOW_TITLE_BATCH, Batching, QueryBatch, page_from
from .credentials import Credentials, require_secure_transport
from .results import EditResult, LinkTarget, MediaInfo, UploadResult, UploadSession
from .sessions import SessionCache
from .transport import HttpStatusError, SessionLostError, Transport, message_text

CONTACT_ENV = "WIKITOOLS_CONTACT"
log = logging.getLogger(__name__)

UPLOAD_CHUNK_BYTES = 4 * 2**20  # the size of a chunk of a chunked upload
#: Files larger than this go in chunks through the stash, resumable after an interruption; smaller ones in
#: one request (a chunked upload costs the wiki a copy per chunk and an assembly: 3x the time, measured).
CHUNKED_ABOVE_BYTES = 16 * 2**20
_EDIT_URI = re.compile(r"""<link\b[^>]*\brel=["']EditURI["'][^>]*>""", re.IGNORECASE)
_HREF = re.compile(r"""\bhref=["']([^"']+)["']""", re.IGNORECASE)
#: What a query adds to learn who the session is, its rights and a CSRF token (see ``WikiClient._proving``).
USER_INFO = {"meta": "userinfo|tokens", "uiprop": "rights|groups", "type": "csrf"}
NO_CREDENTIALS_HINT = (
    "set WIKITOOLS_USERNAME and WIKITOOLS_PASSWORD (a bot password), WIKITOOLS_OAUTH_TOKEN, "
    "or a ~/.netrc entry for the wiki's host"
)


class WikiClient(Batching, Transport):
    """One wiki's Action API, reached through one session. Nothing is sent until a method is called."""

    def __init__(
        self,
        api_url: str,
        *,
        credentials: Credentials | None = None,
        sessions: SessionCache | None = None,
        **transport: Any,
    ) -> None:
        """``sessions``: where logged-in sessions are kept between runs (none: every run logs in).
        ``transport``: ``contact``, ``timeout``, ``deadline``, ``maxlag``, ``session`` (see
        :class:`~wikitools.api.transport.Transport`)."""
        super().__init__(api_url, **transport)
        self.credentials = credentials
        self.sessions = sessions
        self.username: str | None = None
        self.rights: frozenset[str] = frozenset()
        self.groups: frozenset[str] = frozenset()
        self._csrf_token: str | None = None
        # How the session came to be logged in while the wiki has not yet said who it is: "kept" (cookies
        # of an earlier run), "new" (a login just now) or "token" (OAuth); None once it has said so.
        self._unproven: str | None = None

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

    def ensure_login(self) -> None:
        """Act as the credentials' user from the next request on, at the least cost: before reading too,
        since a login brings 500-title batches to bots and opens private wikis.

        A session kept from an earlier run (see :mod:`wikitools.api.sessions`) or an OAuth token costs no
        request here; otherwise the login handshake runs now. Who the session is, its rights and a CSRF
        token then come with the next query (or one small query before the first write), and a kept
        session the wiki has forgotten is replaced by a new login, transparently.
        """
        credentials = self.credentials
        if credentials is None or self.username is not None or self._unproven is not None:
            return
        require_secure_transport(self.api_url)
        if credentials.oauth_token:
            self.session.headers["Authorization"] = f"Bearer {credentials.oauth_token}"
            self._unproven = "token"
        elif self.sessions is not None and self.sessions.load(
            self.api_url, str(credentials.username), self.session.cookies
        ):
            log.debug("using the session kept for %s", self.api_url)
            self._unproven = "kept"
        else:
            self._login_with_password(credentials)
            self._unproven = "new"

    def login(self) -> None:
        """Log in now with the client's credentials (bot password, main account or OAuth token), and
        learn who the session is: a kept session is not used (see :meth:`ensure_login`)."""
        if self.credentials is None:
            raise LoginError("no credentials for the wiki", subject=self.api_url, hint=NO_CREDENTIALS_HINT)
        self.username, self._unproven = None, None
        sessions, self.sessions = self.sessions, None
        try:
            self.ensure_login()
        finally:
            self.sessions = sessions
        self._load_user_info()
        log.info("logged in to %s as %s", self.api_url, self.username)

    def logout(self) -> bool:
        """End the session kept for this wiki and user: the wiki is told (``action=logout``) and the
        kept cookies are removed, also when the wiki cannot be reached. False when none was kept."""
        credentials, sessions = self.credentials, self.sessions
        if credentials is None or credentials.username is None or sessions is None:
            return False
        require_secure_transport(self.api_url)
        if not sessions.load(self.api_url, credentials.username, self.session.cookies):
            return sessions.forget(self.api_url, credentials.username)  # (an unreadable one, if any)
        try:
            query = self._request({"action": "query", **USER_INFO})["query"]
            if not query["userinfo"].get("anon"):
                self._request({"action": "logout", "token": query["tokens"]["csrftoken"]}, post=True)
        finally:
            sessions.forget(self.api_url, credentials.username)
            self.session.cookies.clear()
            self.username, self._unproven, self._csrf_token = None, None, None
        return True

    def _login_token(self) -> str:
        result = self._request({"action": "query", "meta": "tokens", "type": "login"})
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
            # A login retried after its answer was lost finds the session logged in already, and
            # MediaWiki refuses a second login in a bot-password session: that is a success.
            query = self._request({"action": "query", **USER_INFO})["query"]
            if self._take_user_info(query) and self.username == name.partition("@")[0]:
                log.info("the session was logged in by an attempt whose answer was lost")
                return
            raise LoginError(
                f"login as {name} failed: {message_text(answer.get('reason') or answer.get('message'))}",
                subject=self.api_url,
                hint="check the bot password (Special:BotPasswords); its name looks like User@app"
                if bot
                else "check the username and password, or use a bot password (User@app)",
            )

    def _load_user_info(self) -> None:
        """Who the session is, its rights (for batch sizes) and a fresh CSRF token, in one request."""
        self._proving({"action": "query"})

    def _proving(self, params: dict[str, Any]) -> dict[str, Any]:
        """The answer to a query that also asks who the session is and for a CSRF token, in the same
        request; a session that turns out not logged in is logged in again (once) and the query repeated.
        """
        asked = {**params, "meta": "|".join(filter(None, (params.get("meta"), USER_INFO["meta"]))),
                 "uiprop": USER_INFO["uiprop"], "type": USER_INFO["type"]}  # fmt: skip
        try:
            result = self._request(asked)
        except LoginError:  # a private wiki refuses to read for a session it no longer knows
            result = None
        if result is not None and self._take_user_info(result.get("query", {})):
            return result
        self._login_again()
        return self._proving(params)

    def _take_user_info(self, query: dict[str, Any]) -> bool:
        """Take who the session is from a query's ``userinfo`` and ``tokens``; False when it is anonymous
        though the client has credentials."""
        info = query.get("userinfo", {})
        anonymous = bool(info.get("anon")) or not info.get("name")
        if anonymous and self.credentials is not None:
            return False
        self.username = None if anonymous else info["name"]
        self.rights = frozenset(info.get("rights", ()))
        self.groups = frozenset(info.get("groups", ()))
        self._csrf_token = query["tokens"]["csrftoken"]
        credentials, proven, self._unproven = self.credentials, self._unproven, None
        if proven in ("kept", "new") and self.sessions is not None and credentials and credentials.username:
            self.sessions.save(self.api_url, credentials.username, self.session.cookies)
        return True

    def _login_again(self) -> None:
        """Log in anew after the wiki saw the session as anonymous: a kept or expired session is
        forgotten; a login made just now, or a token, that the wiki did not accept is an error."""
        credentials = self.credentials
        if credentials is None or credentials.oauth_token or self._unproven in ("new", "token"):
            raise LoginError(
                "the wiki did not accept the login" if credentials else "no credentials for the wiki",
                subject=self.api_url,
                hint=NO_CREDENTIALS_HINT,
            )
        log.info("the session is no longer logged in; logging in again")
        if self.sessions is not None and credentials.username:
            self.sessions.forget(self.api_url, credentials.username)
        self.session.cookies.clear()
        self._login_with_password(credentials)
        self.username, self._unproven = None, "new"

    # ---- requests ----

    def call(self, params: dict[str, Any], *, write: bool = False) -> dict[str, Any]:
        """Run one API action (``formatversion=2``) and return its decoded answer.

        ``write`` adds ``assert`` and the CSRF token and sends a POST; a ``badtoken`` answer fetches a
        new token and tries once more, and a lost session logs in again once. The first query after
        :meth:`ensure_login` also asks who the session is (see there).
        """
        if write:
            return self._write(params)
        if self._unproven is not None and params.get("action") == "query":
            return self._proving(params)
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
            self.ensure_login()
            self._load_user_info()
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
                self._login_again()
                self._load_user_info()
            except ApiError as error:
                if error.code != "badtoken" or refreshed:
                    raise
                refreshed = True
                log.info("CSRF token expired; fetching a new one")
                self._csrf_token = None

    # ---- reading ----

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
                    yield page_from(entry)

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
                    yield page_from(batch.pages[title])

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
        for chunk in self._title_chunks(dict.fromkeys(revids)):
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
                states[asked] = page_from(entry)
        return states

    def page_states_by_id(self, page_ids: Iterable[int]) -> dict[int, Page]:
        """Like :meth:`page_states`, by page id: a page moved since keeps its id and comes back with
        its new title; a deleted one is missing from the result. One request per batch."""
        params = {"action": "query", "prop": "info|revisions", "rvprop": "ids|timestamp|sha1"}
        states: dict[int, Page] = {}
        for chunk in self._title_chunks(page_ids):
            for result in self.query_continue({**params, "pageids": chunk}):
                for entry in result.get("query", {}).get("pages", []):
                    if not entry.get("missing") and entry.get("revisions"):  # (missing ones have no title)
                        states[int(entry["pageid"])] = page_from(entry)
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
            warnings=tuple(message_text(w) for w in warnings.values()),
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
        page = page_from(entry)
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
        for chunk in self._title_chunks(titles):
            batch = QueryBatch()
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

        Files larger than :data:`CHUNKED_ABOVE_BYTES` go in chunks of ``chunk_size`` through the upload
        stash; after each chunk
        ``on_chunk`` gets the session, and passing it back as ``resume`` (same file, same sha1)
        continues where the stash stopped, as ``checkstatus`` reports. Warnings other than those in
        ``ignore`` leave the file in the stash, unpublished (see :class:`UploadResult`).
        """
        size, sha1 = path.stat().st_size, file_sha1(path)
        chunks = 0
        base = {"action": "upload", "filename": filename, "comment": comment, "text": text}
        with open(path, "rb") as handle:
            if size <= CHUNKED_ABOVE_BYTES and resume is None:
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
            shown = tuple(f"{k}: {message_text(v)}" for k, v in answer.get("warnings", {}).items())
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


def connect(url: str, *, contact: str | None = None, login: bool = True, start: Path | None = None,
            **kwargs: Any) -> WikiClient:  # fmt: skip
    """The client every command uses for the wiki at ``url`` (its ``api.php`` or base URL; see
    :meth:`WikiClient.discover`): credentials from the environment or ``~/.netrc`` unless ``login`` is
    false, and the contact for the User-Agent from ``contact``, else ``WIKITOOLS_CONTACT``, else
    ``contact`` in the wikitools settings that apply at ``start`` (default: the current directory).
    It does not log in: see :meth:`WikiClient.ensure_login`.
    """
    if contact is None:
        contact = os.environ.get(CONTACT_ENV) or _configured_contact(start or Path.cwd())
    credentials = Credentials.from_environment(url) if login else None
    kwargs.setdefault("sessions", SessionCache.default())
    return WikiClient.discover(url, credentials=credentials, contact=contact, **kwargs)


def _configured_contact(start: Path) -> str | None:
    value = find_settings(start).table.get("contact")
    if value is not None and not isinstance(value, str):
        raise ConfigError(f"[tool.wikitools] contact must be a string, not {value!r}")
    return value
