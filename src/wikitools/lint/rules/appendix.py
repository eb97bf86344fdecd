"""The standard appendix sections (MOS:LAYOUT), in the page's language, and helpers the See also and
link rules share. The names and orders per language are in :mod:`wikitools.lint.languages`."""

from __future__ import annotations

from bisect import bisect_right

from ..languages import KIND_NAMES, SEE_ALSO
from ..rule import PageContext
from ..scan import PageScan, Section, SpanSet, WikiLink


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


def see_also_sections(page: PageContext) -> list[Section]:
    return [s for s in page.scan.sections if appendix_kind(page, s) == SEE_ALSO]


def see_also_spans(page: PageContext) -> SpanSet:
    """Where the See also sections' bodies are."""
    return SpanSet([(s.heading.end, s.end) for s in see_also_sections(page)])


def body_links(page: PageContext) -> list[WikiLink]:
    """Article links of the lead and the content sections: not appendices, not templates or tables."""
    scan = page.scan
    key = ("body_links", id(page.appendices))
    cached = scan.memo.get(key)
    if cached is None:
        appendices = SpanSet(
            [(s.heading.start, s.end) for s in scan.sections if appendix_kind(page, s) is not None]
        )
        cached = [
            link for link in scan.article_links if not link.in_template and link.start not in appendices
        ]
        scan.memo[key] = cached
    return cached  # type: ignore[return-value]


def line_bounds(scan: PageScan, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the line holding ``offset``; ``end`` includes the newline when there is one."""
    starts = scan.line_starts  # a bisect, not a search back through a long line for each offset
    line = bisect_right(starts, offset)
    return starts[line - 1], starts[line] if line < len(starts) else len(scan.text)
