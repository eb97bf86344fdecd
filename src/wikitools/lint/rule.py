"""The rule contract: what a rule declares, what it is given, and what it reports.

A rule is a small class. It declares, as class attributes:

- ``code`` (``H101``; stable, never reused: see :mod:`.codes` for the table and the redirects of
  renamed codes), ``name`` (``heading-level-one``; kebab-case, unique) and a default ``severity``;
- what other linters call the same check, so users coming from them find it: ``checkwiki`` (Check
  Wikipedia / WPCleaner error numbers), ``wikilint`` (WikiLint rule names) and ``parsoid`` (Parsoid
  Linter categories), plus ``reference``, a guideline shortcut such as ``MOS:SEEALSO`` (may be empty);
- four pieces of documentation (``summary`` one line, ``what``, ``why``, ``example``, ``use_instead``)
  from which ``wikitools rules`` and ``docs/rules.md`` are generated;
- ``fixable = True`` when its violations carry a safe fix; ``content_only = True`` for article-style
  rules (See also, appendix order, dead ends...) that only apply to content namespaces by default.

and overrides :meth:`Rule.check`, which reads one :class:`PageContext` (the shared
:class:`~wikitools.lint.scan.PageScan` plus the page's title, namespace and language) and yields
:class:`Violation` objects. ``check`` must be a pure function of the page: no state between pages, no
I/O. A rule about where links lead is a :class:`TargetRule` instead.

Rules are not registered by importing them: :mod:`.codes` lists every rule class explicitly.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from ..edits import Edit
from .finding import Severity
from .languages import Appendices, appendices_for
from .scan import PageScan


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where (an offset into the page's wikitext; ``end`` optionally closes the
    span, for editors that underline it), what, and an optional fix."""

    offset: int
    message: str
    fix: tuple[Edit, ...] | None = None
    end: int | None = None


@dataclass(frozen=True)
class PageContext:
    """Everything a page rule may look at: the shared scan, the page's title, namespace and language.

    ``source_lines`` maps wikitext lines to the lines of the file the user wrote (a ``.txt``); rules
    that name a line in a message use :meth:`line_of` so the number means something to the user."""

    scan: PageScan
    title: str
    namespace: int = 0
    source_lines: tuple[int | None, ...] | None = None
    language: str = "en"
    appendix_names: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (kind, names) added by the config
    duplicate_link_distance: int = 500  # L110: how close a repeat must be to count (0: any distance)

    @functools.cached_property
    def appendices(self) -> Appendices:
        """The appendix headings (See also, References...) in the page's language (kept: rules ask for
        them once per heading, 290,000 times on the corpus)."""
        return appendices_for(self.language, self.appendix_names)

    def line_of(self, offset: int) -> int:
        """The 1-based line of ``offset`` in the file the user wrote."""
        line = self.scan.line_of(offset)
        if self.source_lines is None:
            return line
        for index in range(min(line, len(self.source_lines)) - 1, -1, -1):
            source = self.source_lines[index]
            if source is not None:
                return source
        return 1


@dataclass(frozen=True)
class LinkUse:
    """A link to a page, kept after a page is linted so its target can be checked against a wiki."""

    title: str  # normalized target title
    line: int
    column: int
    in_see_also: bool


class TargetInfo(Protocol):
    """What is known about a link target (``wikitools.api.LinkTarget`` has this shape)."""

    exists: bool
    redirect_to: str | None
    disambiguation: bool


class Rule:
    """Base of every rule. Subclasses set the class attributes (see the module docstring) and override
    :meth:`check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    checkwiki: ClassVar[tuple[int, ...]] = ()  # Check Wikipedia / WPCleaner error numbers
    wikilint: ClassVar[tuple[str, ...]] = ()  # WikiLint (wikiparser-node) rule names
    parsoid: ClassVar[tuple[str, ...]] = ()  # Parsoid Linter categories
    reference: ClassVar[str] = ""  # a guideline shortcut: "MOS:SEEALSO", "WP:DEADEND", ...
    summary: ClassVar[str]  # one line, shown by `wikitools rules`
    what: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    use_instead: ClassVar[str]
    fixable: ClassVar[bool] = False
    content_only: ClassVar[bool] = False  # article-style: only content namespaces by default
    needs_targets: ClassVar[bool] = False

    def check(self, page: PageContext) -> Iterator[Violation]:
        raise NotImplementedError

    @classmethod
    def references(cls) -> str:
        """Every outside name of this check, as one line: ``CW 7, 83 · WikiLint h1 · MOS:HEADINGS``."""
        parts = [
            f"{tool} {', '.join(map(str, names))}"
            for tool, names in (("CW", cls.checkwiki), ("WikiLint", cls.wikilint), ("Parsoid", cls.parsoid))
            if names
        ]
        if cls.reference:
            parts.append(cls.reference)
        return " · ".join(parts)


class TargetRule(Rule):
    """A rule about where links lead; it runs after every page is scanned, once targets are resolved."""

    needs_targets = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        return iter(())

    def check_targets(
        self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]
    ) -> Iterator[tuple[LinkUse, str]]:
        raise NotImplementedError
