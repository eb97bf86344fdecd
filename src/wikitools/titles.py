"""MediaWiki title rules, and the reversible mapping between page titles and file names.

File names: spaces become ``_``; characters that are unsafe on some file system (``/ \\ : * ? " < > |``,
``%``, ``~``, control characters) and a leading ``.`` become ``%XX`` escapes of their UTF-8 bytes; the
extension is ``.wiki``. Two titles that differ only in case would collide on a case-insensitive file
system, so :func:`title_to_filename` takes the names already in use and appends ``~N`` to the later
one; :func:`filename_to_title` drops that suffix. The mapping is therefore reversible and stable.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from pathlib import PurePath
from urllib.parse import unquote

from .errors import TitleError

FORBIDDEN_TITLE_CHARS = frozenset("<>[]|{}")
MAX_TITLE_BYTES = 255
WIKITEXT_SUFFIXES = (".wiki", ".mediawiki")

_UNSAFE_IN_FILENAME = set('/\\:*?"<>|%~') | {chr(c) for c in range(32)} | {"\x7f"}
_COLLISION_SUFFIX = re.compile(r"~(\d+)$")
_SPACES = re.compile(r"[ _\u00a0\u2000-\u200a\u3000]+")


def normalize_title(title: str) -> str:
    """MediaWiki's canonical form: underscores and runs of spaces are one space, trimmed, first
    letter upper-case (the default ``$wgCapitalLinks``)."""
    title = _SPACES.sub(" ", title).strip()
    if title.startswith(":"):
        title = title[1:].lstrip()
    return title[:1].upper() + title[1:]


def title_problem(title: str) -> str | None:
    """Why MediaWiki would reject ``title``, or ``None`` when it is legal."""
    if not normalize_title(title):
        return "the title is empty"
    bad = sorted({c for c in title if c in FORBIDDEN_TITLE_CHARS or ord(c) < 32 or ord(c) == 127})
    if bad:
        shown = " ".join(repr(c)[1:-1] for c in bad)
        return f"the title contains characters MediaWiki forbids: {shown}"
    if len(title.encode("utf-8")) > MAX_TITLE_BYTES:
        return f"the title is longer than {MAX_TITLE_BYTES} bytes"
    if re.search(r"%[0-9A-Fa-f]{2}", title):
        return "the title contains a URL-encoded character"
    if "~~~" in title:
        return "the title contains '~~~'"
    return None


def check_title(title: str) -> str:
    """Return the normalized title, or raise :class:`TitleError` saying why it is illegal."""
    problem = title_problem(title)
    if problem:
        raise TitleError(problem, subject=title)
    return normalize_title(title)


def title_to_filename(title: str, taken: Collection[str] = (), suffix: str = ".wiki") -> str:
    """A file name for ``title`` that does not collide, ignoring case, with any name in ``taken``."""
    stem = "".join(
        f"%{ord(c):02X}" if c in _UNSAFE_IN_FILENAME else c for c in normalize_title(title)
    ).replace(" ", "_")
    if stem.startswith("."):
        stem = "%2E" + stem[1:]
    used = {name.casefold() for name in taken}
    name, n = stem + suffix, 1
    while name.casefold() in used:
        n += 1
        name = f"{stem}~{n}{suffix}"
    return name


def filename_to_title(path: str | PurePath) -> str:
    """The page title a file name stands for: the inverse of :func:`title_to_filename`."""
    stem = PurePath(path).name
    for ext in (*WIKITEXT_SUFFIXES, ".txt", ".json"):
        if stem.endswith(ext):
            stem = stem[: -len(ext)]
            break
    stem = _COLLISION_SUFFIX.sub("", stem)
    try:
        return normalize_title(unquote(stem, errors="strict").replace("_", " "))
    except UnicodeDecodeError:
        raise TitleError(
            "the file name's %XX escapes are not UTF-8, so it stands for no page title", subject=path
        ) from None
