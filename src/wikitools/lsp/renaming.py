"""Rename across the folder: a heading (and every ``[[Page#Heading]]`` to it), or a page (its file and
every link to it), as one workspace edit. A page move in a synced directory is recorded for the next
``push`` through the sync move record — the only one there is."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..errors import InputError, WikitoolsError
from ..titles import check_title
from .document import Document
from .folder import Folder, FolderPage, LinkRef
from .navigation import Target, target_at

VersionOf = Callable[[str], "int | None"]


def _uri(path: str) -> str:
    return from_fs_path(path) or path


def _span(line: int, start: int, end: int) -> types.Range:
    return types.Range(types.Position(line, start), types.Position(line, end))


def rename_target(doc: Document, offset: int) -> Target | None:
    """What a rename at ``offset`` renames: a link's page or section, or the heading under the cursor."""
    target = target_at(doc, offset)
    return None if target is None or target.is_template else target


def prepare_rename(doc: Document, offset: int) -> types.Range | None:
    target = rename_target(doc, offset)
    return None if target is None else doc.lines.range(*target.span)


def _edit(
    changes: dict[str, list[types.TextEdit]],
    version_of: VersionOf,
    operations: Iterable[types.RenameFile] = (),
) -> types.WorkspaceEdit:
    document_changes: list[types.TextDocumentEdit | types.RenameFile] = [
        types.TextDocumentEdit(
            types.OptionalVersionedTextDocumentIdentifier(_uri(path), version_of(path)), edits
        )
        for path, edits in sorted(changes.items())
    ]
    document_changes.extend(operations)
    return types.WorkspaceEdit(document_changes=document_changes)


def rename(
    doc: Document, folder: Folder, offset: int, new_name: str, version_of: VersionOf
) -> types.WorkspaceEdit:
    """The edit of a rename at ``offset``, or :class:`InputError` saying why there is none."""
    target = rename_target(doc, offset)
    if target is None:
        raise InputError("nothing to rename here", hint="put the cursor on a link or a heading")
    if target.on_fragment:
        return rename_heading(folder, target.title, target.anchor or "", new_name, version_of)
    page = folder.page_titled(target.title)
    new_title = check_title(new_name)
    if page is None:
        return _edit(_link_edits(folder.links_to(target.title), new_name.strip(), fragment=False), version_of)
    return rename_page(folder, page.path, new_title, version_of)


def rename_heading(
    folder: Folder, title: str, anchor: str, new_text: str, version_of: VersionOf
) -> types.WorkspaceEdit:
    """Rename a heading of ``title`` and rewrite every link to its section."""
    page = folder.page_titled(title)
    heading = None if page is None else page.heading(anchor)
    if page is None or heading is None:
        raise InputError(f"no heading {anchor!r} in this folder", subject=title)
    new_text = new_text.strip()
    if not new_text or "\n" in new_text:
        raise InputError("a heading needs text on one line", subject=title)
    changes = _link_edits(folder.links_to(title, anchor), new_text, fragment=True)
    changes[page.path].append(types.TextEdit(_span(heading.line, heading.start, heading.end), new_text))
    return _edit(changes, version_of)


def rename_page(folder: Folder, path: str, new_title: str, version_of: VersionOf) -> types.WorkspaceEdit:
    """Rename the file of a page after ``new_title`` and rewrite every link to the page; in a synced
    directory the move is recorded for the next ``push``."""
    page = folder.pages[path]
    existing = folder.page_titled(new_title)
    if existing is not None and existing is not page:
        raise InputError("a page with this title is already in the folder", subject=new_title,
                         hint=f"rename or remove {Path(existing.path).name} first")  # fmt: skip
    old = Path(path)
    new = folder.path_for(new_title, old)
    changes = _link_edits(folder.links_to(page.title), new_title, fragment=False)
    edit = _edit(changes, version_of, [types.RenameFile(old_uri=_uri(path), new_uri=_uri(str(new)))])
    record_move(folder, old, new)
    folder.moved(path, str(new))
    return edit


def file_renames(
    folder: Folder, renames: Iterable[tuple[str, str]], version_of: VersionOf
) -> types.WorkspaceEdit | None:
    """The link edits for files the editor is about to rename (``workspace/willRenameFiles``)."""
    changes: dict[str, list[types.TextEdit]] = defaultdict(list)
    for old, new in renames:
        page = folder.pages.get(old)
        if page is None or not folder.contains(new):
            continue
        new_title = folder.title_of(new) if new not in folder.pages else folder.pages[new].title
        for path, edits in _link_edits(folder.links_to(page.title), new_title, fragment=False).items():
            changes[path].extend(edits)
        record_move(folder, Path(old), Path(new))
    edit = _edit(changes, version_of) if changes else None
    for old, new in renames:
        if old in folder.pages and folder.contains(new):
            folder.moved(old, new)
    return edit


def _link_edits(
    links: Iterable[tuple[FolderPage, LinkRef]], text: str, *, fragment: bool
) -> dict[str, list[types.TextEdit]]:
    """Edits writing ``text`` over the title part (or the fragment) of each link; ``[[#Section]]`` links
    name no page, so a page rename leaves them alone."""
    changes: dict[str, list[types.TextEdit]] = defaultdict(list)
    for page, link in links:
        if fragment:
            span = _span(link.line, link.fragment_start, link.fragment_end)
        elif link.page_end > link.page_start:
            span = _span(link.line, link.page_start, link.page_end)
        else:
            continue
        changes[page.path].append(types.TextEdit(span, text))
    return changes


def record_move(folder: Folder, old: Path, new: Path) -> None:
    """Tell the sync state that the tracked page whose file was ``old`` now lives at ``new``."""
    if folder.state is None or not folder.is_tracked(str(old)):
        return
    from ..sync import record_move as record  # the sync move record: the one place moves are kept

    try:
        record(folder.state.root, old, new)
    except WikitoolsError as error:
        raise InputError(f"the move cannot be recorded for push: {error}", subject=old) from None
    folder.reload_state()
