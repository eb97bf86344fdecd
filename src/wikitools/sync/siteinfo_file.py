"""The wiki's namespace names a synced directory stored, for commands outside sync (``convert``)."""

from __future__ import annotations

from pathlib import Path

from .state import State


def stored_namespaces(path: str | Path) -> dict[int, str] | None:
    """The namespace names (id -> the wiki's local name) of the synced directory at or above
    ``path``, as its last pull learned them from ``siteinfo``; ``None`` outside a synced directory or
    before a pull has learned them."""
    state = State.find(path)
    if state is None or not state.layout.from_wiki:
        return None
    return dict(state.layout.namespaces)
