"""``pull``: bring wiki pages into a synced directory without ever overwriting a local edit.

Each page falls in one case (:func:`plan_pull`): a file that was not edited since its base takes the wiki's
text; a file edited locally while the page changed remotely is merged three ways against the base
revision's text (fetched in one batch), with conflict markers where both sides changed the same lines.
Either way the page's latest revision becomes the new base, so a merged file is a local change on top of
it, ready to push once resolved.

Pages are followed by page id: a page moved on the wiki keeps its file's history, the file is renamed
to the new title's path (namespace folder, extension of its content model) with local edits kept, and
the redirect left behind is not pulled. The report says ``moved: Old → New``.

Requests: pulling a selection costs its content queries (50 or 500 titles each). Re-pulling the tracked
pages first asks the wiki what changed since the last pull (one ``list=recentchanges`` request, which
also lists moves and deletions; no login is needed for it on a public wiki), then checks only those
pages (``prop=info`` by page id) and fetches content for the changed ones. When the last pull is older
than the changes a wiki keeps, every tracked page is checked instead (one request per 50 or 500).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from enum import Enum

from ..api.client import WikiClient
from ..errors import InputError, LoginError
from ..fileio import atomic_write, read_text
from ..model import Page
from ..savedtext import file_text, text_sha1, wiki_text
from .config import bind
from .media import pull_media
from .merge import merge3
from .report import Outcome, PageResult, ProgressCallback, Report
from .state import Entry, State

SAVE_EVERY = 50  # pages between state saves; a crash in between is harmless (see plan_pull)
WRITER_THREADS = 8
#: How far back ``list=recentchanges`` is trusted. MediaWiki keeps 90 days by default ($wgRCMaxAge);
#: wikis may keep less, so older pulls check every page instead.
RECENT_CHANGES_WINDOW = timedelta(days=30)


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
    base: Entry | None  # None: an untracked file, merged against an empty base
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

    def follow_move(self, page: Page) -> str | None:
        """If ``page`` is tracked under another title (moved on the wiki), rename its file to the new
        title's path and return the new name; ``None`` when it was not moved."""
        tracked = self.state.entry_for_page_id(page.id)
        if tracked is None or tracked[1].title == page.title or page.latest is None:
            return None
        old_name, entry = tracked
        new_name = self.state.filename_for(page.title, page.latest.model)
        old_path, new_path = self.state.root / old_name, self.state.root / new_name
        if old_path.exists():
            new_path.parent.mkdir(parents=True, exist_ok=True)
            os.rename(old_path, new_path)
        del self.state.entries[old_name]
        self.state.entries[new_name] = replace(entry, title=page.title)
        self.state.save()  # the file was renamed: the state must say so before anything else happens
        reason = f"{entry.title} → {page.title}"
        self.report.add(PageResult(new_name, page.title, Outcome.MOVED, reason), self.progress)
        return new_name

    def page(self, page: Page) -> None:
        """Handle one page; merges wait for :meth:`merge_all` (their base texts come in one batch)."""
        model = page.latest.model if page.latest is not None else "wikitext"
        name = self.follow_move(page) or self.state.filename_for(page.title, model)
        path = self.state.root / name
        entry = self.state.entries.get(name)
        local = read_text(path, allow_empty=True) if path.is_file() else None
        action = plan_pull(entry, None if local is None else text_sha1(local), page)
        if action is PullAction.MERGE:
            assert local is not None
            self.merges.append(_PendingMerge(name, entry, local, page))
            return
        latest = page.latest
        if action is PullAction.WRITE:
            assert latest is not None
            path.parent.mkdir(parents=True, exist_ok=True)
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
        """Merge the pending files; base texts come from the local store, else in one batch."""
        if not self.merges:
            return
        base_texts: dict[int, str] = {}
        for pending in self.merges:
            kept = self.state.bases.get(pending.base.sha1) if pending.base is not None else None
            if pending.base is not None and kept is not None:
                base_texts[pending.base.revid] = kept
        wanted = [m.base.revid for m in self.merges if m.base is not None and m.base.revid not in base_texts]
        if wanted:
            base_texts.update(client.revision_texts(wanted))
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
    namespaces: Iterable[str | int] = (),
    media: bool = False,
    progress: ProgressCallback | None = None,
) -> Report:
    """Pull the selected pages (or, with no selector, every tracked page) into ``state.root``.

    ``prefix`` is a full title prefix (``Help:Edit``); ``namespaces`` (names or numbers) pull whole
    namespaces; ``category`` lists a category's members in every namespace.
    """
    report = Report(always=(Outcome.PULLED, Outcome.MERGED, Outcome.UNCHANGED, Outcome.CONFLICT))
    titles, namespaces = list(titles), list(namespaces)
    selected = bool(titles or category or prefix or namespaces)
    if not (selected or state.entries):
        raise InputError(
            "nothing to pull: no page is tracked here",
            subject=state.root,
            hint="name titles, or use --namespace, --prefix or --category",
        )
    bind(state, client)
    with state.lock():
        if selected:
            pages = _selected_pages(state, client, titles, category, prefix, namespaces)
        else:
            pages = _changed_tracked_pages(state, client, report, progress)
        puller = _Puller(state, report, progress)
        try:
            for page in pages:
                puller.page(page)
            puller.finish_writes()
            puller.merge_all(client)
            if media:
                pull_media(state, client, [r.name for r in report.results], report, progress)
        finally:
            puller.close()
    return report


def _learn_namespaces(state: State, client: WikiClient) -> None:
    """Take the wiki's namespace names (one ``siteinfo`` request, once per directory)."""
    if not state.layout.from_wiki:
        state.layout = type(state.layout)(client.namespaces())


def _selected_pages(
    state: State,
    client: WikiClient,
    titles: list[str],
    category: str | None,
    prefix: str | None,
    namespaces: list[str | int],
) -> Iterator[Page]:
    client.ensure_login()
    _learn_namespaces(state, client)
    if state.last_pull is None and not state.entries:
        state.last_pull = _wiki_now(client)  # the first pull: later ones ask what changed since
    seen: set[str] = set()
    sources: list[Iterable[Page]] = []
    if titles:
        sources.append(client.fetch_pages(titles))
    if prefix:
        ns, rest = state.layout.split(prefix)
        sources.append(client.fetch_pages_generated(prefix=rest, namespace=ns))
    if category:
        sources.append(client.fetch_pages_generated(category=category, namespace=None))
    for ns in map(state.layout.namespace_id, namespaces):
        sources.append(client.fetch_pages_generated(namespace=ns))
    for source in sources:
        for page in source:
            if page.title not in seen:
                seen.add(page.title)
                yield page


def _wiki_now(client: WikiClient) -> str:
    """The wiki's clock (an empty change list since now costs one small request)."""
    return client.recent_changes(_utc_now())[1]


def _utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _touched_since_last_pull(state: State, client: WikiClient) -> set[int | str] | None:
    """The page ids and titles changed on the wiki since the last pull, or ``None`` when unknown
    (never pulled with this format, or too long ago); moves the last pull mark on."""
    since = state.last_pull
    if since is None:
        state.last_pull = _wiki_now(client)
        return None
    try:
        last = datetime.strptime(since, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    except ValueError:
        last = datetime.min.replace(tzinfo=UTC)
    if datetime.now(UTC) - last > RECENT_CHANGES_WINDOW:
        state.last_pull = _wiki_now(client)
        return None
    try:
        touched, state.last_pull = client.recent_changes(since)
    except LoginError:  # a private wiki: log in, then ask again
        client.ensure_login()
        touched, state.last_pull = client.recent_changes(since)
    return touched


def _changed_tracked_pages(
    state: State, client: WikiClient, report: Report, progress: ProgressCallback | None
) -> Iterator[Page]:
    """The tracked pages whose content must be fetched; unchanged ones are reported without it."""
    tracked = dict(state.entries)
    touched = _touched_since_last_pull(state, client)
    suspects = {
        name: entry
        for name, entry in tracked.items()
        if touched is None
        or entry.page_id is None
        or entry.page_id in touched
        or entry.title in touched
        or not (state.root / name).is_file()
    }
    remote: dict[str, Page] = {}
    if suspects:
        client.ensure_login()
        _learn_namespaces(state, client)
        by_id = client.page_states_by_id(e.page_id for e in suspects.values() if e.page_id is not None)
        by_title = client.page_states(e.title for e in suspects.values() if e.page_id is None)
        for name, entry in suspects.items():
            page = by_id.get(entry.page_id) if entry.page_id is not None else by_title.get(entry.title)
            remote[name] = page or Page(entry.title, id=entry.page_id)
    to_fetch, gone = [], []
    for name, entry in tracked.items():
        page = remote.get(name)
        latest = page.latest if page is not None else None
        if page is None or (
            latest is not None and latest.id == entry.revid and page.title == entry.title
            and (state.root / name).is_file()
        ):  # fmt: skip
            report.add(PageResult(name, entry.title, Outcome.UNCHANGED), progress)
        elif latest is None:
            gone.append(page)
        else:
            to_fetch.append(page.title)
    yield from gone
    if to_fetch:
        yield from client.fetch_pages(to_fetch)


def _merge(state: State, pending: _PendingMerge, base_texts: dict[int, str]) -> PageResult:
    latest = pending.remote.latest
    assert latest is not None
    title = pending.remote.title
    if pending.base is None:
        base = ""
    elif (kept := base_texts.get(pending.base.revid)) is not None:
        base = kept
    else:
        reason = (
            f"the base revision {pending.base.revid} is hidden or deleted on the wiki, so the file "
            "cannot be merged; compare it with the wiki's text yourself"
        )
        return PageResult(pending.name, title, Outcome.CONFLICT, reason)
    merged = merge3(wiki_text(base), wiki_text(pending.local), wiki_text(latest.text))
    atomic_write(state.root / pending.name, file_text(merged.text))
    state.record(pending.name, pending.remote, latest)
    state.save()
    if merged.clean:
        return PageResult(pending.name, title, Outcome.MERGED)
    return PageResult(
        pending.name,
        title,
        Outcome.CONFLICT,
        f"{merged.conflicts} conflicting change(s) marked in the file; resolve them, then push",
    )
