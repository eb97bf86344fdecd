"""More internal link rules (L2xx): links to other languages and projects, signatures, colons."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ...edits import Edit
from ...titles import INTERWIKI_PREFIXES
from ..finding import Severity
from ..registry import PageContext, Rule, Violation, register

#: "User", "User talk" and "Special:Contributions" in the languages of the corpus wikis.
USER_NAMESPACES = (
    "user",
    "user talk",
    "benutzer",
    "utilisateur",
    "usuario",
    "користувач",
    "обговорення користувача",
    "利用者",
    "利用者‐会話",
    "χρήστης",
    "συζήτηση χρήστη",
    "մասնակից",
    "քննարկում մասնակցի",
    "सदस्य",
    "सदस्य चर्चा",
    "thành viên",
    "thảo luận thành viên",
    "ব্যবহারকারী",
    "ব্যবহারকারী আলাপ",
    "special:contributions",
)
_MULTI_COLON = re.compile(r"\[\[\s*:(\s*:)+")


@register
class InterlanguageInlineLink(Rule):
    code = "L201"
    name = "inline-interlanguage-link"
    severity = Severity.INFO
    reference = "CW 68; WP:ILL"
    summary = "Inline link to another language's Wikipedia (`[[:de:Fluss]]`)"
    what = "Finds visible links to articles of other language editions."
    why = "Readers expect links in their language; `{{ill}}` shows a local red link with the foreign one."
    example = "the [[:de:Rhein|Rhine]]"
    use_instead = "the [[Rhine]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in page.scan.links:
            if link.kind != "interwiki" or not link.target.lstrip().startswith(":"):
                continue
            prefix = link.target.lstrip()[1:].split(":", 1)[0].strip()
            if prefix.lower() not in INTERWIKI_PREFIXES and prefix == prefix.lower():
                yield Violation(link.start, f"inline link to the '{prefix}' Wikipedia")


@register
class InterprojectLink(Rule):
    code = "L202"
    name = "interproject-link"
    severity = Severity.INFO
    reference = "CW 82"
    summary = "Inline link to a sister project (`[[wikt:...]]`, `[[commons:...]]`)"
    what = "Finds links to Wiktionary, Commons and other sister projects in the text."
    why = "Sister-project links belong in a box or the external links, not in running text (WP:SISTER)."
    example = "a [[wikt:river|river]]"
    use_instead = "a [[river]]"

    def check(self, page: PageContext) -> Iterator[Violation]:
        for link in page.scan.links:
            if link.kind != "interwiki" or link.in_template:
                continue
            prefix = link.target.strip().lstrip(":").split(":", 1)[0].strip().lower()
            if prefix in INTERWIKI_PREFIXES:
                yield Violation(link.start, f"link to the sister project '{prefix}'")


@register
class UserSignature(Rule):
    code = "L203"
    name = "user-link-in-article"
    severity = Severity.WARNING
    reference = "CW 95"
    summary = "Link to a user page (a signature) in an article"
    what = "Finds links to User, User talk and Special:Contributions pages in main-namespace pages."
    why = "Articles are not signed (WP:SIGN); a signature is usually a talk-page comment pasted by mistake."
    example = "Text. [[User:Example|Example]] 12:00, 1 May 2024 (UTC)"
    use_instead = "Text."

    def check(self, page: PageContext) -> Iterator[Violation]:
        if page.namespace != 0:
            return
        for link in page.scan.links:
            if link.kind != "article":
                continue
            prefix = link.target.strip().lstrip(":").split(":", 1)[0].replace("_", " ").strip().lower()
            head = link.target.strip().lstrip(":").split("/", 1)[0].replace("_", " ").strip().lower()
            if ":" in link.target and (prefix in USER_NAMESPACES or head in USER_NAMESPACES):
                yield Violation(link.start, "link to a user page in an article")


@register
class MultiColonEscape(Rule):
    code = "L204"
    name = "multi-colon-link"
    severity = Severity.WARNING
    reference = "Parsoid multi-colon-escape"
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
