"""Base texts kept locally (``.wikitools/base/``), so ``diff`` works offline and merges and rename
detection need no request.

Each text is stored once under its sha1 (as MediaWiki saves it). The store is a cache: a missing or
damaged entry only means the text is fetched again (or ``diff`` says it cannot work offline), so
writes skip the fsync that the state itself gets. ``git`` should not track it (see ``.gitignore``).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..savedtext import text_sha1, wiki_text

BASE_DIR = "base"


class BaseStore:
    """The base texts of one synced directory's state directory."""

    def __init__(self, state_dir: Path) -> None:
        self.directory = state_dir / BASE_DIR

    def _path(self, sha1: str) -> Path:
        return self.directory / sha1[:2] / sha1[2:]

    def put(self, text: str) -> str:
        """Keep ``text``; returns its sha1. A text already kept costs one ``stat``."""
        sha1 = text_sha1(text)
        path = self._path(sha1)
        if not path.exists():
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=".", dir=path.parent)
            with os.fdopen(fd, "wb") as handle:
                handle.write(wiki_text(text).encode("utf-8"))
            os.replace(tmp, path)
        return sha1

    def get(self, sha1: str) -> str | None:
        """The text with this sha1, or ``None`` when it is not kept (or damaged)."""
        try:
            text = self._path(sha1).read_bytes().decode("utf-8")
        except (OSError, UnicodeDecodeError):
            return None
        return text if text_sha1(text) == sha1 else None
