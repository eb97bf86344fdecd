"""Source-text rules: problems of the file itself rather than of the page's markup."""

from __future__ import annotations

from collections.abc import Iterator

from ..finding import Severity
from ..rule import PageContext, Rule, Violation


class ConflictMarker(Rule):
    code = "G101"
    name = "conflict-marker"
    severity = Severity.ERROR
    reference = "git merge"
    summary = "Version-control conflict marker left in the page"
    what = (
        "Finds the lines of an unresolved merge conflict: `<<<<<<<`, `=======`, `>>>>>>>` (and "
        "`|||||||`), when the page has both an opening and a closing marker."
    )
    why = (
        "A conflict that was committed or saved unresolved shows both versions and the markers on the "
        "page (`=======` even renders as a heading); one of the versions is almost never meant."
    )
    example = "<<<<<<< HEAD\nOur text.\n=======\nTheir text.\n>>>>>>> other"
    use_instead = "The text both sides agree on."

    def check(self, page: PageContext) -> Iterator[Violation]:
        scan = page.scan
        for offset in scan.conflict_markers:
            end = scan.text.find("\n", offset)
            marker = scan.text[offset : offset + 7]
            yield Violation(
                offset, f"merge conflict marker '{marker}'", end=len(scan.text) if end == -1 else end
            )
