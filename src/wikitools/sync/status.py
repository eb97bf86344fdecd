"""``status`` and ``diff``: how a synced directory differs from its base and from the wiki, git-like.

Local state costs no request (file hashes against base hashes; renames detected as git does, see
:mod:`wikitools.sync.renames`); local diffs read the base texts kept in the state directory. Remote
state costs one batched ``prop=info`` query by page id per 50 (or 500) tracked pages, which also
notices pages moved on the wiki; remote diffs fetch the texts they show in batches.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..api.client import WikiClient
from ..errors import InputError
from ..fileio import read_text
from ..model import Page
from ..savedtext import text_sha1, wiki_text
from .merge import has_conflict_markers
from .push import wiki_files
from .renames import detect_renames
from .state import State


class Status(StrEnum):
    MODIFIED = "modified"  # edited locally; push sends it
    CHANGED_REMOTELY = "changed remotely"  # pull brings it
    BOTH = "both changed"  # pull merges it
    CONFLICT = "conflict"  # holds conflict markers; resolve them (push refuses it)
    NEW = "new"  # not tracked; push creates the page
    MOVED = "moved"  # recorded or detected rename; push moves the page
    REMOVED = "removed"  # wikitools rm; push --delete deletes the page
    MOVED_REMOTELY = "moved remotely"  # pull renames the file
    DELETED_REMOTELY = "deleted remotely"
    DELETED_LOCALLY = "deleted locally"  # tracked, but the file is gone (wikitools rm, or restore it)


@dataclass(frozen=True)
class FileStatus:
    name: str
    title: str
    status: Status
    detail: str | None = None  # for moves: "Old → New"

    def __str__(self) -> str:
        text = f"{self.status + ':':<18} {self.name}"
        return text if self.detail is None else f"{text} ({self.detail})"


def selected_names(state: State, paths: Iterable[str | Path]) -> list[str]:
    """Files under ``paths`` plus tracked files under them that no longer exist, as names in ``state``."""
    paths = list(paths)
    found = wiki_files(state, [p for p in paths if Path(p).exists()])
    prefixes = [state.name_of(p) for p in paths]
    gone = [
        name
        for name in state.entries
        if not (state.root / name).exists()
        and any(p == "." or name == p or name.startswith(p + "/") for p in prefixes)
    ]
    return sorted({*found, *gone})


def _local_status(state: State, name: str, renamed: dict[str, str]) -> FileStatus | None:
    """How the file ``name`` differs from its base, offline."""
    entry = state.entries.get(name)
    path = state.root / name
    if entry is None:
        if name in renamed:
            old = state.entries[renamed[name]]
            return FileStatus(name, old.title, Status.MOVED, f"{old.title} → {state.layout.title_for(name)}")
        return FileStatus(name, state.layout.title_for(name), Status.NEW)
    if entry.delete:
        return FileStatus(name, entry.title, Status.REMOVED)
    if not path.is_file():
        return None if name in renamed.values() else FileStatus(name, entry.title, Status.DELETED_LOCALLY)
    text = read_text(path, allow_empty=True)
    if has_conflict_markers(text):
        return FileStatus(name, entry.title, Status.CONFLICT)
    if entry.moved_to is not None:
        return FileStatus(name, entry.title, Status.MOVED, f"{entry.title} → {entry.moved_to}")
    if text_sha1(text) != entry.sha1:
        return FileStatus(name, entry.title, Status.MODIFIED)
    return None


def status(state: State, client: WikiClient | None, names: Iterable[str]) -> list[FileStatus]:
    """The files among ``names`` that differ from their base or the wiki (``client=None``: local only)."""
    names = list(names)
    renamed = detect_renames(state, names)
    found = [s for s in (_local_status(state, name, renamed) for name in names) if s is not None]
    tracked = [n for n in names if n in state.entries and state.entries[n].page_id]
    if client is None or not tracked:
        return found
    client.ensure_login()
    remote = client.page_states_by_id(state.entries[n].page_id or 0 for n in tracked)
    local = {s.name: s for s in found}
    for name in tracked:
        entry = state.entries[name]
        page = remote.get(entry.page_id or 0)
        latest = page.latest if page is not None else None
        mine = local.get(name)
        if page is None or latest is None:
            local[name] = FileStatus(name, entry.title, Status.DELETED_REMOTELY)
        elif page.title != entry.title:
            detail = f"{entry.title} → {page.title}"
            local[name] = FileStatus(name, entry.title, Status.MOVED_REMOTELY, detail)
        elif latest.id != entry.revid:
            both = mine is not None and mine.status in (Status.MODIFIED, Status.CONFLICT)
            local[name] = FileStatus(name, entry.title, Status.BOTH if both else Status.CHANGED_REMOTELY)
    return sorted(local.values(), key=lambda s: s.name)


def _unified(before: str, after: str, name: str, before_label: str, after_label: str) -> str:
    lines = difflib.unified_diff(
        wiki_text(before).split("\n") if before else [],
        wiki_text(after).split("\n") if after else [],
        f"{name} ({before_label})",
        f"{name} ({after_label})",
        lineterm="",
    )
    return "\n".join(lines)


def local_diffs(
    state: State, names: Iterable[str], client: Callable[[], WikiClient] | None = None
) -> Iterator[str]:
    """A unified diff, base revision to file, for each of ``names`` changed locally (what push sends).

    Base texts come from the local store (see :mod:`wikitools.sync.bases`), so this needs no wiki;
    those missing (a state written before they were kept) are fetched through ``client()`` when given,
    else :class:`InputError` says which file cannot be shown offline.
    """
    changed = []
    for name in names:
        path, entry = state.root / name, state.entries.get(name)
        if path.is_file() and (entry is None or text_sha1(read_text(path, allow_empty=True)) != entry.sha1):
            changed.append(name)
    bases = {n: state.bases.get(state.entries[n].sha1) for n in changed if n in state.entries}
    missing = {state.entries[n].revid: n for n, text in bases.items() if text is None}
    if missing and client is None:
        raise InputError("the base text is not kept locally, so it cannot be diffed offline",
                         subject=next(iter(missing.values())), hint="pull again, or diff online")  # fmt: skip
    if missing and client is not None:
        wiki = client()
        wiki.ensure_login()
        fetched = wiki.revision_texts(missing)
        bases.update({name: fetched.get(revid) for revid, name in missing.items()})
    for name in changed:
        entry = state.entries.get(name)
        before = (bases.get(name) or "") if entry else ""
        label = f"revision {entry.revid}" if entry else "new page"
        yield _unified(before, read_text(state.root / name, allow_empty=True), name, label, "local")


def remote_diffs(state: State, client: WikiClient, names: Iterable[str]) -> Iterator[str]:
    """A unified diff, base revision to the wiki's latest, for each tracked page changed remotely; pages
    are looked up by page id, so a page moved on the wiki still diffs (its new title is named)."""
    entries = {n: state.entries[n] for n in names if n in state.entries}
    if not entries:
        return
    client.ensure_login()
    by_id = client.page_states_by_id(e.page_id for e in entries.values() if e.page_id)
    by_title = client.page_states(e.title for e in entries.values() if not e.page_id)
    changed: dict[str, Page] = {}
    for name, entry in entries.items():
        page = by_id.get(entry.page_id) if entry.page_id else by_title.get(entry.title)
        if page is not None and page.latest is not None and page.latest.id != entry.revid:
            changed[name] = page
    if not changed:
        return
    wanted = [*(entries[n].revid for n in changed), *(p.latest.id for p in changed.values() if p.latest)]
    texts = client.revision_texts(r for r in wanted if r is not None)
    for name, page in changed.items():
        entry, latest = entries[name], page.latest
        assert latest is not None and latest.id is not None
        moved = f" ({entry.title} → {page.title})" if page.title != entry.title else ""
        yield _unified(texts.get(entry.revid, "") if entry.revid else "", texts.get(latest.id, ""), name,
                       f"revision {entry.revid}", f"wiki {latest.id}{moved}")  # fmt: skip
