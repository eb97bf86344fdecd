"""One version of an open document, with what every feature asks of it: the title, positions, the lint
scan, and the spans of templates, tables, comments and references."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from ..lint.scan import Heading, PageScan, SpanSet, WikiLink, table_spans
from .positions import LineIndex

_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)
_REF = re.compile(r"<ref\b[^<>]*(?<!/)>.*?</ref\s*>", re.DOTALL | re.IGNORECASE)
_PARAMETER = re.compile(r"\{\{\{\s*([^{}|]+?)\s*[|}]")
TEMPLATE_NAMESPACE = "Template:"


def template_parameters_in(source: str) -> list[str]:
    """The parameters a template's wikitext reads (``{{{name|default}}}``), in order of first use."""
    return list(dict.fromkeys(match.group(1) for match in _PARAMETER.finditer(source)))


def template_title(name: str) -> str:
    """The page of a template called as ``{{name}}`` (``Template:`` unless it names a namespace)."""
    name = name.strip()
    if name.startswith(":"):
        return name[1:].strip()
    return name if ":" in name else TEMPLATE_NAMESPACE + name


@dataclass(frozen=True)
class Template:
    """A ``{{...}}`` call: its span, its name and where the name is."""

    start: int
    end: int
    name: str
    name_start: int
    name_end: int

    @property
    def is_parser_function(self) -> bool:
        return self.name.startswith("#") or self.name.startswith("subst:")


@dataclass
class Document:
    """One version of a document: ``path`` on disk, the page ``title`` it stands for, its ``text``."""

    path: str
    title: str
    text: str
    version: int | None
    encoding: str

    @cached_property
    def lines(self) -> LineIndex:
        return LineIndex(self.text, self.encoding)

    @cached_property
    def scan(self) -> PageScan:
        return PageScan(self.text)

    @cached_property
    def templates(self) -> list[Template]:
        masked = self.scan.masked
        found = []
        for start, end, parameter, _ in self.scan.braces.page:
            if parameter:
                continue
            inner = masked[start + 2 : end - 2]
            name = re.split(r"[|{}]", inner, maxsplit=1)[0]
            lead = len(name) - len(name.lstrip())
            found.append(
                Template(start, end, name.strip(), start + 2 + lead, start + 2 + lead + len(name.strip()))
            )
        return found

    @cached_property
    def tables(self) -> list[tuple[int, int]]:
        masked = self.scan.masked
        return sorted(table_spans(masked))

    @cached_property
    def comments(self) -> list[tuple[int, int]]:
        return [m.span() for m in _COMMENT.finditer(self.text)] if "<!--" in self.text else []

    @cached_property
    def refs(self) -> list[tuple[int, int]]:
        if "<ref" not in self.text and "<REF" not in self.text:
            return []
        comments = SpanSet(self.comments)
        return [match.span() for match in _REF.finditer(self.text) if match.start() not in comments]

    def link_at(self, offset: int) -> WikiLink | None:
        """The innermost link around ``offset`` (its brackets included)."""
        found = None
        for link in self.scan.links_between(max(0, offset - 1024), offset + 1):
            if link.start <= offset <= link.end:
                found = link
        return found

    def template_at(self, offset: int) -> Template | None:
        """The innermost template whose name holds ``offset``."""
        found = None
        for template in self.templates:
            if template.start > offset:
                break
            if template.start <= offset <= template.name_end:
                found = template
        return found

    def heading_at(self, offset: int) -> Heading | None:
        line = self.scan.line_of(offset)
        return next((h for h in self.scan.headings if h.line == line), None)
