"""Output formats for lint findings; each is a :class:`~.base.Reporter` with the same lifecycle."""

from __future__ import annotations

from typing import TextIO

from .base import Reporter
from .github import GithubReporter
from .json import JsonReporter
from .sarif import SarifReporter
from .text import TextReporter

REPORTERS: dict[str, type[Reporter]] = {
    "text": TextReporter,
    "json": JsonReporter,
    "github": GithubReporter,
    "sarif": SarifReporter,
}


def make_reporter(name: str, stream: TextIO) -> Reporter:
    return REPORTERS[name](stream)


__all__ = ["REPORTERS", "Reporter", "make_reporter"]
