"""The one bridge between a dump page and the lint engine: a pure per-page lint function and the
fingerprint of the rules and settings that decides whether cached findings still hold.

Everything in :mod:`wikitools.dump` reaches the lint engine through this module only.
"""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .. import __version__
from ..lint.config import LintOptions
from ..lint.engine import lint_page as _lint_page

if TYPE_CHECKING:  # partitions import this module's findings (through results)
    from .partitions import DumpPage

DEFAULT_OPTIONS = LintOptions()


@dataclass(frozen=True)
class DumpFinding:
    """One finding in a dump page: 1-based line and column in the page's wikitext."""

    line: int
    column: int
    rule: str
    severity: str
    message: str


def lint_page(page: DumpPage, options: LintOptions = DEFAULT_OPTIONS) -> tuple[DumpFinding, ...]:
    """The findings of one dump page with the page rules ``options`` select. Pure: no I/O, so it runs
    as well in a Dask task or a Spark ``mapPartitions`` function as here."""
    if page.redirect is not None:
        return ()  # a redirect page is not linted
    result = _lint_page(page.text, page.title, options, namespace=page.namespace, language=page.language)
    return tuple(DumpFinding(f.line, f.column, f.code, f.severity.label, f.message) for f in result.findings)


def fingerprint(options: LintOptions) -> str:
    """A digest of everything that decides a page's findings besides its text: the options, the
    wikitools version and the source of the lint engine and its rules (so an edited rule invalidates
    the cache even without a release)."""
    digest = hashlib.sha1(_engine_digest().encode("ascii"))
    digest.update(repr((__version__, options)).encode("utf-8"))
    return digest.hexdigest()


@functools.cache
def _engine_digest() -> str:
    digest = hashlib.sha1()
    root = Path(_lint_page.__code__.co_filename).parent
    for path in sorted(root.rglob("*.py")):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0" + path.read_bytes())
    return digest.hexdigest()
