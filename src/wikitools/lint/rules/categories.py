"""Category, sort key and interlanguage rules (C1xx): duplicates, spelling, placement and DEFAULTSORT."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from itertools import pairwise

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan, WikiLink
from .shared import links_of_kind
from .structure import code_masked, memo

DEFAULTSORT_NAMES = (
    "defaultsort",
    "defaultsortkey",
    "defaultcategorysort",
    "デフォルトソート",
    "сортування_за_замовчуванням",
    "сортування за замовчуванням",
)
#: Characters a sort key may hold without surprising the sort (CheckWiki 6 and 37 allow these and letters).
_PLAIN_SORT_CHARS = re.compile(r"[-–:,./()!?'#+ \w]")


def _odd_characters(key: str) -> list[str]:
    """The characters of a sort key that are not letters (combining marks included), digits or plain
    punctuation."""
    return sorted({c for c in _PLAIN_SORT_CHARS.sub("", key) if not unicodedata.category(c).startswith("M")})


_DEFAULTSORT = re.compile(rf"\{{\{{\s*({'|'.join(DEFAULTSORT_NAMES)})\s*:([^{{}}|]*)", re.IGNORECASE)
_CATEGORY_SPACING = re.compile(r"\[\[(\s*)([^:\]|]*?)(\s*):(\s*)")


def categories(scan: PageScan) -> list[WikiLink]:
    """Category links of the page body (not inside templates or other links)."""
    return memo(
        scan,
        "categories",
        lambda s: [link for link in links_of_kind(s, "category") if not link.nested],
    )


def interlanguage_links(scan: PageScan) -> list[WikiLink]:
    """``[[xx:Title]]`` links to other-language editions (``[[:xx:...]]`` shows in the text: not these)."""
    return links_of_kind(scan, "interlanguage")


def defaultsorts(page: PageContext) -> list[tuple[int, int, str]]:
    """``(start, offset of the key, key)`` of each DEFAULTSORT magic word."""

    def build(scan: PageScan) -> list[tuple[int, int, str]]:
        text = code_masked(scan)
        return [(m.start(), m.start(2), m.group(2)) for m in _DEFAULTSORT.finditer(text)]

    return memo(page.scan, "defaultsorts", build)


def _above_last_heading(page: PageContext, links: list[WikiLink], message: str) -> Iterator[Violation]:
    """``links`` (outside templates) placed above the page's last heading."""
    last = page.scan.headings[-1].start if page.scan.headings else -1
    for link in links:
        if link.start < last and not link.in_template:
            yield Violation(link.start, message)


def _whole_line(scan: PageScan, link: WikiLink) -> tuple[int, int] | None:
    """The span of ``link``'s line with its newline when the line holds only the link."""
    start = scan.text.rfind("\n", 0, link.start) + 1
    end = scan.text.find("\n", link.end)
    end = len(scan.text) if end == -1 else end
    if scan.text[start:end].strip() != scan.text[link.start : link.end]:
        return None
    return (start, end + 1) if end < len(scan.text) else (max(0, start - 1), end)


class DuplicateCategory(Rule):
    code = "C101"
    name = "duplicate-category"
    severity = Severity.WARNING
    checkwiki = (17,)
    wikilint = ("no-duplicate",)
    summary = "The same category twice"
    what = "Finds a category given twice; when the sort keys agree, the fix removes the second line."
    why = "One sort key is lost and editors remove one copy but not the other."
    example = "[[Category:Rivers]]\n[[Category:Rivers]]"
    use_instead = "[[Category:Rivers]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        seen: dict[str, WikiLink] = {}
        for link in categories(page.scan):
            if link.in_template:
                continue
            first = seen.get(link.title)
            if first is None:
                seen[link.title] = link
                continue
            fix = None
            if (first.label or "").strip() == (link.label or "").strip():
                span = _whole_line(page.scan, link)
                if span is not None:
                    fix = (Edit(span[0], span[1], ""),)
            yield Violation(
                link.start, f"category '{link.title}' is already on line {page.line_of(first.start)}", fix
            )


class CategoryLowercase(Rule):
    code = "C102"
    name = "category-lowercase"
    severity = Severity.INFO
    checkwiki = (18,)
    summary = "Category name starting with a lower-case letter"
    what = "Finds `[[Category:rivers]]` and capitalizes the first letter."
    why = "MediaWiki capitalizes it anyway; writing it as the category is named helps searches and bots."
    example = "[[category:rivers]]"
    use_instead = "[[Category:Rivers]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for link in categories(page.scan):
            colon = text.find(":", link.target_start, link.end)
            name_start = colon + 1
            while name_start < link.end and text[name_start] == " ":
                name_start += 1
            prefix = text[link.target_start : colon].strip()
            first = text[name_start : name_start + 1]
            fixes = []
            if prefix[:1].islower():
                at = link.target_start + text[link.target_start : colon].index(prefix[0])
                fixes.append(Edit(at, at + 1, prefix[0].upper()))
            if first.islower() and first.upper() != first and len(first.upper()) == 1:
                fixes.append(Edit(name_start, name_start + 1, first.upper()))
            if fixes:
                yield Violation(link.start, "category written in lower case", tuple(fixes))


class CategorySpacing(Rule):
    code = "C103"
    name = "category-spacing"
    severity = Severity.INFO
    checkwiki = (22,)
    summary = "Spaces around the colon or brackets of a category link"
    what = "Finds `[[ Category : Rivers ]]` and similar, and removes the spaces."
    why = "They do nothing but make the category harder to find and compare."
    example = "[[ Category : Rivers ]]"
    use_instead = "[[Category:Rivers]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        for link in categories(page.scan):
            match = _CATEGORY_SPACING.match(text, link.start)
            if match is None or not (match.group(1) or match.group(3) or match.group(4)):
                continue
            edits = tuple(
                Edit(match.start(group), match.end(group), "") for group in (1, 3, 4) if match.group(group)
            )
            yield Violation(link.start, "spaces in a category link", edits)


class CategoriesOnOneLine(Rule):
    code = "C104"
    name = "categories-on-one-line"
    severity = Severity.INFO
    checkwiki = (9,)
    summary = "Several categories on one line"
    what = "Finds lines holding more than one category, and puts each on its own line."
    why = "One category per line is what editors and bots expect, and makes diffs readable."
    example = "[[Category:Rivers]][[Category:Lakes]]"
    use_instead = "[[Category:Rivers]]\n[[Category:Lakes]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.text
        by_line: dict[int, list[WikiLink]] = {}
        for link in categories(page.scan):
            by_line.setdefault(page.scan.line_of(link.start), []).append(link)
        for line, links in by_line.items():
            if len(links) < 2:
                continue
            start, end = page.scan.line_span(line)
            bounds = [start, *(offset for link in links for offset in (link.start, link.end)), end]
            gaps = zip(bounds[::2], bounds[1::2], strict=True)
            only_categories = all(not text[a:b].strip() for a, b in gaps)
            fix = None
            if only_categories:
                fix = tuple(Edit(a.end, b.start, "\n") for a, b in pairwise(links))
            yield Violation(links[1].start, f"{len(links)} categories on one line", fix)


class CategoryBeforeLastHeading(Rule):
    code = "C105"
    name = "category-before-last-heading"
    severity = Severity.WARNING
    content_only = True
    checkwiki = (52,)
    summary = "Category placed above the last section heading"
    what = "Finds categories in the body of the page instead of at its end."
    why = "Categories belong at the end (MOS:ORDER); in the middle they are overlooked and moved by accident."
    example = "[[Category:Rivers]]\n== History ==\nText."
    use_instead = "== History ==\nText.\n[[Category:Rivers]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        return _above_last_heading(
            page, categories(page.scan), "category above the last heading; move it to the end"
        )


class DefaultsortSpecialCharacters(Rule):
    code = "C106"
    name = "defaultsort-special-characters"
    severity = Severity.WARNING
    checkwiki = (6,)
    summary = "DEFAULTSORT key with symbols other than letters, digits and plain punctuation"
    what = 'Finds sort keys holding characters such as `&`, `"`, `*` or `[`.'
    why = (
        "Such characters sort before or after every letter and put the page in the wrong place of a category."
    )
    example = "{{DEFAULTSORT:Smith & Jones}}"
    use_instead = "{{DEFAULTSORT:Smith and Jones}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for start, _offset, key in defaultsorts(page):
            odd = _odd_characters(key)
            if odd:
                yield Violation(start, f"sort key contains {' '.join(odd)}")


class MissingDefaultsort(Rule):
    code = "C107"
    name = "missing-defaultsort"
    severity = Severity.INFO
    checkwiki = (37,)
    summary = "Title with symbols, categories and no DEFAULTSORT"
    what = (
        "Finds categorized pages whose title holds characters other than letters, digits and plain "
        "punctuation."
    )
    why = "Without a sort key the page is sorted by those symbols, away from where readers look for it."
    example = "(on the page 'Smith & Jones') [[Category:Duos]]"
    use_instead = "{{DEFAULTSORT:Smith and Jones}}\n[[Category:Duos]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = categories(page.scan)
        if page.namespace != 0 or not found or defaultsorts(page) or len(page.title) <= 2:
            return
        odd = _odd_characters(page.title)
        if odd and not any(link.label for link in found):
            yield Violation(found[0].start, f"title contains {' '.join(odd)} and the page has no DEFAULTSORT")


class DefaultsortLeadingSpace(Rule):
    code = "C108"
    name = "defaultsort-leading-space"
    severity = Severity.WARNING
    checkwiki = (88,)
    summary = "DEFAULTSORT key starting with a space"
    what = "Finds `{{DEFAULTSORT: Smith}}` and removes the space."
    why = "The space is part of the key, so the page sorts before every letter."
    example = "{{DEFAULTSORT: Smith, John}}"
    use_instead = "{{DEFAULTSORT:Smith, John}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for _template, offset, key in defaultsorts(page):
            spaces = len(key) - len(key.lstrip(" "))
            if spaces and key.strip():
                yield Violation(offset, "sort key starts with a space", (Edit(offset, offset + spaces, ""),))


class DefaultsortCommaSpace(Rule):
    code = "C109"
    name = "defaultsort-comma-space"
    severity = Severity.WARNING
    checkwiki = (89,)
    summary = "DEFAULTSORT key with a comma not followed by a space"
    what = "Finds `Smith,John` in a sort key and inserts the space."
    why = "`Smith,John` and `Smith, John` sort differently; the convention is a space after the comma."
    example = "{{DEFAULTSORT:Smith,John}}"
    use_instead = "{{DEFAULTSORT:Smith, John}}"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        for _template, offset, key in defaultsorts(page):
            edits = tuple(
                Edit(offset + m.end(), offset + m.end(), " ") for m in re.finditer(r",(?=[^\s\d])", key)
            )
            if edits:
                yield Violation(offset, "comma without a following space in the sort key", edits)


class DuplicateDefaultsort(Rule):
    code = "C110"
    name = "duplicate-defaultsort"
    severity = Severity.WARNING
    wikilint = ("no-duplicate",)
    reference = "MediaWiki 'duplicate-defaultsort' warning"
    summary = "Two DEFAULTSORT keys that differ"
    what = "Finds a second DEFAULTSORT with another key."
    why = "MediaWiki uses the last one and warns; the first is dead text."
    example = "{{DEFAULTSORT:Smith, John}}\n{{DEFAULTSORT:Smith}}"
    use_instead = "{{DEFAULTSORT:Smith, John}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = defaultsorts(page)
        for (_first, _o, key), (start, _offset, other) in pairwise(found):
            if key.strip() != other.strip():
                yield Violation(start, f"second DEFAULTSORT '{other.strip()}' overrides '{key.strip()}'")


class DuplicateInterlanguage(Rule):
    code = "C111"
    name = "duplicate-interlanguage-link"
    severity = Severity.WARNING
    checkwiki = (45,)
    summary = "Two interlanguage links to the same language"
    what = "Finds a second `[[xx:...]]` for a language already linked; the same link twice is removed."
    why = "A page has one counterpart per language; the sidebar shows one, the other is lost."
    example = "[[de:Fluss]]\n[[de:Fluss]]"
    use_instead = "[[de:Fluss]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        seen: dict[str, WikiLink] = {}
        for link in interlanguage_links(page.scan):
            language = link.target.split(":", 1)[0].strip()
            first = seen.get(language)
            if first is None:
                seen[language] = link
                continue
            fix = None
            if " ".join(first.target.split()) == " ".join(link.target.split()):
                span = _whole_line(page.scan, link)
                fix = None if span is None else (Edit(span[0], span[1], ""),)
            yield Violation(link.start, f"second interlanguage link to '{language}'", fix)


class InterlanguageInBody(Rule):
    code = "C112"
    name = "interlanguage-in-body"
    severity = Severity.WARNING
    content_only = True
    checkwiki = (51,)
    summary = "Interlanguage link above the last section heading"
    what = "Finds `[[xx:Title]]` links placed in the body of the page."
    why = (
        "Interlanguage links show in the sidebar, not where they are written; in the body they are misplaced."
    )
    example = "[[de:Fluss]]\n== History =="
    use_instead = "== History ==\n...\n[[de:Fluss]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        return _above_last_heading(
            page, interlanguage_links(page.scan), "interlanguage link above the last heading"
        )


class InterlanguageBeforeCategory(Rule):
    code = "C113"
    name = "interlanguage-before-category"
    severity = Severity.INFO
    content_only = True
    checkwiki = (53,)
    summary = "Interlanguage link placed before a category"
    what = "Finds interlanguage links that come before the page's last category."
    why = "The convention is categories, then interlanguage links, at the very end of the page."
    example = "[[de:Fluss]]\n[[Category:Rivers]]"
    use_instead = "[[Category:Rivers]]\n[[de:Fluss]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        found = categories(page.scan)
        if not found:
            return
        last_category = found[-1].start
        for link in interlanguage_links(page.scan):
            if link.start < last_category:
                yield Violation(link.start, "interlanguage link before a category")
                return
