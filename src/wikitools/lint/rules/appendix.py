"""The standard appendix sections (MOS:LAYOUT) and helpers the See also and link rules share."""

from __future__ import annotations

from ..scan import PageScan, Section, SpanSet, WikiLink

SEE_ALSO = "see also"

#: Heading (case-folded) -> position in the appendix order See also, Notes/References, Further reading,
#: External links (MOS:ORDER).
APPENDIX_RANKS: dict[str, int] = {
    SEE_ALSO: 1,
    **dict.fromkeys(
        (
            "notes", "references", "footnotes", "citations", "sources", "bibliography", "endnotes",
            "notes and references", "references and notes", "works cited", "explanatory notes",
            "general references", "specific references", "cited sources", "sources cited",
        ),
        2,
    ),
    "further reading": 3,
    "external links": 4,
    "external link": 4,
}  # fmt: skip

RANK_NAMES = {1: "See also", 2: "Notes/References", 3: "Further reading", 4: "External links"}


def appendix_rank(section: Section) -> int | None:
    return APPENDIX_RANKS.get(section.heading.key)


def top_sections(scan: PageScan) -> list[Section]:
    """The sections at the page's top heading level (normally level 2)."""
    if not scan.headings:
        return []
    top = min(h.level for h in scan.headings)
    return [s for s in scan.sections if s.heading.level == top]


def see_also_sections(scan: PageScan) -> list[Section]:
    return [s for s in scan.sections if s.heading.key == SEE_ALSO]


def see_also_spans(scan: PageScan) -> SpanSet:
    """Where the See also sections' bodies are."""
    return SpanSet([(s.heading.end, s.end) for s in see_also_sections(scan)])


def body_links(scan: PageScan) -> list[WikiLink]:
    """Article links of the lead and the content sections: not appendices, not templates or tables."""
    cached = scan.memo.get("body_links")
    if cached is None:
        appendices = SpanSet(
            [(s.heading.start, s.end) for s in scan.sections if appendix_rank(s) is not None]
        )
        cached = [
            link for link in scan.article_links if not link.in_template and link.start not in appendices
        ]
        scan.memo["body_links"] = cached
    return cached  # type: ignore[return-value]


def line_bounds(scan: PageScan, offset: int) -> tuple[int, int]:
    """``(start, end)`` of the line holding ``offset``; ``end`` includes the newline when there is one."""
    start = scan.text.rfind("\n", 0, offset) + 1
    newline = scan.text.find("\n", offset)
    return start, len(scan.text) if newline == -1 else newline + 1
