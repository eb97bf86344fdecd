"""Local moves, deletions and untracking: what ``wikitools mv`` and ``wikitools rm`` record for ``push``.

These only change the directory and its state; the wiki is touched by the next ``push``, which moves
each page with a recorded move (``action=move``, history kept) and, with ``--delete``, deletes each
page marked for deletion. ``git mv``-style renames made without ``wikitools mv`` are found by
:func:`wikitools.sync.renames.detect_renames` instead.
"""

from __future__ import annotations

import os
from dataclasses import replace
from pathlib import Path

from ..errors import InputError
from .state import NotTrackedError, State


def _tracked_name(state: State, path: str | Path) -> str:
    name = state.name_of(path)
    if name not in state.entries:
        raise NotTrackedError("is not tracked in this synced directory", subject=path,
                              hint="only pulled or pushed pages can be moved or removed")  # fmt: skip
    return name


def record_move(root: Path, old: Path, new: Path) -> None:
    """Record that the tracked page whose file was ``old`` now lives at ``new``; the next ``push``
    moves the page on the wiki to the title ``new`` stands for (folder and file name, as
    :class:`wikitools.titles.Layout` maps them), keeping its history.

    ``root`` is the synced directory (the one holding ``.wikitools/``); ``old`` and ``new`` are paths
    inside it, absolute or relative to the current directory. Only the state is changed: the caller
    renames the file, before or after this call (the file need not exist at ``new`` yet, and may
    already). Moving a file back to the title its page has on the wiki cancels the pending move;
    moving it twice keeps one move, to the last title. Holds the directory's lock while it writes.

    Raises (all :class:`wikitools.errors.WikitoolsError`, one-line messages):
    :class:`~wikitools.sync.state.NotSyncedError` if ``root`` is not a synced directory;
    :class:`~wikitools.sync.state.NotTrackedError` if ``old`` is not tracked;
    :class:`~wikitools.errors.InputError` if ``new`` is outside ``root``, already tracked for another
    page, or names no valid title (:class:`~wikitools.errors.TitleError`);
    :class:`~wikitools.errors.LockedError` if a pull or push is running in ``root``.
    """
    state = State.synced(root)
    with state.lock():
        old_name = _tracked_name(state, old)
        new_name = state.name_of(new)
        if new_name == old_name:
            return
        if new_name in state.entries:
            raise InputError("is already tracked for another page", subject=new,
                             hint="remove or move that file first")  # fmt: skip
        target = state.layout.title_for(new_name)
        entry = state.entries.pop(old_name)
        state.entries[new_name] = replace(entry, moved_to=None if target == entry.title else target)
        state.save()


def move(root: Path, old: Path, new: Path) -> None:
    """``wikitools mv``: rename the file ``old`` to ``new`` and record the move (see :func:`record_move`).

    Refuses to overwrite an existing ``new``; creates its folder; the state is written only after the
    rename succeeded, and the rename is undone if recording fails.
    """
    old, new = Path(old), Path(new)
    if not old.is_file():
        raise InputError("no such file", subject=old)
    if new.exists():
        raise InputError("already exists", subject=new, hint="remove it first, or choose another name")
    State.synced(root)  # refuse before touching anything
    try:
        new.parent.mkdir(parents=True, exist_ok=True)
        os.rename(old, new)
    except OSError as exc:
        raise InputError(f"cannot be renamed ({exc.strerror})", subject=old) from None
    try:
        record_move(root, old, new)
    except BaseException:
        os.rename(new, old)
        raise


def remove(root: Path, path: Path, *, cached: bool = False) -> None:
    """``wikitools rm``: delete the file and mark its page for deletion by ``push --delete``;
    ``cached``: stop tracking the page, leaving file and wiki alone (also settles a page deleted on
    the wiki)."""
    state = State.synced(root)
    with state.lock():
        name = _tracked_name(state, path)
        if cached:
            state.forget(name)
        else:
            state.entries[name] = replace(state.entries[name], delete=True)
        state.save()
    if not cached:
        Path(path).unlink(missing_ok=True)
