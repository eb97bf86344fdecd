"""Structure and link validation of wikitext pages (``wikitools lint``).

The public API:

- :func:`lint_page` lints one page held in memory (a file's text, an editor's unsaved buffer, a page
  of a dump) and returns a :class:`LintResult`; it is pure, so a process pool, a Dask worker or a
  language server can call it: ``lint_page(text, "Title", config.options()).findings``.
- :func:`lint_paths` lints files, directories and XML exports and yields one :class:`LintResult` per
  page; reporters (:mod:`.reporters`) and :class:`RunSummary` consume that stream. Only the CLI turns
  results into exit codes.
- :func:`lint_text` is the shortest way to a page's findings under a :class:`LintConfig`.
- The rules table: :func:`all_rules`, :func:`get_rule` (:mod:`.codes`); the rule interface
  :class:`Rule` (:mod:`.rule`).
"""

from __future__ import annotations

from .codes import all_rules, get_rule
from .config import LintConfig, LintOptions, Selection
from .engine import LintResult, PageInput, lint_input, lint_page
from .finding import Finding, Severity
from .rule import PageContext, Rule, Violation
from .runner import RunSummary, lint_paths
from .scan import PageScan


def lint_text(
    text: str, title: str, *, path: str = "<text>", config: LintConfig | None = None
) -> list[Finding]:
    """The findings for one page of wikitext, with the page rules selected by ``config``."""
    return lint_page(text, title, (config or LintConfig()).options(), path=path).findings


__all__ = [
    "Finding",
    "LintConfig",
    "LintOptions",
    "LintResult",
    "PageContext",
    "PageInput",
    "PageScan",
    "Rule",
    "RunSummary",
    "Selection",
    "Severity",
    "Violation",
    "all_rules",
    "get_rule",
    "lint_input",
    "lint_page",
    "lint_paths",
    "lint_text",
]
