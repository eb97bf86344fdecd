"""Formatting rules (F1xx): entities, quotes, list and caption markup, arrows and ordinals."""

from __future__ import annotations

import html.entities
import re
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .structure import FileLink, code_element_spans, code_masked, file_links, memo, references

#: Entities that stand for characters an editor cannot see or that are markup; they stay entities.
KEEP_ENTITIES = frozenset(
    [
        "amp",
        "lt",
        "gt",
        "quot",
        "apos",
        "nbsp",
        "shy",
        "zwj",
        "zwnj",
        "lrm",
        "rlm",
        "thinsp",
        "ensp",
        "emsp",
        "hairsp",
        "numsp",
        "puncsp",
        "NewLine",
        "Tab",
        "ZeroWidthSpace",
        "NonBreakingSpace",
        "InvisibleTimes",
        "InvisibleComma",
        "ic",
        "it",
        "af",
        "ApplyFunction",
        "lowast",
        "minus",
        "prime",
        "Prime",
        "lsquo",
        "rsquo",
        "ldquo",
        "rdquo",
        "sbquo",
        "bdquo",
        "lsaquo",
        "rsaquo",
        "laquo",
        "raquo",
    ]
)
_NAMED_ENTITY = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31});")
_NUMERIC_ENTITY = re.compile(r"&#(?:[xX]([0-9A-Fa-f]{1,6})|([0-9]{1,7}));")
_ENTITY_WITHOUT_SEMICOLON = re.compile(r"&([A-Za-z][A-Za-z0-9]{1,31})(?=[^A-Za-z0-9;]|$)")
_LINE_END_BREAK = re.compile(r"<br\s*/?\s*>[ \t]*$", re.MULTILINE | re.IGNORECASE)
_ARROW = re.compile(r"<->|<-{1,2}|-{1,2}>|<=>|==>|<==|=>")
_NOT_BESIDE_ARROW = frozenset("-<=!>|{}_")
_ARROWS = {
    "->": "→",
    "-->": "→",
    "<-": "←",
    "<--": "←",
    "<->": "↔",
    "=>": "⇒",
    "==>": "⇒",
    "<==": "⇐",
    "<=>": "⇔",
}
_ORDINAL = re.compile(r"<sup>(st|nd|rd|th)</sup>", re.IGNORECASE)
_INDENTED_LIST = re.compile(r"\n:+[*#]")
#: Not ``'{2,}``: a pattern opening with a literal (``''``) is searched for in C, 4x faster.
_QUOTE_RUN = re.compile(r"'''*")
_CAPTION_BREAK = re.compile(r"<br\s*/?\s*>\s*$", re.IGNORECASE)
_FULL_SMALL = re.compile(r"^\s*<small>.*</small>\s*$", re.IGNORECASE | re.DOTALL)
_IMAGE_OPTION = re.compile(
    r"\s*(?:thumb|thumbnail|frame|framed|frameless|border|left|right|center|centre|none|baseline|middle|sub|"
    r"super|sup|text-top|text-bottom|top|bottom|upright(?:\s*=?\s*[\d.]*)?|\d*(?:x\d+)?\s*px|"
    r"(?:alt|link|page|class|lang|upright|thumbtime|start|end|loop|muted)\s*=.*)\s*",
    re.DOTALL,
)
#: What an image option may look like in a wiki whose option names are not English (``мини``, ``200пкс``,
#: ``サムネイル``): one word without markup. A caption of one word is not told apart there.
_LOCAL_OPTION = re.compile(
    r"\s*(?:[^\s\[\]{}<>'|=]{1,24}|\d+(?:x\d+)?\s*[^\W\d]{1,4})(?:\s*=.*)?\s*", re.DOTALL
)
_INVISIBLE_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp", "Mn", "Me", "Co", "Cn", "Cs"})
_MARKUP_CHARACTERS = frozenset("<>&[]{}|'=*#:;!~-\"")


def _ok_character(character: str) -> bool:
    """Whether an entity for ``character`` can be written as the character without changing the page."""
    return (
        len(character) == 1
        and character not in _MARKUP_CHARACTERS
        and not character.isspace()
        and unicodedata.category(character) not in _INVISIBLE_CATEGORIES
    )


def _named_character(match: re.Match[str]) -> str | None:
    name = match.group(1)
    return None if name in KEEP_ENTITIES else html.entities.html5.get(name + ";")


def _numeric_character(match: re.Match[str]) -> str | None:
    number = int(match.group(1), 16) if match.group(1) else int(match.group(2))
    return None if number > 0x10FFFF or 0xD800 <= number <= 0xDFFF else chr(number)


def _entities(
    page: PageContext, marker: str, pattern: re.Pattern[str], decode: Callable[[re.Match[str]], str | None]
) -> Iterator[Violation]:
    """Entities of visible characters outside code, each fixed to its character."""
    text = code_masked(page.scan)
    if "&" not in text or marker not in text:  # a one-character search first: ~15x faster
        return
    code_spans = code_element_spans(page.scan)
    for match in pattern.finditer(text):
        character = decode(match)
        if character is None or not _ok_character(character) or match.start() in code_spans:
            continue
        fix = (Edit(match.start(), match.end(), character),)
        yield Violation(match.start(), f"{match.group()} can be written as '{character}'", fix)


class NamedEntity(Rule):
    code = "F101"
    name = "named-entity"
    severity = Severity.INFO
    checkwiki = (
        11,
        20,
        50,
    )
    summary = "HTML named entity such as `&auml;`, `&ndash;` or `&dagger;` instead of the character"
    what = "Finds named entities of visible characters and writes the character (`&nbsp;`, `&amp;`... stay)."
    why = "The text reads and searches better with the character itself; the page renders the same."
    example = "M&uuml;nchen, 1990&ndash;1995, &dagger; 2001"
    use_instead = "München, 1990–1995, † 2001"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        return _entities(page, "&", _NAMED_ENTITY, _named_character)


class NumericEntity(Rule):
    code = "F102"
    name = "numeric-entity"
    severity = Severity.INFO
    checkwiki = (27,)
    summary = "Numeric character reference such as `&#228;` instead of the character"
    what = "Finds `&#NNN;` and `&#xHHHH;` of visible characters and writes the character."
    why = "Nobody can read `&#1488;`; the character itself renders the same and can be searched for."
    example = "Stra&#223;e"
    use_instead = "Straße"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        return _entities(page, "&#", _NUMERIC_ENTITY, _numeric_character)


class EntityWithoutSemicolon(Rule):
    code = "F103"
    name = "entity-without-semicolon"
    severity = Severity.WARNING
    checkwiki = (87,)
    summary = "Named entity without its `;`, such as `&ndash` or `&nbsp`"
    what = (
        "Finds `&name` of a known entity not followed by `;` (outside URLs); the fix writes the character "
        "(or adds the `;` to entities that stay entities, such as `&nbsp`)."
    )
    why = "MediaWiki does not decode an entity without `;`: the reader sees `&ndash` instead of a dash."
    example = "1990&ndash 1995"
    use_instead = "1990– 1995"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        if "&" not in text:
            return
        for match in _ENTITY_WITHOUT_SEMICOLON.finditer(text):
            name = match.group(1)
            if name + ";" not in html.entities.html5 or len(name) < 3:
                continue
            window = max(0, match.start() - 200)  # a word longer than this is not prose
            word_start = max(text.rfind(c, window, match.start()) for c in " \n\t|[")
            word = text[word_start + 1 : match.start()]
            if any(c in word for c in "/?=.%"):
                continue  # part of a URL or a query string
            character = html.entities.html5[name + ";"]
            if name not in KEEP_ENTITIES and _ok_character(character):
                fix = Edit(match.start(), match.end(), character)
            else:
                fix = Edit(match.end(), match.end(), ";")
            yield Violation(match.start(), f"'&{name}' lacks its ';'", (fix,))


class BreakInList(Rule):
    code = "F104"
    name = "br-at-end-of-list-item"
    severity = Severity.WARNING
    checkwiki = (54,)
    summary = "List item ending with `<br>`"
    what = "Finds `* item<br>` and removes the line break."
    why = (
        "The list already breaks the line; the extra `<br>` adds an empty line that screen readers announce."
    )
    example = "* First<br>\n* Second"
    use_instead = "* First\n* Second"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for match in _LINE_END_BREAK.finditer(text):
            if text[text.rfind("\n", 0, match.start()) + 1 : match.start() + 1][:1] not in ("*", "#"):
                continue
            start, end = match.start(), match.start() + len(match.group().rstrip(" \t"))
            yield Violation(start, "list item ends with a line break", (Edit(start, end, ""),))


def _may_hold_arrow(text: str) -> bool:
    """Whether ``text`` holds ``->``, ``=>``, ``<-`` or ``<=``. Masked text has few ``<`` and ``>`` (most
    pages none), and visiting each is 5x faster than four two-character searches of the whole page."""
    for bracket, side in ((">", -1), ("<", 1)):
        position = text.find(bracket)
        while position != -1:
            if text[position + side : position + side + 1] in ("-", "="):
                return True
            position = text.find(bracket, position + 1)
    return False


class AsciiArrow(Rule):
    code = "F105"
    name = "ascii-arrow"
    severity = Severity.INFO
    checkwiki = (56,)
    summary = "Arrow written as ASCII art (`->`, `<=`, `==>`)"
    what = "Finds ASCII arrows in prose (not in code) and writes the arrow character."
    why = "`->` is code; readers and screen readers expect the arrow character."
    example = "Tokyo -> Osaka"
    use_instead = "Tokyo → Osaka"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.masked
        if not _may_hold_arrow(text):
            return
        code_spans = code_element_spans(page.scan)
        for match in _ARROW.finditer(text):
            arrow = match.group()
            before = text[match.start() - 1 : match.start()]
            after = text[match.end() : match.end() + 1]
            if (
                before in _NOT_BESIDE_ARROW
                or after in _NOT_BESIDE_ARROW
                or before.isalnum()
                or after.isalnum()
            ):
                continue
            if match.start() in code_spans:
                continue
            if page.scan.in_container(match.start()):
                continue
            yield Violation(
                match.start(),
                f"ASCII arrow '{arrow}'; use '{_ARROWS[arrow]}'",
                (Edit(match.start(), match.end(), _ARROWS[arrow]),),
            )


class OrdinalInSuperscript(Rule):
    code = "F106"
    name = "ordinal-superscript"
    severity = Severity.WARNING
    checkwiki = (101,)
    reference = "MOS:ORDINAL"
    summary = "English ordinal suffix in superscript: `1<sup>st</sup>`"
    what = "Finds `<sup>st</sup>`, `nd`, `rd` and `th` after a digit and removes the superscript."
    why = "MOS:ORDINAL: ordinal suffixes are not superscripted."
    example = "the 19<sup>th</sup> century"
    use_instead = "the 19th century"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for match in _ORDINAL.finditer(text):
            if not text[match.start() - 1 : match.start()].isdigit():
                continue
            suffix = match.group(1)
            yield Violation(
                match.start(), f"superscript ordinal '{suffix}'", (Edit(match.start(), match.end(), suffix),)
            )


class IndentedList(Rule):
    code = "F107"
    name = "indented-list"
    severity = Severity.INFO
    checkwiki = (75,)
    reference = "MOS:INDENTGAP"
    summary = "List item indented with `:` (`:*`, `:#`)"
    what = "Finds list lines that start with a colon."
    why = "`:*` nests a list in a description list: screen readers announce two lists, numbering restarts."
    example = "Intro:\n:* item"
    use_instead = "Intro:\n* item"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.masked
        for match in _INDENTED_LIST.finditer(text):  # opens with a literal: no pre-test is faster
            if not page.scan.in_container(match.start() + 1):
                yield Violation(match.start() + 1, "list indented with ':'")


def _captions(scan: PageScan) -> Iterator[tuple[FileLink, int, str]]:
    """``(file link, offset, caption)`` of each file link's caption: its last part that is not an option."""
    for link in file_links(scan):
        if link.parts[0][1].strip().lower().startswith("media"):
            continue
        for offset, part in reversed(link.parts[1:]):
            if not _IMAGE_OPTION.fullmatch(part) and part.strip():
                yield link, offset, part
                break


class CaptionEndsWithBreak(Rule):
    code = "F108"
    name = "caption-trailing-br"
    severity = Severity.WARNING
    checkwiki = (65,)
    summary = "Image caption ending with `<br>`"
    what = "Finds file captions whose last thing is a line break, and removes it."
    why = "The break adds an empty line under the caption."
    example = "[[File:Tokyo.jpg|thumb|The city at night<br>]]"
    use_instead = "[[File:Tokyo.jpg|thumb|The city at night]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for _link, offset, caption in _captions(page.scan):
            found = _CAPTION_BREAK.search(caption)
            if found:
                start = offset + found.start()
                end = start + len(found.group().rstrip())
                yield Violation(start, "caption ends with a line break", (Edit(start, end, ""),))


class SmallCaption(Rule):
    code = "F109"
    name = "small-caption"
    severity = Severity.WARNING
    checkwiki = (
        66,
        77,
    )
    reference = "MOS:SMALLFONT"
    summary = "Image caption in `<small>`"
    what = "Finds file captions wrapped in or containing `<small>`."
    why = "Captions are already smaller than body text; small inside them is below the readable minimum."
    example = "[[File:Tokyo.jpg|thumb|<small>The city</small>]]"
    use_instead = "[[File:Tokyo.jpg|thumb|The city]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for _link, offset, caption in _captions(page.scan):
            if "<small" in caption.lower():
                whole = "whole " if _FULL_SMALL.match(caption) else ""
                yield Violation(offset, f"{whole}caption in <small>")


@dataclass(unsafe_hash=True, slots=True)  # read-only; built by the thousand, see Tag
class QuoteLine:
    """MediaWiki's ``doQuotes`` counting for one line: italic and bold toggles, whether a run of 4 or 6+
    apostrophes shows some as text, and whether both counts were odd and MediaWiki turned one ``'''``
    into an apostrophe and ``''`` (which balances both)."""

    offset: int
    line: str
    italics: int
    bold: int
    long_run: bool
    repaired: bool

    @property
    def unclosed(self) -> bool:
        return not self.repaired and bool(self.italics % 2 or self.bold % 2)


def _whole_line(line: str) -> bool:
    """A line that opens one bold or italic run at its start and leaves it open: the editor formats the
    whole line, relying on MediaWiki to close it at the end (verse, notes)."""
    runs = _QUOTE_RUN.findall(line)
    return len(runs) == 1 and line.lstrip(" *#:;").startswith(runs[0])


def quote_line(offset: int, line: str) -> QuoteLine:
    runs = _QUOTE_RUN.findall(line)
    italics, bold = runs.count("''"), runs.count("'''")
    if italics + bold == len(runs):  # no run of 4 or 5+ (most lines): an odd bold is repaired
        return QuoteLine(offset, line, italics, bold, False, bool(italics % 2 and bold % 2))
    lengths = [len(run) for run in runs]
    both = sum(length >= 5 for length in lengths)
    italics = lengths.count(2) + both
    bold = lengths.count(3) + lengths.count(4) + both
    repaired = bool(italics % 2 and bold % 2 and (3 in lengths or 4 in lengths))
    return QuoteLine(offset, line, italics, bold, 4 in lengths or any(n > 5 for n in lengths), repaired)


def quote_lines(scan: PageScan) -> list[QuoteLine]:
    """The quote counts of the lines with ``''`` (references counted on their own) that MediaWiki must
    close or repair, or that show apostrophes as text: the quote rules report nothing on the others."""
    return memo(scan, "quote_lines", _open_quote_lines)


def _open_quote_lines(scan: PageScan) -> list[QuoteLine]:
    found = []
    for offset, line in _quote_lines(scan):
        quotes = quote_line(offset, line)
        if quotes.italics % 2 or quotes.bold % 2 or quotes.long_run:  # most lines are balanced
            found.append(quotes)
    return found


def _quote_lines(scan: PageScan) -> Iterator[tuple[int, str]]:
    """``(offset, line)`` of the page's lines with references blanked, then each reference's lines."""
    text = scan.masked
    found = text.find("''")
    while found != -1:
        start = text.rfind("\n", 0, found) + 1
        end = text.find("\n", found)
        if end == -1:
            end = len(text)
        yield start, text[start:end]
        found = text.find("''", end)
    raw = code_masked(scan)
    for ref in references(scan).refs:
        if ref.content is not None and "''" in ref.content:
            position = ref.content_start
            for line in raw[ref.content_start : ref.content_start + len(ref.content)].split("\n"):
                yield position, line
                position += len(line) + 1


class UnclosedQuotes(Rule):
    code = "F110"
    name = "unclosed-quotes"
    severity = Severity.INFO
    wikilint = ("format-leakage",)
    parsoid = (
        "unclosed-quotes-in-heading",
        "multiple-unclosed-formatting-tags",
    )
    summary = "Line with an unclosed `''` or `'''`"
    what = (
        "Counts italic and bold quote runs per line (and per reference) as MediaWiki does; finds prose lines "
        "and headings left open (table cells, where closing at the end of the cell is common, are skipped)."
    )
    why = "MediaWiki closes the formatting at the end of the line: the rest of the line turns italic or bold."
    example = "The ''Tokyo Times is a newspaper."
    use_instead = "The ''Tokyo Times'' is a newspaper."

    def check(self, page: PageContext) -> Iterator[Violation]:
        for quotes in quote_lines(page.scan):
            offset, line = quotes.offset, quotes.line
            if (
                quotes.unclosed
                and not line.lstrip(" :").startswith(("|", "!", "{|"))
                and not _whole_line(line)
            ):
                kind = "italic ''" if quotes.italics % 2 else "bold '''"
                first = _QUOTE_RUN.search(line)
                assert first is not None
                yield Violation(offset + first.start(), f"{kind} is not closed on this line")


class LonelyApostrophe(Rule):
    code = "F111"
    name = "lonely-apostrophe"
    severity = Severity.WARNING
    wikilint = ("lonely-apos",)
    summary = "Four or more than five apostrophes in a row, or a `'''` MediaWiki shows partly as text"
    what = (
        "Finds runs of 4 or 6+ apostrophes, and lines where MediaWiki must turn a `'''` into an apostrophe "
        "plus `''` because both bold and italic are left open (`''Iliad'''s`)."
    )
    why = "The extra apostrophes appear in the text, usually where an apostrophe meets bold or italic markup."
    example = "The ''''Times'''' newspaper"
    use_instead = "The '''Times''' newspaper"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for quotes in quote_lines(page.scan):
            offset, line = quotes.offset, quotes.line
            if quotes.long_run:
                for match in _QUOTE_RUN.finditer(line):
                    if len(match.group()) == 4 or len(match.group()) > 5:
                        yield Violation(
                            offset + match.start(), "apostrophes next to bold or italic markup show as text"
                        )
            elif quotes.repaired:
                run = next(m for m in _QUOTE_RUN.finditer(line) if len(m.group()) in (3, 4))
                if line[run.start() - 1 : run.start()].strip() and line[run.end() : run.end() + 1].isalpha():
                    continue  # ''Iliad'''s: the apostrophe is the possessive the editor meant
                yield Violation(offset + run.start(), "MediaWiki shows one apostrophe of this ''' as text")


class DuplicateImageCaption(Rule):
    code = "F112"
    name = "duplicate-image-option"
    severity = Severity.WARNING
    wikilint = ("no-duplicate",)
    parsoid = ("bogus-image-options",)
    summary = "File link with two captions or the same option twice"
    what = (
        "Finds file links with more than one caption (only the last is shown) or a repeated `alt=`, "
        "`link=`..."
    )
    why = (
        "MediaWiki silently drops all but one: the caption or alt text the editor wrote may not be the "
        "one shown."
    )
    example = "[[File:Tokyo.jpg|thumb|Tokyo|The city at night]]"
    use_instead = "[[File:Tokyo.jpg|thumb|Tokyo, the city at night]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in file_links(page.scan):
            if link.parts[0][1].strip().lower().startswith("media") or len(link.parts) < 3:
                continue
            if "\n" in page.scan.text[link.start : link.end]:
                continue  # a link over several lines is usually a template's list, not one image
            captions = []
            named: set[str] = set()
            english = page.language == "en"
            for offset, part in link.parts[1:]:
                key = part.split("=", 1)[0].strip().lower() if "=" in part else None
                if _IMAGE_OPTION.fullmatch(part) or (not english and _LOCAL_OPTION.fullmatch(part)):
                    if key is not None and key in named:
                        yield Violation(offset, f"image option '{key}' given twice")
                    if key is not None:
                        named.add(key)
                elif part.strip():
                    captions.append(offset)
            for offset in captions[:-1]:
                yield Violation(offset, "image caption is ignored: a later parameter is the caption")


class BlankAlt(Rule):
    code = "F113"
    name = "blank-alt"
    severity = Severity.INFO
    wikilint = ("blank-alt",)
    parsoid = ("missing-image-alt-text",)
    summary = "File link with an empty `alt=`"
    what = "Finds `alt=` with no text on images that also have no caption."
    why = "Screen readers then say nothing about the image (WP:ALT); decorative images are the exception."
    example = "[[File:Map.png|alt=]]"
    use_instead = "[[File:Map.png|alt=Map of the prefecture]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in file_links(page.scan):
            for offset, part in link.parts[1:]:
                key, equals, value = part.partition("=")
                if equals and key.strip().lower() == "alt" and not value.strip():
                    yield Violation(offset, "empty alt text")


class QuotesLeakFromLink(Rule):
    code = "F114"
    name = "quotes-leak-from-link"
    severity = Severity.INFO
    wikilint = ("format-leakage",)
    summary = "Link label with an unbalanced `''`: formatting opens inside a link and closes outside"
    what = "Finds piped links whose label opens or closes italics or bold without the other half."
    why = "MediaWiki repairs the nesting in ways that italicize the wrong words."
    example = "[[Tokyo Times|''Tokyo]] Times''"
    use_instead = "''[[Tokyo Times|Tokyo Times]]''"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in page.scan.links:
            if link.label and "''" in link.label and quote_line(0, link.label).unclosed:
                yield Violation(link.start, "bold or italic markup crosses the edge of the link")


_FRAMED = re.compile(r"\s*(?:thumb|thumbnail|frame|framed)\s*(?:=.*)?", re.DOTALL)


class InlineImageCaption(Rule):
    code = "F115"
    name = "inline-image-caption"
    severity = Severity.INFO
    parsoid = ("inline-media-caption",)
    summary = "Caption on an image without `thumb` or `frame`, where it is never shown"
    what = "Finds file links (English wikis) without `thumb` or `frame` whose caption has several words."
    why = (
        "An inline or frameless image shows no caption: the text only becomes a tooltip, and readers miss it."
    )
    example = "[[File:Tokyo.jpg|right|250px|The city at night]]"
    use_instead = "[[File:Tokyo.jpg|thumb|right|250px|The city at night]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.language != "en":
            return
        for link, offset, caption in _captions(page.scan):
            if " " in caption.strip() and not any(_FRAMED.fullmatch(part) for _o, part in link.parts[1:]):
                yield Violation(offset, "the caption of an image without thumb or frame is not shown")
