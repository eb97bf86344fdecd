"""Lint in the editor: problems as diagnostics, safe fixes as quick fixes, "fix all", "disable this rule
on this line", and formatting (the safe fixes)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from lsprotocol import types

from ..lint.finding import Severity
from .document import Document
from .linting import DEPRECATED, UNNECESSARY, Problem, disable_comment, is_plain_text
from .positions import LineIndex

SOURCE = "wikitools"
FIX_ALL_KIND = types.CodeActionKind.SourceFixAll + ".wikitools"
_SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def diagnostic(problem: Problem, lines: LineIndex, docs_url: str | None) -> types.Diagnostic:
    tags = []
    if problem.code in UNNECESSARY:
        tags.append(types.DiagnosticTag.Unnecessary)
    if problem.code in DEPRECATED:
        tags.append(types.DiagnosticTag.Deprecated)
    return types.Diagnostic(
        range=lines.range(problem.start, problem.end),
        message=problem.message,
        severity=_SEVERITIES[problem.severity],
        code=problem.code,
        code_description=types.CodeDescription(href=docs_url) if docs_url else None,
        source=SOURCE,
        tags=tags or None,
    )


def whole_text_edit(before: str, after: str, lines: LineIndex) -> list[types.TextEdit]:
    """One edit turning ``before`` into ``after``, covering only the part between what they share at
    both ends (so the cursor and folds elsewhere stay put)."""
    if before == after:
        return []
    limit = min(len(before), len(after))
    prefix = 0
    while prefix < limit and before[prefix] == after[prefix]:
        prefix += 1
    suffix = 0
    while suffix < limit - prefix and before[-1 - suffix] == after[-1 - suffix]:
        suffix += 1
    return [types.TextEdit(lines.range(prefix, len(before) - suffix), after[prefix : len(after) - suffix])]


def _edit(uri: str, version: int | None, edits: Sequence[types.TextEdit]) -> types.WorkspaceEdit:
    return types.WorkspaceEdit(
        document_changes=[
            types.TextDocumentEdit(types.OptionalVersionedTextDocumentIdentifier(uri, version), list(edits))
        ]
    )


def code_actions(
    doc: Document,
    uri: str,
    problems: Sequence[Problem],
    wanted: types.Range,
    fixed_text: Callable[[], str],
    docs_url: Callable[[str], str | None],
) -> list[types.CodeAction]:
    """Quick fixes for the problems in ``wanted``, "disable CODE on this line" for each of their rules,
    and "fix all safe problems in this file" when there is any safe fix."""
    lines = doc.lines
    start, end = lines.offset(wanted.start), lines.offset(wanted.end)
    actions = []
    disabled: set[tuple[str, int]] = set()
    for problem in problems:
        if problem.end < start or problem.start > end:
            continue
        diag = diagnostic(problem, lines, docs_url(problem.code))
        if problem.fix:
            edits = [types.TextEdit(lines.range(e.start, e.end), e.replacement) for e in problem.fix]
            actions.append(
                types.CodeAction(
                    title=f"Fix {problem.code}: {problem.message}",
                    kind=types.CodeActionKind.QuickFix,
                    diagnostics=[diag],
                    is_preferred=True,
                    edit=_edit(uri, doc.version, edits),
                )
            )
        line = lines.line_of(problem.start)
        if is_plain_text(doc.path) or (problem.code, line) in disabled:
            continue
        disabled.add((problem.code, line))
        at = lines.position(lines.line_end(line))
        actions.append(
            types.CodeAction(
                title=f"Disable {problem.code} on this line",
                kind=types.CodeActionKind.QuickFix,
                diagnostics=[diag],
                edit=_edit(
                    uri, doc.version, [types.TextEdit(types.Range(at, at), disable_comment(problem.code))]
                ),
            )
        )
    if any(p.fix for p in problems):
        edits = whole_text_edit(doc.text, fixed_text(), lines)
        if edits:
            actions.append(
                types.CodeAction(
                    title="Fix all safe problems in this file",
                    kind=FIX_ALL_KIND,
                    edit=_edit(uri, doc.version, edits),
                )
            )
    return actions
