"""More heading and table-of-contents rules (H2xx), beside the H1xx family of ``headings.py``."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .structure import memo

#: A forced table of contents, in its two spellings, searched apart: each opens with a literal ("__",
#: "{{") that ``re`` skips to, where one pattern of both is tried at every "_" and "{" (4x slower).
_TOC_SWITCH = re.compile(r"__TOC__", re.IGNORECASE)
_TOC_TEMPLATE = re.compile(r"\{\{\s*TOC[^{}]*\}\}", re.IGNORECASE)
_WORD = re.compile(r"[^\W\d_]{2,}")


class HeadingAllCaps(Rule):
    code = "H201"
    name = "heading-all-caps"
    severity = Severity.INFO
    content_only = True
    checkwiki = (58,)
    reference = "MOS:ALLCAPS"
    summary = "Heading written in capital letters"
    what = "Finds headings of two or more words, all in capitals (acronyms of one word are fine)."
    why = "MOS:ALLCAPS: capitals read as shouting and hide the case a word really has."
    example = "== EARLY HISTORY =="
    use_instead = "== Early history =="

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.language != "en":
            return  # titles of works and acronyms keep their capitals in other wikis' styles
        for heading in page.scan.headings:
            words = _WORD.findall(heading.display)
            letters = "".join(words)
            if len(words) >= 2 and len(letters) >= 6 and all(c.isupper() for c in letters):
                yield Violation(heading.start, f"heading '{heading.display}' is in capitals")


def _toc(page: PageContext) -> re.Match[str] | None:
    """The forced table of contents, looked for once per page (H202 and H203 both ask)."""
    return memo(page.scan, "toc", _find_toc)[0]


def _find_toc(scan: PageScan) -> tuple[re.Match[str] | None]:
    """The first of either spelling (a pre-test on some spellings missed ``{{Toc}}``, ``{{ TOC}}``)."""
    found = [m for m in (_TOC_SWITCH.search(scan.masked), _TOC_TEMPLATE.search(scan.masked)) if m is not None]
    return (min(found, key=re.Match.start) if found else None,)


class TocAfterFirstHeading(Rule):
    code = "H202"
    name = "toc-after-first-heading"
    severity = Severity.WARNING
    checkwiki = (96,)
    summary = "`__TOC__` placed after the first heading"
    what = "Finds a forced table of contents below the first section heading."
    why = "The contents then appear inside a section instead of after the lead, where readers look for it."
    example = "Lead.\n== History ==\n__TOC__"
    use_instead = "Lead.\n__TOC__\n== History =="

    def check(self, page: PageContext) -> Iterator[Violation]:
        toc = _toc(page)
        headings = page.scan.headings
        if toc is not None and headings and toc.start() > headings[0].start:
            yield Violation(toc.start(), "table of contents after the first heading")


class MaterialAfterToc(Rule):
    code = "H203"
    name = "text-after-toc"
    severity = Severity.INFO
    checkwiki = (97,)
    summary = "Text between `__TOC__` and the first heading"
    what = "Finds lead text placed after a forced table of contents."
    why = "The table of contents then splits the lead in two."
    example = "Lead.\n__TOC__\nMore lead.\n== History =="
    use_instead = "Lead. More lead.\n__TOC__\n== History =="

    def check(self, page: PageContext) -> Iterator[Violation]:
        toc = _toc(page)
        headings = page.scan.headings
        if toc is None or not headings or toc.start() > headings[0].start:
            return
        between = page.scan.masked[toc.end() : headings[0].start]
        if len(between.strip()) > 40:
            yield Violation(toc.start(), "text between the table of contents and the first heading")


_NUMBERED_LINK = re.compile(r"\[(?:https?:|ftp:)?//[^\s\]]*\]", re.IGNORECASE)


class VariableAnchor(Rule):
    code = "H204"
    name = "reference-in-heading"
    severity = Severity.WARNING
    wikilint = ("var-anchor",)
    summary = "`<ref>` or a numbered external link `[https://...]` in a heading"
    what = "Finds footnotes and label-less external links inside headings."
    why = (
        "Their number becomes part of the section's anchor and of the table of contents, so links to the "
        "section break whenever a reference is added above it."
    )
    example = "== History<ref>Smith 2001.</ref> =="
    use_instead = "== History ==\nText.<ref>Smith 2001.</ref>"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for heading in page.scan.headings:
            raw = text[heading.start : heading.end]
            if "<ref" in raw.lower() or _NUMBERED_LINK.search(raw):
                message = f"heading '{heading.display}' holds a reference or numbered link"
                yield Violation(heading.start, message)
