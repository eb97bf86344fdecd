"""Byte-exact edits of a source text: replace spans, leave every other character as it was.

Link insertion and lint fixes both describe their change as :class:`Edit` spans over the original
text, so a change touches only the characters it must, and independent changes compose.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Edit:
    """Replace ``source[start:end]`` with ``replacement`` (``start == end`` inserts)."""

    start: int
    end: int
    replacement: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span {self.start}..{self.end}")


def overlaps(a: Edit, b: Edit) -> bool:
    """Whether two edits touch the same characters (two insertions at one point also clash)."""
    if a.start == a.end == b.start == b.end:
        return True
    return a.start < b.end and b.start < a.end


def apply_edits(source: str, edits: Iterable[Edit]) -> str:
    """``source`` with every edit applied; an edit that overlaps an earlier-starting one is skipped.

    Skipping rather than failing lets callers offer many independent fixes and apply the ones that
    fit; running the fixer again picks up what was skipped.
    """
    out: list[str] = []
    position = 0
    previous: Edit | None = None
    for edit in sorted(edits):
        if edit.end > len(source):
            raise ValueError(f"edit {edit.start}..{edit.end} is past the end of the text")
        if previous is not None and (edit.start < position or overlaps(previous, edit)):
            continue
        out.append(source[position : edit.start])
        out.append(edit.replacement)
        position = edit.end
        previous = edit
    out.append(source[position:])
    return "".join(out)
