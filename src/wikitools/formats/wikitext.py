"""MediaWiki wikitext, one import for both directions: :mod:`.wikitext_read` reads a page into an
:class:`~wikitools.model.Article`, :mod:`.wikitext_write` writes an article as wikitext.

Kept so that ``from wikitools.formats import wikitext`` (``wikitext.read``, ``wikitext.write``) goes on
working; new code imports the module it needs.
"""

from __future__ import annotations

from .wikitext_read import is_hidden_link, parse, read, render_text
from .wikitext_write import escape, find_title, title_pattern, title_regex, write, write_with_lines

__all__ = [
    "escape",
    "find_title",
    "is_hidden_link",
    "parse",
    "read",
    "render_text",
    "title_pattern",
    "title_regex",
    "write",
    "write_with_lines",
]
