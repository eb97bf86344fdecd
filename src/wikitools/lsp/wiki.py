"""Questions the server asks the wiki — link target status, title prefix search, template parameters —
answered in one background thread and remembered, so typing never waits for the network.

Each question returns a :class:`~concurrent.futures.Future`; request handlers await it with a short
timeout and answer without the wiki when it is slow. A failed answer is forgotten so the next request
asks again.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, TypeVar
from urllib.parse import quote

from ..api.client import WikiClient
from ..api.results import LinkTarget
from ..errors import WikitoolsError
from .document import template_parameters_in

T = TypeVar("T")
MAX_ANSWERS = 20_000


class WikiLookups:
    """The cached, non-blocking view of one wiki. ``connect`` builds the client (in the worker thread,
    since discovering a wiki's API may take a request)."""

    def __init__(self, connect: Callable[[], WikiClient], api_url: str | None = None) -> None:
        self._connect = connect
        self._client: WikiClient | None = None
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="wikitools-lsp-wiki")
        self._answers: dict[tuple[str, ...], Future[Any]] = {}
        self._lock = threading.Lock()
        self.api_url = api_url

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        if self._client is not None:
            self._client.close()

    def page_url(self, title: str) -> str | None:
        """The address of a page on the wiki (``index.php?title=``), once the API address is known."""
        if self.api_url is None or not self.api_url.endswith("api.php"):
            return None
        return (
            self.api_url[: -len("api.php")] + "index.php?title=" + quote(title.replace(" ", "_"), safe=":/")
        )

    def target(self, title: str) -> Future[LinkTarget]:
        """Whether ``title`` exists on the wiki, is a redirect or a disambiguation page."""
        return self._ask(("target", title), lambda client: client.link_targets([title])[title])

    def known_targets(self, titles: Iterable[str], on_answer: Callable[[], None]) -> dict[str, LinkTarget]:
        """What is already known of where links to ``titles`` land. The rest is asked in one background
        batch, and ``on_answer`` runs (in the worker thread) as answers come in."""
        known: dict[str, LinkTarget] = {}
        missing: list[str] = []
        pending: list[Future[Any]] = []
        with self._lock:
            for title in titles:
                future = self._answers.get(("target", title))
                if future is None or (
                    future.done() and (future.cancelled() or future.exception() is not None)
                ):
                    future = self._answers[("target", title)] = Future()
                    missing.append(title)
                if future.done():
                    known[title] = future.result()
                else:
                    pending.append(future)
        if missing:
            self._executor.submit(self._run, lambda client: self._answer_targets(client, missing))
        for future in pending:
            future.add_done_callback(lambda _future: on_answer())
        return known

    def _answer_targets(self, client: WikiClient, titles: list[str]) -> None:
        futures = [self._answers.get(("target", title)) for title in titles]
        try:
            answers = client.link_targets(titles)
        except BaseException as error:
            for future in futures:
                if future is not None and not future.done():
                    future.set_exception(error)
            return
        for title, future in zip(titles, futures, strict=True):
            if future is not None and not future.done():
                future.set_result(answers[title])

    def prefix_search(self, prefix: str, namespace: int = 0) -> Future[list[str]]:
        """Titles starting with ``prefix`` in ``namespace``, as the wiki's search box suggests them."""

        def ask(client: WikiClient) -> list[str]:
            answer = client.call(
                {
                    "action": "query",
                    "list": "prefixsearch",
                    "pssearch": prefix,
                    "psnamespace": namespace,
                    "pslimit": 20,
                }
            )
            return [entry["title"] for entry in answer.get("query", {}).get("prefixsearch", [])]

        return self._ask(("prefix", str(namespace), prefix), ask)

    def template_parameters(self, title: str) -> Future[dict[str, str]]:
        """A template's parameters and their descriptions: from TemplateData when the wiki has it, else
        the ``{{{name}}}`` its source reads (without descriptions); empty for a missing template."""

        def ask(client: WikiClient) -> dict[str, str]:
            try:
                answer = client.call({"action": "templatedata", "titles": title, "lang": "en"})
            except WikitoolsError:  # no TemplateData extension: the action is unknown
                answer = {}
            for page in (answer.get("pages") or {}).values():
                params = page.get("params") or {}
                order = page.get("paramOrder") or list(params)
                return {name: _description(params[name]) for name in order if name in params}
            page = next(client.fetch_pages([title]), None)
            if page is None or page.latest is None:
                return {}
            return dict.fromkeys(template_parameters_in(page.latest.text), "")

        return self._ask(("template", title), ask)

    def _ask(self, key: tuple[str, ...], question: Callable[[WikiClient], T]) -> Future[T]:
        with self._lock:
            known = self._answers.get(key)
            if known is not None and not (known.done() and known.exception() is not None):
                return known
            if len(self._answers) >= MAX_ANSWERS:
                self._answers.pop(next(iter(self._answers)))
            future = self._executor.submit(self._run, question)
            self._answers[key] = future
            return future

    def _run(self, question: Callable[[WikiClient], T]) -> T:
        if self._client is None:
            client = self._connect()
            client.ensure_login()
            self._client = client
            self.api_url = client.api_url
        return question(self._client)


def _description(param: dict[str, Any]) -> str:
    description = param.get("description") or param.get("label") or ""
    if isinstance(description, dict):
        description = description.get("en") or next(iter(description.values()), "")
    return str(description)
