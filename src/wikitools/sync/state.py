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

import contextlib
import errno
import fcntl
import json
import os
import shutil
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from ..errors import FormatError, InputError, LockedError
from ..fileio import atomic_write, read_text, walk_files
from ..model import Page, Revision
from ..titles import MAX_NAME_BYTES, SUFFIXES, Layout, title_to_filename
from .bases import BaseStore

STATE_DIR = ".wikitools"
STATE_FILE = "state.json"
LOCK_FILE = "lock"
GITIGNORE = ".gitignore"
#: What git should not track in the state directory: the lock (it holds the pid of the last run) and
#: the base texts (a cache; pull fetches them again).
GITIGNORE_TEXT = "# written by wikitools: commit state.json, not these\nlock\nbase/\n"
#: 1: wikitext pages only, flat. 2: namespaces, content models, pending moves and deletions, last pull.
FORMAT_VERSION = 2


class NotSyncedError(InputError):
    """A directory that holds no sync state (nothing was ever pulled into it)."""


class NotTrackedError(InputError):
    """A file that the sync state does not track."""


@contextlib.contextmanager
def ensure_directory(path: str | Path) -> Iterator[Path]:
    """``path`` as a directory for a command, created if needed (:class:`InputError` when it cannot
    be); when the command fails, the directories created here are removed again if still empty, so a
    failed ``pull -d x`` or ``unpack -d x`` leaves no empty ``x/`` behind."""
    path = Path(path)
    missing = [p for p in (path, *path.parents) if not p.exists()]  # the deepest first
    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot create the directory ({exc.strerror})", subject=path,
                         hint="choose a directory you can write to") from None  # fmt: skip
    try:
        yield path
    except BaseException:
        for directory in missing:
            try:
                directory.rmdir()
            except OSError:
                break  # not empty: the command wrote something there, which stays
        raise


def iter_wiki_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The page files ``paths`` name, in order: directories are searched recursively (sorted,
    skipping hidden folders such as the state directory); a file must have a page extension
    (:data:`wikitools.titles.SUFFIXES`), as only those stand for pages."""
    for path in map(Path, paths):
        if path.is_dir():
            yield from walk_files(path, SUFFIXES)
        elif path.is_file():
            if not path.name.endswith(SUFFIXES):
                raise InputError("not a page file", subject=path,
                                 hint=f"page files end with {', '.join(SUFFIXES)}")  # fmt: skip
            yield path
        else:
            raise InputError("no such file or directory", subject=path)


@dataclass(frozen=True)
class Entry:
    """One tracked file: the page it stands for and the base revision it was last in step with.

    ``moved_to`` is a move recorded locally (``wikitools mv``) and not yet pushed; ``delete`` marks a
    page ``wikitools rm`` removed, deleted on the wiki by ``push --delete``.
    """

    title: str
    page_id: int | None
    revid: int
    timestamp: str | None
    sha1: str
    model: str = "wikitext"
    moved_to: str | None = None
    delete: bool = False
    media_sha1: str | None = None  # a File page's media file as last synced (beside the page's file)

    def fields(self) -> dict[str, object]:
        """The entry as stored: defaults left out, so the state stays small and diffs stay readable."""
        data = vars(self).copy()
        for key, default in _ENTRY_DEFAULTS.items():
            if data[key] == default:
                del data[key]
        return data


_ENTRY_DEFAULTS = {"model": "wikitext", "moved_to": None, "delete": False, "media_sha1": None}


class State:
    """The state of one synced directory (``root``). Load it with :meth:`load`, :meth:`find` or
    :meth:`find_or_create`; change it with :meth:`record`/:meth:`forget`; write it with :meth:`save`."""

    def __init__(
        self,
        root: Path,
        api_url: str | None = None,
        entries: dict[str, Entry] | None = None,
        *,
        namespaces: dict[int, str] | None = None,
        last_pull: str | None = None,
    ):
        self.root = root
        self.api_url = api_url
        self.entries: dict[str, Entry] = dict(entries or {})
        self.layout = Layout(namespaces)
        self.bases = BaseStore(root / STATE_DIR)
        #: When the last whole pull started (the wiki's clock): incremental pulls ask what changed since.
        self.last_pull = last_pull
        #: Chunked uploads under way, by media file name: what resumes them (see WikiClient.upload).
        self.uploads: dict[str, dict[str, object]] = {}
        self._taken: set[str] | None = None  # file names in use, casefolded (filled on first need)

    @property
    def path(self) -> Path:
        return self.root / STATE_DIR / STATE_FILE

    @staticmethod
    def exists_at(root: str | Path) -> bool:
        return (Path(root) / STATE_DIR / STATE_FILE).is_file()

    @classmethod
    def load(cls, root: str | Path) -> State:
        """The state of ``root``; an empty state (not yet saved) when the directory is not synced yet.

        A state of format 1 (before namespaces and content models) reads as format 2: every file keeps
        its name and entry (all were wikitext), and the next save writes format 2.
        """
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
            namespaces = {int(ns): name for ns, name in data.get("namespaces", {}).items()} or None
            state = cls(root, data.get("api_url"), entries, namespaces=namespaces,
                        last_pull=data.get("last_pull"))  # fmt: skip
            state.uploads = dict(data.get("uploads", {}))
            return state
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

    @classmethod
    def synced(cls, root: str | Path) -> State:
        """The state of ``root``, which must be a synced directory (else :class:`NotSyncedError`)."""
        if not cls.exists_at(root):
            raise NotSyncedError("is not a synced directory", subject=root,
                                 hint="pull pages into it first, or give the synced directory")  # fmt: skip
        return cls.load(root)

    def save(self) -> None:
        """Write the state atomically (temporary file, fsync, rename), with the state directory's
        ``.gitignore`` beside it."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        ignore = self.path.parent / GITIGNORE
        if not ignore.exists():
            atomic_write(ignore, GITIGNORE_TEXT)
        atomic_write(self.path, self.dumps())

    def dumps(self) -> str:
        """The state file's content."""
        data = {
            "format": FORMAT_VERSION,
            "api_url": self.api_url,
            "last_pull": self.last_pull,
            "uploads": self.uploads,
            "namespaces": {str(ns): name for ns, name in sorted(self.layout.namespaces.items())}
            if self.layout.from_wiki
            else {},
            "files": {name: entry.fields() for name, entry in sorted(self.entries.items())},
        }
        return json.dumps(data, indent=1, ensure_ascii=False) + "\n"

    def record(self, filename: str, page: Page, revision: Revision) -> Entry:
        """Remember that ``filename`` is now in step with ``revision`` of ``page`` (its text must be set).

        A pending deletion or move of the file is settled by this (the wiki's page is the base now).
        """
        if revision.id is None:
            raise InputError("a revision without an id cannot be a sync base", subject=page.title)
        sha1 = self.bases.put(revision.text)
        entry = Entry(page.title, page.id, revision.id, revision.timestamp, sha1, model=revision.model)
        self.entries[filename] = entry
        return entry

    def title_of(self, name: str) -> str:
        """The title the file ``name`` stands for now: its entry's (or its pending move's) title when
        tracked, else the one its path names."""
        entry = self.entries.get(name)
        if entry is not None:
            return entry.moved_to or entry.title
        return self.layout.title_for(name)

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

    def entry_for_page_id(self, page_id: int | None) -> tuple[str, Entry] | None:
        """The tracked file of the page with this id (it follows the page through moves), or ``None``."""
        if page_id is None:
            return None
        return next(((n, e) for n, e in self.entries.items() if e.page_id == page_id), None)

    def filename_for(self, title: str, model: str = "wikitext") -> str:
        """The file tracking ``title``; else an untracked file whose name stands for ``title`` (so
        pull and unpack merge into it rather than beside it); else a new name (namespace folder,
        extension of ``model``) that collides (ignoring case) with no tracked file, no file in its
        folder and no name handed out before."""
        tracked = self.entry_for_title(title)
        if tracked is not None:
            return tracked[0]
        flat = title_to_filename(title)  # where format 1 put every page: taken in, not duplicated
        for plain in (self.layout.path_for(title, model), flat):
            fits = len(plain.encode("utf-8")) <= MAX_NAME_BYTES
            if fits and plain not in self.entries and (self.root / plain).is_file():
                return plain
        if self._taken is None:
            self._taken = {name.casefold() for name in self.entries}
            if self.root.is_dir():
                self._taken.update(
                    p.relative_to(self.root).as_posix().casefold()
                    for p in (*self.root.iterdir(), *self.root.glob("*/*"))
                )
        name = self.layout.path_for(title, model, self._taken)
        self._taken.add(name.casefold())
        return name

    def _reload(self) -> None:
        """Take in what another process saved while this one waited for the lock."""
        if self.path.is_file():
            fresh = State.load(self.root)
            self.entries, self.api_url = fresh.entries, fresh.api_url or self.api_url
            self.layout, self.last_pull, self.uploads = fresh.layout, fresh.last_pull, fresh.uploads
            self._taken = None

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the directory's lock; raise :class:`LockedError` if another process holds it.

        Taking the lock reloads the entries from disk, so work starts from what the last holder saved.

        An OS file lock (``flock``) is released by the kernel when its process dies, so a crash never
        leaves a stale lock behind.
        """
        lock_path = self.root / STATE_DIR / LOCK_FILE
        fresh = not lock_path.parent.exists()
        try:
            lock_path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise InputError(f"cannot create the state directory ({exc.strerror})", subject=self.root,
                             hint="choose a directory you can write to") from None  # fmt: skip
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
            os.pwrite(fd, str(os.getpid()).encode("ascii"), 0)  # (ignored by git: see GITIGNORE_TEXT)
            self._reload()
            try:
                yield
            except BaseException:
                if fresh and not self.entries:  # a failed first command synced nothing: no state either
                    self.path.unlink(missing_ok=True)
                raise
        finally:
            os.close(fd)
            if fresh and not self.path.exists():  # nothing was synced: leave no trace of the attempt
                shutil.rmtree(lock_path.parent, ignore_errors=True)


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
