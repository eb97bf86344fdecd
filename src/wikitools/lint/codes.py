"""The rules table: every lint rule, listed explicitly, and the redirects of renamed codes.

This module is the one place that decides which rules exist (ruff's ``codes.rs`` is the model).
Nothing registers itself by being imported: a rule class (see :mod:`.rule` for the interface) is
written in a family module under ``lint/rules/`` and becomes part of wikitools when its class is
added as a row of :data:`RULES` below. Rows are grouped by family and ordered by code inside a
family; a test checks that codes and names are unique, well-formed and that every rule has a
fixture file ``tests/data/lint/rules/<CODE>.wiki``.

Codes are stable: a code is never reused for another check. When a rule must be renamed (a new code
or a new name), the old spelling goes into :data:`REDIRECTS` and keeps working everywhere a code is
read (``--select``, ``--ignore``, ``--severity``, config files, ``wikitools: disable=`` comments),
as ruff's ``rule_redirects.rs`` does.

Adding a rule::

    # src/wikitools/lint/rules/tags.py
    class ObsoleteTag(Rule):
        code = "T101"
        name = "obsolete-tag"
        severity = Severity.WARNING
        checkwiki = (...,); wikilint = ("obsolete-tag",); parsoid = ("obsolete-tag",)
        summary = ...; what = ...; why = ...; example = ...; use_instead = ...

        def check(self, page: PageContext) -> Iterator[Violation]: ...

    # here: import the module and add ``tags.ObsoleteTag,`` to RULES in its family block.
"""

from __future__ import annotations

import functools
import re

from ..errors import InputError
from .rule import Rule
from .rules import headings, links, seealso, source, targets

#: Every rule class, grouped by family. Adding a rule is adding its row here.
RULES: tuple[type[Rule], ...] = (
    # G: the source text
    source.ConflictMarker,
    # H: headings
    headings.HeadingLevelOne,
    headings.FirstHeadingLevel,
    headings.SkippedHeadingLevel,
    headings.UnclosedHeading,
    headings.UnbalancedHeading,
    headings.MarkupInHeading,
    headings.HeadingPunctuation,
    headings.HtmlHeading,
    headings.EmptyHeading,
    headings.LinkInHeading,
    headings.DuplicateHeading,
    headings.EmptySection,
    headings.TextAfterHeading,
    headings.IndentedHeading,
    # L: internal links
    links.UnbalancedBrackets,
    links.LinkWithoutTarget,
    links.DoublePipe,
    links.LabelEqualsTarget,
    links.SelfLink,
    links.ForbiddenTitleCharacters,
    links.UrlEncodedTarget,
    links.ExternalLinkInDoubleBrackets,
    links.BrokenSectionLink,
    links.DuplicateLink,
    links.NoInternalLinks,
    # S: See also and appendices
    seealso.EmptySeeAlso,
    seealso.SeeAlsoFormat,
    seealso.SeeAlsoExternalLink,
    seealso.SeeAlsoRepeatsBody,
    seealso.SeeAlsoDuplicate,
    seealso.AppendixOrder,
    seealso.ContentAfterAppendix,
    targets.SeeAlsoRedLink,
    targets.SeeAlsoDisambiguation,
    # W: link targets on a wiki
    targets.RedLink,
    targets.RedirectLink,
    targets.DisambiguationLink,
)

#: Old code or name -> current code. Entries are never removed.
REDIRECTS: dict[str, str] = {}

#: Rule families by code letter, in the order ``docs/rules.md`` shows them.
FAMILIES: dict[str, str] = {
    "G": "Source text",
    "H": "Headings",
    "L": "Internal links",
    "S": "See also and appendices",
    "W": "Link targets on a wiki",
}

CODE_PATTERN = re.compile(r"[A-Z][0-9]{3}")
NAME_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


@functools.cache
def _table() -> dict[str, Rule]:
    """One instance of each rule keyed by code, ordered by code; a clash is a programming error."""
    table: dict[str, Rule] = {}
    names: set[str] = set()
    for cls in RULES:
        if cls.code in table or cls.name in names:
            raise ValueError(f"rule {cls.code} {cls.name} clashes with another row of RULES")
        table[cls.code] = cls()
        names.add(cls.name)
    return {code: table[code] for code in sorted(table)}


def all_rules() -> list[Rule]:
    """Every rule, ordered by code."""
    return list(_table().values())


def redirect(code: str) -> str:
    """The current spelling of a code or code prefix (upper-cased); old codes follow :data:`REDIRECTS`."""
    wanted = code.strip().upper()
    return REDIRECTS.get(wanted, wanted)


def get_rule(code_or_name: str) -> Rule:
    """The rule with this code (any case, old codes too) or short name, or :class:`InputError`."""
    wanted = code_or_name.strip()
    table = _table()
    code = REDIRECTS.get(wanted.lower(), redirect(wanted))
    if code in table:
        return table[code]
    for rule in table.values():
        if wanted.lower() == rule.name:
            return rule
    raise InputError(f"no rule {code_or_name!r}", hint="`wikitools rules` lists them")
