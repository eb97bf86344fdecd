"""Media files beside their ``File:`` description pages: downloaded by ``pull --media``, uploaded by
``push`` when their bytes changed.

``File/Photo.jpg.wiki`` is the description page and ``File/Photo.jpg`` the file itself. The state keeps
the sha1 of each media file as last synced, so an unchanged file costs no request; a download is
verified by the sha1 the wiki reports. Uploads of large files go in chunks through the wiki's stash;
the session is saved in the state after every chunk, so an interrupted push resumes where the stash
stopped instead of uploading again. Warnings (a duplicate of another file, say) hold a file back
and are reported; only the expected "a file of this name exists" is passed over for a tracked file.
"""

from __future__ import annotations

from dataclasses import replace

from ..api.client import WikiClient, file_sha1
from ..api.results import UploadSession
from ..fileio import read_text
from ..savedtext import wiki_text
from .report import Outcome, PageResult, ProgressCallback, Report
from .state import State


def media_changed(state: State, name: str) -> str | None:
    """The media file beside the description page ``name`` when its bytes differ from the last synced."""
    media = state.layout.media_name(name)
    if media is None or not (state.root / media).is_file():
        return None
    entry = state.entries.get(name)
    synced = entry.media_sha1 if entry is not None else None
    return media if file_sha1(state.root / media) != synced else None


def pull_media(
    state: State, client: WikiClient, names: list[str], report: Report, progress: ProgressCallback | None
) -> None:
    """Download the media files of the File pages among ``names`` that changed on the wiki; a media file
    changed on both sides is left alone and reported as a conflict."""
    files = {n: state.entries[n] for n in names if n in state.entries and state.layout.media_name(n)}
    if not files:
        return
    infos = client.media_info(entry.title for entry in files.values())
    for name, entry in files.items():
        info = infos.get(entry.title)
        media = state.layout.media_name(name)
        if info is None or media is None:
            continue
        path = state.root / media
        local = file_sha1(path) if path.is_file() else None
        if local not in (None, info.sha1, entry.media_sha1):
            reason = "the media file changed here and on the wiki; keep one (delete yours to take theirs)"
            report.add(PageResult(media, entry.title, Outcome.CONFLICT, reason), progress)
            continue
        if local != info.sha1:
            client.download(info, path)
            report.add(PageResult(media, entry.title, Outcome.PULLED), progress)
        state.entries[name] = replace(state.entries[name], media_sha1=info.sha1)
    state.save()


def push_media(
    state: State, client: WikiClient, name: str, media: str, title: str, summary: str
) -> PageResult:
    """Upload ``media`` as the file of the page ``title`` (described by the file ``name``), resuming
    a chunked upload the state remembers; on success the page's new revision becomes the base. The
    state is saved after each chunk; the caller saves it after the upload."""
    entry = state.entries.get(name)
    path = state.root / media
    saved = state.uploads.get(media)

    def remember(session: UploadSession) -> None:
        state.uploads[media] = vars(session)
        state.save()

    description = wiki_text(read_text(state.root / name, allow_empty=True))
    result = client.upload(
        title.partition(":")[2],
        path,
        comment=summary,
        text=description,
        ignore={"exists", "page-exists"} if entry is not None else (),
        resume=UploadSession(**saved) if isinstance(saved, dict) else None,
        on_chunk=remember,
    )
    state.uploads.pop(media, None)  # (push saves the state after each page)
    if not result.published:
        return PageResult(media, title, Outcome.REFUSED, "the wiki warns: " + "; ".join(result.warnings))
    page = client.page_states([title])[title]
    latest = page.latest
    if latest is not None:
        state.record(name, page, replace(latest, text=description))
        state.entries[name] = replace(state.entries[name], media_sha1=file_sha1(path))
    return PageResult(media, title, Outcome.PUSHED)
