"""Identifier rules (N1xx): ISBN, ISSN and PMID syntax and checksums, in text and in citation parameters."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import PageScan
from .structure import code_masked, memo

_ISBN_TEXT = re.compile(r"ISBN(?:-?1[03])?\s*:?[ \t]*(?=[\dXx])([\dXx][\d\s\-Xx]{8,20}[\dXx])\b")
_ISBN_PARAM = re.compile(r"\|\s*(?:isbn(?:13)?|ISBN(?:13)?)\s*=\s*([^|}\n]*)")
_ISSN_TEXT = re.compile(r"ISSN\s*:?\s*(\d{4}\s*-?\s*\d{3}[\dXx])\b")
_ISSN_PARAM = re.compile(r"\|\s*(?:issn|eissn|ISSN|EISSN)\s*=\s*([^|}\n]*)")
_PMID_COLON = re.compile(r"PMID\s*:\s*\d")
_ISBN_VALUE = re.compile(r"(?:ISBN(?:-?1[03])?:?\s*)?([\dXx][\d\s\-Xx]*[\dXx])\s*", re.IGNORECASE)


def isbn_candidates(scan: PageScan) -> list[tuple[int, str, bool]]:
    """``(offset, ISBN as written, in text)`` for ISBNs in running text and in ``isbn=`` parameters."""

    def build(s: PageScan) -> list[tuple[int, str, bool]]:
        text = code_masked(s)
        if "ISBN" not in text and "isbn" not in text:
            return []
        found = [
            (m.start(), m.group(1), True) for m in _ISBN_TEXT.finditer(text) if _word_start(text, m.start())
        ]
        for match in _ISBN_PARAM.finditer(text):
            value = _ISBN_VALUE.fullmatch(match.group(1))
            if value:
                found.append((match.start(1) + value.start(1), value.group(1), False))
        return sorted(found)

    return memo(scan, "isbns", build)


def isbn_problem(isbn: str) -> str | None:
    """What is wrong with an ISBN (digits, hyphens and spaces), or None."""
    digits = re.sub(r"[\s-]", "", isbn).upper()
    if len(digits) not in (10, 13):
        return f"has {len(digits)} digits, not 10 or 13"
    if "X" in digits[:-1] or (len(digits) == 13 and "X" in digits):
        return "has an X that is not its last character of a 10-digit ISBN"
    if len(digits) == 10:
        total = sum((10 - i) * (10 if c == "X" else int(c)) for i, c in enumerate(digits))
        return None if total % 11 == 0 else "has a wrong ISBN-10 check digit"
    total = sum((1 if i % 2 == 0 else 3) * int(c) for i, c in enumerate(digits))
    return None if total % 10 == 0 else "has a wrong ISBN-13 check digit"


def issn_problem(issn: str) -> str | None:
    digits = re.sub(r"[\s-]", "", issn).upper()
    if len(digits) != 8 or not digits[:7].isdigit() or not (digits[7].isdigit() or digits[7] == "X"):
        return f"has {len(digits)} characters, not 8"
    total = sum((8 - i) * int(c) for i, c in enumerate(digits[:7]))
    check = (11 - total % 11) % 11
    return None if digits[7] == ("X" if check == 10 else str(check)) else "has a wrong check digit"


class IsbnSyntax(Rule):
    code = "N101"
    name = "isbn-syntax"
    severity = Severity.WARNING
    checkwiki = (69,)
    wikilint = ("lonely-http",)
    summary = "ISBN written as `ISBN: ...`, `ISBN-10 ...` or with `ISBN` inside an `isbn=` parameter"
    what = "Finds ISBNs in text with a colon or an -10/-13 suffix after the word ISBN."
    why = (
        "MediaWiki and the citation templates only recognize `ISBN 978-...`; other spellings give no "
        "book link."
    )
    example = "ISBN: 978-0-306-40615-7"
    use_instead = "ISBN 978-0-306-40615-7"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        for offset, _isbn, in_text in isbn_candidates(page.scan):
            if in_text:
                head = text[offset : offset + 8]
                if re.match(r"ISBN(?:-?1[03]|\s*:)", head):
                    yield Violation(offset, f"ISBN written as '{head.split()[0]}'; write 'ISBN 978...'")


class InvalidIsbn(Rule):
    code = "N102"
    name = "invalid-isbn"
    severity = Severity.WARNING
    content_only = True
    checkwiki = (
        70,
        71,
        72,
        73,
    )
    wikilint = ("invalid-isbn",)
    summary = "ISBN with the wrong length, a misplaced X or a wrong check digit"
    what = "Checks ISBNs in text and in `isbn=` parameters: 10 or 13 digits, X only last, valid checksum."
    why = "A wrong ISBN leads readers to another book or to nothing; usually a digit was mistyped."
    example = "ISBN 978-0-306-40615-8"
    use_instead = "ISBN 978-0-306-40615-7"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for offset, isbn, _in_text in isbn_candidates(page.scan):
            problem = isbn_problem(isbn)
            if problem:
                yield Violation(offset, f"ISBN {isbn.strip()} {problem}")


class PmidSyntax(Rule):
    code = "N103"
    name = "pmid-syntax"
    severity = Severity.WARNING
    checkwiki = (102,)
    wikilint = ("lonely-http",)
    summary = "`PMID:` with a colon"
    what = "Finds `PMID: 123` in text."
    why = "The PMID magic link needs `PMID 123`; with a colon no link to PubMed is made."
    example = "PMID: 12345678"
    use_instead = "PMID 12345678"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        if "PMID" not in text:
            return
        for match in _PMID_COLON.finditer(text):
            if _word_start(text, match.start()):
                yield Violation(match.start(), "PMID written with a colon")


def _issns(scan: PageScan) -> list[tuple[int, str, bool]]:
    def build(s: PageScan) -> list[tuple[int, str, bool]]:
        text = code_masked(s)
        if "ISSN" not in text and "issn" not in text:
            return []
        found = [
            (m.start(), m.group(), True) for m in _ISSN_TEXT.finditer(text) if _word_start(text, m.start())
        ]
        for match in _ISSN_PARAM.finditer(text):
            value = match.group(1).strip()
            if value and re.fullmatch(r"(?:ISSN\s*:?\s*)?[\dXx\s-]+", value):
                found.append((match.start(1) + match.group(1).index(value[0]), value, False))
        return found

    return memo(scan, "issns", build)


def _word_start(text: str, offset: int) -> bool:
    return offset == 0 or not text[offset - 1].isalnum()


class IssnSyntax(Rule):
    code = "N104"
    name = "issn-syntax"
    severity = Severity.WARNING
    checkwiki = (106,)
    summary = "ISSN not written as `NNNN-NNNN`"
    what = (
        "Finds ISSNs with a colon after ISSN, without the hyphen, or with `ISSN` inside an `issn=` parameter."
    )
    why = "Citation templates and readers expect the standard form; others do not link or validate."
    example = "{{cite journal |issn=12345679}}"
    use_instead = "{{cite journal |issn=1234-5679}}"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for offset, written, in_text in _issns(page.scan):
            number = re.sub(r"^ISSN\s*:?\s*", "", written)
            if not re.fullmatch(r"\d{4}-\d{3}[\dXx]", number) or (
                not in_text and written.upper().startswith("ISSN")
            ):
                yield Violation(offset, f"ISSN '{written.strip()}' is not written as NNNN-NNNN")
            elif in_text and ":" in written:
                yield Violation(offset, f"ISSN '{written.strip()}' has a colon")


class InvalidIssn(Rule):
    code = "N105"
    name = "invalid-issn"
    severity = Severity.WARNING
    checkwiki = (
        107,
        108,
    )
    summary = "ISSN with the wrong length or check digit"
    what = "Checks that ISSNs have 8 characters and a valid check digit."
    why = "A wrong ISSN points to another journal or to none."
    example = "ISSN 0317-8472"
    use_instead = "ISSN 0317-8471"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for offset, written, _in_text in _issns(page.scan):
            problem = issn_problem(re.sub(r"^ISSN\s*:?\s*", "", written))
            if problem:
                yield Violation(offset, f"ISSN '{written.strip()}' {problem}")
