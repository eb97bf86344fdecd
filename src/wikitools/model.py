"""The shared document types that every reader produces and every writer consumes.

An :class:`Article` is what a page *says* (title, lead, sections of blocks of inline text and links),
independent of the syntax it came from. A :class:`Page` with its :class:`Revision` objects is what a
wiki *stores* (ids, timestamps, raw text), as the XML and sync code move it around.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Text:
    """Plain running text. A ``\\n`` inside it is a hard line break."""

    text: str

    @property
    def plain(self) -> str:
        return self.text


@dataclass(frozen=True)
class Link:
    """An internal link; ``label`` is what a reader sees, ``None`` when it equals the target."""

    target: str
    label: str | None = None

    @property
    def plain(self) -> str:
        return self.target if self.label is None else self.label


Inline = Text | Link


def plain_text(inlines: tuple[Inline, ...]) -> str:
    """The inlines as a reader sees them: link labels, no markup."""
    return "".join(inline.plain for inline in inlines)


@dataclass(frozen=True)
class Paragraph:
    inlines: tuple[Inline, ...]
    line: int | None = field(default=None, compare=False)

    @property
    def plain(self) -> str:
        return plain_text(self.inlines)


@dataclass(frozen=True)
class ListItem:
    """One list item. ``markers`` is its wikitext prefix: ``*`` bullet, ``#`` numbered, ``**`` nested,
    ``;`` a definition list's term, ``:`` its definition (or an indented line; ``#:`` continues item)."""

    inlines: tuple[Inline, ...]
    markers: str = "*"
    line: int | None = field(default=None, compare=False)

    @property
    def plain(self) -> str:
        return plain_text(self.inlines)

    @property
    def depth(self) -> int:
        return len(self.markers)

    @property
    def ordered(self) -> bool:
        return self.markers.endswith("#")

    @property
    def kind(self) -> str:
        """The item's own marker: ``*``, ``#``, ``;`` or ``:``."""
        return self.markers[-1:] or "*"


@dataclass(frozen=True)
class ListBlock:
    """Consecutive list items; a reader of the page sees one list."""

    items: tuple[ListItem, ...]

    @property
    def line(self) -> int | None:
        return self.items[0].line if self.items else None


Cell = tuple[Inline, ...]


@dataclass(frozen=True)
class Table:
    """A table as a reader sees it: rows of cells (a caption is a row of one cell)."""

    rows: tuple[tuple[Cell, ...], ...]
    line: int | None = field(default=None, compare=False)

    @property
    def plain(self) -> str:
        return "\n".join("\t".join(plain_text(cell) for cell in row) for row in self.rows)


Block = Paragraph | ListBlock | Table


@dataclass(frozen=True)
class Section:
    """A heading and the blocks under it. ``inlines`` is the heading with its links, set only when it
    holds one (``== [[Tokyo]] today ==``), so that links in headings survive; ``heading`` is always its
    plain text."""

    heading: str
    level: int = 2
    blocks: tuple[Block, ...] = ()
    line: int | None = field(default=None, compare=False)
    inlines: tuple[Inline, ...] = ()


@dataclass(frozen=True)
class Article:
    """A page's content: a title, the lead (blocks before the first heading) and its sections.

    ``redirect`` is set on a redirect page: the target it sends readers to, ``Page`` or ``Page#Section``.
    """

    title: str
    lead: tuple[Block, ...] = ()
    sections: tuple[Section, ...] = ()
    redirect: str | None = None

    def blocks(self) -> list[Block]:
        """Every block in reading order, lead first."""
        return [*self.lead, *(block for section in self.sections for block in section.blocks)]

    def links(self) -> list[Link]:
        """Every internal link in reading order."""
        runs = [inlines for block in self.lead for inlines in block_inlines(block)]
        for section in self.sections:
            runs.append(section.inlines)
            runs += [inlines for block in section.blocks for inlines in block_inlines(block)]
        return [i for inlines in runs for i in inlines if isinstance(i, Link)]


def block_inlines(block: Block) -> list[tuple[Inline, ...]]:
    """The inline runs of a block: a paragraph's, each list item's, each table cell's."""
    if isinstance(block, ListBlock):
        return [item.inlines for item in block.items]
    if isinstance(block, Table):
        return [cell for row in block.rows for cell in row]
    return [block.inlines]


@dataclass(frozen=True)
class Slot:
    """A content slot beside a revision's main text (MediaWiki 1.32+; ``mediainfo`` on Commons, say)."""

    text: str
    model: str = "wikitext"
    format: str = "text/x-wiki"


@dataclass(frozen=True)
class Revision:
    """One stored revision of a page, as the XML export and the API describe it."""

    id: int | None = None
    text: str = ""
    parent_id: int | None = None
    timestamp: str | None = None
    contributor: str | None = None
    contributor_id: int | None = None
    comment: str | None = None
    minor: bool = False
    model: str = "wikitext"
    format: str = "text/x-wiki"
    sha1: str | None = None
    slots: dict[str, Slot] = field(default_factory=dict)  # the non-main slots by role


@dataclass(frozen=True)
class Page:
    """A wiki page with the revisions a source carried (newest last)."""

    title: str
    namespace: int = 0
    id: int | None = None
    redirect: str | None = None
    revisions: tuple[Revision, ...] = ()

    @property
    def latest(self) -> Revision | None:
        return self.revisions[-1] if self.revisions else None


def article_to_dict(article: Article) -> dict[str, Any]:
    """A JSON-ready dict of an article, the shape ``convert --to json`` prints."""

    def inlines(items: tuple[Inline, ...]) -> list[dict[str, Any]]:
        return [
            {"type": "link", "target": i.target, "label": i.label}
            if isinstance(i, Link)
            else {"type": "text", "text": i.text}
            for i in items
        ]

    def block(b: Block) -> dict[str, Any]:
        if isinstance(b, Table):
            return {"type": "table", "rows": [[inlines(cell) for cell in row] for row in b.rows]}
        if isinstance(b, ListBlock):
            return {
                "type": "list",
                "items": [{"markers": it.markers, "inlines": inlines(it.inlines)} for it in b.items],
            }
        return {"type": "paragraph", "inlines": inlines(b.inlines)}

    return {
        "title": article.title,
        **({"redirect": article.redirect} if article.redirect is not None else {}),
        "lead": [block(b) for b in article.lead],
        "sections": [
            {
                "heading": s.heading,
                "level": s.level,
                **({"inlines": inlines(s.inlines)} if s.inlines else {}),
                "blocks": [block(b) for b in s.blocks],
            }
            for s in article.sections
        ],
    }


def article_from_dict(data: dict[str, Any]) -> Article:
    """The inverse of :func:`article_to_dict`; raises ``KeyError``/``TypeError`` on a bad shape."""

    def inlines(items: list[dict[str, Any]]) -> tuple[Inline, ...]:
        return tuple(
            Link(str(i["target"]), None if i.get("label") is None else str(i["label"]))
            if i["type"] == "link"
            else Text(str(i["text"]))
            for i in items
        )

    def block(b: dict[str, Any]) -> Block:
        if b["type"] == "table":
            return Table(tuple(tuple(inlines(cell) for cell in row) for row in b["rows"]))
        if b["type"] == "list":
            return ListBlock(tuple(ListItem(inlines(it["inlines"]), str(it["markers"])) for it in b["items"]))
        if b["type"] != "paragraph":
            raise TypeError(f"unknown block type {b['type']!r}")
        return Paragraph(inlines(b["inlines"]))

    redirect = data.get("redirect")
    return Article(
        title=str(data["title"]),
        redirect=None if redirect is None else str(redirect),
        lead=tuple(block(b) for b in data.get("lead", [])),
        sections=tuple(
            Section(
                str(s["heading"]),
                int(s.get("level", 2)),
                tuple(block(b) for b in s["blocks"]),
                inlines=inlines(s.get("inlines", [])),
            )
            for s in data.get("sections", [])
        ),
    )
