"""``status`` and ``diff``: how a synced directory differs from its base and from the wiki, git-like.

Local state costs no request (file hashes against base hashes). Remote state costs one batched
``prop=info`` query per 50 (or 500) tracked pages; diffs fetch the texts they show in batches.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from ..api.client import WikiClient
from ..fileio import read_text
from ..model import Page
from ..savedtext import text_sha1, wiki_text
from ..titles import filename_to_title
from .push import wiki_files
from .state import State


class Status(StrEnum):
    MODIFIED = "modified"  # edited locally; push sends it
    CHANGED_REMOTELY = "changed remotely"  # pull brings it
    BOTH = "both changed"  # pull merges it
    NEW = "new"  # not tracked; push creates the page
    DELETED_REMOTELY = "deleted remotely"
    DELETED_LOCALLY = "deleted locally"  # tracked, but the file is gone


@dataclass(frozen=True)
class FileStatus:
    name: str
    title: str
    status: Status

    def __str__(self) -> str:
        return f"{self.status + ':':<18} {self.name}"


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


def _locally_modified(state: State, name: str) -> bool:
    entry = state.entries[name]
    return text_sha1(read_text(state.root / name, allow_empty=True)) != entry.sha1


def status(state: State, client: WikiClient | None, names: Iterable[str]) -> list[FileStatus]:
    """The files among ``names`` that differ from their base or the wiki (``client=None``: local only)."""
    names = list(names)
    tracked = [n for n in names if n in state.entries]
    remote: dict[str, Page] = {}
    if client is not None and tracked:
        client.ensure_login()
        remote = client.page_states(state.entries[n].title for n in tracked)
    found = []
    for name in names:
        entry = state.entries.get(name)
        if entry is None:
            found.append(FileStatus(name, filename_to_title(name), Status.NEW))
            continue
        page = remote.get(entry.title)
        latest = page.latest if page is not None else None
        if client is not None and latest is None:
            kind: Status | None = Status.DELETED_REMOTELY
        elif not (state.root / name).is_file():
            kind = Status.DELETED_LOCALLY
        else:
            local = _locally_modified(state, name)
            remote_changed = latest is not None and latest.id != entry.revid
            kind = {
                (True, True): Status.BOTH,
                (True, False): Status.MODIFIED,
                (False, True): Status.CHANGED_REMOTELY,
            }.get((local, remote_changed))
        if kind is not None:
            found.append(FileStatus(name, entry.title, kind))
    return found


def _unified(before: str, after: str, name: str, before_label: str, after_label: str) -> str:
    lines = difflib.unified_diff(
        wiki_text(before).split("\n") if before else [],
        wiki_text(after).split("\n") if after else [],
        f"{name} ({before_label})",
        f"{name} ({after_label})",
        lineterm="",
    )
    return "\n".join(lines)


def local_diffs(state: State, client: WikiClient, names: Iterable[str]) -> Iterator[str]:
    """A unified diff, base revision to file, for each of ``names`` changed locally (what push sends)."""
    changed = [
        n
        for n in names
        if (state.root / n).is_file() and (n not in state.entries or _locally_modified(state, n))
    ]
    revids = [state.entries[n].revid for n in changed if n in state.entries]
    if revids:
        client.ensure_login()
    base_texts = client.revision_texts(revids) if revids else {}
    for name in changed:
        entry = state.entries.get(name)
        before = base_texts.get(entry.revid, "") if entry else ""
        label = f"revision {entry.revid}" if entry else "new page"
        yield _unified(before, read_text(state.root / name, allow_empty=True), name, label, "local")


def remote_diffs(state: State, client: WikiClient, names: Iterable[str]) -> Iterator[str]:
    """A unified diff, base revision to the wiki's latest, for each tracked page changed remotely."""
    tracked = {state.entries[n].title: n for n in names if n in state.entries}
    if not tracked:
        return
    client.ensure_login()
    remote = client.page_states(tracked)
    changed = {}
    for title, name in tracked.items():
        latest = remote[title].latest if title in remote else None
        if latest is not None and latest.id != state.entries[name].revid:
            changed[title] = name
    if not changed:
        return
    base_texts = client.revision_texts(state.entries[n].revid for n in changed.values())
    for page in client.fetch_pages(changed):
        latest = page.latest
        name = changed.get(page.title)
        if latest is None or name is None:
            continue
        entry = state.entries[name]
        yield _unified(
            base_texts.get(entry.revid, ""), latest.text, name, f"revision {entry.revid}", f"wiki {latest.id}"
        )
