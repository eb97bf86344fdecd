"""Link recovery: put back the internal links that a plain-text rendering flattened.

Given the titles of pages known to exist, :func:`recover_links` edits wikitext in place, touching only
the bytes of each new link:

* it repairs flattened piped links: a rendered ``[[Japan Self-Defense Forces|Self-Defense Forces]]``
  reads "Self-Defense Forces Japan Self-Defense Forces" in some copies (label, then the title), and
  becomes that link again;
* it links the first occurrence in the body of each known title, longest title first, never inside
  headings, links, templates or tags, and never a title the page already links to or the page itself.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from mwparserfromhell.nodes import Text as TextNode
from mwparserfromhell.nodes import Wikilink
from mwparserfromhell.wikicode import Wikicode

from ..edits import Edit, apply_edits, overlaps
from ..titles import normalize_title, title_problem
from .wikitext_read import is_hidden_link, parse
from .wikitext_write import escape, title_pattern, title_regex


@dataclass(frozen=True)
class LinkReport:
    """What :func:`recover_links` changed: the new wikitext and each link it made."""

    text: str
    linked: tuple[str, ...]
    repaired: tuple[str, ...]


def _text_spans(tree: Wikicode) -> Iterator[tuple[int, str]]:
    """(offset, text) of the page's top-level running text: outside headings, links, templates,
    tags and comments, which mwparserfromhell keeps as separate nodes."""
    offset = 0
    for node in tree.nodes:
        width = len(str(node))
        if isinstance(node, TextNode):
            yield offset, node.value
        offset += width


@functools.cache
def _reads_as_link(markup: str) -> bool:
    """Whether link markup parses back as exactly one visible internal link: ``[[//x]]`` does not,
    and ``[[Category:X]]`` would file the page in a category instead."""
    nodes = parse(markup).nodes
    return len(nodes) == 1 and isinstance(nodes[0], Wikilink) and not is_hidden_link(str(nodes[0].title))


def _touches_markup(source: str, start: int, end: int) -> bool:
    """Whether link brackets around a span would merge with markup: cut into a run of apostrophes
    (bold/italic), hold one, or stand next to another bracket (``[[[x]]``)."""
    return (
        "''" in source[start:end]
        or (source[start : start + 1] == "'" and source[start - 1 : start] == "'")
        or (source[end - 1 : end] == "'" and source[end : end + 1] == "'")
        or source[start - 1 : start] == "["
        or source[end : end + 1] == "]"
    )


def _linked_titles(tree: Wikicode) -> set[str]:
    return {
        normalize_title(str(link.title).split("#", 1)[0])
        for link in tree.filter_wikilinks()
        if isinstance(link, Wikilink) and str(link.title).strip()
    }


def _link_markup(target: str, label: str) -> str:
    if label == target:
        return f"[[{target}]]"
    if normalize_title(label) == target and label[1:] == target[1:]:
        return f"[[{label}]]"
    return f"[[{target}|{escape(label, before='|', after=']')}]]"


def _artefact_pattern(title: str) -> re.Pattern[str] | None:
    """Matches "<last words of title> <title>": the flattened rendering of a piped link whose label
    is the end of its target."""
    words = title.split(" ")
    if len(words) < 2:
        return None
    labels = "|".join(re.escape(" ".join(words[k:])) for k in range(1, len(words)))
    return re.compile(rf"(?<!\w)(?P<label>{labels}) (?P<title>{title_regex(title)})(?!\w)")


def recover_links(source: str, titles: Iterable[str], *, page_title: str | None = None) -> LinkReport:
    """``source`` with flattened piped links repaired and known titles linked (see module doc)."""
    own = normalize_title(page_title) if page_title else None
    tree = parse(source)
    already = _linked_titles(tree)
    known = sorted(
        {normalize_title(t) for t in titles if t.strip() and not title_problem(t)} - {own} - already,
        key=lambda t: (-len(t), t),
    )
    spans = list(_text_spans(tree))
    patterns = {title: title_pattern(title) for title in ([own] if own else []) + known}
    # Every occurrence of a longer title (or of the page's own) shields the shorter titles inside it.
    shields = [
        (len(title), Edit(offset + m.start(), offset + m.end(), ""))
        for title in ([own] if own else []) + known
        for offset, text in spans
        for m in patterns[title].finditer(text)
    ]
    edits: list[Edit] = []
    repaired: list[str] = []
    linked: list[str] = []

    def free(edit: Edit, title: str) -> bool:
        return (
            _reads_as_link(edit.replacement)
            and not _touches_markup(source, edit.start, edit.end)
            and not any(overlaps(edit, other) for other in edits)
            and not any(size > len(title) and overlaps(edit, shield) for size, shield in shields)
        )

    for title in known:
        pattern = _artefact_pattern(title)
        for offset, text in spans if pattern else ():
            match = pattern.search(text) if pattern else None
            if match:
                edit = Edit(offset + match.start(), offset + match.end(), _link_markup(title, match["label"]))
                if free(edit, title):
                    edits.append(edit)
                    repaired.append(title)
                    break
    for title in known:
        if title in repaired:
            continue
        pattern = patterns[title]
        found = next(
            (
                edit
                for offset, text in spans
                for m in pattern.finditer(text)
                if free(
                    edit := Edit(offset + m.start(), offset + m.end(), _link_markup(title, m.group())), title
                )
            ),
            None,
        )
        if found:
            edits.append(found)
            linked.append(title)
    return LinkReport(apply_edits(source, edits), tuple(linked), tuple(repaired))
