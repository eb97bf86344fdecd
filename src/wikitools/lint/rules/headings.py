"""Heading rules: levels, hierarchy, broken heading markup and what a heading may contain."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator
from itertools import pairwise

from ...edits import Edit
from ..finding import Severity
from ..languages import SEE_ALSO, TRAILING_PUNCTUATION, ends_a_question, is_abbreviation
from ..rule import PageContext, Rule, Violation
from ..scan import COMMENT_FILL, Heading, PageScan

_PLAIN_HTML_HEADING = re.compile(r"<h[1-6]\s*>", re.IGNORECASE)
_NOTHING = " \t\r\n" + COMMENT_FILL  # what an empty section may hold
_SOMETHING = re.compile(f"[^{re.escape(_NOTHING)}]")  # searched in place: no copy of each section
_BOLD = re.compile(r"'''|</?(?:b|strong)\s*>", re.IGNORECASE)
_OTHER_MARKUP = re.compile(r"</?(?:big|small|u|font|s|strike|center|tt)\b[^>]*>", re.IGNORECASE)
_TRAILING_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});$")


def _in_preformatted_block(scan: PageScan, line: int) -> bool:
    """Whether the line before or after ``line`` is indented text too: a preformatted block."""
    for other in (line - 1, line + 1):
        if 1 <= other <= len(scan.line_starts):
            start, end = scan.line_span(other)
            text = scan.masked[start:end]
            if text[:1] in (" ", "\t") and text.strip():
                return True
    return False


def _set_level(heading: Heading, level: int) -> tuple[Edit, ...]:
    """Edits that rewrite both ``=`` runs of ``heading`` to ``level`` characters, nothing else."""
    marks = "=" * level
    return (
        Edit(heading.start, heading.start + heading.opening, marks),
        Edit(heading.close_start, heading.close_start + heading.closing, marks),
    )


class HeadingLevelOne(Rule):
    code = "H101"
    name = "heading-level-one"
    severity = Severity.ERROR
    wikilint = ("h1",)
    checkwiki = (19,)
    summary = "Level-1 heading (`= Heading =`) in an article"
    what = "Finds headings written with a single `=` on each side."
    why = (
        "Level 1 is the page title's level; MediaWiki renders the article's own sections from level 2 "
        "(MOS:HEADINGS). A level-1 heading looks like a second page title and breaks the table of contents."
    )
    example = "= History =\nThe town was founded in 1820."
    use_instead = "== History ==\nThe town was founded in 1820."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for section in page.scan.sections:
            heading = section.heading
            if heading.level == 1 and heading.text:
                has_children = section.end != section.body_end
                fix = None if has_children or heading.opening != heading.closing else _set_level(heading, 2)
                yield Violation(heading.start, f"level-1 heading '{heading.display}'; use level 2", fix)


class FirstHeadingLevel(Rule):
    code = "H102"
    name = "first-heading-below-two"
    severity = Severity.WARNING
    content_only = True  # an interface message or archive starts at the level it is shown at
    checkwiki = (7, 83)
    summary = "The first heading is deeper than level 2"
    what = "Finds pages whose first heading is level 3 or deeper."
    why = (
        "Sections start at level 2; a page that starts at level 3 has a table of contents with no top "
        "level and screen readers announce a broken outline (MOS:HEADINGS)."
    )
    example = "Lead text.\n\n=== History ===\nText."
    use_instead = "Lead text.\n\n== History ==\nText."

    def check(self, page: PageContext) -> Iterator[Violation]:
        headings = page.scan.headings
        if headings and headings[0].level > 2:
            first = headings[0]
            yield Violation(
                first.start, f"first heading '{first.display}' is level {first.level}; use level 2"
            )


class SkippedHeadingLevel(Rule):
    code = "H103"
    name = "skipped-heading-level"
    severity = Severity.WARNING
    checkwiki = (25,)
    summary = "A heading skips a level (`==` followed by `====`)"
    what = "Finds a heading more than one level deeper than the heading before it."
    why = (
        "Heading levels are an outline: skipping one leaves a hole in the table of contents and in the "
        "document structure that assistive technology reads (MOS:HEADINGS, MOS:ACCESS)."
    )
    example = "== Geography ==\n==== Rivers ===="
    use_instead = "== Geography ==\n=== Rivers ==="

    def check(self, page: PageContext) -> Iterator[Violation]:
        headings = page.scan.headings
        for previous, heading in pairwise(headings):
            if heading.level > previous.level + 1:
                yield Violation(
                    heading.start,
                    f"heading '{heading.display}' is level {heading.level} after level {previous.level}; "
                    f"use level {previous.level + 1}",
                )


class UnclosedHeading(Rule):
    code = "H104"
    name = "unclosed-heading"
    severity = Severity.ERROR
    checkwiki = (8,)
    summary = "Heading not closed with `=`"
    what = "Finds lines that open a heading with `=` but do not end with `=`."
    why = "MediaWiki renders such a line as a paragraph starting with `==`, not as a heading."
    example = "== History\nText."
    use_instead = "== History ==\nText."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        masked = page.scan.masked
        for broken in page.scan.broken_headings:
            if broken.kind != "unclosed":
                continue
            fix = None
            if broken.text:
                stripped_end = broken.start + len(masked[broken.start : broken.end].rstrip())
                fix = (Edit(stripped_end, stripped_end, " " + "=" * broken.level),)
            yield Violation(
                broken.start, f"heading '{broken.text}' is not closed with {'=' * broken.level}", fix
            )


class UnbalancedHeading(Rule):
    code = "H105"
    name = "unbalanced-heading"
    severity = Severity.ERROR
    wikilint = ("unbalanced-header",)
    checkwiki = (105, 8)
    summary = "Heading with unequal `=` runs, or closed but not opened"
    what = "Finds headings whose opening and closing `=` runs differ, and lines such as `History ==`."
    why = (
        "MediaWiki uses the shorter run as the level and shows the extra `=` signs as text; a line that "
        "only ends with `==` is not a heading at all."
    )
    example = "=== History ==\nGeography ==="
    use_instead = "== History ==\n=== Geography ==="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for heading in page.scan.headings:
            if heading.opening != heading.closing and heading.text:
                yield Violation(
                    heading.start,
                    f"heading '{heading.display}' opens with {heading.opening} '=' and closes with "
                    f"{heading.closing}",
                    _set_level(heading, heading.level),
                )
        for broken in page.scan.broken_headings:
            if broken.kind == "no-opening":
                yield Violation(
                    broken.start, f"heading '{broken.text}' ends with {'=' * broken.level} but does not open"
                )


class MarkupInHeading(Rule):
    code = "H106"
    name = "markup-in-heading"
    severity = Severity.WARNING
    wikilint = ("bold-header",)
    checkwiki = (44,)
    summary = "Bold or other formatting markup in a heading"
    what = "Finds `'''bold'''`, `<b>`, `<big>`, `<small>`, `<u>`, `<font>`, `<s>` and `<tt>` in headings."
    why = (
        "Headings are already styled by the skin; extra formatting makes them inconsistent and breaks "
        "section links, whose anchors include the markup (MOS:HEADINGS)."
    )
    example = "== '''History''' =="
    use_instead = "== History =="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for heading in page.scan.headings:
            text, base = heading.text, heading.text_start
            bold = list(_BOLD.finditer(text))
            other = _OTHER_MARKUP.search(text)
            if not bold and not other:
                continue
            fix = None
            quotes = [m for m in bold if m.group() == "'''"]
            if bold and not other and "''''" not in text and len(quotes) % 2 == 0:
                fix = tuple(Edit(base + m.start(), base + m.end(), "") for m in bold)
            shown = (bold[0] if bold else other).group()  # type: ignore[union-attr]
            yield Violation(base, f"heading '{heading.display}' contains formatting markup {shown}", fix)


class HeadingPunctuation(Rule):
    code = "H107"
    name = "heading-trailing-punctuation"
    severity = Severity.WARNING
    checkwiki = (57,)
    summary = "Heading ends with a colon or other punctuation"
    what = (
        "Finds headings ending with `:`, `;`, `,` or `.` (also written as a character reference such as "
        "`&#58;`). Abbreviations (`Inc.`, `μ.Χ.`, `Մ.թ.ա.`, a word of one or two letters) and the "
        "Greek question mark `;` on Greek pages are not punctuation here."
    )
    why = "Headings are titles, not sentences or labels; MOS:HEADINGS asks for no trailing punctuation."
    example = "== Early life: =="
    use_instead = "== Early life =="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for heading in page.scan.headings:
            text = heading.text
            reference = _TRAILING_REFERENCE.search(text)
            if reference is not None:
                mark, mark_start = html.unescape(reference.group()), reference.start()
            else:
                mark, mark_start = text[-1:], len(text) - 1
            if mark not in TRAILING_PUNCTUATION or not text[:mark_start].strip():
                continue
            if ends_a_question(mark, page.language):
                continue
            if mark == "." and is_abbreviation(text[:mark_start] + ".", page.language):
                continue
            base = heading.text_start
            cut = len(text[:mark_start].rstrip())
            fix = (Edit(base + cut, base + len(text), ""),)
            yield Violation(base + mark_start, f"heading '{heading.display}' ends with '{mark}'", fix)


class HtmlHeading(Rule):
    code = "H108"
    name = "html-heading"
    severity = Severity.WARNING
    content_only = True
    checkwiki = (49,)
    summary = "Heading written as HTML `<h2>`...`</h2>`"
    what = (
        "Finds plain `<h1>` to `<h6>` elements. One with attributes (`id`, `class`, `style`) is left "
        "alone: it does what a wiki heading cannot (a styled box title on a main page or in a template)."
    )
    why = (
        "HTML headings get no edit link, no reliable anchor and are invisible to tools that read the "
        "section structure; wiki markup does all of that (MOS:HEADINGS)."
    )
    example = "<h2>History</h2>"
    use_instead = "== History =="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for start, end, level, inner in scan.html_headings:
            if not _PLAIN_HTML_HEADING.match(scan.masked, start):
                continue
            line_start, line_end = scan.line_span(scan.line_of(start))
            alone = not scan.masked[line_start:start].strip() and not scan.masked[end:line_end].strip()
            fix = None
            if alone and "\n" not in inner and inner.strip() and "<" not in inner:
                marks = "=" * level
                fix = (Edit(start, end, f"{marks} {inner.strip()} {marks}"),)
            yield Violation(start, f"HTML heading <h{level}>; use {'=' * level} wiki markup", fix)


class EmptyHeading(Rule):
    code = "H109"
    name = "empty-heading"
    severity = Severity.ERROR
    parsoid = ("empty-heading",)
    reference = "MOS:HEADINGS"
    summary = "Heading without text"
    what = "Finds headings such as `== ==` whose visible text is empty."
    why = "An empty heading shows as a blank line in the table of contents and has no usable anchor."
    example = "== ==\nText."
    use_instead = "== Reception ==\nText."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for heading in page.scan.headings:
            if not heading.display and not heading.hidden and "{{" not in heading.text:
                yield Violation(heading.start, "heading has no text")


class LinkInHeading(Rule):
    code = "H110"
    name = "link-in-heading"
    severity = Severity.WARNING
    reference = "MOS:NOSECTIONLINKS"
    summary = "Link inside a heading"
    what = "Finds `[[links]]` inside heading text."
    why = (
        "Links in headings are hard to see and to click next to the edit link and break section links; "
        "put the link in the section's first sentence or a {{Main}} hatnote (MOS:HEADINGS)."
    )
    example = "== [[Economy of France|Economy]] =="
    use_instead = "== Economy ==\n{{Main|Economy of France}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for heading in page.scan.headings:
            position = heading.text.find("[[")
            if position >= 0:
                yield Violation(heading.text_start + position, f"heading '{heading.display}' contains a link")


class DuplicateHeading(Rule):
    code = "H111"
    name = "duplicate-heading"
    severity = Severity.WARNING
    checkwiki = (92,)
    summary = "Two sibling headings with the same text"
    what = "Finds a heading with the same text as an earlier heading of the same level under the same parent."
    why = (
        "Duplicate sibling headings are confusing in the table of contents, and links to the second one "
        "need MediaWiki's generated `_2` anchor, which breaks when sections move (MOS:HEADINGS)."
    )
    example = "== Career ==\nText.\n== Career ==\nMore text."
    use_instead = "== Career ==\nText.\nMore text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        seen: list[dict[str, Heading]] = [{} for _ in range(8)]
        for heading in page.scan.headings:
            siblings = seen[heading.level]
            for deeper in seen[heading.level + 1 :]:
                deeper.clear()
            if not heading.display:
                continue
            earlier = siblings.get(heading.display)
            if earlier is not None:
                line = page.line_of(earlier.start)
                message = f"heading '{heading.display}' repeats the heading on line {line}"
                yield Violation(heading.start, message)
            else:
                siblings[heading.display] = heading


class EmptySection(Rule):
    code = "H112"
    name = "empty-section"
    severity = Severity.WARNING
    checkwiki = (84,)
    summary = "Section without content"
    what = (
        "Finds headings followed directly by a heading of the same or a higher level (or the end of the "
        "page), with only blank lines or comments between. An empty See also section is S101 instead."
    )
    why = "An empty section promises content that is not there; readers see a heading and nothing under it."
    example = "== Legacy ==\n== References ==\n{{Reflist}}"
    use_instead = "== Legacy ==\nHer work influenced ...\n== References ==\n{{Reflist}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for section in scan.sections:
            heading = section.heading
            if section.end != section.body_end or not heading.display:
                continue
            if page.appendices.kind(heading.key) == SEE_ALSO:
                continue
            if _SOMETHING.search(scan.structure, heading.end, section.body_end) is None:
                yield Violation(heading.start, f"section '{heading.display}' has no content")


class TextAfterHeading(Rule):
    code = "H113"
    name = "text-after-heading"
    severity = Severity.ERROR
    checkwiki = (538,)
    summary = "Text after the closing `=` of a heading"
    what = "Finds lines such as `== History == text` that have text after the closing `=` run."
    why = "MediaWiki only renders a heading when the line ends with `=`; this line shows as a paragraph."
    example = "== History == {{Main|History of Paris}}"
    use_instead = "== History ==\n{{Main|History of Paris}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for broken in page.scan.broken_headings:
            if broken.kind == "trailing-text":
                yield Violation(broken.start, f"text after the closing '=' of heading '{broken.text}'")


class IndentedHeading(Rule):
    code = "H114"
    name = "indented-heading"
    severity = Severity.ERROR
    reference = "Help:Section"
    summary = "Heading line starts with a space"
    what = (
        "Finds heading lines that start with spaces or tabs, unless the line is part of a block of "
        "indented lines (a deliberate preformatted example)."
    )
    why = "A line starting with a space is preformatted text in MediaWiki, so the heading is not rendered."
    example = "  == History =="
    use_instead = "== History =="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        masked = scan.masked
        for broken in scan.broken_headings:
            if broken.kind == "indented" and not _in_preformatted_block(scan, broken.line):
                indent = len(masked[broken.start : broken.end]) - len(
                    masked[broken.start : broken.end].lstrip()
                )
                yield Violation(
                    broken.start,
                    f"heading '{broken.text}' is indented and renders as preformatted text",
                    (Edit(broken.start, broken.start + indent, ""),),
                )
