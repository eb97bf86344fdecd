"""See also and appendix rules (MOS:SEEALSO, MOS:LAYOUT)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ..finding import Severity
from ..languages import KIND_NAMES
from ..rule import PageContext, Rule, Violation
from ..scan import COMMENT_FILL, ELEMENT_FILL, HIDDEN_KINDS, PageScan, Section, WikiLink
from .appendix import (
    appendix_kind,
    appendix_rank,
    body_links,
    line_bounds,
    order_names,
    see_also_sections,
    top_sections,
)

_EXTERNAL = re.compile(r"\[(?:https?:|ftp:)?//|(?<![\w/\[])https?://", re.IGNORECASE)
_PROSE_MIN = 40  # characters: shorter lines are labels, captions or stray words
_NOT_PROSE_START = frozenset("*#:;{|!=<[" + ELEMENT_FILL + COMMENT_FILL)
_SHOWN = frozenset({"article", "interwiki", "section"})
_BOLD_LABEL = re.compile(r"^'''[^']+'''\s*:?$")


def _item_links(scan: PageScan, section: Section) -> list[WikiLink]:
    """The entry of each list item of a See also section that links an article: its first shown link
    (later links on the line are annotation, also after an interwiki entry)."""
    entries: dict[int, WikiLink] = {}
    for link in scan.links_between(section.heading.end, section.end):
        if link.kind in _SHOWN and not link.nested and not link.in_template:
            line_start = line_bounds(scan, link.start)[0]
            if scan.masked[line_start] == "*":
                entries.setdefault(line_start, link)
    return [link for link in entries.values() if link.kind == "article"]


def _remove_item(scan: PageScan, link: WikiLink) -> tuple[Edit, ...] | None:
    """An edit deleting the list item that holds ``link``, when the item links nothing else."""
    start, end = line_bounds(scan, link.start)
    others = [other for other in scan.links_between(start, end) if other is not link]
    if others:
        return None
    if end == len(scan.text) and not scan.text.endswith("\n") and start > 0:
        return (Edit(start - 1, end, ""),)
    return (Edit(start, end, ""),)


class EmptySeeAlso(Rule):
    code = "S101"
    name = "empty-see-also"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:SEEALSO"
    summary = "See also section with no entries"
    what = "Finds a See also heading with nothing (or only comments) under it."
    why = (
        "An empty See also section is a heading that leads nowhere: either list the related articles "
        "the body does not already link, or remove the heading (MOS:SEEALSO)."
    )
    example = "== See also ==\n\n== References =="
    use_instead = "== See also ==\n* [[Anpo protests]]\n\n== References =="

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for section in see_also_sections(page):
            if not scan.masked[section.heading.end : section.end].strip():
                yield Violation(section.heading.start, "the See also section is empty")


class SeeAlsoFormat(Rule):
    code = "S102"
    name = "see-also-not-a-list"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:SEEALSO"
    summary = "See also holds something other than a bulleted list of internal links"
    what = (
        "Finds prose, bare lines, numbered lists, sub-labels (`;Label`, a bold line or a sub-heading) and "
        "items without an internal link in a See also section. Lines that are templates (portals, column "
        "wrappers) are allowed."
    )
    why = (
        "MOS:SEEALSO: the section is a bulleted list of internal links, each optionally annotated; "
        "anything else belongs in the body or in another appendix."
    )
    example = "== See also ==\nRead about the [[Anpo protests]] too.\n; Treaties\n* Treaty of San Francisco"
    use_instead = "== See also ==\n* [[Anpo protests]]\n* [[Treaty of San Francisco]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for section in see_also_sections(page):
            index = section.index + 1
            while index < len(scan.sections) and scan.sections[index].heading.start < section.end:
                sub = scan.sections[index].heading
                yield Violation(sub.start, f"sub-heading '{sub.display}' inside See also")
                index += 1
            yield from self._lines(scan, section)

    def _lines(self, scan: PageScan, section: Section) -> Iterator[Violation]:
        position = section.heading.end + 1
        while position < section.body_end:
            newline = scan.masked.find("\n", position, section.body_end)
            end = section.body_end if newline == -1 else newline
            line = scan.masked[position:end].strip()
            problem = self._problem(scan, position, end, line)
            if problem:
                yield Violation(position, problem)
            position = end + 1

    @staticmethod
    def _problem(scan: PageScan, start: int, end: int, line: str) -> str | None:
        if not line or line.startswith(("{{", "|", "}}", "{|", "!")) or scan.in_container(start):
            return None
        links = scan.links_between(start, end)
        if line.startswith("[[") and links and all(link.kind in HIDDEN_KINDS for link in links):
            return None
        if line.startswith("*"):
            if not any(link.kind == "article" for link in links) and not line.lstrip("*: ").startswith("{{"):
                return "See also item without an internal link"
            return None
        if line.startswith("#"):
            return "numbered list in See also; use a bulleted list"
        if line.startswith((";", ":")) or _BOLD_LABEL.match(line):
            return "sub-label in See also; use one bulleted list"
        if links:
            return "See also entry is not a list item; start it with '* '"
        return "prose in See also; the section is a bulleted list of internal links"


class SeeAlsoExternalLink(Rule):
    code = "S103"
    name = "see-also-external-link"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:SEEALSO"
    summary = "External link in See also"
    what = "Finds external links (`[https://...]` or bare URLs) in a See also section."
    why = "See also is for internal links; external links go in the External links section (WP:EL)."
    example = "== See also ==\n* [https://example.org Example]"
    use_instead = "== External links ==\n* [https://example.org Example]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for section in see_also_sections(page):
            body = scan.masked[section.heading.end : section.end]
            for match in _EXTERNAL.finditer(body):
                offset = section.heading.end + match.start()
                if not scan.in_container(offset):
                    yield Violation(offset, "external link in See also; move it to External links")


class SeeAlsoRepeatsBody(Rule):
    code = "S104"
    name = "see-also-repeats-body-link"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:NOTSEEALSO"
    summary = "See also entry that the body already links"
    what = "Finds See also entries whose target is already linked in the lead or a content section."
    why = (
        "MOS:NOTSEEALSO: See also should not repeat links that appear in the body; it is for related "
        "articles a reader would not otherwise reach."
    )
    example = "The [[Anpo protests]] followed.\n== See also ==\n* [[Anpo protests]]"
    use_instead = "The [[Anpo protests]] followed.\n== See also ==\n* [[Security Treaty of 1951]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        sections = see_also_sections(page)
        if not sections:
            return
        in_body = {link.title for link in body_links(page)}
        for section in sections:
            for link in _item_links(scan, section):
                if link.title in in_body and not link.fragment:
                    yield Violation(
                        link.start, f"See also repeats '{link.title}', already linked in the body",
                        _remove_item(scan, link),
                    )  # fmt: skip


class SeeAlsoDuplicate(Rule):
    code = "S105"
    name = "see-also-duplicate"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:SEEALSO"
    summary = "The same entry twice in See also"
    what = "Finds See also entries that link a target an earlier entry already links."
    why = "A list of related articles needs each article once."
    example = "== See also ==\n* [[Anpo protests]]\n* [[Anpo protests]]"
    use_instead = "== See also ==\n* [[Anpo protests]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        seen: dict[str, int] = {}
        for section in see_also_sections(page):
            for link in _item_links(scan, section):
                key = link.title if link.fragment is None else f"{link.title}#{link.fragment}"
                if key in seen:
                    yield Violation(
                        link.start, f"'{key}' is already listed in See also on line {seen[key]}",
                        _remove_item(scan, link),
                    )  # fmt: skip
                else:
                    seen[key] = page.line_of(link.start)


class AppendixOrder(Rule):
    code = "S106"
    name = "appendix-order"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:ORDER"
    summary = "Appendix sections out of order"
    what = (
        "Checks that the standard appendices come in the order See also, Notes/References, Further "
        "reading, External links. The fix moves whole sections (with their subsections) when the last "
        "section of the page stays last, so categories and navigation boxes at the end do not move."
    )
    why = "MOS:ORDER fixes this order so readers find the same thing in the same place in every article."
    example = "== References ==\n{{Reflist}}\n== See also ==\n* [[Anpo protests]]\n== External links =="
    use_instead = "== See also ==\n* [[Anpo protests]]\n== References ==\n{{Reflist}}\n== External links =="
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        sections = top_sections(page.scan)
        ranked = [(s, appendix_rank(page, s)) for s in sections]
        appendices = [(s, rank) for s, rank in ranked if rank is not None]
        highest = 0
        culprit: tuple[Section, int] | None = None
        for section, rank in appendices:
            if rank < highest:
                culprit = (section, rank)
                break
            highest = rank
        if culprit is None:
            return
        section, rank = culprit
        before = next(s for s, r in appendices if r > rank)
        name = section.heading.display
        assert page.appendices.order is not None
        kind_name = KIND_NAMES[page.appendices.order[rank - 1]]
        kind = "" if name.casefold() == kind_name.casefold() else f" ({kind_name})"
        message = f"'{name}'{kind} comes after '{before.heading.display}'; the order is {order_names(page)}"
        yield Violation(section.heading.start, message, self._fix(page.scan.text, sections, appendices))

    @staticmethod
    def _fix(
        text: str, sections: list[Section], appendices: list[tuple[Section, int]]
    ) -> tuple[Edit, ...] | None:
        first = appendices[0][0]
        tail = sections[sections.index(first) :]
        if len(tail) != len(appendices) or len(appendices) < 2:
            return None  # content sections are mixed in: S107 reports them, moving is not safe
        last_section, last_rank = appendices[-1]
        if any(rank > last_rank for _, rank in appendices):
            return None  # the last section (which holds the page's footer) would have to move
        movable = sorted(appendices[:-1], key=lambda pair: pair[1])
        pieces = [text[s.heading.start : s.end] for s, _ in movable]
        if any(not piece.endswith("\n") for piece in pieces):
            return None
        return (Edit(first.heading.start, last_section.heading.start, "".join(pieces)),)


def _has_prose(scan: PageScan, section: Section) -> bool:
    """Whether a section (with its subsections) holds a paragraph of running text."""
    start = section.heading.end
    for line in scan.structure[start : section.end].split("\n"):
        text = line.strip()
        if len(text) >= _PROSE_MIN and text[0] not in _NOT_PROSE_START and not scan.in_container(start):
            return True
        start += len(line) + 1
    return False


class ContentAfterAppendix(Rule):
    code = "S107"
    name = "content-after-appendix"
    severity = Severity.WARNING
    content_only = True
    reference = "MOS:LAYOUT"
    summary = "Content section after the appendices"
    what = (
        "Finds a top-level section with prose (a paragraph, not only lists, templates, references or a "
        "gallery) that is not an appendix, after the first appendix section. A list section with a name "
        'the language table does not know ("Other sources", "Textbooks") is taken for an appendix.'
    )
    why = (
        "Appendices (See also, References, Further reading, External links) close an article "
        "(MOS:LAYOUT); a content section after them is hard to find and usually misplaced."
    )
    example = "== References ==\n{{Reflist}}\n== Legacy ==\nText."
    use_instead = "== Legacy ==\nText.\n== References ==\n{{Reflist}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        first_appendix: Section | None = None
        for section in top_sections(page.scan):
            if appendix_kind(page, section) is not None:
                if section.heading.key not in page.appendices.ambiguous:
                    first_appendix = first_appendix or section
            elif first_appendix is not None and section.heading.display and _has_prose(page.scan, section):
                yield Violation(
                    section.heading.start,
                    f"content section '{section.heading.display}' after the appendix "
                    f"'{first_appendix.heading.display}'",
                )
