"""The standard appendix sections (MOS:LAYOUT), in the page's language, and helpers the See also and
link rules share. The names and orders per language are in :mod:`wikitools.lint.languages`."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from typing import TypeVar

from ..languages import KIND_NAMES, SEE_ALSO
from ..rule import PageContext
from ..scan import PageScan, Section, SpanSet, WikiLink
from .structure import memo

T = TypeVar("T")


def appendix_kind(page: PageContext, section: Section) -> str | None:
    """``see-also``, ``references``, ``further-reading``, ``external-links``, ``appendix`` or ``None``."""
    return page.appendices.kind(section.heading.key)


def appendix_rank(page: PageContext, section: Section) -> int | None:
    """The section's place in the language's appendix order, or ``None``."""
    return page.appendices.rank(section.heading.key)


def order_names(page: PageContext) -> str:
    """The language's appendix order, as a reader reads it."""
    return ", ".join(KIND_NAMES[kind] for kind in page.appendices.order or ())


def top_sections(scan: PageScan) -> list[Section]:
    """The sections at the page's top heading level (normally level 2)."""
    if not scan.headings:
        return []
    top = min(h.level for h in scan.headings)
    return [s for s in scan.sections if s.heading.level == top]


def _per_page(page: PageContext, name: str, build: Callable[[], T]) -> T:
    """``build()``, once per page and appendix table (a configuration may add names): the helpers
    below are asked by several rules, and each answer walks every section or link."""
    return memo(page.scan, (name, id(page.appendices)), lambda _scan: build())


def see_also_sections(page: PageContext) -> list[Section]:
    return _per_page(
        page,
        "see_also_sections",
        lambda: [s for s in page.scan.sections if appendix_kind(page, s) == SEE_ALSO],
    )


def see_also_spans(page: PageContext) -> SpanSet:
    """Where the See also sections' bodies are."""
    return _per_page(
        page, "see_also_spans", lambda: SpanSet([(s.heading.end, s.end) for s in see_also_sections(page)])
    )


def body_links(page: PageContext) -> list[WikiLink]:
    """Article links of the lead and the content sections: not appendices, not templates or tables."""

    def build() -> list[WikiLink]:
        scan = page.scan
        appendices = SpanSet(
            [(s.heading.start, s.end) for s in scan.sections if appendix_kind(page, s) is not None]
        )
        # the links between the appendices, cut out of the page-ordered list by bisecting their starts:
        # a span test per link cost a call each (500,000 over the corpus)
        links = scan.article_links
        starts = [link.start for link in links] if appendices.spans else []
        kept: list[WikiLink] = []
        position = 0
        for start, end in appendices.spans:
            kept += [link for link in links[position : bisect_left(starts, start)] if not link.in_template]
            position = bisect_left(starts, end)
        kept += [link for link in links[position:] if not link.in_template]
        return kept

    return _per_page(page, "body_links", build)


def line_bounds(scan: PageScan, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the line holding ``offset``; ``end`` includes the newline when there is one."""
    starts = scan.line_starts  # a bisect, not a search back through a long line for each offset
    line = bisect_right(starts, offset)
    return starts[line - 1], starts[line] if line < len(starts) else len(scan.text)
