"""Character rules (U1xx): invisible and control characters in the text and in link targets."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from ..scan import SpanSet
from .structure import all_targets, code_masked, memo

#: CheckWiki 16's invisible characters, C0 controls (not tab or newline) and private-use characters.
_INVISIBLE = re.compile(
    "[\u200e\u200f\u202a-\u202e\u2004-\u2008\u200b\u2028\u2029\ufeff\x7f\x00-\x08\x0b\x0c\x0e-\x1f\ue000-\uf8ff]"
)
#: Replacements that change nothing a reader sees (the rest are reported without a fix).
_SAFE_REPLACEMENT = {
    "\u200b": "",
    "\ufeff": "",
    "\x7f": "",
    "\u2028": " ",
    "\u2029": " ",
    **{chr(c): " " for c in range(0x2004, 0x2009)},
}
#: Characters MediaWiki strips from titles or that make a title differ invisibly.
_INVISIBLE_IN_TITLE = re.compile("[\u200e\u200f\u202a-\u202e\u200b\u00ad\ufeff\u2060]")


def _name(character: str) -> str:
    return f"U+{ord(character):04X}"


def _link_target_spans(page: PageContext) -> SpanSet:
    return memo(
        page.scan,
        "link_target_spans",
        lambda s: SpanSet([(link.target_start, link.target_start + len(link.target)) for link in s.links]),
    )


def _link_spans(page: PageContext) -> SpanSet:
    return memo(page.scan, "link_spans", lambda s: SpanSet([(link.start, link.end) for link in s.links]))


class InvisibleCharacter(Rule):
    code = "U101"
    name = "invisible-character"
    severity = Severity.WARNING
    checkwiki = (16,)
    summary = "Invisible Unicode or control character in the text"
    what = (
        "Finds direction marks, zero-width spaces, byte-order marks, odd spaces, control and private-use "
        "characters; removes those whose removal changes nothing visible (outside links)."
    )
    why = "Editors cannot see them, yet they break searches, links and sorting."
    example = "Tokyo\u200b is large."
    use_instead = "Tokyo is large."
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = code_masked(page.scan)
        # no pre-test: str.isprintable, the fastest one tried, costs more than this search now does
        first = _INVISIBLE.search(text)
        if first is None:
            return
        in_targets = _link_target_spans(page)
        in_links = _link_spans(page)
        for match in _INVISIBLE.finditer(text, first.start()):
            if match.start() == 0 and match.group() == "\ufeff":
                continue  # a byte-order mark at the start is the file's, not the page's
            if match.start() in in_targets:
                continue  # U102's
            character = match.group()
            replacement = _SAFE_REPLACEMENT.get(character)
            fix = None
            if replacement is not None and match.start() not in in_links:  # a label may become its target
                fix = (Edit(match.start(), match.end(), replacement),)
            yield Violation(match.start(), f"invisible character {_name(character)}", fix)


class InvisibleInLink(Rule):
    code = "U102"
    name = "invisible-character-in-link"
    severity = Severity.WARNING
    checkwiki = (16,)
    wikilint = ("unknown-page",)
    summary = "Invisible character (direction mark, zero-width space, soft hyphen) in a link target"
    what = "Finds invisible characters in `[[...]]` targets, and removes them from unpiped links."
    why = "The target then names another page than it seems to; MediaWiki strips some and not others."
    example = "[[Tokyo\u200e]]"
    use_instead = "[[Tokyo]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        if _INVISIBLE_IN_TITLE.search(all_targets(page.scan)) is None:
            return
        text = page.scan.text
        for link in page.scan.links:
            target = link.target
            if target.isascii():
                continue
            # a piped link is only reported: without the character its target may equal its label (L104)
            fixable = link.label is None
            for match in _INVISIBLE_IN_TITLE.finditer(target):
                at = link.target_start + match.start()
                if text[at] == match.group():
                    fix = (Edit(at, at + 1, ""),) if fixable else None
                    yield Violation(at, f"invisible character {_name(match.group())} in link target", fix)
