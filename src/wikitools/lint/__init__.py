"""Structure and link validation of wikitext pages (``wikitools lint``).

The public API: :func:`lint_text` for one page held in memory, :func:`~.runner.lint_paths` for a
whole run over files, and the rule table (:func:`~.registry.all_rules`, :func:`~.registry.get_rule`).
"""

from __future__ import annotations

from .config import LintConfig, Selection
from .engine import LintOptions, PageInput, lint_page
from .finding import Finding, Severity
from .registry import Rule, all_rules, get_rule
from .runner import RunSummary, lint_paths
from .scan import PageScan


def lint_text(
    text: str, title: str, *, path: str = "<text>", config: LintConfig | None = None
) -> list[Finding]:
    """The findings for one page of wikitext, with the page rules selected by ``config``."""
    config = config or LintConfig()
    options = LintOptions(selection=config.selection, severities=dict(config.severity))
    return lint_page(PageInput(path, text, title, fix_path=path), options).findings


__all__ = [
    "Finding",
    "LintConfig",
    "LintOptions",
    "PageInput",
    "PageScan",
    "Rule",
    "RunSummary",
    "Selection",
    "Severity",
    "all_rules",
    "get_rule",
    "lint_page",
    "lint_paths",
    "lint_text",
]
