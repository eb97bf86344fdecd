"""The one place the language server meets the lint engine: lint a document held in memory, apply its
safe fixes, and write an inline disable comment.

Everything the server needs from lint passes through :class:`Problem`, so a change of the engine's
result types changes this module only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

from ..edits import Edit
from ..errors import WikitoolsError
from ..lint.codes import all_rules
from ..lint.config import LintConfig, find_config, load_config
from ..lint.engine import PageInput, Resolver, check_targets, lint_input, title_namespace
from ..lint.finding import Finding, Severity
from ..lint.fixes import fix_text
from ..lint.inputs import TEXT_SUFFIXES
from .positions import line_starts

#: Rules whose findings mark text that can simply go (editors grey it out) or an outdated form.
UNNECESSARY = frozenset({"L104", "L110", "S104", "S105"})
DEPRECATED = frozenset({"H108"})
UNREADABLE = "input"  # the code of the problem a document the readers refuse gets
_BRACKETED = re.compile(r"\[\[[^\[\]\n]*\]\]|\{\{[^{}\n]*\}\}")


@dataclass(frozen=True)
class Problem:
    """One finding placed in the document's text: ``[start, end)`` offsets, and the edits of its safe fix
    (over the same text) or ``None``."""

    start: int
    end: int
    code: str
    severity: Severity
    message: str
    fix: tuple[Edit, ...] | None = None
    rule_name: str = ""


@lru_cache(maxsize=64)
def config_for(directory: Path) -> LintConfig:
    """The lint settings that apply in ``directory`` (the same file ``wikitools lint`` would read)."""
    return load_config(find_config(directory))


def is_plain_text(path: str) -> bool:
    return path.endswith(TEXT_SUFFIXES)


def _page(text: str, title: str, path: str) -> PageInput:
    namespace = title_namespace(title)
    if not is_plain_text(path):
        return PageInput(path, text, title, namespace, fix_path=path)
    from ..formats import plaintext, wikitext

    wiki, lines = wikitext.write_with_lines(plaintext.read(text))
    return PageInput(path, wiki, title, namespace, source_lines=tuple(lines), source_text=text)


def _findings(page: PageInput, config: LintConfig, resolve: Resolver | None = None) -> list[Finding]:
    if resolve is None:
        return lint_input(page, config.options()).findings
    options = config.options(collect_links=True)
    return check_targets([lint_input(page, options)], resolve, options)[0].findings


def wants_targets(config: LintConfig) -> bool:
    """Whether the settings ask for the link-target rules (as they do of ``wikitools lint``)."""
    return bool(config.wiki or config.titles or config.check_targets)


def lint_document(
    text: str, title: str, path: str, config: LintConfig, resolve: Resolver | None = None
) -> list[Problem]:
    """The problems in ``text``, placed in ``text``: the page rules', and with ``resolve`` (which says
    what it knows of link targets) the target rules'. A ``.txt`` article is read as plain text and its
    problems cover whole lines; a text the plain-text reader refuses is one problem."""
    try:
        page = _page(text, title, path)
    except WikitoolsError as error:  # a .txt article the plain-text reader refuses: one problem, line 1
        first_line_end = text.find("\n")
        return [
            Problem(
                0,
                len(text) if first_line_end < 0 else first_line_end,
                UNREADABLE,
                Severity.ERROR,
                error.message,
            )
        ]
    starts = line_starts(text)
    names = _rule_names()
    problems = []
    plain = is_plain_text(path)
    for finding in _findings(page, config, resolve):
        start, line_end = _offset(starts, text, finding.line, finding.column)
        end = _end(text, start, line_end, finding.fix)
        if finding.end is not None and not plain:
            end = max(start, _offset(starts, text, *finding.end)[0])
        problems.append(
            Problem(
                start,
                end,
                finding.code,
                finding.severity,
                finding.message,
                finding.fix,
                names.get(finding.code, ""),
            )
        )
    return problems


def _offset(starts: list[int], text: str, line: int, column: int) -> tuple[int, int]:
    """The offset of a 1-based (line, column), and the end of its line."""
    index = max(0, min(line, len(starts)) - 1)
    line_end = starts[index + 1] - 1 if index + 1 < len(starts) else len(text)
    return min(starts[index] + column - 1, line_end), line_end


def _end(text: str, start: int, line_end: int, fix: Sequence[Edit] | None) -> int:
    """Where a problem's range stops: past the link or template at its start and the span its fix
    rewrites, else at the end of its line."""
    ends = [max(edit.end for edit in fix)] if fix else []
    bracketed = _BRACKETED.match(text, start)
    if bracketed:
        ends.append(bracketed.end())
    end = max(ends, default=line_end)
    return end if end > start else max(line_end, start)


@lru_cache(maxsize=1)
def _rule_names() -> dict[str, str]:
    return {rule.code: rule.name for rule in all_rules()}


def fix_all(text: str, title: str, path: str, config: LintConfig) -> str:
    """``text`` with every safe fix applied, round after round, as ``wikitools lint --fix`` does."""
    if is_plain_text(path):
        return text
    page = _page(text, title, path)
    fixed, _applied = fix_text(text, lambda version: _findings(replace(page, text=version), config))
    return fixed


def disable_comment(code: str) -> str:
    """The inline comment that silences ``code`` on the line it ends."""
    return f" <!-- wikitools: disable={code} -->"


def rule_anchor(code: str) -> str:
    """The anchor of a rule's section in ``docs/rules.md``."""
    return f"{code.lower()}-{_rule_names().get(code, '')}"
