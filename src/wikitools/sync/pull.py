"""``pull``: bring wiki pages into a synced directory without ever overwriting a local edit.

Each page falls in one case (:func:`plan_pull`): a file that was not edited since its base takes the wiki's
text; a file edited locally while the page changed remotely is merged three ways against the base
revision's text (fetched in one batch), with conflict markers where both sides changed the same lines.
Either way the page's latest revision becomes the new base, so a merged file is a local change on top of
it, ready to push once resolved.

Requests: pulling a selection costs its content queries (50 or 500 titles each); re-pulling the tracked
pages first asks only for their latest revision ids (``prop=info``) and fetches content for changed ones.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from enum import Enum

from ..api.client import WikiClient
from ..errors import InputError
from ..fileio import atomic_write, read_text
from ..model import Page
from ..savedtext import file_text, text_sha1, wiki_text
from .merge import merge3
from .report import Outcome, PageResult, ProgressCallback, Report
from .state import Entry, State

SAVE_EVERY = 50  # pages between state saves; a crash in between is harmless (see plan_pull)
WRITER_THREADS = 8


class PullAction(Enum):
    WRITE = "write"  # the file takes the wiki's text
    RECORD = "record"  # the file already holds the wiki's text: only the state changes
    MERGE = "merge"  # both changed: three-way merge
    KEEP = "keep"  # the page did not change remotely
    DELETED = "deleted"  # the tracked page is gone from the wiki; the file is kept
    FORGET = "forget"  # the tracked page is gone from the wiki and its file too: stop tracking it
    MISSING = "missing"  # asked for a page the wiki does not have


def plan_pull(entry: Entry | None, local_sha1: str | None, remote: Page) -> PullAction:
    """What pulling ``remote`` does to a file whose text hashes to ``local_sha1`` (``None``: no file).

    A file that already holds the remote text is only recorded, which also makes a rerun after a crash
    (file written, state not yet saved) converge without a spurious merge.
    """
    latest = remote.latest
    if latest is None:
        if entry is None:
            return PullAction.MISSING
        return PullAction.DELETED if local_sha1 is not None else PullAction.FORGET
    if local_sha1 is None:
        return PullAction.WRITE
    if entry is not None and entry.revid == latest.id:
        return PullAction.KEEP
    if local_sha1 == text_sha1(latest.text):
        return PullAction.RECORD
    if entry is not None and local_sha1 == entry.sha1:
        return PullAction.WRITE
    return PullAction.MERGE


_OUTCOMES = {
    PullAction.RECORD: (Outcome.PULLED, None),
    PullAction.KEEP: (Outcome.UNCHANGED, None),
    PullAction.DELETED: (
        Outcome.DELETED,
        "the page was deleted on the wiki; the file is kept (delete it to stop tracking the page)",
    ),
    PullAction.FORGET: (Outcome.UNTRACKED, None),
    PullAction.MISSING: (Outcome.REFUSED, "no such page on the wiki"),
}


@dataclass(frozen=True)
class _PendingMerge:
    name: str
    base_revid: int | None  # None: an untracked file, merged against an empty base
    local: str
    remote: Page


@dataclass(frozen=True)
class _PendingWrite:
    done: Future[None]
    name: str
    page: Page


class _Puller:
    """Applies the plan page by page. File writes (each fsynced) run on a few threads, because waiting
    for the disk one file at a time dominates a large pull; a page is recorded in the state only after
    its file is written, and the state is saved every :data:`SAVE_EVERY` pages."""

    def __init__(self, state: State, report: Report, progress: ProgressCallback | None) -> None:
        self.state, self.report, self.progress = state, report, progress
        self.pool = ThreadPoolExecutor(max_workers=WRITER_THREADS)
        self.writes: list[_PendingWrite] = []
        self.merges: list[_PendingMerge] = []

    def page(self, page: Page) -> None:
        """Handle one page; merges wait for :meth:`merge_all` (their base texts come in one batch)."""
        name = self.state.filename_for(page.title)
        path = self.state.root / name
        entry = self.state.entries.get(name)
        local = read_text(path, allow_empty=True) if path.is_file() else None
        action = plan_pull(entry, None if local is None else text_sha1(local), page)
        if action is PullAction.MERGE:
            assert local is not None
            self.merges.append(_PendingMerge(name, entry.revid if entry else None, local, page))
            return
        latest = page.latest
        if action is PullAction.WRITE:
            assert latest is not None
            done = self.pool.submit(atomic_write, path, file_text(latest.text))
            self.writes.append(_PendingWrite(done, name, page))
            if len(self.writes) >= SAVE_EVERY:
                self.finish_writes()
            return
        if action is PullAction.RECORD:
            assert latest is not None
            self.state.record(name, page, latest)
        elif action is PullAction.FORGET:
            self.state.forget(name)
        self.report.add(PageResult(name, page.title, *_OUTCOMES[action]), self.progress)

    def finish_writes(self) -> None:
        """Wait for the queued writes, record them, save the state."""
        writes, self.writes = self.writes, []
        try:
            for write in writes:
                write.done.result()
                latest = write.page.latest
                assert latest is not None
                self.state.record(write.name, write.page, latest)
                self.report.add(PageResult(write.name, write.page.title, Outcome.PULLED), self.progress)
        finally:
            self.state.save()

    def merge_all(self, client: WikiClient) -> None:
        if not self.merges:
            return
        base_texts = client.revision_texts(m.base_revid for m in self.merges if m.base_revid is not None)
        for pending in self.merges:
            self.report.add(_merge(self.state, pending, base_texts), self.progress)

    def close(self) -> None:
        """Let running writes finish, record the ones that succeeded, and save the state."""
        self.pool.shutdown(wait=True)
        self.writes = [w for w in self.writes if w.done.exception() is None]
        self.finish_writes()


def pull(
    state: State,
    client: WikiClient,
    *,
    titles: Iterable[str] = (),
    category: str | None = None,
    prefix: str | None = None,
    namespace: int = 0,
    progress: ProgressCallback | None = None,
) -> Report:
    """Pull the selected pages (or, with no selector, every tracked page) into ``state.root``."""
    report = Report(always=(Outcome.PULLED, Outcome.MERGED, Outcome.UNCHANGED, Outcome.CONFLICT))
    titles = list(titles)
    with state.lock():
        if not (titles or category or prefix or state.entries):
            raise InputError(
                "nothing to pull: no page is tracked here",
                subject=state.root,
                hint="name titles, or use --category or --prefix",
            )
        client.ensure_login()
        if titles or category or prefix:
            pages = _selected_pages(client, titles, category, prefix, namespace)
        else:
            pages = _changed_tracked_pages(state, client, report, progress)
        puller = _Puller(state, report, progress)
        try:
            for page in pages:
                puller.page(page)
            puller.finish_writes()
            puller.merge_all(client)
        finally:
            puller.close()
    return report


def _selected_pages(
    client: WikiClient, titles: list[str], category: str | None, prefix: str | None, namespace: int
) -> Iterator[Page]:
    seen: set[str] = set()
    sources: list[Iterable[Page]] = []
    if titles:
        sources.append(client.fetch_pages(titles))
    if category or prefix:
        sources.append(client.fetch_pages_generated(category=category, prefix=prefix, namespace=namespace))
    for source in sources:
        for page in source:
            if page.title not in seen:
                seen.add(page.title)
                yield page


def _changed_tracked_pages(
    state: State, client: WikiClient, report: Report, progress: ProgressCallback | None
) -> Iterator[Page]:
    """The tracked pages whose content must be fetched; unchanged ones are reported without it."""
    tracked = dict(state.entries)
    remote = client.page_states(entry.title for entry in tracked.values())
    to_fetch = []
    for name, entry in tracked.items():
        page = remote.get(entry.title)
        latest = page.latest if page is not None else None
        if latest is not None and latest.id == entry.revid and (state.root / name).is_file():
            report.add(PageResult(name, entry.title, Outcome.UNCHANGED), progress)
        else:
            to_fetch.append(entry.title)
    return client.fetch_pages(to_fetch) if to_fetch else iter(())


def _merge(state: State, pending: _PendingMerge, base_texts: dict[int, str]) -> PageResult:
    latest = pending.remote.latest
    assert latest is not None
    base = "" if pending.base_revid is None else base_texts.get(pending.base_revid, "")
    merged = merge3(wiki_text(base), wiki_text(pending.local), wiki_text(latest.text))
    atomic_write(state.root / pending.name, file_text(merged.text))
    state.record(pending.name, pending.remote, latest)
    state.save()
    title = pending.remote.title
    if merged.clean:
        return PageResult(pending.name, title, Outcome.MERGED)
    return PageResult(
        pending.name,
        title,
        Outcome.CONFLICT,
        f"{merged.conflicts} conflicting change(s) marked in the file; resolve them, then push",
    )
