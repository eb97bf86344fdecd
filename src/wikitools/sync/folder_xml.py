"""Between a folder of ``.wiki`` files and an export file: what ``export`` and ``unpack`` do.

A folder is laid out as ``pull`` lays it out (see :mod:`wikitools.titles`): one file per page, in a
folder per namespace, its extension naming the content model, with the base revision of each tracked file in
``.wikitools/state.json``. Export reads that state so a file still in step with its base is exported as
that revision (its id and timestamp); an edited or untracked file becomes a new revision timestamped with
the file's modification time. Unpack writes files and state exactly as pull would, and never overwrites
a file edited since its base: such pages are reported as conflicts and left alone.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from ..errors import InputError
from ..fileio import atomic_write, read_text
from ..formats.multistream import write_multistream
from ..formats.xml_common import SiteInfo, redirect_target
from ..formats.xml_read import DumpReader, Source, WarningHandler
from ..formats.xml_write import write_dump_file
from ..model import Page, Revision
from ..savedtext import file_text, text_sha1, wiki_text
from ..titles import Layout, model_of
from .state import State, ensure_directory, iter_wiki_files

SAVE_EVERY = 200  # pages between state saves while unpacking; a crash in between is harmless


def pages_from_files(paths: Iterable[str | Path], *, siteinfo: SiteInfo | None = None) -> list[Page]:
    """One page per ``.wiki`` file among ``paths`` (directories are searched), sorted by title."""
    siteinfo = siteinfo or SiteInfo()
    states: dict[Path, State | None] = {}
    pages: dict[str, tuple[Path, Page]] = {}
    for path in iter_wiki_files(paths):
        page = _page_from_file(path, _state_of(path, states), siteinfo)
        if page.title in pages:
            raise InputError(
                f"{path} and {pages[page.title][0]} both stand for the page {page.title!r}",
                hint="keep one of them",
            )
        pages[page.title] = (path, page)
    if not pages:
        raise InputError("no .wiki files found", subject=" ".join(str(p) for p in paths))
    return [page for _, (_, page) in sorted(pages.items())]


def export_files(
    paths: Iterable[str | Path],
    output: str | Path,
    *,
    siteinfo: SiteInfo | None = None,
    multistream: bool = False,
) -> int:
    """Write the pages of the ``.wiki`` files among ``paths`` to the export file ``output``; with
    ``multistream``, as a multistream ``.xml.bz2`` with its index beside it (see
    :mod:`wikitools.formats.multistream`)."""
    if multistream and not str(output).endswith(".bz2"):
        raise InputError("a multistream dump is bzip2-compressed", subject=output, hint="name it X.xml.bz2")
    pages = pages_from_files(paths, siteinfo=siteinfo)
    if multistream:
        return write_multistream(pages, output, siteinfo=siteinfo)
    return write_dump_file(output, pages, siteinfo=siteinfo)


@dataclass
class UnpackResult:
    """What :func:`unpack` did, page by page (titles in file order)."""

    written: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    conflicts: list[str] = field(default_factory=list)  # files edited locally: left untouched
    skipped: int = 0  # pages outside the chosen namespaces, or without a revision

    def summary(self) -> str:
        parts = [f"{len(self.written)} written", f"{len(self.unchanged)} unchanged"]
        if self.conflicts:
            parts.append(f"{len(self.conflicts)} not overwritten (edited locally)")
        if self.skipped:
            parts.append(f"{self.skipped} skipped")
        return ", ".join(parts)


def unpack(
    source: Source,
    directory: str | Path,
    *,
    namespaces: Sequence[int] = (),
    on_warning: WarningHandler | None = None,
    on_page: Callable[[str, str], None] | None = None,
) -> UnpackResult:
    """Write the latest revision of each page in the export ``source`` into ``directory`` as pull does.

    ``namespaces`` limits the pages written (empty: all). ``on_page(title, outcome)`` is told about each
    page as it is done (``written``, ``unchanged`` or ``conflict``).
    """
    with ensure_directory(directory) as root:
        return _unpack_into(State.load(root), DumpReader(source, on_warning=on_warning, latest_only=True),
                            namespaces, on_page)  # fmt: skip


def _unpack_into(
    state: State, reader: DumpReader, namespaces: Sequence[int], on_page: Callable[[str, str], None] | None
) -> UnpackResult:
    result = UnpackResult()
    with state.lock():
        try:
            for count, page in enumerate(reader, 1):
                if count == 1:
                    _take_namespaces(state, reader.siteinfo)
                revision = page.latest
                if revision is None or (namespaces and page.namespace not in namespaces):
                    result.skipped += 1
                    continue
                outcome = _unpack_page(state, page, revision)
                getattr(result, outcome if outcome != "conflict" else "conflicts").append(page.title)
                if on_page is not None:
                    on_page(page.title, outcome)
                if count % SAVE_EVERY == 0:
                    state.save()
        finally:
            if state.entries or state.exists_at(state.root):  # a failed first unpack leaves no state
                state.save()
    return result


def _take_namespaces(state: State, siteinfo: SiteInfo | None) -> None:
    """Name the namespace folders as the export's wiki does (its ``<siteinfo>``), as pull names them
    after the wiki's; a directory that already has its wiki's names keeps them."""
    if siteinfo is not None and not state.layout.from_wiki:
        state.layout = Layout({ns: name for ns, name in siteinfo.namespaces.items() if ns >= 0})


def _unpack_page(state: State, page: Page, revision: Revision) -> str:
    name = state.filename_for(page.title, revision.model)
    path = state.root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    wanted = file_text(revision.text)
    tracked = state.entries.get(name)
    if path.exists():
        current = read_text(path, allow_empty=True)
        if current == wanted:
            _record(state, name, page, revision)
            return "unchanged"
        if tracked is None or text_sha1(current) != tracked.sha1:
            return "conflict"
    atomic_write(path, wanted)
    _record(state, name, page, revision)
    return "written"


def _record(state: State, name: str, page: Page, revision: Revision) -> None:
    if revision.id is not None:
        state.record(name, page, revision)


def _state_of(path: Path, states: dict[Path, State | None]) -> State | None:
    directory = path.resolve().parent
    if directory not in states:
        states[directory] = State.find(directory)
    return states[directory]


def _page_from_file(path: Path, state: State | None, siteinfo: SiteInfo) -> Page:
    text = wiki_text(read_text(path, allow_empty=True))
    name = state.name_of(path) if state is not None else f"{path.parent.name}/{path.name}"
    entry = state.entries.get(name) if state is not None else None
    layout = state.layout if state is not None else Layout()
    title = entry.title if entry is not None else layout.title_for(name)
    model = entry.model if entry is not None else model_of(path.name) or "wikitext"
    if entry is not None and entry.sha1 == text_sha1(text):
        revision = Revision(id=entry.revid, text=text, timestamp=entry.timestamp, model=model)
    else:
        modified = datetime.fromtimestamp(path.stat().st_mtime, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        revision = Revision(text=text, timestamp=modified, parent_id=entry.revid if entry else None,
                            model=model)  # fmt: skip
    return Page(
        title=title,
        namespace=siteinfo.namespace_of(title),
        id=entry.page_id if entry is not None else None,
        redirect=redirect_target(text),
        revisions=(revision,),
    )


__all__ = ["UnpackResult", "export_files", "pages_from_files", "unpack"]
