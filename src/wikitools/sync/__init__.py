"""Sync a directory of page files with a wiki: state, three-way merge, pull, push, status, moves.

``from wikitools.sync import record_move`` is the one way to record a local move (the CLI's
``wikitools mv`` and the language server both use it).
"""

from .tracking import record_move

__all__ = ["record_move"]
