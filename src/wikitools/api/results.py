"""Small records the client returns besides :class:`wikitools.model.Page`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class EditResult:
    """What one saved edit did. ``nochange`` means the text was already the page's text: no revision
    was made, and ``revid``/``timestamp`` are those of the page's current revision."""

    title: str
    page_id: int
    revid: int | None
    timestamp: str | None
    nochange: bool = False
    new_page: bool = False
    warnings: tuple[str, ...] = ()  # what the wiki warned about while saving (shown, never ignored)


@dataclass(frozen=True)
class LinkTarget:
    """Where a link to ``title`` lands: whether the page exists, the redirect it follows, and whether
    the final page is a disambiguation page. Interwiki links count as existing (they cannot be
    checked here)."""

    title: str
    exists: bool
    redirect_to: str | None = None
    disambiguation: bool = False
