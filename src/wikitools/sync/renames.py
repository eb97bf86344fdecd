"""Renames made without ``wikitools mv`` (a plain ``git mv`` or file manager), found like git finds them.

A tracked file that is gone and an untracked file whose text is the same, or nearly so, are one page
renamed: ``status`` shows it and ``push`` moves the page instead of creating a second one. As in git's
``diffcore-rename``, exact matches (same sha1) pair first; the rest pair by similarity of their lines
when it reaches :data:`MIN_SIMILARITY`, best first. The work is bounded: at most :data:`MAX_CANDIDATES`
files on each side are compared by similarity (beyond that only exact matches are found).
"""

from __future__ import annotations

from collections.abc import Iterable
from difflib import SequenceMatcher

from ..fileio import read_text
from ..savedtext import text_sha1, wiki_text
from ..titles import model_of
from .state import State

MIN_SIMILARITY = 0.5  # git's default rename threshold
MAX_CANDIDATES = 100


def detect_renames(state: State, names: Iterable[str]) -> dict[str, str]:
    """Untracked files among ``names`` that are renamed tracked files: ``{new name: old name}``."""
    added = [
        n for n in names if n not in state.entries and model_of(n) is not None and (state.root / n).is_file()
    ]
    if not added:
        return {}
    gone = {
        name: entry
        for name, entry in state.entries.items()
        if not entry.delete and not (state.root / name).exists()
    }
    if not gone:
        return {}
    texts = {n: wiki_text(read_text(state.root / n, allow_empty=True)) for n in added}
    pairs: dict[str, str] = {}
    by_sha1 = {}
    for name, entry in gone.items():
        by_sha1.setdefault(entry.sha1, name)
    for new in added:
        old = by_sha1.pop(text_sha1(texts[new]), None)
        if old is not None:
            pairs[new] = old
    left_new = [n for n in added if n not in pairs][:MAX_CANDIDATES]
    left_old = [n for n in gone if n not in pairs.values()][:MAX_CANDIDATES]
    scored = []
    for old in left_old:
        base = state.bases.get(gone[old].sha1)
        if base is None:
            continue
        for new in left_new:
            matcher = SequenceMatcher(None, base.split("\n"), texts[new].split("\n"), autojunk=False)
            if matcher.real_quick_ratio() >= MIN_SIMILARITY and matcher.quick_ratio() >= MIN_SIMILARITY:
                score = matcher.ratio()
                if score >= MIN_SIMILARITY:
                    scored.append((score, new, old))
    for _, new, old in sorted(scored, reverse=True):
        if new not in pairs and old not in pairs.values():
            pairs[new] = old
    return pairs
