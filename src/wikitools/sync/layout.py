"""Where a page lives in a synced directory: a folder per namespace, an extension per content model.

``Template:Infobox`` with wikitext is ``Template/Infobox.wiki``; ``Module:Foo`` (Scribunto) is
``Module/Foo.lua``; ``MediaWiki:Common.css`` is ``MediaWiki/Common.css.css``; main-namespace pages sit at
the top. Folder names are the wiki's own (localized) namespace names from ``siteinfo``, kept in the
state, so a wiki installed in German has ``Vorlage/`` and ``Datei/``. Each part of a path is escaped
as :func:`wikitools.titles.title_to_filename` does, so names are reversible and safe on
case-insensitive file systems; a file name is read in NFC (macOS writes NFD) before it becomes a title.

A title whose file name would pass :data:`MAX_NAME_BYTES` gets a shortened name ending in ``#`` and a
hash of the title (``#`` cannot occur in titles, so the two kinds never mix); only the state knows the
title of such a file.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Collection, Mapping
from pathlib import PurePosixPath

from ..errors import InputError
from ..markup import CANONICAL_NAMESPACES
from ..titles import check_title, filename_to_title, normalize_title, title_to_filename

#: Content model -> file extension. ``sanitized-css`` (TemplateStyles) shares ``.css``; the state
#: remembers each page's model, so pulling and pushing keep it.
EXTENSIONS = {
    "wikitext": ".wiki",
    "Scribunto": ".lua",
    "javascript": ".js",
    "css": ".css",
    "sanitized-css": ".css",
    "json": ".json",
    "text": ".text",  # not .txt: that is the plain-text article format of convert
}
#: Extension -> the model a new file of that extension creates.
MODELS = {".wiki": "wikitext", ".mediawiki": "wikitext", ".lua": "Scribunto", ".js": "javascript",
          ".css": "css", ".json": "json", ".text": "text"}  # fmt: skip
SUFFIXES = tuple(MODELS)
FILE_NAMESPACE = 6
MAX_NAME_BYTES = 200  # file systems allow 255; leave room for editors' and our own temporary names
HASH_MARK = "#"



def model_of(name: str) -> str | None:
    """The content model a file of this name holds, or ``None`` for a file that stands for no page."""
    for suffix in SUFFIXES:
        if name.endswith(suffix):
            return MODELS[suffix]
    return None


def _escape(part: str, taken: Collection[str] = (), suffix: str = "") -> str:
    return title_to_filename(part, taken, suffix)


class Layout:
    """The mapping between titles and paths for one wiki's namespaces (id -> localized name)."""

    def __init__(self, namespaces: Mapping[int, str] | None = None) -> None:
        self.from_wiki = bool(namespaces)  # False: the canonical names, until the wiki's are known
        self.namespaces = dict(namespaces or CANONICAL_NAMESPACES)
        self._by_name = {name.casefold(): ns for ns, name in self.namespaces.items() if name}
        self._by_folder = {_escape(name).casefold(): ns for ns, name in self.namespaces.items() if name}

    def namespace_id(self, name_or_number: str | int) -> int:
        """A namespace given by number or (localized or canonical) name; ``InputError`` if unknown."""
        text = str(name_or_number).strip().replace("_", " ")
        if text.lstrip("-").isdigit() and int(text) in self.namespaces:
            return int(text)
        if text in ("", "(main)", "Main"):
            return 0
        found = self._by_name.get(text.casefold())
        if found is None:
            canonical = {n.casefold(): i for i, n in CANONICAL_NAMESPACES.items() if n}
            found = canonical.get(text.casefold())
        if found is None:
            raise InputError("no such namespace on this wiki", subject=name_or_number,
                             hint="give its number or its name as the wiki spells it")  # fmt: skip
        return found

    def split(self, title: str) -> tuple[int, str]:
        """A title's namespace id and its name within the namespace."""
        title = normalize_title(title)
        prefix, colon, rest = title.partition(":")
        if colon:
            ns = self._by_name.get(prefix.strip().casefold())
            if ns is not None and ns != 0:
                return ns, normalize_title(rest)
        return 0, title

    def path_for(self, title: str, model: str = "wikitext", taken: Collection[str] = ()) -> str:
        """A relative path (with ``/``) for ``title``, colliding (ignoring case) with no name in ``taken``."""
        ns, rest = self.split(title)
        suffix = EXTENSIONS.get(model, ".wiki")
        folder = _escape(self.namespaces[ns]) + "/" if ns else ""
        in_folder = {t[len(folder) :] for t in taken if t.startswith(folder) and "/" not in t[len(folder) :]}
        name = _escape(rest, in_folder, suffix)
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:12]
            head = _escape(rest).encode("utf-8")[: MAX_NAME_BYTES - 40].decode("utf-8", "ignore")
            name = f"{head}{HASH_MARK}{digest}{suffix}"
        return folder + name

    def _in_file_folder(self, path: PurePosixPath) -> bool:
        return len(path.parts) > 1 and self._by_folder.get(path.parts[0].casefold()) == FILE_NAMESPACE

    def is_media(self, name: str) -> bool:
        """Whether ``name`` is a media file: in the File namespace's folder, beside its ``.wiki``
        description page (``File/Photo.jpg`` beside ``File/Photo.jpg.wiki``)."""
        path = PurePosixPath(name)
        return self._in_file_folder(path) and model_of(path.name) != "wikitext"

    def media_name(self, name: str) -> str | None:
        """The media file beside the description page ``name``, or ``None`` if it is no File page."""
        path = PurePosixPath(name)
        wikitext = model_of(path.name) == "wikitext"
        return name[: -len(path.suffix)] if wikitext and self._in_file_folder(path) else None

    def title_for(self, name: str) -> str:
        """The title a relative path stands for (the inverse of :meth:`path_for`).

        ``InputError`` for a shortened name (only the state knows its title), a file of no page type,
        or a name that stands for a title MediaWiki rejects (:class:`~wikitools.errors.TitleError`).
        """
        path = PurePosixPath(unicodedata.normalize("NFC", name))
        suffix = next((s for s in SUFFIXES if path.name.endswith(s)), None)
        if suffix is None:
            raise InputError("this kind of file stands for no page", subject=name,
                             hint=f"page files end with {', '.join(SUFFIXES)}")  # fmt: skip
        stem = path.name[: -len(suffix)]
        if HASH_MARK in stem:
            raise InputError("a shortened file name stands for no title by itself", subject=name,
                             hint="name the file after its page")  # fmt: skip
        rest = filename_to_title(stem + ".wiki")
        ns = self._by_folder.get(path.parent.name.casefold()) if len(path.parts) > 1 else None
        return check_title(f"{self.namespaces[ns]}:{rest}" if ns else rest)
