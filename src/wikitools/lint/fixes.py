"""Applying safe fixes: whole fixes only, never half of one, repeated until nothing changes.

A fix is a tuple of :class:`~wikitools.edits.Edit` spans over the linted text. Fixes whose spans
overlap an already chosen fix wait for the next round (the text is linted again in between), so
the result is the same however the rules are ordered, and a second ``--fix`` run changes nothing.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence

from ..edits import Edit, apply_edits, overlaps
from .finding import Finding

MAX_ROUNDS = 10


def compatible_fixes(findings: Iterable[Finding]) -> list[tuple[Edit, ...]]:
    """The fixes of ``findings`` (in order) that do not touch a span an earlier chosen fix touches."""
    chosen: list[tuple[Edit, ...]] = []
    taken: list[Edit] = []
    for finding in findings:
        if finding.fix is None:
            continue
        if any(overlaps(edit, other) for edit in finding.fix for other in taken):
            continue
        chosen.append(finding.fix)
        taken.extend(finding.fix)
    return chosen


def fix_text(text: str, lint: Callable[[str], Sequence[Finding]]) -> tuple[str, int]:
    """``text`` with every safe fix applied, and how many fixes were applied.

    ``lint`` lints a version of the text; it is called again after each round of fixes.
    """
    applied = 0
    for _ in range(MAX_ROUNDS):
        fixes = compatible_fixes(lint(text))
        if not fixes:
            break
        text = apply_edits(text, [edit for fix in fixes for edit in fix])
        applied += len(fixes)
    return text, applied


def unified_diff(path: str, before: str, after: str) -> str:
    """A unified diff of a file's fixes, as ``git diff`` would show it."""
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{path}", f"b/{path}"
    )
    return "".join(
        line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines
    )
