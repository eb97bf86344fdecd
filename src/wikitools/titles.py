"""MediaWiki title rules, and the reversible mapping between page titles and file names and paths: one
file layout for ``pull``, ``unpack``, ``convert -d`` and the language server.

File names: spaces become ``_``; characters that are unsafe on some file system (``/ \\ : * ? " < > |``,
``%``, ``~``, control characters) and a leading ``.`` become ``%XX`` escapes of their UTF-8 bytes; the
extension is ``.wiki``. Two titles that differ only in case would collide on a case-insensitive file
system, so :func:`title_to_filename` takes the names already in use and appends ``~N`` to the later
one; :func:`filename_to_title` drops that suffix. The mapping is therefore reversible and stable.

Paths (:class:`Layout`): a folder per namespace, an extension per content model. ``Template:Infobox``
with wikitext is ``Template/Infobox.wiki``; ``Module:Foo`` (Scribunto) is ``Module/Foo.lua``;
``MediaWiki:Common.css`` is ``MediaWiki/Common.css.css``; main-namespace pages sit at the top. Folder
names are a wiki's own (localized) namespace names when known (sync keeps its wiki's in the state, so
a wiki installed in German has ``Vorlage/``), else the canonical English ones. Each part of a path is
escaped as :func:`title_to_filename` does; a file name is read in NFC (macOS writes NFD) before it
becomes a title. A title whose file name would pass :data:`MAX_NAME_BYTES` gets a shortened name
ending in ``#`` and a hash of the title (``#`` cannot occur in titles, so the two kinds never mix);
only a sync state knows the title of such a file.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Collection, Mapping
from pathlib import PurePath, PurePosixPath
from urllib.parse import unquote

from .errors import InputError, TitleError
from .markup import CANONICAL_NAMESPACES

FORBIDDEN_TITLE_CHARS = frozenset("<>[]|{}")
MAX_TITLE_BYTES = 255
WIKITEXT_SUFFIXES = (".wiki", ".mediawiki")

_UNSAFE_IN_FILENAME = set('/\\:*?"<>|%~') | {chr(c) for c in range(32)} | {"\x7f"}
_COLLISION_SUFFIX = re.compile(r"~(\d+)$")
_SPACES = re.compile(r"[ _\u00a0\u2000-\u200a\u3000]+")


def normalize_title(title: str) -> str:
    """MediaWiki's canonical form: underscores and runs of spaces are one space, trimmed, first
    letter upper-case (the default ``$wgCapitalLinks``)."""
    # Lint calls this for every link target. Most are words joined by single spaces: then the
    # substitution and the strip change nothing (every character _SPACES replaces but "_" is
    # whitespace to str.split), and this test costs half of them.
    if "_" in title or " ".join(title.split()) != title:
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


#: Content model -> file extension. ``sanitized-css`` (TemplateStyles) shares ``.css``; the state
#: remembers each page's model, so pulling and pushing keep it.
MODEL_EXTENSIONS = {
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


class Layout:
    """The mapping between titles and paths for one wiki's namespaces (id -> localized name)."""

    def __init__(self, namespaces: Mapping[int, str] | None = None) -> None:
        self.from_wiki = bool(namespaces)  # False: the canonical names, until the wiki's are known
        self.namespaces = dict(namespaces or CANONICAL_NAMESPACES)
        self._by_name = {name.casefold(): ns for ns, name in self.namespaces.items() if name}
        self._by_folder = {
            title_to_filename(name, suffix="").casefold(): ns for ns, name in self.namespaces.items() if name
        }

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
        suffix = MODEL_EXTENSIONS.get(model, ".wiki")
        folder = title_to_filename(self.namespaces[ns], suffix="") + "/" if ns else ""
        in_folder = {t[len(folder) :] for t in taken if t.startswith(folder) and "/" not in t[len(folder) :]}
        name = title_to_filename(rest, in_folder, suffix)
        if len(name.encode("utf-8")) > MAX_NAME_BYTES:
            digest = hashlib.sha1(title.encode("utf-8")).hexdigest()[:12]
            head = (
                title_to_filename(rest, suffix="")
                .encode("utf-8")[: MAX_NAME_BYTES - 40]
                .decode("utf-8", "ignore")
            )
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
        ns = self.folder_namespace(path.parent.name) if len(path.parts) > 1 else None
        return check_title(f"{self.namespaces[ns]}:{rest}" if ns else rest)

    def folder_namespace(self, folder: str) -> int | None:
        """The namespace a folder of this layout holds (``Vorlage`` -> 10), ``None`` for any other name."""
        return self._by_folder.get(folder.casefold())


#: The layout of a wiki whose own names are not known: MediaWiki's canonical namespace names.
CANONICAL_LAYOUT = Layout()


def title_of_file(path: str | PurePath, layout: Layout = CANONICAL_LAYOUT) -> str:
    """The title a page file names: its file name, in the namespace its folder is named after, as
    pull lays pages out (``Help/Contents.wiki`` is ``Help:Contents``; ``notes/Contents.wiki`` is
    ``Contents``; a name with its own prefix, ``Help%3AContents.wiki``, keeps it)."""
    path = PurePath(path)
    title = filename_to_title(path)
    ns = layout.folder_namespace(path.parent.name)
    if ns and layout.split(title)[0] == 0:
        return check_title(f"{layout.namespaces[ns]}:{title}")
    return title
