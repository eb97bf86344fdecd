"""What a synced directory knows about the wiki: the state file ``.wikitools/state.json`` and its lock.

A directory becomes synced when ``pull`` (or ``unpack``, or a first ``push``) writes its state. The state
remembers the wiki's ``api.php`` URL and, for each tracked file, the page it stands for and the *base*
revision the file was last in step with: title, page id, revision id, timestamp and the sha1 of the base
text. Comparing a file's sha1 with its base sha1 tells, without a request, whether it was edited locally;
comparing the base revision id with the wiki's latest tells whether the page changed remotely.

Usage (the same for every command that writes pages into a directory)::

    state = State.find_or_create(directory)      # or State.find(path) / State.load(root)
    with state.lock():                           # a second pull/push on the directory refuses
        name = state.filename_for(page.title)    # tracked name, or a new collision-safe one
        atomic_write(state.root / name, file_text(revision.text))
        state.record(name, page, revision)       # the file is now in step with this revision
        state.save()                             # temp file + fsync + rename: crash-safe

File names come from :func:`wikitools.titles.title_to_filename`, so they are reversible and safe on
case-insensitive file systems. Entries are keyed by the file's path relative to the root, with ``/``.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError, InputError, LockedError
from ..fileio import atomic_write, read_text, walk_files
from ..model import Page, Revision
from ..savedtext import text_sha1
from ..titles import WIKITEXT_SUFFIXES, title_to_filename

STATE_DIR = ".wikitools"
STATE_FILE = "state.json"
LOCK_FILE = "lock"
FORMAT_VERSION = 1


def iter_wiki_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The wikitext files ``paths`` name, in order: directories are searched recursively (sorted,
    skipping hidden folders such as the state directory); a file must be a ``.wiki``/``.mediawiki``
    file, as only those stand for pages."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from walk_files(path, WIKITEXT_SUFFIXES)
        elif path.is_file():
            if path.suffix not in WIKITEXT_SUFFIXES:
                raise InputError("not a .wiki file", subject=path, hint="only .wiki files stand for pages")
            yield path
        else:
            raise InputError("no such file or directory", subject=path)


@dataclass(frozen=True)
class Entry:
    """One tracked file: the page it stands for and the base revision it was last in step with."""

    title: str
    page_id: int | None
    revid: int
    timestamp: str | None
    sha1: str


class State:
    """The state of one synced directory (``root``). Load it with :meth:`load`, :meth:`find` or
    :meth:`find_or_create`; change it with :meth:`record`/:meth:`forget`; write it with :meth:`save`."""

    def __init__(self, root: Path, api_url: str | None = None, entries: dict[str, Entry] | None = None):
        self.root = root
        self.api_url = api_url
        self.entries: dict[str, Entry] = dict(entries or {})
        self._taken: set[str] | None = None  # file names in use, casefolded (filled on first need)

    @property
    def path(self) -> Path:
        return self.root / STATE_DIR / STATE_FILE

    @staticmethod
    def exists_at(root: str | Path) -> bool:
        return (Path(root) / STATE_DIR / STATE_FILE).is_file()

    @classmethod
    def load(cls, root: str | Path) -> State:
        """The state of ``root``; an empty state (not yet saved) when the directory is not synced yet."""
        root = Path(root).resolve()
        state = cls(root)
        if not state.path.is_file():
            return state
        try:
            data = json.loads(read_text(state.path))
            if data.get("format", FORMAT_VERSION) > FORMAT_VERSION:
                raise FormatError(
                    f"the sync state has format {data['format']}, newer than this wikitools knows",
                    subject=state.path,
                    hint="upgrade wikitools",
                )
            entries = {name: Entry(**fields) for name, fields in data["files"].items()}
            return cls(root, data.get("api_url"), entries)
        except (ValueError, KeyError, TypeError, AttributeError) as exc:
            raise FormatError(
                f"the sync state cannot be read ({exc.__class__.__name__}: {exc})",
                subject=state.path,
                hint="restore it, or delete it and pull again",
            ) from None

    @classmethod
    def find(cls, path: str | Path) -> State | None:
        """The state of the nearest synced directory at or above ``path``, or ``None``."""
        start = Path(path).resolve()
        for directory in (start, *start.parents):
            if cls.exists_at(directory):
                return cls.load(directory)
        return None

    @classmethod
    def find_or_create(cls, path: str | Path) -> State:
        """The nearest state at or above ``path``, else a new one rooted at ``path`` (a directory)."""
        return cls.find(path) or cls(Path(path).resolve())

    def save(self) -> None:
        """Write the state atomically (temporary file, fsync, rename)."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        atomic_write(self.path, self.dumps())

    def dumps(self) -> str:
        """The state file's content."""
        data = {
            "format": FORMAT_VERSION,
            "api_url": self.api_url,
            "files": {name: vars(entry) for name, entry in sorted(self.entries.items())},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def record(self, filename: str, page: Page, revision: Revision) -> Entry:
        """Remember that ``filename`` is now in step with ``revision`` of ``page`` (its text must be set)."""
        if revision.id is None:
            raise InputError("a revision without an id cannot be a sync base", subject=page.title)
        entry = Entry(page.title, page.id, revision.id, revision.timestamp, text_sha1(revision.text))
        self.entries[filename] = entry
        return entry

    def forget(self, filename: str) -> None:
        self.entries.pop(filename, None)

    def name_of(self, path: str | Path) -> str:
        """The key of ``path`` in this state: its path relative to the root, with ``/``."""
        resolved = Path(path).resolve()
        try:
            return resolved.relative_to(self.root).as_posix()
        except ValueError:
            raise InputError(f"is outside the synced directory {self.root}", subject=path) from None

    def entry_for_title(self, title: str) -> tuple[str, Entry] | None:
        """The tracked file of ``title`` and its entry, or ``None``."""
        return next(((n, e) for n, e in self.entries.items() if e.title == title), None)

    def filename_for(self, title: str) -> str:
        """The file tracking ``title``; else an untracked file whose name stands for ``title`` (so
        pull and unpack merge into it rather than beside it); else a new name that collides (ignoring
        case) with no tracked file, no file in the root and no name handed out before."""
        tracked = self.entry_for_title(title)
        if tracked is not None:
            return tracked[0]
        plain = title_to_filename(title)
        if plain not in self.entries and (self.root / plain).is_file():
            return plain
        if self._taken is None:
            listing = [p.name for p in self.root.iterdir()] if self.root.is_dir() else []
            self._taken = {name.casefold() for name in (*self.entries, *listing)}
        name = title_to_filename(title, self._taken)
        self._taken.add(name.casefold())
        return name

    def _reload(self) -> None:
        """Take in what another process saved while this one waited for the lock."""
        if self.path.is_file():
            fresh = State.load(self.root)
            self.entries, self.api_url = fresh.entries, fresh.api_url or self.api_url
            self._taken = None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the directory's lock; raise :class:`LockedError` if another process holds it.

        Taking the lock reloads the entries from disk, so work starts from what the last holder saved.

        An OS file lock (``flock``) is released by the kernel when its process dies, so a crash never
        leaves a stale lock behind.
        """
        lock_path = self.root / STATE_DIR / LOCK_FILE
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as exc:
                if exc.errno not in (errno.EAGAIN, errno.EACCES):
                    raise
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                raise LockedError(
                    "another wikitools pull or push is working in this directory"
                    + (f" (pid {holder})" if holder.isdigit() else ""),
                    subject=self.root,
                    hint="wait for it to finish, then run the command again",
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)
            self._reload()
            yield
        finally:
            os.close(fd)


class BackgroundSaver:
    """Saves a state on one background thread, so that waiting for the disk (two fsyncs) overlaps the
    caller's next request. The content is taken when :meth:`save` is called; each save first waits for
    the previous one, so they land in order and at most one is in flight; a failed write is raised at
    the next save or at :meth:`close`. A crash can lose the last save only, which a rerun recognises."""

    def __init__(self, state: State) -> None:
        self.state = state
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._pending: Future[None] | None = None

    def save(self) -> None:
        self._wait()
        self.state.path.parent.mkdir(parents=True, exist_ok=True)
        self._pending = self._pool.submit(atomic_write, self.state.path, self.state.dumps())

    def close(self) -> None:
        try:
            self._wait()
        finally:
            self._pool.shutdown()

    def _wait(self) -> None:
        pending, self._pending = self._pending, None
        if pending is not None:
            pending.result()
