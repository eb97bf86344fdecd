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


@dataclass(frozen=True)
class UploadSession:
    """A chunked upload under way: what resumes it after an interruption (see ``WikiClient.upload``)."""

    filekey: str
    offset: int  # bytes the wiki's stash holds
    sha1: str  # of the whole file, so a changed file is never resumed


@dataclass(frozen=True)
class UploadResult:
    """What an upload did. ``warnings`` (``exists``, ``duplicate``, ...) mean nothing was published yet:
    the file waits in the stash under ``filekey``, to publish with those warnings ignored, or to drop."""

    published: bool
    filekey: str | None = None
    warnings: tuple[str, ...] = ()
    chunks: int = 0  # chunk requests this call made (0: a single-request upload)


@dataclass(frozen=True)
class MediaInfo:
    """A file page's current media file: where to download it, and its sha1 (hex)."""

    title: str
    url: str
    sha1: str
    size: int
