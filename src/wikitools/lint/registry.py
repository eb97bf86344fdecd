"""The rule contract, and the table of every registered rule keyed by its stable code.

A rule is a small class: a stable ``code`` (never reused), a short ``name``, a default ``severity``,
the field reference it corresponds to (a Check Wikipedia number or a Manual of Style shortcut) and
four pieces of documentation (*What it does*, *Why*, *Example*, *Use instead*) from which
``wikitools rules`` and ``docs/rules.md`` are generated. Rules are registered with :func:`register`
instead of being discovered by magic.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import ClassVar, Protocol

from ..edits import Edit
from ..errors import InputError
from .finding import Severity
from .scan import PageScan


@dataclass(frozen=True)
class Violation:
    """What a rule reports: where (an offset into the page's wikitext), what, and an optional fix."""

    offset: int
    message: str
    fix: tuple[Edit, ...] | None = None


@dataclass(frozen=True)
class PageContext:
    """Everything a page rule may look at: the shared scan, the page title and its namespace.

    ``source_lines`` maps wikitext lines to the lines of the file the user wrote (a ``.txt``); rules
    that name a line in a message use :meth:`line_of` so the number means something to the user."""

    scan: PageScan
    title: str
    namespace: int = 0
    source_lines: tuple[int | None, ...] | None = None

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
    """Base of every rule. Subclasses set the class attributes and override :meth:`check`.

    ``check`` yields :class:`Violation` objects for one page and must not keep state between pages;
    a rule with a safe fix sets ``fixable = True`` and attaches the edits to its violations (an edit
    may only change the bytes the fix is about).
    """

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    reference: ClassVar[str]  # "CW 19", "MOS:SEEALSO", ...
    summary: ClassVar[str]  # one line, shown by `wikitools rules`
    what: ClassVar[str]
    why: ClassVar[str]
    example: ClassVar[str]
    use_instead: ClassVar[str]
    fixable: ClassVar[bool] = False
    needs_targets: ClassVar[bool] = False

    def check(self, page: PageContext) -> Iterator[Violation]:
        raise NotImplementedError


class TargetRule(Rule):
    """A rule about where links lead; it runs after every page is scanned, once targets are resolved."""

    needs_targets = True

    def check(self, page: PageContext) -> Iterator[Violation]:
        return iter(())

    def check_targets(
        self, links: Sequence[LinkUse], targets: Mapping[str, TargetInfo]
    ) -> Iterator[tuple[LinkUse, str]]:
        raise NotImplementedError


_RULES: dict[str, Rule] = {}


def register(cls: type[Rule]) -> type[Rule]:
    """Class decorator: add one instance of ``cls`` to the table. Codes and names must be unique."""
    for existing in _RULES.values():
        if existing.code == cls.code or existing.name == cls.name:
            raise ValueError(f"rule {cls.code} {cls.name} clashes with {existing.code} {existing.name}")
    _RULES[cls.code] = cls()
    return cls


def all_rules() -> list[Rule]:
    """Every registered rule, ordered by code."""
    from . import rules  # noqa: F401  (importing the package registers the rules)

    return [_RULES[code] for code in sorted(_RULES)]


def get_rule(code_or_name: str) -> Rule:
    """The rule with this code (any case) or short name, or :class:`InputError`."""
    wanted = code_or_name.strip()
    for rule in all_rules():
        if wanted.upper() == rule.code or wanted.lower() == rule.name:
            return rule
    raise InputError(f"no rule {code_or_name!r}", hint="`wikitools rules` lists them")
