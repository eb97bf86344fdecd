"""Query batching: titles in chunks of 50 (500 with ``apihighlimits``), continued answers merged into
complete batches, and the API's page entries read into :class:`wikitools.model.Page`."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from ..errors import ApiError, TitleError
from ..model import Page, Revision

LOW_TITLE_BATCH = 50
HIGH_TITLE_BATCH = 500


@dataclass
class QueryBatch:
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


def revision_from(entry: dict[str, Any], title: str, model: str = "wikitext") -> Revision:
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


def page_from(entry: dict[str, Any]) -> Page:
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
        else (revision_from(latest, title, entry.get("contentmodel", "wikitext")),),
    )


class Batching:
    """Batched queries, for a client that has ``query_continue`` and ``title_batch_size``."""

    title_batch_size: int
    query_continue: Callable[[dict[str, Any]], Iterator[dict[str, Any]]]

    def _title_chunks(self, items: Iterable[Any]) -> Iterator[list[Any]]:
        """``items`` in chunks of the batch size as it is when each chunk is taken: the first query of a
        session not yet proven logged in also learns its rights, and the next chunks grow to 500."""
        iterator = iter(items)
        while chunk := list(islice(iterator, self.title_batch_size)):
            yield chunk

    def _batches(self, params: dict[str, Any]) -> Iterator[QueryBatch]:
        """The complete batches of a continued query (a batch is complete at ``batchcomplete``)."""
        batch = QueryBatch()
        for result in self.query_continue(params):
            batch.add(result.get("query", {}))
            if result.get("batchcomplete") or "continue" not in result:
                yield batch
                batch = QueryBatch()

    def _title_batches(
        self, params: dict[str, Any], titles: Iterable[str]
    ) -> Iterator[tuple[list[str], QueryBatch]]:
        """For each chunk of titles: the chunk, and everything the query returned for it."""
        for chunk in self._title_chunks(titles):
            merged = QueryBatch()
            for batch in self._batches({**params, "titles": chunk}):
                merged.add({"pages": list(batch.pages.values())})
                merged.normalized.update(batch.normalized)
                merged.redirects.update(batch.redirects)
                merged.interwiki.update(batch.interwiki)
            yield chunk, merged
