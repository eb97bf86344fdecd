"""The workspace model: each page of the folder (title, headings, links) in memory, updated when a
document changes, so folder-wide requests (references, rename, completion) never read the disk.

A page's links are kept compact — titles interned, columns packed in an ``array`` — because a folder of
10,000 articles holds about a million links.
"""

from __future__ import annotations

import re
import sys
from array import array
from bisect import bisect_left
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

from ..errors import WikitoolsError
from ..fileio import read_text, walk_files
from ..lint.scan import anchor_key, classify, heading_display, mask
from ..sync.state import State
from ..titles import CANONICAL_LAYOUT, WIKITEXT_SUFFIXES, normalize_title, title_of_file, title_to_filename
from .document import TEMPLATE_NAMESPACE, template_parameters_in
from .positions import UTF16, LineIndex

_LINK = re.compile(r"\[\[([^\[\]\n]*)\]\]")  # the lint scan's link pattern
_HEADING = re.compile(r"^(=+)(.+?)(=+)[ \t]*$", re.MULTILINE)
_FIELDS = 7  # line, start, end, page_start, page_end, fragment_start, fragment_end


class LinkRef(NamedTuple):
    """One ``[[...]]`` link to a page, placed in client units: ``start``/``end`` span the whole link,
    ``page_*`` the title part of the target, ``fragment_*`` the part after ``#`` (empty span: none)."""

    title: str
    fragment: str | None
    line: int
    start: int
    end: int
    page_start: int
    page_end: int
    fragment_start: int
    fragment_end: int


@dataclass(frozen=True)
class HeadingRef:
    """A heading: its level, the text a reader sees, its anchor, and where its text is (client units)."""

    level: int
    text: str
    anchor: str
    line: int
    start: int
    end: int


@dataclass
class FolderPage:
    """What the folder knows about one file."""

    path: str
    title: str
    headings: tuple[HeadingRef, ...]
    link_titles: tuple[str, ...]
    link_fragments: tuple[str | None, ...]
    link_columns: array
    parameters: tuple[str, ...] = ()  # what a template page reads (``{{{name}}}``)

    def link(self, index: int) -> LinkRef:
        base = index * _FIELDS
        return LinkRef(
            self.link_titles[index], self.link_fragments[index], *self.link_columns[base : base + _FIELDS]
        )

    def heading(self, anchor: str) -> HeadingRef | None:
        key = anchor_key(anchor)
        return next((h for h in self.headings if h.anchor == key), None)


def target_spans(target: str, start: int) -> tuple[int, int, int, int]:
    """Offsets of the title part and of the fragment part of a link target (``[[ :Title # Frag |x]]``)
    written at ``start``."""
    raw = target
    position = start + len(raw) - len(raw.lstrip())
    body = raw.strip()
    if body.startswith(":"):
        rest = body[1:]
        position += 1 + len(rest) - len(rest.lstrip())
        body = rest.lstrip()
    page, hash_mark, fragment = body.partition("#")
    page_end = position + len(page.rstrip())
    if not hash_mark:
        return position, page_end, page_end, page_end
    fragment_start = position + len(page) + 1 + len(fragment) - len(fragment.lstrip())
    return position, page_end, fragment_start, fragment_start + len(fragment.strip())


@lru_cache(maxsize=1 << 16)
def _classify(target: str) -> tuple[str, str, str | None]:
    return classify(target)


def _outline(text: str) -> tuple[list[tuple[int, str, int, int]], list[tuple[int, int, str]]]:
    """``(level, heading text, start, end)`` of each heading and ``(start, end, target)`` of each link.

    A lean pass rather than the whole lint scan: the same mask and link pattern as the scan, and
    MediaWiki's heading rule (``=`` runs at both ends of a line, the shorter one gives the level), at a
    third of the cost of the scan, which also looks for the broken markup the folder does not need.
    """
    masked = mask(text)
    headings = []
    if "=" in masked:
        for match in _HEADING.finditer(masked):
            opening, closing = len(match.group(1)), len(match.group(3))
            level = min(opening, closing, 6)
            inner = "=" * (opening - level) + match.group(2) + "=" * (closing - level)
            start = match.start(1) + level + len(inner) - len(inner.lstrip())
            headings.append((level, inner.strip(), start, start + len(inner.strip())))
    links = []
    if "[[" in masked:
        for match in _LINK.finditer(masked):
            links.append((match.start(), match.end(), match.group(1).partition("|")[0]))
    return headings, links


def index_page(path: str, title: str, text: str, encoding: str = UTF16) -> FolderPage:
    """The folder's record of one page's text."""
    headings_found, links_found = _outline(text)
    lines = LineIndex(text, encoding)
    headings = []
    for level, heading_text, start, end in headings_found:
        display = heading_display(heading_text)
        line = lines.line_of(start)
        first, last = lines.columns(line, (start, end))
        headings.append(HeadingRef(level, display, anchor_key(display), line, first, last))
    titles: list[str] = []
    fragments: list[str | None] = []
    columns = array("I")
    intern = sys.intern
    for start, end, target in links_found:
        kind, linked, fragment = _classify(target)
        if kind == "section":
            linked = title
        elif kind != "article":
            continue
        titles.append(intern(linked))
        fragments.append(None if fragment is None else intern(fragment))
        line = lines.line_of(start)
        columns.append(line)
        columns.extend(lines.columns(line, (start, end, *target_spans(target, start + 2))))
    parameters = tuple(template_parameters_in(text)) if title.startswith(TEMPLATE_NAMESPACE) else ()
    return FolderPage(path, title, tuple(headings), tuple(titles), tuple(fragments), columns, parameters)


def index_files(files: list[tuple[str, str]], encoding: str) -> list[FolderPage]:
    """Read and index ``(path, title)`` files; the unreadable ones are left out. A plain function of
    its arguments, so worker processes can build a big folder's model in parallel."""
    pages = []
    for path, title in files:
        try:
            text = read_text(path, allow_empty=True)
        except WikitoolsError:
            continue
        pages.append(index_page(path, title, text, encoding))
    return pages


class Folder:
    """Every wikitext page under ``root``, by path and by title."""

    def __init__(self, root: Path, encoding: str = UTF16) -> None:
        self.root = root
        self.encoding = encoding
        self.pages: dict[str, FolderPage] = {}
        self._by_title: dict[str, str] = {}
        self._sorted: list[tuple[str, str]] | None = None  # (casefolded title, title), for prefix search
        self._linked_from: dict[str, list[str]] = {}  # title -> the paths of the pages linking to it
        self.state: State | None = None
        self.reload_state()

    def reload_state(self) -> None:
        """Read the sync state again (after a move was recorded in it)."""
        try:
            state = State.find(self.root) if self.root.is_dir() else None
        except WikitoolsError:  # an unreadable state: the folder is then read as not synced
            state = None
        self.state = state if state is not None and state.entries else None

    def _name(self, path: str) -> str | None:
        """The path relative to the synced directory, or ``None`` when the folder is not synced."""
        if self.state is None:
            return None
        try:
            return self.state.name_of(path)
        except WikitoolsError:
            return None

    def title_of(self, path: str) -> str:
        """The page a file stands for: the title the sync state records (its pending move included), else
        the one its path spells (namespace folders included in a synced directory)."""
        name = self._name(path)
        try:
            if name is not None and self.state is not None:
                return self.state.title_of(name)
            if Path(path).is_relative_to(self.root):
                return CANONICAL_LAYOUT.title_for(Path(path).relative_to(self.root).as_posix())
        except WikitoolsError:
            pass  # a .txt article, or a name the layout does not read: the file name alone then
        try:
            return title_of_file(path)
        except WikitoolsError:
            return normalize_title(Path(path).stem)

    def path_for(self, title: str, beside: Path) -> Path:
        """Where the file of ``title`` goes: as the sync layout places it in a synced directory, else next
        to ``beside``; never a name already in use."""
        if self.state is not None:
            taken = [self._name(p) or "" for p in self.pages]
            return self.state.root / self.state.layout.path_for(title, taken=taken)
        taken = [p.name for p in beside.parent.iterdir() if p != beside] if beside.parent.is_dir() else []
        return beside.with_name(title_to_filename(title, taken, suffix=beside.suffix))

    def files(self) -> Iterator[Path]:
        """The wikitext files of the folder (hidden directories skipped)."""
        if self.root.is_dir():
            yield from walk_files(self.root, WIKITEXT_SUFFIXES)

    def contains(self, path: str) -> bool:
        return path.endswith(WIKITEXT_SUFFIXES) and Path(path).is_relative_to(self.root)

    def update(self, path: str, text: str) -> FolderPage:
        """Index (or re-index) one page's text."""
        return self.add(index_page(path, self.title_of(path), text, self.encoding))

    def add(self, page: FolderPage) -> FolderPage:
        """Put an indexed page in the folder, in place of what was known of its file."""
        path = page.path
        old = self.pages.get(path)
        if old is None or old.title != page.title:
            self._sorted = None
        if old is not None:
            self._unlink(old)
        self.pages[path] = page
        self._by_title[page.title] = path
        self._link(page)
        return page

    def _link(self, page: FolderPage) -> None:
        for title in set(page.link_titles):
            self._linked_from.setdefault(title, []).append(page.path)

    def _unlink(self, page: FolderPage) -> None:
        for title in set(page.link_titles):
            paths = self._linked_from.get(title)
            if paths is not None and page.path in paths:
                paths.remove(page.path)
                if not paths:
                    del self._linked_from[title]

    def load(self, path: Path) -> FolderPage | None:
        """Index a file from disk; ``None`` when it cannot be read."""
        try:
            text = read_text(path, allow_empty=True)
        except WikitoolsError:
            return None
        return self.update(str(path), text)

    def remove(self, path: str) -> None:
        page = self.pages.pop(path, None)
        if page is None:
            return
        self._unlink(page)
        if self._by_title.get(page.title) == path:
            del self._by_title[page.title]
            self._sorted = None

    def page_titled(self, title: str) -> FolderPage | None:
        path = self._by_title.get(normalize_title(title))
        return None if path is None else self.pages.get(path)

    def titles_starting(self, prefix: str, limit: int = 100) -> list[str]:
        """Up to ``limit`` titles of the folder starting with ``prefix`` (ignoring case), in order."""
        if self._sorted is None:
            self._sorted = sorted((title.casefold(), title) for title in self._by_title)
        key = prefix.casefold()
        found = []
        for folded, title in self._sorted[bisect_left(self._sorted, (key, "")) :]:
            if not folded.startswith(key) or len(found) >= limit:
                break
            found.append(title)
        return found

    def links_to(self, title: str, anchor: str | None = None) -> Iterator[tuple[FolderPage, LinkRef]]:
        """Every link in the folder to ``title`` (and, with ``anchor``, to that section of it)."""
        title = normalize_title(title)
        key = None if anchor is None else anchor_key(anchor)
        for path in list(self._linked_from.get(title, ())):
            page = self.pages[path]
            for index, linked in enumerate(page.link_titles):
                if linked != title:
                    continue
                fragment = page.link_fragments[index]
                if key is None or (fragment is not None and anchor_key(fragment) == key):
                    yield page, page.link(index)

    def titles(self) -> list[str]:
        """Every page title of the folder."""
        return list(self._by_title)

    def is_tracked(self, path: str) -> bool:
        """Whether the sync state tracks the file at ``path``."""
        name = self._name(path)
        return name is not None and self.state is not None and name in self.state.entries

    def moved(self, old: str, new: str) -> None:
        """Re-file the page of ``old`` under ``new`` (its new title is the one the new name spells)."""
        page = self.pages.get(old)
        self.remove(old)
        if page is not None:
            page.path, page.title = new, self.title_of(new)
            self.pages[new] = page
            self._by_title[page.title] = new
            self._link(page)
