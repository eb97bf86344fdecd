"""More internal link rules (L2xx): links to other languages and projects, signatures, colons."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ...markup import BUILTIN, LANGUAGE_PREFIXES, NAMESPACE_SPECIAL, REDIRECT_WORDS, namespace_key
from ..finding import Severity
from ..rule import PageContext, Rule, Violation
from .shared import links_of_kind

#: The User and User talk namespace names and aliases MediaWiki knows, and Special:Contributions.
USER_PREFIXES = BUILTIN.names_of(2) | BUILTIN.names_of(3)  # User, User talk
SPECIAL_PREFIXES = BUILTIN.names_of(NAMESPACE_SPECIAL)
_MULTI_COLON = re.compile(r"\[\[\s*:(\s*:)+")


class InterlanguageInlineLink(Rule):
    code = "L201"
    name = "inline-interlanguage-link"
    severity = Severity.INFO
    checkwiki = (68,)
    reference = "WP:ILL"
    summary = "Inline link to another language's Wikipedia (`[[:de:Fluss]]`)"
    what = "Finds visible links to articles of other language editions."
    why = "Readers expect links in their language; `{{ill}}` shows a local red link with the foreign one."
    example = "the [[:de:Rhein|Rhine]]"
    use_instead = "the [[Rhine]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in links_of_kind(page.scan, "interwiki"):
            if not link.target.lstrip().startswith(":"):
                continue
            prefix = link.target.lstrip()[1:].split(":", 1)[0].strip()
            if prefix.lower() in LANGUAGE_PREFIXES:
                yield Violation(link.start, f"inline link to the '{prefix}' Wikipedia")


class InterprojectLink(Rule):
    code = "L202"
    name = "interproject-link"
    severity = Severity.INFO
    checkwiki = (82,)
    summary = "Inline link to a sister project (`[[wikt:...]]`, `[[commons:...]]`)"
    what = "Finds links to Wiktionary, Commons and other sister projects in the text."
    why = "Sister-project links belong in a box or the external links, not in running text (WP:SISTER)."
    example = "a [[wikt:river|river]]"
    use_instead = "a [[river]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in links_of_kind(page.scan, "interwiki"):
            if link.in_template:
                continue
            prefix = link.target.strip().lstrip(":").split(":", 1)[0].strip().lower()
            if prefix not in LANGUAGE_PREFIXES:
                yield Violation(link.start, f"link to the sister project '{prefix}'")


class UserSignature(Rule):
    code = "L203"
    name = "user-link-in-article"
    severity = Severity.WARNING
    checkwiki = (95,)
    summary = "Link to a user page (a signature) in an article"
    what = "Finds links to User, User talk and Special:Contributions pages in main-namespace pages."
    why = "Articles are not signed (WP:SIGN); a signature is usually a talk-page comment pasted by mistake."
    example = "Text. [[User:Example|Example]] 12:00, 1 May 2024 (UTC)"
    use_instead = "Text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.namespace != 0:
            return
        for link in links_of_kind(page.scan, "article"):
            if ":" not in link.target:
                continue  # no namespace
            prefix, colon, rest = link.target.strip().lstrip(":").partition(":")
            if not colon:
                continue
            namespace = namespace_key(prefix)
            contributions = namespace in SPECIAL_PREFIXES and namespace_key(rest).startswith("contributions/")
            if namespace in USER_PREFIXES or contributions:
                yield Violation(link.start, "link to a user page in an article")


class MultiColonEscape(Rule):
    code = "L204"
    name = "multi-colon-link"
    severity = Severity.WARNING
    parsoid = ("multi-colon-escape",)
    summary = "Link that starts with two colons (`[[::Category:X]]`)"
    what = "Finds links with more than one leading colon, and keeps one."
    why = "MediaWiki renders the extra colon in some parsers and not in others."
    example = "[[::Category:Rivers]]"
    use_instead = "[[:Category:Rivers]]"
    fixable = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.masked
        for match in _MULTI_COLON.finditer(text):
            first = text.index(":", match.start())
            yield Violation(
                match.start(), "link with more than one leading colon", (Edit(first + 1, match.end(), ""),)
            )


_REDIRECT_LIKE = re.compile(
    rf"[#＃][ \t]*(?:{'|'.join(re.escape(word) for word in REDIRECT_WORDS)})[ \t]*:?[ \t]*\[\[", re.I | re.M
)


class RedirectInText(Rule):
    code = "L205"
    name = "redirect-in-text"
    severity = Severity.ERROR
    wikilint = ("syntax-like",)
    summary = "`#REDIRECT [[...]]` that is not the first thing on the page"
    what = "Finds redirect lines in a page that is not a redirect (the line is not at the very start)."
    why = "MediaWiki only redirects from the start of a page: elsewhere it renders a numbered list item."
    example = "Text.\n#REDIRECT [[Tokyo]]"
    use_instead = "#REDIRECT [[Tokyo]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        text = page.scan.masked
        for mark in ("\n#", "\n＃"):
            if mark[1] not in text:
                continue  # a one-character search (memchr) is ~15x faster than the two-character one
            position = text.find(mark)
            while position != -1:
                if _REDIRECT_LIKE.match(text, position + 1):
                    yield Violation(position + 1, "redirect line inside the page; it renders as a list item")
                position = text.find(mark, position + 1)
