"""Links across the folder: document links, go to definition, find references, and what hover says
about a link's target."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from lsprotocol import types
from pygls.uris import from_fs_path

from ..api.results import LinkTarget
from .document import Document, template_title
from .folder import Folder, FolderPage, LinkRef, target_spans

PageUrl = Callable[[str], "str | None"]
_START = types.Range(types.Position(0, 0), types.Position(0, 0))


@dataclass(frozen=True)
class Target:
    """What the cursor points at: a page, and maybe a section of it; ``span`` is where it is written."""

    title: str
    anchor: str | None
    span: tuple[int, int]
    on_fragment: bool = False
    is_heading: bool = False  # the cursor is on the heading itself
    is_template: bool = False


def target_at(doc: Document, offset: int) -> Target | None:
    """The page or section named at ``offset``: a link's target, a template's page, or a heading."""
    link = doc.link_at(offset)
    if link is not None and link.kind in ("article", "section"):
        page_start, page_end, fragment_start, fragment_end = target_spans(link.target, link.target_start)
        title = link.title if link.kind == "article" else doc.title
        on_fragment = link.fragment is not None and (link.kind == "section" or offset >= page_end + 1)
        span = (fragment_start, fragment_end) if on_fragment else (page_start, page_end)
        return Target(title, link.fragment, span, on_fragment)
    template = doc.template_at(offset)
    if template is not None and not template.is_parser_function and template.name:
        return Target(
            template_title(template.name), None, (template.name_start, template.name_end), is_template=True
        )
    heading = doc.heading_at(offset)
    if heading is not None and heading.text:
        return Target(
            doc.title,
            heading.display,
            (heading.text_start, heading.text_start + len(heading.text)),
            on_fragment=True,
            is_heading=True,
        )
    return None


def file_location(page: FolderPage, anchor: str | None = None) -> types.Location:
    """Where a page (or one of its sections) starts."""
    heading = page.heading(anchor) if anchor else None
    if heading is None:
        return types.Location(from_fs_path(page.path) or page.path, _START)
    position = types.Range(
        types.Position(heading.line, heading.start), types.Position(heading.line, heading.end)
    )
    return types.Location(from_fs_path(page.path) or page.path, position)


def link_location(page: FolderPage, link: LinkRef) -> types.Location:
    span = types.Range(types.Position(link.line, link.start), types.Position(link.line, link.end))
    return types.Location(from_fs_path(page.path) or page.path, span)


def document_links(doc: Document, folder: Folder, page_url: PageUrl) -> list[types.DocumentLink]:
    """Each link and template opens its page: the local file when the page is in the folder, else its
    page on the wiki (when one is configured)."""
    found = []
    named = [
        (link.title, target_spans(link.target, link.target_start)[:2])
        for link in doc.scan.links
        if link.kind == "article"
    ]
    named += [
        (template_title(t.name), (t.name_start, t.name_end))
        for t in doc.templates
        if t.name and not t.is_parser_function
    ]
    for title, (start, end) in named:
        if end <= start:
            continue
        page = folder.page_titled(title)
        target = from_fs_path(page.path) if page is not None else page_url(title)
        if target:
            found.append(types.DocumentLink(range=doc.lines.range(start, end), target=target, tooltip=title))
    return found


def definition(doc: Document, folder: Folder, offset: int) -> types.Location | None:
    """Link → the file of its page (at the section for ``[[Page#Section]]``, in this file for
    ``[[#Section]]``); template → the template's file."""
    target = target_at(doc, offset)
    if target is None or target.is_heading:
        return None
    page = folder.page_titled(target.title)
    return None if page is None else file_location(page, target.anchor)


def references(doc: Document, folder: Folder, offset: int, include_declaration: bool) -> list[types.Location]:
    """Every link in the folder to what the cursor names: the linked page or section, the heading under
    the cursor, or else this page."""
    target = target_at(doc, offset)
    if target is None or target.is_template:
        title, anchor = doc.title, None
    else:
        title, anchor = target.title, target.anchor if target.on_fragment or target.is_heading else None
    found = [link_location(page, link) for page, link in folder.links_to(title, anchor)]
    page = folder.page_titled(title)
    if include_declaration and page is not None:
        found.insert(0, file_location(page, anchor))
    return found


def hover_text(title: str, local: FolderPage | None, root: Path, wiki: LinkTarget | str | None) -> str:
    """What hover says about a target: whether the folder has it, and what the wiki says (``wiki`` is
    the answer, a sentence when there is none yet, or ``None`` without a wiki)."""
    lines = [f"**{title}**", ""]
    if local is not None:
        path = Path(local.path)
        shown = path.relative_to(root) if path.is_relative_to(root) else path
        lines.append(f"- local file: `{shown.as_posix()}`")
    else:
        lines.append("- not in this folder")
    if isinstance(wiki, LinkTarget):
        if wiki.redirect_to:
            lines.append(f"- on the wiki: redirect to [[{wiki.redirect_to}]]")
        elif not wiki.exists:
            lines.append("- on the wiki: red link (no such page)")
        elif wiki.disambiguation:
            lines.append("- on the wiki: disambiguation page")
        else:
            lines.append("- on the wiki: exists")
    elif wiki is not None:
        lines.append(f"- on the wiki: {wiki}")
    return "\n".join(lines)
