"""Internal link rules: bracket balance, targets, labels, self-links and section links."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Iterator
from operator import attrgetter
from urllib.parse import unquote

from ...edits import Edit
from ...markup import NAMESPACE_TEMPLATE as TEMPLATE_NAMESPACE
from ...titles import FORBIDDEN_TITLE_CHARS, normalize_title
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan, anchor_key
from .appendix import body_links
from .shared import article_titles, links_of_kind
from .structure import all_targets

_URL_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}")
_UNSAFE_DECODED = FORBIDDEN_TITLE_CHARS | {"#", "%", "\n"}
_LABEL_MARKUP = re.compile(r"['<{\[&]")
_LEGACY_ESCAPE = re.compile(r"\.([0-9A-F]{2})")


_FORBIDDEN = re.compile(r"[<>{}\x00-\x1f\x7f]")


def _forbidden(target: str) -> list[str]:
    return sorted(set(_FORBIDDEN.findall(target))) if _FORBIDDEN.search(target) else []


_LIST_MARKS = frozenset("*#:;")
_TITLE = attrgetter("title")
_START = attrgetter("start")
_TEMPLATE_NAME = re.compile(r"[^|{}]*")


def _top_level_pipes(text: str) -> int:
    """The ``|`` of ``text`` outside any ``{{template}}``, ``{{{parameter}}}`` or ``{{#function:}}``."""
    if "{" not in text:
        return text.count("|")
    depth = pipes = 0
    for char in text:
        if char == "{":
            depth += 1
        elif char == "}":
            depth = max(depth - 1, 0)
        elif char == "|" and not depth:
            pipes += 1
    return pipes


class UnbalancedBrackets(Rule):
    code = "L101"
    name = "unbalanced-link-brackets"
    severity = Severity.ERROR
    wikilint = ("lonely-bracket",)
    checkwiki = (10, 46)
    summary = "`[[` without `]]`, or `]]` without `[[`"
    what = "Finds link brackets that do not pair up (a link target cannot span lines)."
    why = "An unbalanced bracket shows as literal `[[` or `]]` and usually swallows the link that was meant."
    example = "The [[Anpo protests were large."
    use_instead = "The [[Anpo protests]] were large."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for offset in page.scan.unclosed_brackets:
            yield Violation(offset, "'[[' is not closed by ']]'")
        for offset in page.scan.stray_brackets:
            yield Violation(offset, "']]' has no opening '[['")


class LinkWithoutTarget(Rule):
    code = "L102"
    name = "link-without-target"
    severity = Severity.ERROR
    checkwiki = (74,)
    summary = "Link with no target, such as `[[|label]]`"
    what = "Finds links whose target is empty."
    why = "MediaWiki does not render `[[|label]]` as a link; the reader sees the brackets."
    example = "See [[|Anpo protests]]."
    use_instead = "See [[Anpo protests]]."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in links_of_kind(page.scan, "empty"):
            yield Violation(link.start, "link has no target")


class DoublePipe(Rule):
    code = "L103"
    name = "double-pipe"
    severity = Severity.WARNING
    checkwiki = (32,)
    summary = "Link with more than one `|`"
    what = "Finds links to pages that contain two or more pipes, such as `[[Target||label]]`."
    why = "Everything after the first pipe becomes the label, so the extra pipe shows up in the text."
    example = "[[Japan||Nippon]]"
    use_instead = "[[Japan|Nippon]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in page.scan.links:
            if link.pipes > 1 and link.kind in ("article", "section"):
                pipes = _top_level_pipes(link.label or "") + 1
                if pipes > 1:
                    yield Violation(link.start, f"link to '{link.target.strip()}' has {pipes} pipes")


class LabelEqualsTarget(Rule):
    code = "L104"
    name = "label-equals-target"
    severity = Severity.INFO
    checkwiki = (64,)
    summary = "Piped link whose label equals its target"
    what = "Finds `[[Target|Target]]` (the first letter's case and underscores do not count)."
    why = "The pipe adds nothing: `[[Target]]` renders the same and is easier to read and maintain."
    example = "[[Anpo protests|Anpo protests]], [[anpo protests|anpo protests]]"
    use_instead = "[[Anpo protests]], [[anpo protests]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in links_of_kind(page.scan, "article"):
            if link.pipes != 1 or link.label is None:
                continue
            label, target = link.label, link.target
            # the last-character test first: it leaves a quarter of the links to the others
            if "_" in label or not label.strip() or not _may_equal(label, target):
                continue
            if _LABEL_MARKUP.search(label) or target.lstrip().startswith(":"):
                continue
            if normalize_title(label) == normalize_title(target):
                fix = (Edit(link.target_start, link.target_start + len(target) + 1, ""),)
                yield Violation(link.start, f"the label of [[{target}|{label}]] equals its target", fix)


#: What :func:`normalize_title` trims from the end of a title: white space (every character
#: ``str.isspace`` accepts is below U+3001) and underscores.
_TRAILING = "".join(c for c in map(chr, range(0x3001)) if c.isspace()) + "_"


def _may_equal(label: str, target: str) -> bool:
    """False when ``label`` and ``target`` surely normalize to different titles, by their last
    characters alone: four times cheaper than normalizing both, and most labels end otherwise. A
    normalized title ends as the text does before its trailing spaces and underscores, or, when it is
    one letter long, as that letter's upper case ('ß' is 'SS')."""
    a, b = label.rstrip(_TRAILING)[-1:], target.rstrip(_TRAILING)[-1:]
    return not a or not b or a == b or not {a, a.upper()[-1]}.isdisjoint({b, b.upper()[-1]})


class SelfLink(Rule):
    code = "L105"
    name = "self-link"
    severity = Severity.WARNING
    checkwiki = (48,)
    summary = "Link to the page itself"
    what = "Finds links to the page's own title; `[[Own title#Section]]` should be `[[#Section]]`."
    why = (
        "A link to the current page reloads it (MOS:SELFLINK); a link to one of its sections should "
        "name only the section, which also survives a page move."
    )
    example = "On the page 'Tokyo': see [[Tokyo#History|its history]] and [[Tokyo]]."
    use_instead = "On the page 'Tokyo': see [[#History|its history]] and Tokyo."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        own = normalize_title(page.title)
        if own not in article_titles(page.scan):
            return
        for link in page.scan.article_links:
            if link.title != own or link.in_template:
                continue
            if link.fragment:
                fix = (Edit(link.target_start, link.target_start + len(link.target), f"#{link.fragment}"),)
                yield Violation(link.start, f"self-link to a section; use [[#{link.fragment}]]", fix)
            else:
                yield Violation(link.start, f"link to the page itself ('{own}')")


class ForbiddenTitleCharacters(Rule):
    code = "L106"
    name = "forbidden-title-characters"
    severity = Severity.ERROR
    checkwiki = (16,)
    reference = "WP:NCTR"
    summary = "Link target with characters MediaWiki forbids in titles"
    what = "Finds link targets containing `< > [ ] | { }` or control characters (templates excepted)."
    why = "No page can have such a title, so the link can never work and MediaWiki shows it as plain text."
    example = "[[Treaty <1960>]]"
    use_instead = "[[Treaty of 1960]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        if _FORBIDDEN.search(all_targets(page.scan)):  # one search a page rather than one a link
            yield from self._check_links(page)
        for start, _end in page.scan.nested_targets:
            yield Violation(start, "link target contains '[['")

    @staticmethod
    def _check_links(page: PageContext) -> Iterator[Violation]:
        for link in page.scan.links:
            if link.kind in ("article", "section", "file", "category"):
                bad = _forbidden(link.target)
                if bad:
                    shown = " ".join(repr(c)[1:-1] for c in bad)
                    yield Violation(link.start, f"link target '{link.target.strip()}' contains {shown}")


class UrlEncodedTarget(Rule):
    code = "L107"
    name = "url-encoded-target"
    severity = Severity.WARNING
    wikilint = ("url-encoding",)
    checkwiki = (76,)
    summary = "`%20` or other URL encoding in a link target"
    what = "Finds link targets with percent-escapes such as `%20` or `%C3%A9`."
    why = "Titles are text, not URLs: write the characters themselves, which is what readers and editors see."
    example = "[[Anpo%20protests]]"
    use_instead = "[[Anpo protests]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if "%" not in all_targets(page.scan):
            return
        for link in page.scan.links:
            if link.kind not in ("article", "section") or not _URL_ESCAPE.search(link.target):
                continue
            decoded = unquote(link.target, errors="strict") if self._decodes(link.target) else None
            fix = None
            if decoded is not None and not (set(decoded) & _UNSAFE_DECODED) and decoded.isprintable():
                fix = (Edit(link.target_start, link.target_start + len(link.target), decoded),)
            yield Violation(link.start, f"link target '{link.target.strip()}' is URL-encoded", fix)

    @staticmethod
    def _decodes(target: str) -> bool:
        try:
            unquote(target, errors="strict")
        except UnicodeDecodeError:
            return False
        return True


class ExternalLinkInDoubleBrackets(Rule):
    code = "L108"
    name = "external-link-double-brackets"
    severity = Severity.ERROR
    checkwiki = (86,)
    summary = "External link written with double brackets"
    what = "Finds `[[https://...]]`, which is meant as an external link."
    why = "External links take single brackets and a space before the label; double brackets show literally."
    example = "[[https://example.org Example]]"
    use_instead = "[https://example.org Example]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in links_of_kind(page.scan, "external"):
            edits = [Edit(link.start, link.start + 1, ""), Edit(link.end - 1, link.end, "")]
            if link.label is not None:
                pipe = link.target_start + len(link.target)
                edits.insert(1, Edit(pipe, pipe + 1, " "))
            yield Violation(link.start, "external link in double brackets; use single brackets", tuple(edits))


class BrokenSectionLink(Rule):
    code = "L109"
    name = "broken-section-link"
    severity = Severity.WARNING
    reference = "MOS:SECTIONLINKS"
    summary = "`[[#Section]]` pointing at no heading of the page"
    what = "Finds links to sections of this page (`[[#x]]` or `[[Own title#x]]`) whose anchor does not exist."
    why = (
        "A broken section link drops the reader at the top of the page, usually after a heading was renamed."
    )
    example = "See [[#Histroy]].\n== History =="
    use_instead = "See [[#History]].\n== History =="

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.namespace == TEMPLATE_NAMESPACE:
            return  # a template's section links point into the pages that use it
        scan = page.scan
        own = normalize_title(page.title)
        links = links_of_kind(scan, "section")
        if own in article_titles(scan):  # links to the page's own title count as section links too
            links = sorted([*links, *(link for link in scan.article_links if link.title == own)], key=_START)
        for link in links:
            if not link.fragment or link.in_template or _generated_anchor(link.fragment):
                continue
            key = anchor_key(link.fragment)
            if key in SKIN_ANCHORS or key in scan.template_arguments:
                continue  # an anchor of the skin, or one a template may make of its argument
            if not _anchor_exists(link.fragment, scan.anchors):
                yield Violation(link.start, f"no section or anchor '{link.fragment}' on this page")


#: Anchors every page has from MediaWiki's skins (Vector, MonoBook, Timeless, Minerva).
SKIN_ANCHORS = frozenset(
    {
        "top", "content", "bodyContent", "mw-content-text", "toc", "firstHeading", "siteSub", "contentSub",
        "catlinks", "footer", "mw-navigation", "mw-head", "mw-panel", "p-search", "searchInput",
        "column-one", "globalWrapper", "mw-page-base", "mw-data-after-content",
    }
)  # fmt: skip


def _generated_anchor(fragment: str) -> bool:
    """Anchors made by templates this scan does not expand (citations, ``{{...}}`` in the link)."""
    return "{" in fragment or fragment.startswith(("CITEREF", "cite_note", "cite_ref"))


def _anchor_exists(fragment: str, anchors: set[str]) -> bool:
    """Whether ``fragment`` names an anchor, also in MediaWiki's legacy ``.22``-escaped spelling."""
    if anchor_key(fragment) in anchors:
        return True
    if _LEGACY_ESCAPE.search(fragment):
        legacy = _LEGACY_ESCAPE.sub(lambda m: "%" + m.group(1), fragment)
        try:
            return anchor_key(unquote(legacy, errors="strict")) in anchors
        except UnicodeDecodeError:
            return False
    return False


class DuplicateLink(Rule):
    code = "L110"
    name = "duplicate-link"
    severity = Severity.INFO
    content_only = True
    reference = "MOS:DUPLINK, MOS:REPEATLINK"
    summary = "The same target linked again close to its previous link, in prose"
    what = (
        "Finds a link to an article that was already linked within the last `duplicate-link-distance` "
        "characters (default 500) of the same region: the lead, or the body after it. List items, "
        "templates, tables, captions and appendices are not counted."
    )
    why = (
        "MOS:DUPLINK: link a term at its first occurrence (once in the lead, once after it); a repeat a "
        "few lines later is noise. Repeats in lists and repeats far from the previous link "
        "(MOS:REPEATLINK) help readers who jump into the page, so they are left alone."
    )
    example = "[[Japan]] and the US signed it; [[Japan]] ratified it first."
    use_instead = "[[Japan]] and the US signed it; Japan ratified it first."

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        lead_end = scan.lead_end
        distance = page.duplicate_link_distance
        starts = scan.line_starts
        previous: dict[tuple[bool, str], int] = {}
        links = body_links(page)
        # only a title linked twice can repeat: counted in C, it spares most links the loop below
        repeated = {title for title, count in Counter(map(_TITLE, links)).items() if count > 1}
        for link in links:
            if link.nested or link.title not in repeated:
                continue
            key = (link.start < lead_end, link.title)
            line_start = starts[bisect_right(starts, link.start) - 1]  # line_bounds, inlined: 400,000 calls
            if scan.masked[line_start] in _LIST_MARKS:
                previous[key] = link.start
                continue
            before = previous.get(key)
            previous[key] = link.start
            if before is not None and (distance <= 0 or link.start - before <= distance):
                region = "lead" if key[0] else "body"
                message = f"'{link.title}' is already linked in the {region} on line {page.line_of(before)}"
                yield Violation(link.start, message)


class NoInternalLinks(Rule):
    code = "L111"
    name = "no-internal-links"
    severity = Severity.WARNING
    content_only = True
    reference = "WP:DEADEND"
    summary = "Article without any internal link"
    what = (
        "Finds articles (content pages) that link no other page and use no template: MediaWiki counts "
        "the links a template writes (a navigation box, a calendar, a maintenance tag), so such a page "
        "is not a dead end."
    )
    why = "A dead-end page leaves readers nowhere to go and is not connected to the rest of the wiki."
    example = "The treaty was signed in 1960."
    use_instead = "The treaty was signed in [[1960 in Japan|1960]]."

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        if scan.article_links:
            return
        if any(_may_link(scan, start) for start, _end in scan.templates.spans):
            return  # MediaWiki counts the links a template writes (Special:DeadendPages)
        yield Violation(0, "the article has no internal links")


def _may_link(scan: PageScan, start: int) -> bool:
    """Whether the ``{{...}}`` at ``start`` is a template (which may write links), not a parser
    function or magic word such as ``{{#if:}}`` or ``{{DEFAULTSORT:...}}``."""
    name = _TEMPLATE_NAME.match(scan.masked, start + 2)
    return name is not None and not name.group().lstrip().startswith("#") and ":" not in name.group()
