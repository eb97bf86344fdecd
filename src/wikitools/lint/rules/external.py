"""External link rules (E1xx): links without a scheme, doubled schemes, broken brackets and URLs, links
to the wiki itself written as external links, and links nested in external links."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from .structure import code_masked, external_links, references, template_spans

_NO_SCHEME = re.compile(r"\[(www\d{0,3}\.[a-z0-9-]+\.[a-z]{2,}[^\s\]]*)", re.IGNORECASE)
_DOUBLE_SCHEME = re.compile(r"(?:https?|ftp)://(?=(?:https?|ftp):/)", re.IGNORECASE)
_DOUBLE_SCHEME_HINT = re.compile("://(?:http|ftp|HTTP)")  # "://http", "://ftp" or "://HTTP" in the text
_WIKI_URL = re.compile(
    r"(?:https?:)?//([a-z-]{2,12})\.(?:m\.)?wikipedia\.org/wiki/([^?#\s\]]+)", re.IGNORECASE
)
_BAD_URL = re.compile(r"(?:https?|ftp):(?!//|\{)|(?:https?|ftp)://(?:/|$|[^\w\[{])", re.IGNORECASE)
_SQUARE_TOKEN = re.compile(r"\[\[|\]\]+|&#91;|[\[\]]")
_SINGLE_CLOSING = re.compile(r"\](?<!\]\])(?!\])")  # a ']' token of _SQUARE_TOKEN (a literal first: fast)
_URL_TAIL = re.compile(r"://[^\s<>\[\]{}|\"]+")
_NOT_BARE_BEFORE = frozenset("[/=\"'|:")


class UrlWithoutScheme(Rule):
    code = "E101"
    name = "external-link-without-scheme"
    severity = Severity.ERROR
    checkwiki = (62,)
    wikilint = ("lonely-bracket",)
    summary = "`[www.example.org label]` without `https://`"
    what = "Finds bracketed links that start with `www.` instead of a scheme."
    why = "MediaWiki does not make a link of it: the reader sees the brackets and the address as text."
    example = "[www.example.org Example]"
    use_instead = "[https://www.example.org Example]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for match in _NO_SCHEME.finditer(text):
            if text[match.start() - 1 : match.start()] != "[":
                yield Violation(match.start(), f"external link '{match.group(1)[:40]}' has no scheme")


class DoubleScheme(Rule):
    code = "E102"
    name = "double-scheme"
    severity = Severity.ERROR
    checkwiki = (93,)
    summary = "`http://http://` or another doubled scheme"
    what = "Finds URLs that repeat their scheme, and removes the first."
    why = "The URL points to a host named 'http'; the link is dead."
    example = "[http://https://example.org Example]"
    use_instead = "[https://example.org Example]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        if _DOUBLE_SCHEME_HINT.search(text) is None:  # a literal-prefixed pattern: one fast pass
            return
        for match in _DOUBLE_SCHEME.finditer(text):
            yield Violation(
                match.start(), "URL with a doubled scheme", (Edit(match.start(), match.end(), ""),)
            )


class UnclosedExternalLink(Rule):
    code = "E103"
    name = "unclosed-external-link"
    severity = Severity.ERROR
    checkwiki = (80,)
    wikilint = ("lonely-bracket",)
    summary = "External link `[https://...` without `]` on its line"
    what = "Finds bracketed external links that the line ends before closing."
    why = "An external link cannot span lines: the reader sees a bracket and the raw URL."
    example = "[https://example.org Example\nsite]"
    use_instead = "[https://example.org Example site]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in external_links(page.scan):
            if not link.closed:
                yield Violation(link.start, "external link is not closed by ']' on its line")


class WikiLinkAsExternal(Rule):
    code = "E104"
    name = "wiki-page-as-external-link"
    severity = Severity.WARNING
    checkwiki = (
        90,
        91,
    )
    summary = "Link to a Wikipedia article written as an external link"
    what = "Finds `[https://xx.wikipedia.org/wiki/Page label]` in the text (not in references)."
    why = "An internal or interlanguage link survives page moves and shows red when the page is deleted."
    example = "[https://en.wikipedia.org/wiki/Tokyo Tokyo]"
    use_instead = "[[Tokyo]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = external_links(page.scan)
        if not found:
            return
        refs = [(r.start, r.end) for r in references(page.scan).refs]
        for link in found:
            match = _WIKI_URL.match(link.url)
            if match is None or any(a <= link.start < b for a, b in refs):
                continue
            yield Violation(
                link.start, f"link to the {match.group(1)} Wikipedia page '{match.group(2)}' as a URL"
            )


class PipeInExternalLink(Rule):
    code = "E105"
    name = "pipe-in-external-link"
    severity = Severity.ERROR
    wikilint = ("unterminated-url",)
    summary = "`[https://example.org|label]`: a pipe instead of a space before the label"
    what = "Finds external links whose URL runs into a `|`, and replaces the pipe with a space."
    why = "The pipe becomes part of the URL, the label is lost and the link is usually dead."
    example = "[https://example.org|Example]"
    use_instead = "[https://example.org Example]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        spans = template_spans(page.scan)
        for link in external_links(page.scan):
            pipe = link.url.find("|")
            if pipe > 0 and link.closed and link.start not in spans and "{" not in link.url[:pipe]:
                at = link.start + 1 + pipe
                yield Violation(at, "'|' between URL and label; use a space", (Edit(at, at + 1, " "),))


class LinkInExternalLink(Rule):
    code = "E106"
    name = "link-in-external-link"
    severity = Severity.WARNING
    wikilint = ("nested-link",)
    parsoid = ("wikilink-in-extlink",)
    summary = "Internal link inside the label of an external link"
    what = "Finds `[[...]]` inside `[https://... label]`."
    why = "A link cannot hold a link: MediaWiki splits the label and the reader sees stray brackets."
    example = "[https://example.org The [[Tokyo]] guide]"
    use_instead = "[https://example.org The Tokyo guide]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in external_links(page.scan):
            if "[[" not in link.label:
                continue
            base = link.end - len(link.label) - (1 if link.closed else 0)
            position = link.label.find("[[")
            while position != -1:
                yield Violation(base + position, "internal link inside an external link")
                position = link.label.find("[[", position + 2)


class MalformedUrl(Rule):
    code = "E107"
    name = "malformed-url"
    severity = Severity.ERROR
    wikilint = ("invalid-url",)
    summary = "Bracketed link whose URL is malformed: `[http:/example.org]`, `[https://]`"
    what = "Finds bracketed links with a scheme but no `//` or no host."
    why = "MediaWiki does not recognize the link; the brackets and the text show as they are."
    example = "[http:/example.org Example]"
    use_instead = "[http://example.org Example]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        if "[" not in text:
            return
        for match in re.finditer(r"\[(?=(?:https?|ftp):)", text, re.IGNORECASE):
            if _BAD_URL.match(text, match.end()):
                yield Violation(match.start(), "malformed URL in an external link")


class BareUrl(Rule):
    code = "E108"
    name = "bare-url"
    severity = Severity.INFO
    reference = "WP:BAREURLS"
    summary = "URL written out in the text without brackets or a label"
    what = "Finds `https://...` in running text (not in references, templates or brackets)."
    why = "Readers see a raw address instead of what it links to; label it or cite it."
    example = "See https://example.org/report for details."
    use_instead = "See the [https://example.org/report annual report] for details."

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.masked
        if "://" not in text:
            return
        spans = template_spans(page.scan)
        for match in _URL_TAIL.finditer(text):
            scheme = text[max(0, match.start() - 5) : match.start()].lower()
            start = match.start() - (5 if scheme == "https" else 4)
            if not scheme.endswith("http") and scheme != "https":
                continue
            before = text[start - 1] if start else " "
            if before in _NOT_BARE_BEFORE or before.isalnum():
                continue
            if start not in spans and not page.scan.in_container(start):
                yield Violation(start, "bare URL in the text")


class LonelyClosingBracket(Rule):
    code = "E109"
    name = "lonely-closing-bracket"
    severity = Severity.INFO
    wikilint = ("lonely-bracket",)
    summary = "A single `]` that closes no `[` on its line"
    what = "Finds `]` with no `[` before it on the same line (link brackets `[[`/`]]` are L101's)."
    why = "It is usually left over from an external link or citation edit and shows up in the text."
    example = "[https://example.org Report], p. 4.] More text."
    use_instead = "[https://example.org Report], p. 4. More text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        match = _SINGLE_CLOSING.search(text)  # runs of two or more close links: not checked
        while match is not None:
            start = text.rfind("\n", 0, match.start()) + 1
            line_end = text.find("\n", match.start())
            if line_end == -1:
                line_end = len(text)
            line = text[start:line_end]
            if _may_close_nothing(line):
                yield from _lonely_closings(line, start)
            match = _SINGLE_CLOSING.search(text, line_end)  # the next line with one


def _may_close_nothing(line: str) -> bool:
    """False when every single ']' of ``line`` surely closes a '[' before it. Counted with string
    methods (C speed) on the line with ``[[`` and ``]]`` taken out, which can only add lone ']'
    (``]]]`` leaves one) or take away '[' (``&#91;[``): most lines, where each ']' ends an external
    link, are then spared the exact token scan of :func:`_lonely_closings`."""
    if "&" in line:
        line = line.replace("&#91;", "[")
    opened = 0
    for before in line.replace("[[", "\0").replace("]]", "\0").split("]")[:-1]:
        opened += before.count("[") - 1
        if opened < 0:
            return True
    return False


def _lonely_closings(line: str, offset: int) -> Iterator[Violation]:
    opened = 0  # single brackets open so far on the line (``&#91;`` counts: it renders as one)
    for match in _SQUARE_TOKEN.finditer(line):
        token = match.group()
        if token in ("[", "&#91;"):
            opened += 1
        elif token == "]":
            if opened:
                opened -= 1
            else:
                yield Violation(offset + match.start(), "']' closes no '[' on this line")
