"""What a lint run reports: a severity scale and an immutable finding record."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum

from ..edits import Edit
from ..errors import ConfigError


class Severity(IntEnum):
    """How much a finding matters; ``--fail-on`` compares against this order."""

    INFO = 1
    WARNING = 2
    ERROR = 3

    @classmethod
    def parse(cls, name: str) -> Severity:
        try:
            return cls[name.strip().upper()]
        except KeyError:
            choices = ", ".join(s.label for s in cls)
            raise ConfigError(f"unknown severity {name!r}", hint=f"use one of {choices}") from None

    @property
    def label(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Finding:
    """One problem at one place. ``line`` and ``column`` are 1-based; ``end`` is the ``(line, column)``
    just after the problem when the rule knows it; ``fix`` holds the edits of a safe fix over the
    linted wikitext, or ``None``; ``title`` names the page inside an XML file."""

    path: str
    line: int
    column: int
    code: str
    severity: Severity
    message: str
    fix: tuple[Edit, ...] | None = None
    title: str | None = None
    end: tuple[int, int] | None = None

    @property
    def fixable(self) -> bool:
        return self.fix is not None

    def sort_key(self) -> tuple[int, int, str, str]:
        return (self.line, self.column, self.code, self.message)
