"""Three-way line merge (diff3), with git-style conflict markers where both sides changed the same lines.

Both sides are diffed against the common base. Lines that neither side touched are stable; between two
stable runs lies a chunk that one side, the other, or both changed. A chunk changed on one side only takes
that side; a chunk both sides changed identically takes it once; anything else is a conflict, written as::

    <<<<<<< local
    (local lines)
    =======
    (remote lines)
    >>>>>>> remote
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

LOCAL_MARKER = "<<<<<<< local"
SEPARATOR = "======="
REMOTE_MARKER = ">>>>>>> remote"


@dataclass(frozen=True)
class MergeResult:
    text: str
    conflicts: int  # number of conflicting chunks (0: a clean merge)

    @property
    def clean(self) -> bool:
        return self.conflicts == 0


def _matches(base: list[str], other: list[str]) -> dict[int, int]:
    """For each base line that ``other`` kept unchanged, its index in ``other``."""
    matcher = SequenceMatcher(None, base, other, autojunk=False)
    return {
        block.a + offset: block.b + offset
        for block in matcher.get_matching_blocks()
        for offset in range(block.size)
    }


def merge3(base: str, local: str, remote: str) -> MergeResult:
    """Merge the changes ``local`` and ``remote`` each made to ``base``, line by line."""
    o, a, b = base.split("\n"), local.split("\n"), remote.split("\n")
    in_a, in_b = _matches(o, a), _matches(o, b)
    out: list[str] = []
    conflicts = 0
    i = j = k = 0  # positions in base, local, remote
    while True:
        # Copy the stable run: base lines kept by both sides at the current positions.
        while i < len(o) and in_a.get(i) == j and in_b.get(i) == k:
            out.append(o[i])
            i, j, k = i + 1, j + 1, k + 1
        # The next base line that both sides kept, beyond what they have already consumed.
        m = next(
            (n for n in range(i, len(o)) if in_a.get(n, -1) >= j and in_b.get(n, -1) >= k),
            None,
        )
        end_o, end_a, end_b = (len(o), len(a), len(b)) if m is None else (m, in_a[m], in_b[m])
        chunk_o, chunk_a, chunk_b = o[i:end_o], a[j:end_a], b[k:end_b]
        if chunk_a in (chunk_o, chunk_b):
            out.extend(chunk_b)
        elif chunk_b == chunk_o:
            out.extend(chunk_a)
        else:
            conflicts += 1
            out.extend([LOCAL_MARKER, *chunk_a, SEPARATOR, *chunk_b, REMOTE_MARKER])
        if m is None:
            return MergeResult("\n".join(out), conflicts)
        i, j, k = end_o, end_a, end_b


def has_conflict_markers(text: str) -> bool:
    """Whether ``text`` still holds a conflict written by :func:`merge3` (a line-exact marker)."""
    lines = set(text.split("\n"))
    return LOCAL_MARKER in lines and REMOTE_MARKER in lines
