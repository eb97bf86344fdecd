"""Completion: link targets (the folder's titles, then the wiki's), section anchors after ``#``, template
names, and template parameters.

:func:`context_at` reads what is being typed; the server then asks the folder (instantly) and the wiki
(through its cache, never waiting long) and :func:`items` turns the answers into completion items.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from lsprotocol import types

from ..lint.scan import anchor_key
from .document import Document

_WINDOW = 4000  # how far back an open {{ is looked for
_TOKENS = re.compile(r"\{\{|\}\}")
_CLOSED = re.compile(r"\{\{[^{}]*\}\}|\[\[[^\[\]]*\]\]")


@dataclass(frozen=True)
class Context:
    """What is being completed: ``kind`` is ``title``, ``anchor``, ``template`` or ``parameter``;
    ``prefix`` is what is typed so far, from ``start`` (the offset the completion replaces from);
    ``page`` is the page whose anchors or the template whose parameters are wanted."""

    kind: str
    prefix: str
    start: int
    page: str = ""


def context_at(doc: Document, offset: int) -> Context | None:
    text = doc.text
    line_start = doc.lines.starts[doc.lines.line_of(offset)]
    before = text[line_start:offset]
    opened = before.rfind("[[")
    if opened != -1 and "]]" not in before[opened:]:
        inner = before[opened + 2 :]
        if "|" in inner:
            return None
        if "#" in inner:
            page, _, anchor = inner.partition("#")
            return Context(
                "anchor", anchor, offset - len(anchor), page.strip().lstrip(":").strip() or doc.title
            )
        typed = inner.lstrip().lstrip(":").lstrip()
        return Context("title", typed, offset - len(typed))
    window_start = max(0, offset - _WINDOW)
    stack: list[int] = []
    for match in _TOKENS.finditer(text, window_start, offset):
        if match.group() == "{{":
            stack.append(match.start())
        elif stack:
            stack.pop()
    if not stack:
        return None
    inner = text[stack[-1] + 2 : offset]
    if inner.startswith("{"):  # {{{parameter}}}
        return None
    flat = _CLOSED.sub("", inner)
    if "|" not in flat:
        typed = inner.lstrip()
        if "\n" in typed or ":" in typed or typed.startswith("#"):
            return None
        return Context("template", typed, offset - len(typed))
    name = flat.split("|", 1)[0].strip()
    segment = flat.rsplit("|", 1)[1]
    if "=" in segment or not name or name.startswith("#"):
        return None
    typed = segment.lstrip()
    return Context("parameter", typed, offset - len(typed), name)


def anchors(headings: Iterable[str], prefix: str) -> list[str]:
    """The headings (as anchors) that start with ``prefix``, ignoring case."""
    key = anchor_key(prefix).casefold()
    return [h for h in dict.fromkeys(headings) if h and anchor_key(h).casefold().startswith(key)]


def items(
    doc: Document,
    context: Context,
    local: Iterable[str],
    remote: Iterable[str] = (),
    details: dict[str, str] | None = None,
) -> list[types.CompletionItem]:
    """Completion items: the ``local`` names first (from the folder or the page), then ``remote`` ones
    (from the wiki) not already offered; ``details`` documents parameters."""
    replace = doc.lines.range(context.start, context.start + len(context.prefix))
    kinds = {
        "title": types.CompletionItemKind.File,
        "anchor": types.CompletionItemKind.Reference,
        "template": types.CompletionItemKind.Class,
        "parameter": types.CompletionItemKind.Property,
    }
    found: list[types.CompletionItem] = []
    seen: set[str] = set()
    for origin, names in (("in this folder", local), ("on the wiki", remote)):
        for name in names:
            if name in seen:
                continue
            seen.add(name)
            insert = f"{name} = " if context.kind == "parameter" else name
            found.append(
                types.CompletionItem(
                    label=name,
                    kind=kinds[context.kind],
                    detail=origin if context.kind != "parameter" else "parameter",
                    documentation=(details or {}).get(name) or None,
                    sort_text=f"{len(found):05d}",
                    filter_text=name,
                    text_edit=types.TextEdit(replace, insert),
                )
            )
    return found
