"""Tag rules (T1xx): HTML and extension tags that do not pair up, are obsolete, malformed or misused."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from itertools import pairwise

from ...edits import Edit
from ...markup import UNPARSED_TAGS
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .shared import tags_named
from .structure import (
    OPTIONAL_CLOSE,
    PAIRED_HTML,
    VOID_HTML,
    WIKI_EXT_TAGS,
    Tag,
    attributes,
    code_element_spans,
    code_masked,
    memo,
    opening_names,
    references,
    tables,
    tag_balance,
    tags,
)

_EXTENSION = frozenset(UNPARSED_TAGS) | frozenset(WIKI_EXT_TAGS)
#: Obsolete HTML elements (HTML5 "non-conforming features"), as WikiLint's obsolete-tag lists them.
OBSOLETE_TAGS = {"center": None, "font": None, "big": None, "strike": "s", "tt": "code"}
_BLOCK = frozenset({"align"})
_TR = frozenset({"bgcolor", "align", "valign"})
_TD = _TR | {"axis", "height", "nowrap", "width"}
#: Obsolete attributes per element (WikiLint obsolete-attr; the HTML5 spec's obsolete features).
OBSOLETE_ATTRIBUTES: dict[str, frozenset[str]] = {
    "table": frozenset(
        {"summary", "align", "bgcolor", "cellpadding", "cellspacing", "frame", "rules", "width"}
    ),
    "td": _TD | {"scope"},
    "th": _TD,
    "tr": _TR,
    "br": frozenset({"clear"}),
    "caption": _BLOCK,
    "div": _BLOCK,
    "hr": frozenset({"width"}),
    "li": frozenset({"type"}),
    "ul": frozenset({"type"}),
    "p": _BLOCK,
    "pre": frozenset({"width"}),
    **{f"h{level}": _BLOCK for level in range(1, 7)},
}
_COMMON_ATTRIBUTES = frozenset(
    [
        "id",
        "class",
        "style",
        "lang",
        "dir",
        "title",
        "tabindex",
        "role",
        "about",
        "property",
        "resource",
        "datatype",
        "typeof",
        "itemid",
        "itemprop",
        "itemref",
        "itemscope",
        "itemtype",
    ]
)
#: Attributes MediaWiki's Sanitizer keeps per element beyond the common ones (others are dropped).
ALLOWED_ATTRIBUTES: dict[str, frozenset[str]] = {
    **{name: frozenset(attrs) for name, attrs in OBSOLETE_ATTRIBUTES.items()},
    "table": OBSOLETE_ATTRIBUTES["table"] | {"border"},
    "td": _TD | {"abbr", "headers", "scope", "rowspan", "colspan"},
    "th": _TD | {"abbr", "headers", "scope", "rowspan", "colspan"},
    "blockquote": frozenset({"cite"}),
    "q": frozenset({"cite"}),
    "ins": frozenset({"cite", "datetime"}),
    "del": frozenset({"cite", "datetime"}),
    "ol": frozenset({"type", "start", "reversed"}),
    "li": frozenset({"type", "value"}),
    "font": frozenset({"size", "color", "face"}),
    "data": frozenset({"value"}),
    "time": frozenset({"datetime"}),
    "ref": frozenset({"group", "name", "follow", "dir", "details", "extends"}),
    "references": frozenset({"group", "responsive"}),
    "gallery": frozenset({"mode", "showfilename", "caption", "perrow", "widths", "heights", "type"}),
    "poem": frozenset({"compact", "align"}),
}
_CHECKED_ATTRIBUTES = (PAIRED_HTML | {"br", "hr"}) - {"font"}
_BR = re.compile(r"<\s*/?\s*br\b[^<>]*>|<br\s*[\\.][^<>]*>", re.IGNORECASE)
_GOOD_BR = re.compile(r"<br(?:\s+[^<>/\\]*?)?\s*/?>", re.IGNORECASE)
_STYLE_HACK = re.compile(
    r"(?:^|[;\s\"'])(-moz-|-webkit-|-ms-|-o-)|expression\s*\(|javascript:|behavior\s*:", re.I
)
_BROKEN_TAG = re.compile(
    rf"</?({'|'.join(sorted(PAIRED_HTML | _EXTENSION | VOID_HTML))})\b[^<>\n]*(?=<|\n|$)", re.I
)
#: Elements that templates commonly open for the page to close (``{{Div col}}`` ... ``</div>``).
_TEMPLATE_OPENED = frozenset({"div", "span"})
_KNOWN_TAGS = PAIRED_HTML | _EXTENSION | VOID_HTML
_STYLE = re.compile(r"""\bstyle\s*=\s*(?:"([^"]*)"|'([^']*)')""", re.IGNORECASE)
#: The "=" of each :data:`_STYLE` match: right after "style" in any case, or after a space (the rest is
#: checked by :data:`_STYLE` itself). A search that starts at a literal "=" skips to it in C; one that
#: starts with ``\b`` or an ignore-case letter is tried at every offset (5x slower over the corpus).
#: The set holds what IGNORECASE matches for "s" (``ſ`` too).
_STYLE_EQUALS = re.compile(r"""=(?:(?<=[sS\u017f][tT][yY][lL][eE]=)|(?<=\s=))\s*["']""")
_INCLUDE_TAGS = ("noinclude", "includeonly", "onlyinclude")


def _quoted(tag: Tag) -> str:
    return f"</{tag.name}>" if tag.closing else f"<{tag.name}>"


class UnclosedExtensionTag(Rule):
    code = "T101"
    name = "unclosed-extension-tag"
    severity = Severity.ERROR
    checkwiki = (
        13,
        14,
        23,
        24,
        29,
        94,
        109,
    )
    wikilint = ("unmatched-tag",)
    parsoid = ("missing-end-tag", "missing-end-tag-in-heading")
    summary = "`<math>`, `<nowiki>`, `<ref>`, `<gallery>`... without its closing tag"
    what = (
        "Finds extension tags (`<ref>`, `<math>`, `<nowiki>`, `<pre>`, `<gallery>`, `<noinclude>`...) "
        "never closed."
    )
    why = (
        "An unclosed extension tag is shown as literal text, or swallows the rest of the page into one "
        "element."
    )
    example = "Energy <math>E = mc^2 is famous."
    use_instead = "Energy <math>E = mc^2</math> is famous."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tag_balance(page.scan).unclosed:
            if tag.name in _EXTENSION:
                yield Violation(tag.start, f"<{tag.name}> is not closed by </{tag.name}>")


class UnclosedHtmlTag(Rule):
    code = "T102"
    name = "unclosed-html-tag"
    severity = Severity.WARNING
    checkwiki = (
        15,
        98,
        99,
        100,
    )
    wikilint = ("unmatched-tag",)
    parsoid = ("missing-end-tag",)
    summary = "HTML element such as `<sup>`, `<div>` or `<li>` without its closing tag"
    what = "Finds paired HTML elements opened and never closed (`<p>`, `<td>`, `<tr>`... excepted)."
    why = "The element runs on: the rest of the paragraph or page is superscript, small, or inside the div."
    example = "Water is H<sub>2O."
    use_instead = "Water is H<sub>2</sub>O."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tag_balance(page.scan).unclosed:
            if tag.name in PAIRED_HTML and (tag.name not in OPTIONAL_CLOSE or tag.name == "li"):
                yield Violation(tag.start, f"<{tag.name}> is not closed by </{tag.name}>")


class StrayClosingTag(Rule):
    code = "T103"
    name = "stray-closing-tag"
    severity = Severity.WARNING
    checkwiki = (94,)
    wikilint = (
        "unmatched-tag",
        "tag-like",
    )
    parsoid = ("stripped-tag",)
    summary = "Closing tag such as `</div>` or `</ref>` without an opening tag"
    what = "Finds closing tags of paired elements that close nothing."
    why = "MediaWiki shows a stray `</ref>` as text and drops other stray closings, often hiding a typo."
    example = "A fact.</ref> More text.</span>"
    use_instead = "A fact.<ref>Source.</ref> More text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tag_balance(page.scan).stray:
            if tag.name not in _TEMPLATE_OPENED:
                yield Violation(tag.start, f"</{tag.name}> closes nothing")


class ObsoleteTag(Rule):
    code = "T104"
    name = "obsolete-tag"
    severity = Severity.WARNING
    checkwiki = (
        40,
        41,
        42,
    )
    wikilint = ("obsolete-tag",)
    parsoid = ("obsolete-tag",)
    summary = "Obsolete HTML element: `<center>`, `<font>`, `<big>`, `<strike>`, `<tt>`"
    what = (
        "Finds the HTML elements HTML5 made obsolete; `<strike>` and `<tt>` are fixed to `<s>` and `<code>`."
    )
    why = "Obsolete elements may stop rendering in future browsers and mix presentation into the text."
    example = "<strike>old</strike> <center>title</center>"
    use_instead = '<s>old</s> <div style="text-align:center">title</div>'
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for tag in tags_named(page.scan, OBSOLETE_TAGS):
            if tag.name in OBSOLETE_TAGS:
                modern = OBSOLETE_TAGS[tag.name]
                fix = None
                if modern is not None:
                    name_start = tag.start + (2 if tag.closing else 1)
                    if text[name_start : name_start + len(tag.name)].lower() == tag.name:
                        fix = (Edit(name_start, name_start + len(tag.name), modern),)
                yield Violation(tag.start, f"obsolete HTML tag {_quoted(tag)}", fix)


Attributes = list[tuple[str, str | None, int]]


def _attribute_places(page: PageContext) -> list[tuple[str, int, str, Attributes]]:
    """``(element, offset, attribute text, parsed attributes)`` of every HTML tag and wiki table line with
    attributes, in order; parsed once for the five attribute rules."""

    def build(scan: PageScan) -> list[tuple[str, int, str, Attributes]]:
        places = [
            (tag.name, tag.attrs_start, tag.attrs)
            for tag in tags(scan)
            if not tag.closing and tag.attrs.strip()
        ]
        for table in tables(scan):
            places.extend(table.attr_spans)
        places.sort(key=lambda place: place[1])
        return [(element, offset, attrs, attributes(attrs)) for element, offset, attrs in places]

    return memo(page.scan, "attribute_places", build)


class ObsoleteAttribute(Rule):
    code = "T105"
    name = "obsolete-attribute"
    severity = Severity.WARNING
    wikilint = ("obsolete-attr",)
    summary = "Obsolete HTML attribute such as `align`, `bgcolor`, `width` on a table cell"
    what = (
        "Finds attributes HTML5 made obsolete on tables, rows, cells, `<div>`, `<br>`... (wiki tables too)."
    )
    why = (
        "Obsolete presentational attributes are ignored by some skins and readers; CSS in `style` works "
        "everywhere."
    )
    example = '{| align="center"\n| bgcolor="red" | text\n|}'
    use_instead = '{| style="margin:auto"\n| style="background:red" | text\n|}'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for element, offset, _attrs, parsed in _attribute_places(page):
            obsolete = OBSOLETE_ATTRIBUTES.get(element)
            if obsolete is None:
                continue
            for name, _value, at in parsed:
                if name in obsolete:
                    yield Violation(offset + at, f"obsolete attribute '{name}' on <{element}>")


class MalformedBreak(Rule):
    code = "T106"
    name = "malformed-br"
    severity = Severity.WARNING
    checkwiki = (2,)
    wikilint = (
        "unmatched-tag",
        "no-ignored",
    )
    summary = "`</br>`, `<br\\>`, `<br.>` and other broken line-break tags"
    what = "Finds line-break tags that are not `<br>`, `<br/>` or `<br />`, and fixes them to `<br>`."
    why = "Browsers guess what `</br>` or `<br\\>` means; MediaWiki may escape them and show the tag as text."
    example = "First line</br>second line<br\\>third"
    use_instead = "First line<br>second line<br>third"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for match in _BR.finditer(text):  # as fast as a pre-test for "br" in each case would be
            if _GOOD_BR.fullmatch(match.group()):
                continue
            fix = None if "=" in match.group() else (Edit(match.start(), match.end(), "<br>"),)
            yield Violation(match.start(), f"malformed line break '{match.group()}'; use <br>", fix)


class SelfClosedPairedTag(Rule):
    code = "T107"
    name = "self-closed-paired-tag"
    severity = Severity.WARNING
    checkwiki = (2,)
    wikilint = ("unmatched-tag",)
    parsoid = ("self-closed-tag",)
    summary = "Self-closed non-void element such as `<div/>`, `<span />` or `<center/>`"
    what = "Finds `<name/>` for elements that must have content."
    why = "HTML ignores the slash: `<div/>` opens a div that is never closed and wraps the rest of the page."
    example = "<div/>Text"
    use_instead = "<div></div>Text"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tags(page.scan):  # most tags are HTML elements: no index helps
            if tag.self_closing and not tag.closing and tag.name in PAIRED_HTML:
                yield Violation(tag.start, f"<{tag.name}/> is not a valid self-closing tag")


_WIKI_MARKUP_FOR = {"b": "'''", "i": "''"}


class HtmlTextStyle(Rule):
    code = "T108"
    name = "html-text-style"
    severity = Severity.INFO
    checkwiki = (
        26,
        33,
        38,
    )
    summary = "`<b>`, `<i>` or `<u>` instead of wiki markup"
    what = "Finds `<b>`, `<i>` and `<u>`; fixes a simple `<b>x</b>` to `'''x'''` and `<i>x</i>` to `''x''`."
    why = (
        "Wiki markup is what editors expect; `<u>` underlines, which readers take for a link (MOS:UNDERLINE)."
    )
    example = "A <b>bold</b> and <i>italic</i> word."
    use_instead = "A '''bold''' and ''italic'' word."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if not tags_named(page.scan, ("b", "i", "u")):
            return
        text = page.scan.text
        found = tags(page.scan)
        for index, tag in enumerate(found):
            if tag.closing or tag.name not in ("b", "i", "u"):
                continue
            fix = None
            after = found[index + 1] if index + 1 < len(found) else None
            if (
                tag.name in _WIKI_MARKUP_FOR
                and not tag.attrs.strip()
                and after is not None
                and after.closing
                and after.name == tag.name
            ):
                inner = text[tag.end : after.start]
                before = text[tag.start - 1] if tag.start else ""
                following = text[after.end : after.end + 1]
                if inner.strip() and "'" not in inner and "\n" not in inner and "'" not in before + following:
                    marks = _WIKI_MARKUP_FOR[tag.name]
                    fix = (Edit(tag.start, tag.end, marks), Edit(after.start, after.end, marks))
            yield Violation(tag.start, f"HTML <{tag.name}>; use wiki markup", fix)


class HtmlStructure(Rule):
    code = "T109"
    name = "html-structure"
    severity = Severity.INFO
    checkwiki = (
        12,
        39,
    )
    summary = "HTML lists or paragraphs (`<ul>`, `<ol>`, `<p>`) instead of wiki markup"
    what = "Finds `<ol>`, `<ul>` and `<p>` in the page."
    why = "Wiki syntax for lists and paragraphs is easier to edit and is what the visual editor produces."
    example = "<ul><li>One</li></ul>"
    use_instead = "* One"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tags_named(page.scan, ("ol", "ul", "p")):
            if not tag.closing and tag.name in ("ol", "ul", "p"):
                yield Violation(tag.start, f"HTML <{tag.name}>; use wiki markup")


class HtmlAnchorTag(Rule):
    code = "T110"
    name = "html-link-tag"
    severity = Severity.ERROR
    checkwiki = (4,)
    wikilint = ("tag-like",)
    summary = "HTML `<a>` tag, which MediaWiki does not allow"
    what = "Finds `<a ...>` and `</a>`."
    why = "MediaWiki escapes `<a>`: the reader sees the tag as text and gets no link."
    example = '<a href="https://example.org">Example</a>'
    use_instead = "[https://example.org Example]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        code = code_element_spans(page.scan)
        for tag in tags_named(page.scan, ("a",)):
            if tag.name == "a" and not tag.closing and tag.start not in code:
                yield Violation(tag.start, "<a> is not allowed in wikitext; use [url label] or [[link]]")


class SmallMisuse(Rule):
    code = "T111"
    name = "small-misuse"
    severity = Severity.WARNING
    checkwiki = (
        55,
        63,
    )
    summary = "`<small>` inside `<small>`, `<ref>`, `<sub>` or `<sup>`"
    what = "Finds `<small>` where the text is already small."
    why = "Small inside small text falls below the minimum readable size (MOS:FONTSIZE)."
    example = "<small>a <small>b</small></small> and x<sup><small>2</small></sup>"
    use_instead = "<small>a b</small> and x<sup>2</sup>"

    def check(self, page: PageContext) -> Iterator[Violation]:
        depth: dict[str, int] = {"small": 0, "sub": 0, "sup": 0}
        refs = [(r.content_start, r.end) for r in references(page.scan).refs if r.content is not None]
        ref_index = 0
        for tag in tags_named(page.scan, depth):
            if tag.name not in depth:
                continue
            if tag.closing:
                depth[tag.name] = max(0, depth[tag.name] - 1)
                continue
            if tag.self_closing:
                continue
            while ref_index < len(refs) and refs[ref_index][1] <= tag.start:
                ref_index += 1
            in_ref = ref_index < len(refs) and refs[ref_index][0] <= tag.start
            if tag.name == "small" and (any(depth.values()) or in_ref):
                where = "a reference" if in_ref and not any(depth.values()) else "small, sub or sup text"
                yield Violation(tag.start, f"<small> inside {where} makes text too small")
            depth[tag.name] += 1


_EMPTY_CANDIDATES = frozenset(
    {
        "center",
        "span",
        "div",
        "small",
        "big",
        "b",
        "i",
        "u",
        "s",
        "sup",
        "sub",
        "code",
        "noinclude",
        "includeonly",
        "onlyinclude",
        "em",
        "strong",
        "tt",
        "font",
        "pre",
    }
)


class EmptyTag(Rule):
    code = "T112"
    name = "empty-tag"
    severity = Severity.WARNING
    checkwiki = (85,)
    summary = "Element with no content and no attributes, such as `<center></center>`"
    what = "Finds an opening tag directly followed by its closing tag (whitespace between), and removes both."
    why = "An empty element does nothing; it is usually left over from an edit."
    example = "Text<center></center> more <span> </span>"
    use_instead = "Text more"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if not tags_named(page.scan, _EMPTY_CANDIDATES):
            return
        text = page.scan.text
        found = tags(page.scan)
        for tag, after in pairwise(found):
            if (
                tag.name in _EMPTY_CANDIDATES
                and not tag.closing
                and not tag.self_closing
                and not tag.attrs.strip()
                and after.closing
                and after.name == tag.name
                and not text[tag.end : after.start].strip()
            ):
                yield Violation(
                    tag.start, f"empty <{tag.name}></{tag.name}>", (Edit(tag.start, after.end, ""),)
                )


class IncludeTagInArticle(Rule):
    code = "T113"
    name = "include-tag-in-article"
    severity = Severity.WARNING
    checkwiki = (110,)
    wikilint = ("no-ignored",)
    summary = "`<noinclude>`, `<includeonly>` or `<onlyinclude>` in an article"
    what = "Finds transclusion control tags in main-namespace pages."
    why = "Articles are not transcluded; the tags do nothing there except hide text in odd ways."
    example = "<noinclude>Draft note</noinclude> Text."
    use_instead = "Text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.namespace != 0:
            return
        for tag in tags_named(page.scan, _INCLUDE_TAGS):
            if tag.name in _INCLUDE_TAGS and not tag.closing:
                yield Violation(tag.start, f"<{tag.name}> in an article")


class VendorCss(Rule):
    code = "T114"
    name = "vendor-or-insecure-css"
    severity = Severity.WARNING
    checkwiki = (112,)
    wikilint = ("insecure-style",)
    summary = "`style` with vendor prefixes (`-moz-`, `-webkit-`) or insecure CSS (`expression(`)"
    what = (
        "Finds inline styles using browser-specific prefixes, `expression()`, `behavior:` or `javascript:`."
    )
    why = "Prefixed properties are obsolete; MediaWiki removes insecure CSS, so the whole style is lost."
    example = '<div style="-moz-border-radius:4px">box</div>'
    use_instead = '<div style="border-radius:4px">box</div>'

    def check(self, page: PageContext) -> Iterator[Violation]:
        # every style attribute is read: a pre-test for the hacks in the whole page had to miss some
        # spellings (CSS ignores case: "eXpression(") to be cheaper than this one pass
        for match in _style_attributes(code_masked(page.scan)):
            style = match.group(1) if match.group(1) is not None else match.group(2)
            hack = _STYLE_HACK.search(style)
            if hack:
                used = hack.group().strip(" ;\"'")
                yield Violation(match.start(), f"style uses '{used}'")


def _style_attributes(text: str) -> Iterator[re.Match[str]]:
    """What ``_STYLE.finditer(text)`` finds, found from their "=" signs (see :data:`_STYLE_EQUALS`)."""
    end = 0  # matches do not overlap: the next one starts past the last
    for equals in _STYLE_EQUALS.finditer(text):
        start = equals.start()
        while start and text[start - 1].isspace():  # what \s matches; each run is walked once
            start -= 1
        start -= len("style")
        if start >= end and (match := _STYLE.match(text, start)) is not None:
            end = match.end()
            yield match


class BrokenTag(Rule):
    code = "T115"
    name = "broken-tag"
    severity = Severity.ERROR
    checkwiki = (109,)
    wikilint = ("tag-like",)
    summary = 'Tag without its closing `>` (`</ref`, `<div class="x"`), or a closing tag with attributes'
    what = (
        "Finds the start of a known tag that reaches the end of the line or another `<` before `>`, and "
        'closing tags with attributes such as `</ref name="a">`.'
    )
    why = "MediaWiki shows an unterminated tag as text, and the element it meant to open or close is broken."
    example = "Fact.<ref>Source</ref More text."
    use_instead = "Fact.<ref>Source</ref> More text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for tag in tags(page.scan):  # most tags are known ones: no index helps
            if tag.closing and tag.attrs.strip() and tag.name in _KNOWN_TAGS:
                yield Violation(
                    tag.start, f"closing tag </{tag.name}> with attributes '{tag.attrs.strip()[:30]}'"
                )
        if text.count("<") == len(tags(page.scan)):
            return  # every '<' starts a complete tag
        for match in _BROKEN_TAG.finditer(text):
            yield Violation(match.start(), f"tag '{match.group().strip()[:30]}' is not closed with '>'")


class UnclosedComment(Rule):
    code = "T116"
    name = "unclosed-comment"
    severity = Severity.ERROR
    checkwiki = (5,)
    wikilint = ("unclosed-comment",)
    summary = "`<!--` without `-->`"
    what = "Finds a comment that is never closed."
    why = "Everything after an unclosed `<!--` disappears from the rendered page."
    example = "Text <!-- note\n== History ==\n..."
    use_instead = "Text <!-- note -->\n== History ==\n..."

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        position = 0
        while (start := text.find("<!--", position)) != -1:
            close = text.find("-->", start + 4)
            if close == -1:
                yield Violation(start, "comment is not closed by '-->'")
                return
            position = close + 3


class DuplicateAttribute(Rule):
    code = "T117"
    name = "duplicate-attribute"
    severity = Severity.WARNING
    wikilint = ("no-duplicate",)
    summary = "The same attribute twice in one tag or table line"
    what = "Finds `style`, `class` or any other attribute given twice on one element."
    why = "Only one value survives (the last); the other is silently lost."
    example = '<span style="color:red" style="font-weight:bold">x</span>'
    use_instead = '<span style="color:red; font-weight:bold">x</span>'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for element, offset, _attrs, parsed in _attribute_places(page):
            seen: set[str] = set()
            for name, _value, at in parsed:
                if not _ATTRIBUTE_NAME.fullmatch(name):
                    continue  # junk on a row line is T118's
                if name in seen:
                    yield Violation(offset + at, f"attribute '{name}' repeated on <{element}>")
                seen.add(name)


_ATTRIBUTE_NAME = re.compile(r"[a-z][a-z0-9_:.-]*")


class IllegalAttribute(Rule):
    code = "T118"
    name = "illegal-attribute"
    severity = Severity.WARNING
    wikilint = (
        "illegal-attr",
        "no-ignored",
    )
    summary = "Attribute MediaWiki drops: unknown for the element, or not a valid name"
    what = (
        "Finds attributes the Sanitizer removes from HTML elements and table lines (`data-*`, `aria-*` "
        "are fine)."
    )
    why = "The attribute is silently dropped, so the styling or id the editor meant never reaches the page."
    example = '<span colour="red">x</span>\n{| class="wikitable" font-size:80%;"\n|}'
    use_instead = '<span style="color:red">x</span>\n{| class="wikitable" style="font-size:80%;"\n|}'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for element, offset, attrs, parsed in _attribute_places(page):
            if element not in _CHECKED_ATTRIBUTES or "{{" in attrs:
                continue  # a template may write attributes MediaWiki keeps
            allowed = ALLOWED_ATTRIBUTES.get(element, frozenset())
            for name, _value, at in parsed:
                if not _ATTRIBUTE_NAME.fullmatch(name):
                    yield Violation(offset + at, f"'{name}' is not a valid attribute name on <{element}>")
                elif not (
                    name in _COMMON_ATTRIBUTES
                    or name in allowed
                    or name.startswith(("data-", "aria-", "xml:"))
                ):
                    yield Violation(offset + at, f"<{element}> has no attribute '{name}'")


class DuplicateId(Rule):
    code = "T119"
    name = "duplicate-id"
    severity = Severity.WARNING
    wikilint = ("no-duplicate",)
    parsoid = ("duplicate-ids",)
    summary = "The same `id` on two elements"
    what = "Finds `id` attributes (HTML tags and table lines) used twice on the page."
    why = "An id names one place: links to it land on the first, and the second breaks the page's HTML."
    example = '<span id="start"></span> ... <div id="start">'
    use_instead = '<span id="start"></span> ... <div id="start-2">'

    def check(self, page: PageContext) -> Iterator[Violation]:
        seen: set[str] = set()
        for _element, offset, attrs, parsed in _attribute_places(page):
            if "id" not in attrs:
                continue
            for name, value, at in parsed:
                if name == "id" and value and "{" not in value:
                    if value.strip() in seen:
                        yield Violation(offset + at, f"id '{value.strip()}' is already used on this page")
                    seen.add(value.strip())


#: Extension tags that need an attribute, and the attribute (WikiLint required-attr).
REQUIRED_ATTRIBUTES = {"templatestyles": "src", "indicator": "name", "langconvert": "from"}
#: Extension tags that take no content (WikiLint void-ext).
VOID_EXTENSIONS = frozenset({"templatestyles", "section", "languages"})


class RequiredAttribute(Rule):
    code = "T120"
    name = "missing-required-attribute"
    severity = Severity.ERROR
    wikilint = ("required-attr",)
    summary = "`<templatestyles>` without `src`, `<indicator>` without `name`"
    what = "Finds extension tags missing the attribute they cannot work without."
    why = "The extension shows an error message instead of doing its job."
    example = "<templatestyles />"
    use_instead = '<templatestyles src="Navbox/styles.css" />'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for tag in tags_named(page.scan, REQUIRED_ATTRIBUTES):
            needed = REQUIRED_ATTRIBUTES.get(tag.name)
            if needed and not tag.closing and needed not in {name for name, _v, _a in attributes(tag.attrs)}:
                yield Violation(tag.start, f"<{tag.name}> needs a '{needed}' attribute")


class UnclosedAttributeQuote(Rule):
    code = "T121"
    name = "unclosed-attribute-quote"
    severity = Severity.ERROR
    wikilint = ("unclosed-quote",)
    summary = "Attribute value with an opening quote and no closing one"
    what = 'Finds `style="color:red>` and other attribute values whose quote is never closed.'
    why = "MediaWiki drops the attribute (or the rest of the tag): the styling or name is lost."
    example = '<span style="color:red>text</span>'
    use_instead = '<span style="color:red">text</span>'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for element, offset, attrs, parsed in _attribute_places(page):
            if '"' not in attrs and "'" not in attrs:
                continue
            for name, _value, at in parsed:
                quote = _QUOTE_AFTER_EQUALS.match(attrs, at + len(name))
                if quote and attrs.find(quote.group(1), quote.end()) == -1:
                    yield Violation(offset + at, f"the value of '{name}' on <{element}> has no closing quote")


_QUOTE_AFTER_EQUALS = re.compile(r"""\s*=\s*(["'])""")


class VoidExtensionContent(Rule):
    code = "T122"
    name = "void-extension-content"
    severity = Severity.ERROR
    wikilint = ("void-ext",)
    summary = "Content inside `<templatestyles>` or another extension tag that takes none"
    what = "Finds text between the opening and closing tag of extensions that must be self-closing."
    why = "The extension ignores the content: it is lost, or shown as an error."
    example = '<templatestyles src="a.css">text</templatestyles>'
    use_instead = '<templatestyles src="a.css" />text'

    def check(self, page: PageContext) -> Iterator[Violation]:
        if not tags_named(page.scan, VOID_EXTENSIONS):
            return
        found = tags(page.scan)
        text = page.scan.text
        for tag, after in pairwise(found):
            opened = tag.name in VOID_EXTENSIONS and not tag.closing and not tag.self_closing
            if opened and after.closing and after.name == tag.name and text[tag.end : after.start].strip():
                yield Violation(tag.start, f"<{tag.name}> takes no content")


def _elements(page: PageContext, name: str) -> Iterator[tuple[int, int, str]]:
    """``(offset of the content, offset of the element, content)`` of each ``<name>...</name>``."""
    if not any(word.startswith(name) for word in opening_names(page.scan)):
        return
    text = page.scan.text
    pattern = re.compile(rf"<{name}\b[^<>]*?(?<!/)>(.*?)</{name}\s*>", re.IGNORECASE | re.DOTALL)
    for match in pattern.finditer(text):
        yield match.start(1), match.start(), match.group(1)


class InvalidTemplateData(Rule):
    code = "T123"
    name = "invalid-templatedata-json"
    severity = Severity.ERROR
    wikilint = ("invalid-json",)
    summary = "`<templatedata>` whose content is not valid JSON"
    what = "Parses the JSON inside `<templatedata>` and reports where it breaks."
    why = "TemplateData shows an error instead of the parameter table, and the visual editor gets no help."
    example = '<templatedata>{"params": {"1": {"label": "Name",}}}</templatedata>'
    use_instead = '<templatedata>{"params": {"1": {"label": "Name"}}}</templatedata>'

    def check(self, page: PageContext) -> Iterator[Violation]:
        for start, _element, content in _elements(page, "templatedata"):
            try:
                json.loads(content)
            except json.JSONDecodeError as error:
                yield Violation(start + error.pos, f"invalid JSON in <templatedata>: {error.msg}")


_GALLERY_LINE = re.compile(r"\s*(?:[^|:\[\]{}<>]+:)?[^|\[\]{}<>\n]+\.[A-Za-z0-9]{2,5}\s*(?:\|.*)?", re.DOTALL)


class InvalidGallery(Rule):
    code = "T124"
    name = "invalid-gallery-line"
    severity = Severity.WARNING
    wikilint = ("invalid-gallery",)
    summary = "A line in `<gallery>` that is not a file name with an optional caption"
    what = "Finds gallery lines that do not start with a file name (`Name.jpg|caption`)."
    why = "MediaWiki skips such lines (or shows a broken image): the text or image meant there is lost."
    example = "<gallery>\nTokyo.jpg|Tokyo\n[[Osaka]]\n</gallery>"
    use_instead = "<gallery>\nTokyo.jpg|Tokyo\nOsaka.jpg|[[Osaka]]\n</gallery>"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for start, _element, content in _elements(page, "gallery"):
            offset = start
            for line in content.split("\n"):
                stripped = line.strip()
                if stripped and not stripped.startswith("<!--") and not _GALLERY_LINE.fullmatch(line):
                    yield Violation(offset + len(line) - len(line.lstrip()), "gallery line is not a file")
                offset += len(line) + 1


_IMAGEMAP_SHAPE = re.compile(
    r"\s*(?:rect(?:\s+-?\d+){4}|circle(?:\s+-?\d+){3}|poly(?:\s+-?\d+)+|default)\s*\[\["
)
_IMAGEMAP_OTHER = re.compile(r"\s*(?:#|desc\s+\S|$)", re.IGNORECASE)


class InvalidImagemap(Rule):
    code = "T125"
    name = "invalid-imagemap-line"
    severity = Severity.WARNING
    wikilint = ("invalid-imagemap",)
    summary = "A line in `<imagemap>` that is not an image, a shape with a link, `desc` or a comment"
    what = "Checks imagemap content: an image first, then `rect`/`circle`/`poly`/`default` with a link."
    why = "ImageMap shows an error instead of the clickable image."
    example = "<imagemap>\nFile:Map.png|400px\nrect 0 0 10 [[Tokyo]]\n</imagemap>"
    use_instead = "<imagemap>\nFile:Map.png|400px\nrect 0 0 10 10 [[Tokyo]]\n</imagemap>"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for start, _element, content in _elements(page, "imagemap"):
            offset = start
            seen_image = False
            for line in content.split("\n"):
                if line.strip() and not line.strip().startswith("#"):
                    if not seen_image:
                        seen_image = True
                    elif not (_IMAGEMAP_SHAPE.match(line) or _IMAGEMAP_OTHER.match(line)):
                        yield Violation(offset, "imagemap line is not a shape with a link")
                offset += len(line) + 1
